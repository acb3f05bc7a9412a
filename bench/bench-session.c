/* SPDX-License-Identifier: MIT */
/* Benchmark: answer-to-next-question time on roster member 1 and 15. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "form/form-load.h"
#include "session.h"
#include "store/store.h"
#include "util/file.h"

#define MEMBERS 15
#define MAX_STEPS 64

struct step {
	const char *name;
	const char *value; /* NULL: just go on */
};

/* An adult member born abroad: the longest path through the roster. */
static const struct step member[] = {
	{ "m_name", "Persona" },
	{ "sex", "female" },
	{ "dob_known", "no" },
	{ "age_reported", "40" },
	{ "relationship", NULL },
	{ "country_birth", "HTI" },
	{ "nationality", "HTI" },
	{ "arrival_year", "2019" },
	{ "first_region", "RM" },
	{ "first_comuna", NULL },
	{ "migratory_status", "temporary" },
	{ "id_document", "passport" },
	{ "languages_spoken", "ht es" },
	{ "spanish_level", "some" },
	{ "attends_school", "no" },
	{ "education_level", "secondary" },
	{ "education_complete", "yes" },
	{ "worked_last_week", "yes" },
	{ "occupation", "Cocinera" },
	{ "work_sector", "hospitality" },
	{ "work_contract", "verbal" },
	{ "health_insurance", "fonasa" },
	{ "wg_seeing", "none" },
	{ "wg_hearing", "none" },
	{ "wg_walking", "none" },
	{ "wg_cognition", "none" },
	{ "wg_selfcare", "none" },
	{ "wg_communication", "none" },
};

static const char *cur(struct campo_session *s)
{
	struct campo_session_question q;

	if (campo_session_question(s, &q) != CAMPO_OK ||
	    q.kind != CAMPO_SESSION_QUESTION) {
		return "";
	}
	return q.field->name;
}

/* Answers then moves on; returns the microseconds it took, or -1. */
static double step(struct campo_session *s, const char *name, const char *value)
{
	double t0;

	while (strcmp(cur(s), name) != 0) {
		if (campo_session_next(s, NULL) != CAMPO_OK) {
			fprintf(stderr, "bench-session: stuck before %s: %s\n",
				name, campo_session_message(s));
			return -1;
		}
	}
	t0 = campo_bench_now_ms();
	if (value &&
	    campo_session_answer(s, value, strlen(value), NULL) != CAMPO_OK) {
		fprintf(stderr, "bench-session: %s=%s: %s\n", name, value,
			campo_session_message(s));
		return -1;
	}
	if (campo_session_next(s, NULL) != CAMPO_OK) {
		fprintf(stderr, "bench-session: next after %s: %s\n", name,
			campo_session_message(s));
		return -1;
	}
	return (campo_bench_now_ms() - t0) * 1e3;
}

int main(int argc, char **argv)
{
	static const struct step head[] = {
		{ "enumerator", "AB12" },
		{ "interview_date", NULL },
		{ "sector", "s01" },
		{ "block", "7" },
		{ "address", "Pasaje 1 #2" },
		{ "visit_no", NULL },
		{ "visit_result", "completed" },
		{ "interview_language", NULL },
		{ "consent", "yes" },
		{ "respondent_name", "Rosa" },
		{ "respondent_age", "40" },
		{ "hh_size", "15" },
	};
	char tmpl[4096], db[4200], form_path[4096];
	struct campo_store *store = NULL;
	struct campo_form *form = NULL;
	struct campo_session *s = NULL;
	struct campo_diag diag;
	double lat[MEMBERS][MAX_STEPS], total[MEMBERS];
	size_t n = sizeof(member) / sizeof(member[0]);
	int rc = 1;

	campo_diag_init(&diag);
	snprintf(form_path, sizeof(form_path), "%s",
		 argc > 1 ? argv[1] : "forms/quilicura-census.json");
	if (campo_bench_tmpdir(tmpl, sizeof(tmpl))) {
		return 1;
	}
	snprintf(db, sizeof(db), "%s/collector.db", tmpl);
	if (campo_form_load_file(form_path, &form, NULL) != CAMPO_OK ||
	    campo_store_open(db, 0, &store, &diag) != CAMPO_OK ||
	    campo_session_start(store, form, NULL, &s, &diag) != CAMPO_OK) {
		fprintf(stderr, "bench-session: cannot start: %s\n", diag.msg);
		goto out;
	}
	for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
		if (step(s, head[i].name, head[i].value) < 0) {
			goto out;
		}
	}
	for (size_t m = 0; m < MEMBERS; m++) {
		total[m] = 0;
		for (size_t i = 0; i < n; i++) {
			const char *v = member[i].value;

			if (m > 0 &&
			    strcmp(member[i].name, "relationship") == 0) {
				v = "sibling";
			}
			lat[m][i] = step(s, member[i].name, v);
			if (lat[m][i] < 0) {
				goto out;
			}
			total[m] += lat[m][i];
		}
	}
	printf("database: %s (an answer syncs, the move after it does "
	       "not)\n",
	       db);
	printf("answer + next, median over %zu questions:\n", n);
	printf("  member  1: %8.1f us  (%.0f answers/s)\n",
	       campo_bench_median(lat[0], n), 1e6 * (double)n / total[0]);
	printf("  member 15: %8.1f us  (%.0f answers/s)\n",
	       campo_bench_median(lat[MEMBERS - 1], n),
	       1e6 * (double)n / total[MEMBERS - 1]);
	for (size_t i = 0; i < n; i++) {
		if (lat[MEMBERS - 1][i] > 2 * lat[0][i] + 100) {
			printf("  slower on member 15: %s %.0f us (member 1: "
			       "%.0f us)\n",
			       member[i].name, lat[MEMBERS - 1][i], lat[0][i]);
		}
	}
	printf("peak memory: %.1f MB\n", campo_bench_peak_rss_mb());
	rc = 0;

out:
	campo_session_free(s);
	campo_store_close(store);
	campo_form_free(form);
	campo_file_remove_tree(tmpl);
	return rc;
}
