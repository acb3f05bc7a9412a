/* SPDX-License-Identifier: MIT */
/* The supervisor's report over 100,000 interviews at the hub (median ms),
 * and the analysts' export: time and peak memory at 10,000 and 100,000. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "form/form-load.h"
#include "report/report-counts.h"
#include "store/hub.h"
#include "util/file.h"

#define INTERVIEWS 100000
#define PER_BATCH 1000
#define RUNS 9

static const char *const visits[] = { "completed", "completed", "completed",
				      "completed", "refused",	"absent",
				      "vacant",	   "other" };

static enum campo_status ack_fn(void *ctx, const enum campo_hub_outcome *o,
				size_t n, char **ack)
{
	(void)ctx;
	(void)o;
	(void)n;
	*ack = strdup("{}");
	return *ack ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

/* A census-shaped data object of about 1.5 KB: identification, a roster
 * of 3 to 7 members, housing. */
static void make_data(char *out, size_t size, unsigned i)
{
	size_t len = 0;
	unsigned members = 3 + i % 5;

	len += (size_t)snprintf(
		out + len, size - len,
		"{\"closing\":{\"recontact\":\"yes\"},\"household\":{"
		"\"hh_size\":\"%u\",\"respondent_name\":\"Marie Joseph\"},"
		"\"housing\":{\"dwelling_type\":\"house\",\"rooms\":\"%u\","
		"\"tenure\":\"rent\",\"water\":\"network\"},"
		"\"identification\":{\"address\":\"Pasaje Los Aromos %u\","
		"\"enumerator\":\"QC%02u\",\"sector\":\"S%02u\","
		"\"visit_result\":\"%s\"},\"member\":[",
		members, 1 + i % 4, i, i % 40, i % 24, visits[i % 8]);
	for (unsigned m = 0; m < members; m++) {
		len += (size_t)snprintf(
			out + len, size - len,
			"%s{\"m_age\":\"%u\",\"m_country\":\"HT\","
			"\"m_name\":\"Persona %u\",\"m_relation\":\"child\","
			"\"m_sector\":\"nested-not-an-area\",\"m_sex\":\"f\"}",
			m ? "," : "", 5 + m * 9, m);
	}
	snprintf(out + len, size - len, "]}");
}

/* Merges batches first..last-1 of PER_BATCH interviews each. */
static int seed(struct campo_hub *hub, unsigned first, unsigned last)
{
	struct campo_hub_revision *revs = calloc(PER_BATCH, sizeof(*revs));
	char(*ids)[64] = calloc(PER_BATCH, sizeof(*ids));
	char(*data)[2048] = calloc(PER_BATCH, sizeof(*data));
	char(*enums)[16] = calloc(PER_BATCH, sizeof(*enums));
	char(*days)[32] = calloc(PER_BATCH, sizeof(*days));
	struct campo_diag diag = { 0 };
	int rc = 0;

	if (!revs || !ids || !data || !enums || !days) {
		rc = -1;
		goto out_free;
	}
	for (unsigned b = first; b < last && !rc; b++) {
		char batch_id[64], digest[80];
		struct campo_hub_batch batch = {
			.batch_id = batch_id,
			.device_name = "import",
			.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11",
			.digest = digest,
			.body_hash = "-",
			.revisions = revs,
			.n = PER_BATCH,
		};
		char *ack = NULL;
		bool repeat;

		snprintf(batch_id, sizeof(batch_id),
			 "%08x-1111-4111-8111-111111111111", b);
		snprintf(digest, sizeof(digest), "digest-%u", b);
		for (unsigned k = 0; k < PER_BATCH; k++) {
			unsigned i = b * PER_BATCH + k;

			snprintf(ids[k], sizeof(ids[k]),
				 "uuid:%08x-4444-4444-8444-%012x", i, i);
			snprintf(enums[k], sizeof(enums[k]), "QC%02u", i % 40);
			snprintf(days[k], sizeof(days[k]),
				 "2026-11-%02uT14:31:40.052Z", 1 + i % 28);
			make_data(data[k], sizeof(data[k]), i);
			revs[k] = (struct campo_hub_revision){
				.instance_id = ids[k],
				.deprecated_id = "",
				.revision = 1,
				.device_id = "d3b07384-d113-4ec6-a8a0-"
					     "9b4d2e1f0a11",
				.form_id = "quilicura_census",
				.form_version = "2026112301",
				.content_hash = ids[k],
				.status = "finalized",
				.enumerator = enums[k],
				.started_at = days[k],
				.finalized_at = days[k],
				.data_json = data[k],
				.audit_json = "[]",
			};
		}
		if (campo_hub_batch_merge(hub, &batch, ack_fn, NULL, &ack,
					  &repeat, &diag) != CAMPO_OK) {
			fprintf(stderr, "bench-report: merge: %s\n", diag.msg);
			rc = -1;
		}
		free(ack);
	}
out_free:
	free(revs);
	free(ids);
	free(data);
	free(enums);
	free(days);
	return rc;
}

