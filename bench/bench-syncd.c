/* SPDX-License-Identifier: MIT */
/* campo-syncd's peak memory and time sending 500 census interviews to a
 * real campo-hub on loopback, in batches of 100. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "store/store.h"
#include "util/file.h"

#define INTERVIEWS 500
#define PER_BATCH 100

static const char *const hh[] = {
	"address", "sector",   "dwelling_type", "rooms",  "water",
	"power",   "phone",    "consent",	"resp",	  "hh_size",
	"tenure",  "floor",    "roof",		"walls",  "toilet",
	"cooking", "internet", "gps",		"result", "notes",
};
static const char *const mq[] = { "age",  "arrival_year", "country",   "langs",
				  "name", "relation",	  "schooling", "sex" };

/* A census interview: 20 household answers and 8 for each of 3-7
 * members, finalized. */
static int make(struct campo_store *store, unsigned i)
{
	struct campo_diag diag = { 0 };
	char id[CAMPO_STORE_ID_LEN + 1], key[96], val[96];
	struct campo_store_new_interview iv = {
		.instance_id = id,
		.form_id = "quilicura_census",
		.form_version = "2026112301",
		.form_hash =
			"sha256:9f2c1a0e5b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"
			"7c6b5a4f3e2d1c0b",
	};
	unsigned members = 3 + i % 5, m, q;
	int bad = 0;

	snprintf(id, sizeof(id), "uuid:%08x-4444-4444-8444-%012x", i, i * 7);
	bad |= campo_store_interview_create(store, &iv, &diag) != CAMPO_OK;
	for (q = 0; q < 20 && !bad; q++) {
		snprintf(key, sizeof(key), "household/%s", hh[q]);
		snprintf(val, sizeof(val), q ? "%u" : "Pasaje Los Aromos %u",
			 q ? (i * 31 + q * 7) % 9 + 1 : 1000 + i);
		bad |= campo_store_answer_save(store, id, key, val, strlen(val),
					       &diag) != CAMPO_OK;
	}
	snprintf(key, sizeof(key), "household/member[%u]", members);
	bad |= campo_store_repeat_add(store, id, key, &diag) != CAMPO_OK;
	for (m = 1; m <= members && !bad; m++) {
		for (q = 0; q < 8 && !bad; q++) {
			snprintf(key, sizeof(key), "household/member[%u]/%s", m,
				 mq[q]);
			snprintf(val, sizeof(val), "%u", (i + m * 13 + q) % 90);
			bad |= campo_store_answer_save(store, id, key, val,
						       strlen(val),
						       &diag) != CAMPO_OK;
		}
	}
	bad |= campo_store_interview_finalize(store, id, NULL, &diag) !=
	       CAMPO_OK;
	if (bad) {
		fprintf(stderr, "bench-syncd: %s\n", diag.msg);
	}
	return bad ? -1 : 0;
}

/* Runs argv with stdout to out_path (may be NULL) in the background. */
static pid_t spawn(char *const argv[], const char *out_path)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (out_path && !freopen(out_path, "w", stdout)) {
			_exit(127);
		}
		if (!freopen("/dev/null", "w", stderr)) {
			_exit(127);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Reads the first line of path into buf, waiting up to 5 s for it. */
static int first_line(const char *path, char *buf, size_t n)
{
	int i;

	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			char *ok = fgets(buf, (int)n, f);

			fclose(f);
			if (ok && strchr(buf, '\n')) {
				*strchr(buf, '\n') = '\0';
				return 0;
			}
		}
		usleep(10000);
	}
	return -1;
}

