/* SPDX-License-Identifier: MIT */
/* Fuzz target: arbitrary bytes compiled as an expression (as a question's
 * constraint inside a repeat, and as a choice_filter) and, when they
 * compile, evaluated over a small interview: never a crash or a leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr.h"
#include "form/form.h"
#include "form/instance.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fixture {
	struct campo_form *form;
	struct campo_instance *inst;
	struct campo_inode *member2;
	int32_t m_age, list;
};

static void must(int ok)
{
	if (!ok) {
		abort();
	}
}

static uint32_t field(struct campo_form *form, int32_t parent, const char *name,
		      enum campo_type type)
{
	uint32_t out;

	must(campo_form_field_add(form, parent, name, strlen(name), type,
				  &out) == CAMPO_OK);
	return out;
}

/* A list "things" (tv, radio) with labels and a "region" column. */
static int32_t things(struct campo_form *form)
{
	static const char *const names[] = { "tv", "radio" };
	static const char *const labels[] = { "TV", "Radio" };
	static const char *const regions[] = { "GA", "AS" };
	struct campo_choice_list *l;
	size_t idx;

	must(campo_form_list_add(form, "things", 6, &idx) == CAMPO_OK);
	l = &form->lists[idx];
	l->columns = campo_calloc(1, sizeof(*l->columns));
	l->choices = campo_calloc(2, sizeof(*l->choices));
	must(l->columns && l->choices);
	l->columns[0] = campo_strdup("region");
	l->n_columns = 1;
	l->n_choices = 2;
	for (size_t i = 0; i < 2; i++) {
		struct campo_choice *c = &l->choices[i];

		c->name = campo_strdup(names[i]);
		c->label.text = campo_calloc(1, sizeof(char *));
		c->values = campo_calloc(1, sizeof(char *));
		must(c->name && c->label.text && c->values);
		c->label.text[0] = campo_strdup(labels[i]);
		c->values[0] = campo_strdup(regions[i]);
		must(c->label.text[0] && c->values[0]);
	}
	return (int32_t)idx;
}

static void set(struct campo_inode *node, uint32_t f, const char *v)
{
	must(campo_inode_set(node, f, v, strlen(v)) == CAMPO_OK);
}

static const struct fixture *fixture(void)
{
	static struct fixture fx;
	struct campo_inode *root, *m, *v;
	uint32_t age, name, dob, assets, member, m_age, rel, visit, v_date;
	size_t lang;

	if (fx.form) {
		return &fx;
	}
	fx.form = campo_form_new();
	must(fx.form != NULL);
	must(campo_form_language_add(fx.form, "en", &lang) == CAMPO_OK);
	age = field(fx.form, -1, "age", CAMPO_TYPE_INTEGER);
	name = field(fx.form, -1, "name", CAMPO_TYPE_TEXT);
	dob = field(fx.form, -1, "dob", CAMPO_TYPE_DATE);
	assets = field(fx.form, -1, "assets", CAMPO_TYPE_SELECT_MULTIPLE);
	member = field(fx.form, -1, "member", CAMPO_TYPE_REPEAT);
	m_age = field(fx.form, (int32_t)member, "m_age", CAMPO_TYPE_INTEGER);
	rel = field(fx.form, (int32_t)member, "rel", CAMPO_TYPE_TEXT);
	visit = field(fx.form, (int32_t)member, "visit", CAMPO_TYPE_REPEAT);
	v_date = field(fx.form, (int32_t)visit, "v_date", CAMPO_TYPE_DATE);
	fx.list = things(fx.form);
	fx.form->fields[assets].list = fx.list;
	fx.m_age = (int32_t)m_age;

	fx.inst = campo_instance_new(fx.form);
	must(fx.inst != NULL);
	root = campo_instance_root(fx.inst);
	set(root, age, "34");
	set(root, name, "Ama Mensah");
	set(root, dob, "1990-05-17");
	set(root, assets, "tv radio");
	for (int i = 0; i < 3; i++) {
		static const char *const ages[] = { "45", "", "7" };

		must(campo_inode_add(root, member, &m) == CAMPO_OK);
		set(m, m_age, ages[i]);
		set(m, rel, i ? "child" : "head");
		must(campo_inode_add(m, visit, &v) == CAMPO_OK);
		set(v, v_date, "2024-06-01");
		if (i == 1) {
			fx.member2 = m;
		}
	}
	return &fx;
}

static void run(const struct fixture *fx, const char *src, size_t len,
		int32_t context, int32_t list)
{
	struct campo_expr *e = NULL;
	struct campo_diag diag;
	struct campo_eval ev;
	struct campo_buf out;
	bool b;

	campo_diag_init(&diag);
	if (campo_expr_compile(fx->form, context, list, src, len, &e, &diag)) {
		must(e == NULL && diag.msg[0] != '\0');
		return;
	}
	campo_eval_init(&ev, fx->inst);
	ev.node = fx->member2;
	ev.field = context;
	ev.list = list;
	ev.choice = 1;
	ev.now_ms = 1718447400000LL;
	campo_buf_init(&out, 1u << 20);
	(void)campo_expr_eval_text(e, &ev, &out, &diag);
	(void)campo_expr_eval_bool(e, &ev, &b, &diag);
	campo_buf_release(&out);
	campo_eval_release(&ev);
	campo_expr_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct fixture *fx = fixture();
	char *src = campo_strndup((const char *)data, size);

	if (!src) {
		return 0;
	}
	run(fx, src, size, fx->m_age, -1);
	run(fx, src, size, -1, fx->list);
	free(src);
	return 0;
}
