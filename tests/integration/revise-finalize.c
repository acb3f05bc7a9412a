/* SPDX-License-Identifier: MIT */
/* Test helper: corrects a returned interview as the enumerator would. */
#include <stdio.h>
#include <string.h>

#include "form/form-load.h"
#include "session.h"
#include "store/store.h"

/*
 * revise-finalize DB FORM OLD_ID KEY VALUE: on device database DB, makes
 * a new revision of OLD_ID (campo_session_revise()), answers the question
 * at KEY with VALUE and finalizes it, through the same session commands
 * the terminal runs; prints the new instance id. Exit 0 on success, 1
 * otherwise with the reason on stderr, 2 for usage.
 */
int main(int argc, char **argv)
{
	struct campo_store_options o = { .flags = CAMPO_STORE_NOCREATE };
	struct campo_diag diag = { 0 };
	struct campo_store *store = NULL;
	struct campo_form *form = NULL;
	struct campo_session *s = NULL;
	enum campo_status status;
	unsigned changed = 0;
	int rc = 1;

	if (argc != 6) {
		fprintf(stderr, "usage: revise-finalize DB FORM OLD_ID KEY "
				"VALUE\n");
		return 2;
	}
	status = campo_form_load_file(argv[2], &form, NULL);
	if (status != CAMPO_OK) {
		fprintf(stderr, "revise-finalize: cannot load %s: %s\n",
			argv[2], campo_status_str(status));
		return 1;
	}
	status = campo_store_open_opts(argv[1], &o, &store, &diag);
	if (status == CAMPO_OK) {
		status = campo_session_revise(store, form, argv[3], NULL, &s,
					      &diag);
	}
	if (status == CAMPO_OK) {
		status = campo_session_answer_key(s, argv[4], argv[5],
						  strlen(argv[5]), &changed);
	}
	if (status == CAMPO_OK) {
		status = campo_session_finalize(s, &changed);
	}
	if (status == CAMPO_OK) {
		printf("%s\n", campo_session_instance_id(s));
		rc = 0;
	} else {
		fprintf(stderr, "revise-finalize: %s\n",
			diag.msg[0] ? diag.msg
			: s && campo_session_message(s)
				? campo_session_message(s)
				: campo_status_str(status));
	}
	campo_session_free(s);
	campo_store_close(store);
	campo_form_free(form);
	return rc;
}
