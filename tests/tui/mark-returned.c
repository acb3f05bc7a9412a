/* SPDX-License-Identifier: MIT */
/* Test helper: returns an interview as campo-syncd would on a hub's word. */
#include <stdio.h>

#include "store/store.h"

/*
 * mark-returned DB INSTANCE_ID NOTE: campo_store_interview_return() on the
 * device database DB (which must exist). Exit 0 on success, 1 otherwise
 * with the reason on stderr, 2 for usage.
 */
int main(int argc, char **argv)
{
	struct campo_store_options o = { .flags = CAMPO_STORE_NOCREATE };
	struct campo_diag diag = { 0 };
	struct campo_store *store = NULL;
	enum campo_status status;

	if (argc != 4) {
		fprintf(stderr, "usage: mark-returned DB INSTANCE_ID NOTE\n");
		return 2;
	}
	status = campo_store_open_opts(argv[1], &o, &store, &diag);
	if (status == CAMPO_OK) {
		status = campo_store_interview_return(store, argv[2], argv[3],
						      &diag);
	}
	campo_store_close(store);
	if (status != CAMPO_OK) {
		fprintf(stderr, "mark-returned: %s\n",
			diag.msg[0] ? diag.msg : campo_status_str(status));
		return 1;
	}
	return 0;
}
