/* SPDX-License-Identifier: MIT */
/* Hub merge rate, and bytes per census interview: batch vs OpenRosa XML. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "store/hub.h"
#include "util/alloc.h"
#include "util/file.h"
#include "wire/wire.h"

#define PER_BATCH 100
#define BATCHES 50

static const char *const names[] = { "Jean",   "Marie",	  "Rosa",  "Luis",
				     "Wilner", "Fabiola", "Pierre" };
static const char *const countries[] = { "HT", "PE", "CO", "VE", "BO" };

static char *xs(const char *s)
{
	return campo_strdup(s);
}

/* A census interview: 20 household questions and 8 per member. */
static void make(struct campo_wire_interview *iv, unsigned i)
{
	static const char *const hh[] = {
		"address",    "sector",	     "dwelling_type", "rooms",
		"water",      "electricity", "phone",	      "consent",
		"respondent", "hh_size",     "tenure",	      "floor",
		"roof",	      "walls",	     "toilet",	      "cooking",
		"internet",   "gps",	     "visit_result",  "notes",
	};
	static const char *const mq[] = { "age",       "arrival_year",
					  "country",   "langs",
					  "name",      "relation",
					  "schooling", "sex" };
	unsigned members = 3 + i % 5, m, q, k = 0;
	char key[96], val[96];

	memset(iv, 0, sizeof(*iv));
	snprintf(key, sizeof(key), "uuid:%08x-4444-4444-8444-%012x", i, i * 7);
	iv->instance_id = xs(key);
	iv->deprecated_id = xs("");
	iv->revision = 1;
	iv->form_id = xs("quilicura_census");
	iv->form_version = xs("2026112301");
	iv->form_hash = xs("sha256:"
			   "9f2c1a0e5b7d4c3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b"
			   "5a4f3e2d1c0b");
	iv->enumerator = xs("QC07");
	iv->device_id = xs("d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11");
	iv->status = xs("finalized");
	iv->instance_name = xs("Pasaje Los Aromos 1234");
	iv->language = xs("ht");
	iv->started_at = xs("2026-11-25T14:03:12.411Z");
	iv->finalized_at = xs("2026-11-25T14:31:40.052Z");
	iv->finalized_ms = 1707641;
	iv->answers = campo_calloc(20 + 8 * members, sizeof(*iv->answers));
	for (q = 0; q < 20; q++) {
		snprintf(key, sizeof(key), "household/%s", hh[q]);
		snprintf(val, sizeof(val), "%u", (i * 31 + q * 7) % 9 + 1);
		if (q == 0) {
			snprintf(val, sizeof(val), "Pasaje Los Aromos %u",
				 1000 + i);
		}
		iv->answers[k].key = xs(key);
		iv->answers[k++].value = xs(val);
	}
	for (m = 1; m <= members; m++) {
		for (q = 0; q < 8; q++) {
			snprintf(key, sizeof(key), "household/member[%u]/%s", m,
				 mq[q]);
			if (!strcmp(mq[q], "name")) {
				snprintf(val, sizeof(val), "%s",
					 names[(i + m) % 7]);
			} else if (!strcmp(mq[q], "country")) {
				snprintf(val, sizeof(val), "%s",
					 countries[(i + m) % 5]);
			} else if (!strcmp(mq[q], "langs")) {
				snprintf(val, sizeof(val), "ht es");
			} else if (!strcmp(mq[q], "arrival_year")) {
				snprintf(val, sizeof(val), "%u",
					 2010 + (i + m) % 14);
			} else {
				snprintf(val, sizeof(val), "%u",
					 (i * 13 + m * 5 + q) % 60);
			}
			iv->answers[k].key = xs(key);
			iv->answers[k++].value = xs(val);
		}
	}
	iv->n_answers = k;
	/* sorted by key, as the store keeps them */
	for (m = 1; m < k; m++) {
		for (q = m; q > 0 && strcmp(iv->answers[q - 1].key,
					    iv->answers[q].key) > 0;
		     q--) {
			struct campo_wire_answer t = iv->answers[q];

			iv->answers[q] = iv->answers[q - 1];
			iv->answers[q - 1] = t;
		}
	}
	iv->repeats = campo_calloc(1, sizeof(*iv->repeats));
	iv->repeats[0].key = xs("household/member");
	iv->repeats[0].count = members;
	iv->n_repeats = 1;
	iv->content_hash = calloc(1, CAMPO_WIRE_HASH_LEN + 1);
	campo_wire_content_hash(iv, iv->content_hash);
}

/* One OpenRosa submission: XML with every answer as an element. */
static size_t xml_size(const struct campo_wire_interview *iv)
{
	size_t n = 0, i;
	char line[512];

	n += (size_t)snprintf(line, sizeof(line),
			      "<?xml version='1.0' ?><data "
			      "id=\"%s\" version=\"%s\" "
			      "xmlns:orx=\"http://openrosa.org/xforms\">",
			      iv->form_id, iv->form_version);
	for (i = 0; i < iv->n_answers; i++) {
		/* the element path, opened and closed */
		const char *leaf = strrchr(iv->answers[i].key, '/');

		leaf = leaf ? leaf + 1 : iv->answers[i].key;
		n += 2 * strlen(leaf) + 5 + strlen(iv->answers[i].value);
	}
	/* group and repeat wrappers, meta block */
	n += 2 * (strlen("household") + 5) +
	     iv->repeats[0].count * 2 * (strlen("member") + 5);
	n += (size_t)snprintf(
		line, sizeof(line),
		"<meta><instanceID>%s</instanceID><timeStart>%s"
		"</timeStart><timeEnd>%s</timeEnd><deviceID>%s"
		"</deviceID><username>%s</username></meta></data>",
		iv->instance_id, iv->started_at, iv->finalized_at,
		iv->device_id, iv->enumerator);
	return n;
}

