/* SPDX-License-Identifier: MIT */
/* Expression evaluation (not yet: compile lands first). */
#include <string.h>

#include "form/expr-internal.h"

void campo_eval_init(struct campo_eval *ev, const struct campo_instance *data)
{
	memset(ev, 0, sizeof(*ev));
	ev->data = data;
	ev->field = -1;
	ev->list = -1;
}

void campo_eval_release(struct campo_eval *ev)
{
	(void)ev;
}

enum campo_status campo_expr_eval_text(const struct campo_expr *e,
				       struct campo_eval *ev,
				       struct campo_buf *out,
				       struct campo_diag *diag)
{
	(void)e;
	(void)ev;
	(void)out;
	return campo_diag_set(diag, CAMPO_ERR_INVALID, "not implemented");
}

enum campo_status campo_expr_eval_bool(const struct campo_expr *e,
				       struct campo_eval *ev, bool *out,
				       struct campo_diag *diag)
{
	(void)e;
	(void)ev;
	*out = false;
	return campo_diag_set(diag, CAMPO_ERR_INVALID, "not implemented");
}
