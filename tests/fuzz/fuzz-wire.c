/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes decoded as a batch (gunzipped when they
 * start with the gzip magic, else parsed as JSON) and as an
 * acknowledgement; a batch that decodes must encode and decode again to
 * the same JSON. Never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int ok)
{
	if (!ok) {
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct campo_wire_limits lim;
	struct campo_wire_batch *b = NULL, *again = NULL;
	struct campo_wire_ack ack;
	struct campo_diag diag;
	struct campo_buf j1, j2, gz;
	enum campo_status status;

	campo_wire_limits_default(&lim);
	lim.inflated_max = 4u << 20; /* keep each run small */
	campo_diag_init(&diag);
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		status = campo_wire_batch_decode(data, size, &lim, &b, &diag);
	} else {
		status = campo_wire_batch_parse((const char *)data, size, &lim,
						&b, &diag);
	}
	must(status == CAMPO_OK ? b != NULL : b == NULL);
	if (b) {
		campo_buf_init(&j1, 64u << 20);
		campo_buf_init(&j2, 64u << 20);
		campo_buf_init(&gz, 64u << 20);
		must(campo_wire_batch_json(b, &j1, &diag) == CAMPO_OK);
		must(campo_wire_batch_encode(b, 1, &gz, &diag) == CAMPO_OK);
		must(campo_wire_batch_decode(gz.data, gz.len, NULL, &again,
					     &diag) == CAMPO_OK);
		must(campo_wire_batch_json(again, &j2, &diag) == CAMPO_OK);
		must(j1.len == j2.len && !memcmp(j1.data, j2.data, j1.len));
		campo_wire_batch_free(again);
		campo_buf_release(&j1);
		campo_buf_release(&j2);
		campo_buf_release(&gz);
		campo_wire_batch_free(b);
	}
	if (campo_wire_ack_parse((const char *)data, size, &ack, &diag) ==
	    CAMPO_OK) {
		campo_wire_ack_release(&ack);
	}
	return 0;
}