/* Runs syncd --once with conf; its peak RSS (MB) and time (ms). */
static int run_syncd(char *syncd, char *conf, double *mb, double *ms)
{
	char *argv[] = { syncd, (char *)(uintptr_t) "--once",
			 (char *)(uintptr_t) "--config", conf, NULL };
	struct rusage ru;
	double t0 = campo_bench_now_ms();
	pid_t pid = spawn(argv, NULL);
	int st = 0;

	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid) {
		return -1;
	}
	*ms = campo_bench_now_ms() - t0;
	*mb = (double)ru.ru_maxrss / 1024.0;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct campo_diag diag = { 0 };
	struct campo_store *store = NULL;
	char dir[4096], db[4200], hubdb[4200], out[4200], tok[4200], conf[4200],
		addr[128], text[16384];
	double mb = 0, ms = 0, idle_mb = 0, idle_ms = 0, t0;
	pid_t hub = -1;
	unsigned i;
	int rc = 1, st;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-syncd CAMPO_HUB CAMPO_SYNCD\n");
		return 2;
	}
	setenv("NO_PROXY", "*", 1);
	if (campo_bench_tmpdir(dir, sizeof(dir))) {
		return 1;
	}
	snprintf(db, sizeof(db), "%s/dev.db", dir);
	snprintf(hubdb, sizeof(hubdb), "%s/hub.db", dir);
	snprintf(out, sizeof(out), "%s/hub.out", dir);
	snprintf(tok, sizeof(tok), "%s/token", dir);
	snprintf(conf, sizeof(conf), "%s/syncd.conf", dir);
	if (campo_store_open(db, 0, &store, &diag) != CAMPO_OK) {
		fprintf(stderr, "bench-syncd: %s\n", diag.msg);
		goto out_remove;
	}
	t0 = campo_bench_now_ms();
	for (i = 0; i < INTERVIEWS; i++) {
		if (make(store, i)) {
			campo_store_close(store);
			goto out_remove;
		}
	}
	campo_store_close(store);
	fprintf(stderr, "bench-syncd: %u interviews made in %.0f ms\n",
		INTERVIEWS, campo_bench_now_ms() - t0);
	{
		char *add[] = { argv[1],
				(char *)(uintptr_t) "device",
				(char *)(uintptr_t) "add",
				(char *)(uintptr_t) "bench",
				(char *)(uintptr_t) "--db",
				hubdb,
				NULL };
		pid_t p = spawn(add, tok);

		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0) {
			fprintf(stderr, "bench-syncd: device add failed\n");
			goto out_remove;
		}
	}
	{
		char *serve[] = { argv[1],
				  (char *)(uintptr_t) "serve",
				  (char *)(uintptr_t) "--db",
				  hubdb,
				  (char *)(uintptr_t) "--listen",
				  (char *)(uintptr_t) "127.0.0.1:0",
				  NULL };

		hub = spawn(serve, out);
	}
	if (hub < 0 || first_line(out, addr, sizeof(addr))) {
		fprintf(stderr, "bench-syncd: the hub did not start\n");
		goto out_kill;
	}
	snprintf(text, sizeof(text),
		 "hub = http://%s\ntoken_file = %s\ndb = %s\n"
		 "batch_interviews = %u\n",
		 addr, tok, db, PER_BATCH);
	if (campo_file_write_atomic(conf, text, strlen(text), &diag) !=
	    CAMPO_OK) {
		fprintf(stderr, "bench-syncd: %s\n", diag.msg);
		goto out_kill;
	}
	if (run_syncd(argv[2], conf, &mb, &ms) ||
	    run_syncd(argv[2], conf, &idle_mb, &idle_ms)) {
		fprintf(stderr, "bench-syncd: campo-syncd --once failed\n");
		goto out_kill;
	}
	printf("syncd: %u census interviews in %u batches of %u to a "
	       "loopback hub in %.0f ms, peak memory %.1f MB\n",
	       INTERVIEWS, INTERVIEWS / PER_BATCH, PER_BATCH, ms, mb);
	printf("syncd: a pass with nothing waiting %.0f ms, peak memory "
	       "%.1f MB\n",
	       idle_ms, idle_mb);
	rc = 0;
out_kill:
	if (hub > 0) {
		kill(hub, SIGTERM);
		waitpid(hub, &st, 0);
	}
out_remove:
	campo_file_remove_tree(dir);
	return rc;
}
