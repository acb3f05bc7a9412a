/* SPDX-License-Identifier: MIT */
/* The scheduler: passes, backoff while offline, waking on a new entry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "syncd.h"

static volatile sig_atomic_t stop_flag;
static volatile sig_atomic_t wake_flag;

static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void on_wake(int sig)
{
	(void)sig;
	wake_flag = 1;
}

/* No SA_RESTART: a signal cuts the sleep short. */
static void catch_signals(void)
{
	struct sigaction stop = { .sa_handler = on_stop };
	struct sigaction wake = { .sa_handler = on_wake };
	struct sigaction ign = { .sa_handler = SIG_IGN };

	sigemptyset(&stop.sa_mask);
	sigemptyset(&wake.sa_mask);
	sigemptyset(&ign.sa_mask);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGUSR1, &wake, NULL);
	sigaction(SIGPIPE, &ign, NULL);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1000),
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	/* EINTR (a signal) ends the nap early, as wanted */
	nanosleep(&ts, NULL);
}

/* Whether an outbox entry newer than max_seq appeared; looks only when
 * another connection committed since the last look (PRAGMA data_version),
 * so an idle database costs no query. */
static bool new_entry(struct campo_store *store, uint64_t *version,
		      int64_t max_seq)
{
	struct syncd_waiting w;
	uint64_t v;

	if (campo_store_data_version(store, &v, NULL) != CAMPO_OK ||
	    v == *version) {
		return false;
	}
	*version = v;
	/* every answer the enumerator saves is a commit: only a new outbox
	 * entry (a finalize) is worth a pass while backing off */
	return syncd_waiting(store, &w, NULL) == CAMPO_OK &&
	       w.max_seq > max_seq;
}

/* Waits up to ms, or until stopped, woken by SIGUSR1 or a new entry. */
static void wait_for(struct campo_store *store, const struct syncd_config *cfg,
		     uint64_t ms, int64_t max_seq)
{
	uint64_t end = now_ms() + ms, version = 0, t;

	campo_store_data_version(store, &version, NULL);
	while (!stop_flag && !wake_flag && (t = now_ms()) < end) {
		sleep_ms(end - t < cfg->poll_ms ? end - t : cfg->poll_ms);
		if (!stop_flag && !wake_flag &&
		    new_entry(store, &version, max_seq)) {
			break;
		}
	}
	wake_flag = 0;
}

int syncd_run(const struct syncd_config *cfg, bool once)
{
	struct campo_diag diag = { 0 };
	struct campo_store *store = NULL;
	struct syncd_http *http = NULL;
	enum syncd_outcome outcome;
	unsigned attempt = 0;
	int rc = 0;

	catch_signals();
	if (campo_store_open(cfg->db, CAMPO_STORE_NOCREATE, &store, &diag) !=
	    CAMPO_OK) {
		fprintf(stderr, "campo-syncd: cannot open '%s': %s\n", cfg->db,
			diag.msg);
		return 1;
	}
	if (!cfg->usb_dir &&
	    syncd_http_new(cfg, &stop_flag, &http, &diag) != CAMPO_OK) {
		fprintf(stderr, "campo-syncd: %s\n", diag.msg);
		campo_store_close(store);
		return 1;
	}
	while (!stop_flag) {
		struct syncd_waiting w = { 0 };
		char at[CAMPO_WIRE_TIME_LEN + 1];
		uint64_t wait, r = 0;

		/* entries that come while the pass runs are newer than
		 * this: they wake the next wait at once */
		syncd_waiting(store, &w, NULL);
		outcome = syncd_pass(store, cfg, http, &stop_flag, stderr);
		if (once || outcome == SYNCD_STOPPED) {
			/* --once promises 0 only when nothing is left; a
			 * daemon asked to stop has done as asked, even in
			 * the middle of a pass (what it left stays queued) */
			rc = outcome == SYNCD_DONE ||
					     outcome == SYNCD_NOTHING ||
					     (!once && outcome == SYNCD_STOPPED)
				     ? 0
				     : 1;
			break;
		}
		if (outcome == SYNCD_DONE || outcome == SYNCD_NOTHING) {
			attempt = 0;
			wait = cfg->idle_ms;
		} else {
			attempt += attempt < 64;
			campo_random_bytes(&r, sizeof(r));
			wait = syncd_backoff_ms(cfg->backoff_min_ms,
						cfg->backoff_max_ms, attempt,
						r);
			syncd_now_iso(at);
			fprintf(stderr, "%s backoff: retry %u in %.1f s\n", at,
				attempt, (double)wait / 1000.0);
			fflush(stderr);
		}
		wait_for(store, cfg, wait, w.max_seq);
	}
	syncd_http_free(http);
	campo_store_close(store);
	return rc;
}