static enum campo_status ack_fn(void *ctx, const enum campo_hub_outcome *o,
				size_t n, char **ack)
{
	(void)ctx;
	(void)o;
	(void)n;
	*ack = campo_strdup("{}");
	return *ack ? CAMPO_OK : CAMPO_ERR_NOMEM;
}

int main(void)
{
	struct campo_wire_batch b = { 0 };
	struct campo_hub_revision revs[PER_BATCH];
	struct campo_diag diag = { 0 };
	struct campo_buf gz, data;
	struct campo_hub *hub = NULL;
	char dir[4096], path[4200], id[40];
	double t0, ms = 0;
	size_t xml = 0, i, k;
	unsigned j;

	b.batch_id = id;
	b.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11";
	b.created_at = "2026-11-25T20:00:00.000Z";
	b.interviews = campo_calloc(PER_BATCH, sizeof(*b.interviews));
	b.n_interviews = PER_BATCH;
	if (campo_bench_tmpdir(dir, sizeof(dir))) {
		return 1;
	}
	snprintf(path, sizeof(path), "%s/hub.db", dir);
	if (campo_hub_open(path, true, &hub, &diag) != CAMPO_OK) {
		fprintf(stderr, "bench-hub: %s\n", diag.msg);
		return 1;
	}
	campo_buf_init(&gz, CAMPO_WIRE_COMPRESSED_MAX);
	campo_buf_init(&data, 1u << 20);
	for (j = 0; j < BATCHES; j++) {
		char digest[CAMPO_WIRE_HASH_LEN + 1], *ack = NULL;
		struct campo_hub_batch hb;
		bool repeat;

		snprintf(id, sizeof(id), "00000000-0000-4000-8000-%012u", j);
		for (i = 0; i < PER_BATCH; i++) {
			campo_wire_interview_release(&b.interviews[i]);
			make(&b.interviews[i], j * PER_BATCH + (unsigned)i);
		}
		if (j == 0) {
			if (campo_wire_batch_encode(&b, 6, &gz, &diag) !=
			    CAMPO_OK) {
				fprintf(stderr, "bench-hub: %s\n", diag.msg);
				return 1;
			}
			for (i = 0; i < PER_BATCH; i++) {
				xml += xml_size(&b.interviews[i]);
			}
		}
		/* what the hub does per batch after decoding */
		t0 = campo_bench_now_ms();
		for (i = 0; i < PER_BATCH; i++) {
			const struct campo_wire_interview *iv =
				&b.interviews[i];

			campo_buf_reset(&data);
			campo_wire_data_json(iv, &data, &diag);
			revs[i] = (struct campo_hub_revision){
				iv->instance_id,
				iv->deprecated_id,
				iv->revision,
				iv->device_id,
				iv->form_id,
				iv->form_version,
				iv->content_hash,
				iv->status,
				iv->enumerator,
				iv->started_at,
				iv->finalized_at,
				campo_strdup(data.data),
				NULL,
			};
		}
		campo_wire_batch_digest(&b, digest);
		hb = (struct campo_hub_batch){ id,	 "bench", b.device_id,
					       digest,	 digest,  revs,
					       PER_BATCH };
		if (campo_hub_batch_merge(hub, &hb, ack_fn, NULL, &ack, &repeat,
					  &diag) != CAMPO_OK) {
			fprintf(stderr, "bench-hub: %s\n", diag.msg);
			return 1;
		}
		ms += campo_bench_now_ms() - t0;
		free(ack);
		for (k = 0; k < PER_BATCH; k++) {
			free((char *)(uintptr_t)revs[k].data_json);
		}
	}
	printf("hub merge: %u interviews in %u batches of %u, %.0f "
	       "interviews/s (goal >= 2000)\n",
	       BATCHES * PER_BATCH, BATCHES, PER_BATCH,
	       BATCHES * PER_BATCH / (ms / 1000.0));
	printf("census interview: %.0f B in a gzip batch of %u, %.0f B as "
	       "OpenRosa XML (%.1fx less; goal >= 10x)\n",
	       (double)gz.len / PER_BATCH, PER_BATCH, (double)xml / PER_BATCH,
	       (double)xml / (double)gz.len);
	printf("peak memory: %.1f MB\n", campo_bench_peak_rss_mb());
	for (i = 0; i < PER_BATCH; i++) {
		campo_wire_interview_release(&b.interviews[i]);
	}
	free(b.interviews);
	campo_buf_release(&gz);
	campo_buf_release(&data);
	campo_hub_close(hub);
	campo_file_remove_tree(dir);
	return 0;
}
