/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes parsed as the hub's messages to a device;
 * all or nothing, and what parses keeps the promises of wire.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
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
	struct campo_wire_messages m;
	struct campo_diag diag;
	/* the first byte chooses the seq the device has already applied */
	int64_t after = size ? data[0] % 4 : 0;
	enum campo_status status;

	campo_diag_init(&diag);
	status = campo_wire_messages_parse((const char *)data, size, after, &m,
					   &diag);
	if (status != CAMPO_OK) {
		must(m.n == 0 && m.items == NULL);
		must(diag.msg[0] != '\0');
		return 0;
	}
	for (size_t i = 0; i < m.n; i++) {
		const struct campo_wire_message *x = &m.items[i];

		must(x->seq > after);
		must(i == 0 || x->seq > m.items[i - 1].seq);
		must(x->type != NULL);
		if (!strcmp(x->type, CAMPO_WIRE_MESSAGE_RETURN)) {
			must(x->instance_id && x->note && x->at);
			must(strlen(x->note) <= CAMPO_WIRE_NOTE_MAX);
			must(campo_utf8_valid(x->note, strlen(x->note)));
		}
	}
	campo_wire_messages_release(&m);
	return 0;
}