/* One report as the server builds it: counts, then JSON. */
static double report_ms(struct campo_hub *hub, int64_t *total, size_t *bytes)
{
	struct campo_report_counts *c = NULL;
	struct campo_diag diag = { 0 };
	struct campo_buf out;
	double t0 = campo_bench_now_ms(), t;

	campo_buf_init(&out, 64u << 20);
	if (campo_report_counts_build(hub, NULL, &c, &diag) != CAMPO_OK ||
	    campo_report_counts_json(c, &out) != CAMPO_OK) {
		fprintf(stderr, "bench-report: report: %s\n", diag.msg);
		exit(1);
	}
	t = campo_bench_now_ms() - t0;
	*total = campo_report_counts_total(c);
	*bytes = out.len;
	campo_report_counts_free(c);
	campo_buf_release(&out);
	return t;
}

static const struct campo_form *form_fn(void *ctx, const char *id,
					struct campo_diag *diag)
{
	(void)id;
	(void)diag;
	return ctx;
}

/* The bytes of the files in dir. */
static double dir_mb(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	double total = 0;

	while (d && (e = readdir(d))) {
		char p[4400];
		struct stat st;

		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			total += (double)st.st_size;
		}
	}
	if (d) {
		closedir(d);
	}
	return total / (1024.0 * 1024.0);
}

/* bench-report --export DB FORM DIR csv|json: one export in a process
 * of its own, so its peak memory is the export's alone. */
static int export_child(char **argv)
{
	struct campo_report_hub_options o = {
		.dir = argv[4],
		.csv = !strcmp(argv[5], "csv"),
		.jsonl = !strcmp(argv[5], "json"),
	};
	struct campo_diag diag = { 0 };
	struct campo_form *form = NULL;
	struct campo_hub *hub = NULL;
	struct campo_report_forms forms;
	double t0, ms;
	size_t n = 0;

	if (campo_form_load_file(argv[3], &form, NULL) != CAMPO_OK ||
	    campo_hub_open(argv[2], false, &hub, &diag) != CAMPO_OK ||
	    campo_file_mkdirs(argv[4]) != CAMPO_OK) {
		fprintf(stderr, "bench-report: export: cannot start %s\n",
			diag.msg);
		return 1;
	}
	forms = (struct campo_report_forms){ form_fn, form };
	t0 = campo_bench_now_ms();
	if (campo_report_hub_export(hub, &forms, &o, &n, &diag) != CAMPO_OK) {
		fprintf(stderr, "bench-report: export: %s\n", diag.msg);
		return 1;
	}
	ms = campo_bench_now_ms() - t0;
	printf("export %-4s %6zu interviews: %7.0f ms, %5.1f MB written, "
	       "peak RSS %.1f MB\n",
	       argv[5], n, ms, dir_mb(argv[4]), campo_bench_peak_rss_mb());
	campo_hub_close(hub);
	campo_form_free(form);
	return 0;
}

static void export_run(const char *self, const char *db, const char *form,
		       const char *dir, const char *format)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, self, "--export", db, form, dir, format,
		      (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		waitpid(pid, NULL, 0);
	}
	campo_file_remove_tree(dir);
}

int main(int argc, char **argv)
{
	struct campo_diag diag = { 0 };
	struct campo_hub *hub = NULL;
	char dir[4096], path[4200], out[4200];
	double runs[RUNS], t0, first;
	int64_t total = 0;
	size_t bytes = 0;

	if (argc == 6 && !strcmp(argv[1], "--export")) {
		return export_child(argv);
	}
	if (argc < 2) {
		fprintf(stderr, "usage: bench-report FORM [DB]\n");
		return 2;
	}
	if (campo_bench_tmpdir(dir, sizeof(dir))) {
		return 1;
	}
	/* argv[2]: keep the seeded database there, to look at it */
	snprintf(path, sizeof(path), "%s", argc > 2 ? argv[2] : "");
	if (argc < 3) {
		snprintf(path, sizeof(path), "%s/hub.db", dir);
	}
	snprintf(out, sizeof(out), "%s/export", dir);
	if (campo_hub_open(path, true, &hub, &diag) != CAMPO_OK) {
		fprintf(stderr, "bench-report: %s\n", diag.msg);
		return 1;
	}
	t0 = campo_bench_now_ms();
	if (seed(hub, 0, INTERVIEWS / PER_BATCH / 10)) {
		return 1;
	}
	export_run(argv[0], path, argv[1], out, "csv");
	if (seed(hub, INTERVIEWS / PER_BATCH / 10, INTERVIEWS / PER_BATCH)) {
		return 1;
	}
	printf("seeded %d interviews in %.0f ms\n", INTERVIEWS,
	       campo_bench_now_ms() - t0);
	first = report_ms(hub, &total, &bytes);
	printf("first report (indexes sector and visit_result): %.1f ms\n",
	       first);
	for (int i = 0; i < RUNS; i++) {
		runs[i] = report_ms(hub, &total, &bytes);
	}
	printf("report over %lld interviews: median %.1f ms over %d runs "
	       "(JSON %zu bytes; goal < 100 ms)\n",
	       (long long)total, campo_bench_median(runs, RUNS), RUNS, bytes);
	export_run(argv[0], path, argv[1], out, "csv");
	export_run(argv[0], path, argv[1], out, "json");
	campo_hub_close(hub);
	campo_file_remove_tree(dir);
	return total == INTERVIEWS ? 0 : 1;
}
