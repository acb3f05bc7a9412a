/* SPDX-License-Identifier: MIT */
/* Test helper: writes a gzip batch of made-up census interviews. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/file.h"
#include "wire/wire.h"

/*
 * make-batch OUT BATCH_ID FORM_ID FORM_VERSION N [FIRST [VARIANT]]
 * Interviews FIRST..FIRST+N-1 (instance ids derived from the number, so
 * two batches can carry the same interview); VARIANT changes an answer,
 * so the same instance id comes with other content.
 */
static char *xs(const char *s)
{
	char *p = campo_strdup(s);

	if (!p) {
		exit(1);
	}
	return p;
}

static void make(struct campo_wire_interview *iv, unsigned i, const char *form,
		 const char *version, unsigned variant)
{
	char buf[128];

	memset(iv, 0, sizeof(*iv));
	snprintf(buf, sizeof(buf), "uuid:%08x-3333-4333-8333-333333333333", i);
	iv->instance_id = xs(buf);
	iv->deprecated_id = xs("");
	iv->revision = 1;
	iv->form_id = xs(form);
	iv->form_version = xs(version);
	iv->form_hash = xs("sha256:test");
	iv->enumerator = xs("AB1");
	iv->device_id = xs("d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11");
	iv->status = xs("finalized");
	iv->instance_name = xs("");
	iv->language = xs("es");
	iv->started_at = xs("2026-11-25T08:00:00.000Z");
	iv->finalized_at = xs("2026-11-25T08:10:00.000Z");
	iv->finalized_ms = 600000;
	iv->answers = campo_calloc(2, sizeof(*iv->answers));
	iv->answers[0].key = xs("household/member[1]/age");
	snprintf(buf, sizeof(buf), "%u", 30 + variant);
	iv->answers[0].value = xs(buf);
	iv->answers[1].key = xs("sector");
	iv->answers[1].value = xs("3");
	iv->n_answers = 2;
	iv->repeats = campo_calloc(1, sizeof(*iv->repeats));
	iv->repeats[0].key = xs("household/member");
	iv->repeats[0].count = 1;
	iv->n_repeats = 1;
	iv->content_hash = calloc(1, CAMPO_WIRE_HASH_LEN + 1);
	campo_wire_content_hash(iv, iv->content_hash);
}

int main(int argc, char **argv)
{
	struct campo_wire_batch b = { 0 };
	struct campo_diag diag = { 0 };
	struct campo_buf gz;
	unsigned n, first, variant, i;

	if (argc < 6) {
		fprintf(stderr, "usage: make-batch OUT BATCH_ID FORM_ID "
				"VERSION N [FIRST [VARIANT]]\n");
		return 2;
	}
	n = (unsigned)strtoul(argv[5], NULL, 10);
	first = argc > 6 ? (unsigned)strtoul(argv[6], NULL, 10) : 0;
	variant = argc > 7 ? (unsigned)strtoul(argv[7], NULL, 10) : 0;
	b.batch_id = argv[2];
	b.device_id = "d3b07384-d113-4ec6-a8a0-9b4d2e1f0a11";
	b.created_at = "2026-11-25T09:00:00.000Z";
	b.interviews = campo_calloc(n ? n : 1, sizeof(*b.interviews));
	for (i = 0; i < n; i++) {
		make(&b.interviews[i], first + i, argv[3], argv[4], variant);
	}
	b.n_interviews = n;
	campo_buf_init(&gz, CAMPO_WIRE_COMPRESSED_MAX);
	if (campo_wire_batch_encode(&b, 6, &gz, &diag) != CAMPO_OK ||
	    campo_file_write_atomic(argv[1], gz.data, gz.len, &diag) !=
		    CAMPO_OK) {
		fprintf(stderr, "make-batch: %s\n", diag.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		campo_wire_interview_release(&b.interviews[i]);
	}
	free(b.interviews);
	campo_buf_release(&gz);
	return 0;
}
