/* SPDX-License-Identifier: MIT */
/* Benchmark: the form runner's start-up to its first frame, and its peak
 * memory, with the census form and 1,000 interviews in the database. */
#define _XOPEN_SOURCE 700 /* posix_openpt, grantpt, unlockpt, ptsname */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "bench.h"
#include "store/store.h"
#include "util/file.h"

#define INTERVIEWS 1000
#define DRAFTS 40 /* the rest are finalized, waiting to sync */
#define RUNS 9

/* A household's worth of answers, the same in each interview. */
static const char *const answers[][2] = {
	{ "identification/enumerator", "QC07" },
	{ "identification/interview_date", "2026-11-20" },
	{ "identification/sector", "s03" },
	{ "identification/block", "112" },
	{ "identification/address", "Pasaje Los Aromos 1450" },
	{ "identification/visit_no", "1" },
	{ "identification/visit_result", "completed" },
	{ "consent_section/interview_language", "es" },
	{ "consent_section/consent", "yes" },
	{ "household/respondent_name", "Jean Pierre" },
	{ "household/respondent_age", "40" },
	{ "household/hh_size", "3" },
	{ "member[1]/m_name", "Jean Pierre" },
	{ "member[1]/sex", "male" },
	{ "member[1]/country_birth", "HTI" },
	{ "member[1]/nationality", "HTI" },
	{ "member[1]/id_document", "passport origin_id" },
	{ "member[2]/m_name", "Marie Joseph" },
	{ "member[2]/sex", "female" },
	{ "member[2]/country_birth", "HTI" },
	{ "member[3]/m_name", "Sofía Pierre" },
	{ "member[3]/country_birth", "CHL" },
	{ "housing/dwelling_type", "house" },
	{ "housing/services", "water sewer electricity" },
	{ "migration/needs", "papers work housing" },
	{ "closing/recontact", "no" },
};

/* Fills the database at path; 0 or -1 after saying why. */
static int fill(const char *path)
{
	struct campo_store_new_interview iv = {
		.form_id = "quilicura_census",
		.form_version = "2026112301",
		.form_hash = "",
	};
	char id[CAMPO_STORE_ID_LEN + 1], name[64];
	struct campo_store *s = NULL;
	struct campo_diag d;
	int rc = -1;

	campo_diag_init(&d);
	if (campo_store_open(path, 0, &s, &d) != CAMPO_OK ||
	    campo_store_device_set(s, "laptop-07", "María Pérez", "MP01", &d) !=
		    CAMPO_OK) {
		goto out;
	}
	for (int i = 0; i < INTERVIEWS; i++) {
		if (campo_store_instance_id_new(id) != CAMPO_OK) {
			goto out;
		}
		iv.instance_id = id;
		snprintf(name, sizeof(name), "s03 Pasaje %d (completed)", i);
		iv.instance_name = name;
		if (campo_store_interview_create(s, &iv, &d) != CAMPO_OK ||
		    campo_store_repeat_add(s, id, "member[3]", &d) !=
			    CAMPO_OK) {
			goto out;
		}
		for (size_t a = 0; a < sizeof(answers) / sizeof(answers[0]);
		     a++) {
			if (campo_store_answer_save(
				    s, id, answers[a][0], answers[a][1],
				    strlen(answers[a][1]), &d) != CAMPO_OK) {
				goto out;
			}
		}
		if (i >= DRAFTS && campo_store_interview_finalize(
					   s, id, NULL, &d) != CAMPO_OK) {
			goto out;
		}
	}
	rc = 0;
out:
	if (rc) {
		fprintf(stderr, "bench-tui: cannot fill '%s': %s\n", path,
			d.msg);
	}
	campo_store_close(s);
	return rc;
}

/* The child: an 80x25 pseudo-terminal as its terminal, then the runner. */
static void child(const char *slave, char **argv)
{
	struct winsize ws = { .ws_row = 25, .ws_col = 80 };
	int fd;

	setsid();
	fd = open(slave, O_RDWR);
	if (fd < 0) {
		_exit(126);
	}
	ioctl(fd, TIOCSCTTY, 0);
	ioctl(fd, TIOCSWINSZ, &ws);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2) {
		close(fd);
	}
	setenv("TERM", "xterm-256color", 1);
	setenv("CAMPO_TUI_FIRST_FRAME_EXIT", "1", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	execv(argv[0], argv);
	_exit(127);
}

/*
 * One start: exec to exit after the first frame (a bound from above on
 * exec to first frame). *ms and *rss_mb get the figures; 0 or -1.
 */
static int start_once(char **argv, double *ms, double *rss_mb)
{
	struct rusage ru;
	static char out[1 << 16];
	size_t len = 0;
	char *slave;
	int master, wstatus = 0;
	double t0;
	pid_t pid;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) ||
	    !(slave = ptsname(master))) {
		perror("bench-tui: pseudo-terminal");
		return -1;
	}
	t0 = campo_bench_now_ms();
	pid = fork();
	if (pid < 0) {
		perror("bench-tui: fork");
		close(master);
		return -1;
	}
	if (pid == 0) {
		close(master);
		child(slave, argv);
	}
	/* drain the frame so the child never blocks on a full terminal;
	 * EIO once the child's side is closed */
	for (;;) {
		char buf[4096];
		ssize_t n = read(master, buf, sizeof(buf));

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		if (len + (size_t)n < sizeof(out)) {
			memcpy(out + len, buf, (size_t)n);
			len += (size_t)n;
		}
	}
	if (wait4(pid, &wstatus, 0, &ru) < 0) {
		perror("bench-tui: wait4");
		close(master);
		return -1;
	}
	*ms = campo_bench_now_ms() - t0;
	close(master);
	if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
		fprintf(stderr, "bench-tui: the runner failed (status %d)\n",
			wstatus);
		return -1;
	}
	out[len] = '\0';
	if (!strstr(out, "por sincronizar")) {
		fprintf(stderr, "bench-tui: the first frame is not the home "
				"screen\n");
		return -1;
	}
	*rss_mb = (double)ru.ru_maxrss / 1024.0;
	return 0;
}

int main(int argc, char **argv)
{
	char dir[4096], db[4200];
	char *args[7];
	double ms[RUNS], rss[RUNS], t0;
	int rc = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-tui CAMPO-COLLECTOR FORM\n");
		return 2;
	}
	if (campo_bench_tmpdir(dir, sizeof(dir))) {
		return 1;
	}
	snprintf(db, sizeof(db), "%s/collector.db", dir);
	t0 = campo_bench_now_ms();
	if (fill(db)) {
		goto out;
	}
	printf("database: %d interviews (%d drafts) in %.1f s\n", INTERVIEWS,
	       DRAFTS, (campo_bench_now_ms() - t0) / 1e3);
	args[0] = argv[1];
	args[1] = "run";
	args[2] = "--db";
	args[3] = db;
	args[4] = "--form";
	args[5] = argv[2];
	args[6] = NULL;
	for (int i = 0; i < RUNS; i++) {
		if (start_once(args, &ms[i], &rss[i])) {
			goto out;
		}
	}
	printf("start to the home screen's first frame, median of %d: "
	       "%.1f ms (goal < 100)\n",
	       RUNS, campo_bench_median(ms, RUNS));
	printf("peak memory of the runner, median of %d: %.1f MB (goal < "
	       "16)\n",
	       RUNS, campo_bench_median(rss, RUNS));
	rc = 0;
out:
	campo_file_remove_tree(dir);
	return rc;
}
