/* SPDX-License-Identifier: MIT */
/* The expression parser and compiler: XPath 1.0 grammar (section 3) with
 * XLSForm references, resolved against the form once, at load.
 *
 *   Expr      := Or
 *   Or        := And ('or' And)*
 *   And       := Eq ('and' Eq)*
 *   Eq        := Rel (('=' | '!=') Rel)*
 *   Rel       := Add (('<' | '<=' | '>' | '>=') Add)*
 *   Add       := Mul (('+' | '-') Mul)*
 *   Mul       := Unary (('*' | 'div' | 'mod') Unary)*
 *   Unary     := '-' Unary | Union
 *   Union     := Path ('|' Path)*
 *   Path      := Filter ('/' Name)*
 *   Filter    := Primary ('[' Expr ']')*
 *   Primary   := Number | String | '(' Expr ')' | Name '(' Args ')'
 *              | '${' name '}' | '.' | '..' | Name
 *
 * Deviations: no axes, `//`, `@`, `$var` or node tests; a bare Name is a
 * question of the repeat being filtered (inside a predicate) or a column of
 * the choice row (in a choice_filter), and nothing elsewhere.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr-internal.h"
#include "util/alloc.h"

struct campo_expr_parser {
	struct campo_expr *e;
	const struct campo_form *form;
	struct campo_diag *diag;
	struct campo_expr_token tok;
	size_t pos;
	unsigned nesting;
	int32_t scope; /* the field a predicate filters, or -1 */
	size_t cap_nodes;
	size_t cap_refs;
};

#define NONE UINT32_MAX

static enum campo_status fail(struct campo_expr_parser *p, size_t pos,
			      enum campo_status status, const char *what,
			      const char *text, size_t len)
{
	int n = len > 60 ? 60 : (int)len;

	if (p->diag) {
		p->diag->column = (unsigned)pos + 1;
	}
	if (!text) {
		return campo_diag_set(p->diag, status, "%s", what);
	}
	return campo_diag_set(p->diag, status, "%s '%.*s'", what, n, text);
}

static void advance(struct campo_expr_parser *p)
{
	campo_expr_lex_next(p->e->src, p->e->len, &p->pos, &p->tok);
}

static enum campo_status unexpected(struct campo_expr_parser *p)
{
	const struct campo_expr_token *t = &p->tok;

	if (t->kind == TOK_END) {
		return fail(p, t->pos, CAMPO_ERR_PARSE,
			    "unexpected end of expression", NULL, 0);
	}
	if (t->kind == TOK_ERROR) {
		return fail(p, t->pos, CAMPO_ERR_PARSE, t->msg, NULL, 0);
	}
	if (t->kind == TOK_STRING) {
		return fail(p, t->pos, CAMPO_ERR_PARSE, "unexpected string",
			    t->text, t->len);
	}
	return fail(p, t->pos, CAMPO_ERR_PARSE, "unexpected", t->text, t->len);
}

static enum campo_status node_new(struct campo_expr_parser *p,
				  enum campo_expr_kind kind, size_t pos,
				  uint32_t *out)
{
	struct campo_expr *e = p->e;
	struct campo_expr_node *n;

	if (campo_grow((void **)&e->nodes, &p->cap_nodes, e->n_nodes + 1,
		       sizeof(*e->nodes))) {
		return CAMPO_ERR_NOMEM;
	}
	n = &e->nodes[e->n_nodes];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->pos = (uint32_t)pos;
	n->a = n->b = n->next = NONE;
	n->field = -1;
	n->regex = -1;
	n->height = 1;
	*out = e->n_nodes++;
	return CAMPO_OK;
}

static enum campo_status ref_add(struct campo_expr_parser *p, int32_t field)
{
	struct campo_expr *e = p->e;

	if (field < 0) {
		return CAMPO_OK;
	}
	if (campo_grow((void **)&e->refs, &p->cap_refs, e->n_refs + 1,
		       sizeof(*e->refs))) {
		return CAMPO_ERR_NOMEM;
	}
	e->refs[e->n_refs++] = (uint32_t)field;
	return CAMPO_OK;
}

/* Makes a binary node over a and b, checking the tree's height. */
static enum campo_status binary(struct campo_expr_parser *p,
				enum campo_expr_kind kind, size_t pos,
				uint32_t a, uint32_t b, uint32_t *out)
{
	enum campo_status status = node_new(p, kind, pos, out);
	struct campo_expr_node *n;
	uint32_t ha, hb;

	if (status) {
		return status;
	}
	n = &p->e->nodes[*out];
	n->a = a;
	n->b = b;
	ha = p->e->nodes[a].height;
	hb = b == NONE ? 0 : p->e->nodes[b].height;
	n->height = (ha > hb ? ha : hb) + 1;
	if (n->height > CAMPO_EXPR_MAX_HEIGHT) {
		return fail(p, pos, CAMPO_ERR_LIMIT,
			    "expression nested too deeply", NULL, 0);
	}
	return CAMPO_OK;
}

static bool tok_is_name(const struct campo_expr_token *t, const char *name)
{
	return t->kind == TOK_NAME && t->len == strlen(name) &&
	       !memcmp(t->text, name, t->len);
}

static enum campo_status parse_expr(struct campo_expr_parser *p, uint32_t *out);

static enum campo_status nest(struct campo_expr_parser *p)
{
	if (++p->nesting > CAMPO_EXPR_MAX_NESTING) {
		return fail(p, p->tok.pos, CAMPO_ERR_LIMIT,
			    "expression nested too deeply", NULL, 0);
	}
	return CAMPO_OK;
}

static enum campo_status parse_call(struct campo_expr_parser *p, uint32_t *out)
{
	struct campo_expr_token name = p->tok;
	int32_t f = campo_expr_func_find(name.text, name.len);
	const struct campo_expr_func *fn;
	enum campo_status status;
	uint32_t call, last = NONE, n_args = 0, height = 0;

	if (f < 0) {
		return fail(p, name.pos, CAMPO_ERR_INVALID, "unknown function",
			    name.text, name.len);
	}
	fn = &campo_expr_funcs[f];
	advance(p); /* name */
	advance(p); /* ( */
	status = node_new(p, NODE_CALL, name.pos, &call);
	if (status) {
		return status;
	}
	p->e->nodes[call].func = (uint32_t)f;
	if (p->tok.kind != TOK_RPAREN) {
		for (;;) {
			uint32_t arg;

			status = parse_expr(p, &arg);
			if (status) {
				return status;
			}
			if (last == NONE) {
				p->e->nodes[call].a = arg;
			} else {
				p->e->nodes[last].next = arg;
			}
			last = arg;
			n_args++;
			if (p->e->nodes[arg].height > height) {
				height = p->e->nodes[arg].height;
			}
			if (p->tok.kind == TOK_COMMA) {
				advance(p);
				continue;
			}
			break;
		}
	}
	if (p->tok.kind != TOK_RPAREN) {
		return p->tok.kind == TOK_END
			       ? fail(p, name.pos, CAMPO_ERR_PARSE,
				      "missing ')' after arguments to"
				      "",
				      name.text, name.len)
			       : unexpected(p);
	}
	advance(p);
	p->e->nodes[call].n_args = n_args;
	p->e->nodes[call].height = height + 1;
	if (n_args < fn->min_args || n_args > fn->max_args) {
		char msg[CAMPO_DIAG_MSG];

		if (fn->min_args == fn->max_args) {
			snprintf(msg, sizeof(msg), "%u", fn->min_args);
		} else if (fn->max_args == UINT32_MAX) {
			snprintf(msg, sizeof(msg), "at least %u", fn->min_args);
		} else {
			snprintf(msg, sizeof(msg), "%u to %u", fn->min_args,
				 fn->max_args);
		}
		if (p->diag) {
			p->diag->column = (unsigned)name.pos + 1;
		}
		return campo_diag_set(
			p->diag, CAMPO_ERR_INVALID,
			"'%s' takes %s argument%s, not %u", fn->name, msg,
			fn->max_args == 1 && fn->min_args == 1 ? "" : "s",
			n_args);
	}
	*out = call;
	return CAMPO_OK;
}

static enum campo_status parse_primary(struct campo_expr_parser *p,
				       uint32_t *out)
{
	struct campo_expr_token t = p->tok;
	const struct campo_form *form = p->form;
	enum campo_status status;
	int32_t field;

	switch (t.kind) {
	case TOK_NUMBER:
		status = node_new(p, NODE_NUM, t.pos, out);
		if (!status) {
			p->e->nodes[*out].num = t.num;
			advance(p);
		}
		return status;
	case TOK_STRING:
		status = node_new(p, NODE_STR, t.pos, out);
		if (!status) {
			p->e->nodes[*out].str = t.text;
			p->e->nodes[*out].len = t.len;
			advance(p);
		}
		return status;
	case TOK_REF:
		field = campo_form_field_find(form, t.text, t.len);
		if (field < 0) {
			return fail(p, t.pos, CAMPO_ERR_INVALID,
				    "unknown question", t.text, t.len);
		}
		status = node_new(p, NODE_REF, t.pos, out);
		if (!status) {
			p->e->nodes[*out].field = field;
			status = ref_add(p, field);
			advance(p);
		}
		return status;
	case TOK_DOT:
	case TOK_DOTDOT:
		status =
			node_new(p, t.kind == TOK_DOT ? NODE_SELF : NODE_PARENT,
				 t.pos, out);
		if (status) {
			return status;
		}
		if (p->scope < 0 && p->e->context >= 0) {
			field = p->e->context;
			if (t.kind == TOK_DOTDOT) {
				field = form->fields[field].parent;
			}
			status = ref_add(p, field);
		}
		advance(p);
		return status;
	case TOK_LPAREN:
		status = nest(p);
		if (status) {
			return status;
		}
		advance(p);
		status = parse_expr(p, out);
		if (status) {
			return status;
		}
		if (p->tok.kind != TOK_RPAREN) {
			return p->tok.kind == TOK_END
				       ? fail(p, t.pos, CAMPO_ERR_PARSE,
					      "unbalanced", "(", 1)
				       : unexpected(p);
		}
		p->nesting--;
		advance(p);
		return CAMPO_OK;
	case TOK_NAME: {
		size_t save = p->pos;
		struct campo_expr_token next;

		campo_expr_lex_next(p->e->src, p->e->len, &save, &next);
		if (next.kind == TOK_LPAREN) {
			status = nest(p);
			if (status) {
				return status;
			}
			status = parse_call(p, out);
			p->nesting--;
			return status;
		}
		if (p->scope >= 0) {
			field = campo_form_field_find(form, t.text, t.len);
			if (field < 0 ||
			    !campo_form_field_within(form, (uint32_t)field,
						     (uint32_t)p->scope)) {
				return fail(p, t.pos, CAMPO_ERR_INVALID,
					    "unknown question", t.text, t.len);
			}
			status = node_new(p, NODE_NAME, t.pos, out);
			if (!status) {
				p->e->nodes[*out].field = field;
				status = ref_add(p, field);
			}
			advance(p);
			return status;
		}
		if (p->e->list >= 0) {
			const struct campo_choice_list *l =
				&form->lists[p->e->list];

			field = INT32_MIN;
			if (t.len == 4 && !memcmp(t.text, "name", 4)) {
				field = -1;
			} else if (t.len == 5 && !memcmp(t.text, "label", 5)) {
				field = -2;
			}
			for (size_t k = 0; k < l->n_columns; k++) {
				if (strlen(l->columns[k]) == t.len &&
				    !memcmp(l->columns[k], t.text, t.len)) {
					field = (int32_t)k;
				}
			}
			if (field == INT32_MIN) {
				return fail(p, t.pos, CAMPO_ERR_INVALID,
					    "unknown choice column", t.text,
					    t.len);
			}
			status = node_new(p, NODE_COLUMN, t.pos, out);
			if (!status) {
				p->e->nodes[*out].field = field;
			}
			advance(p);
			return status;
		}
		return fail(p, t.pos, CAMPO_ERR_INVALID, "unknown name", t.text,
			    t.len);
	}
	default:
		return unexpected(p);
	}
}

static enum campo_status parse_filter(struct campo_expr_parser *p,
				      uint32_t *out)
{
	enum campo_status status = parse_primary(p, out);

	while (!status && p->tok.kind == TOK_LBRACKET) {
		const struct campo_expr_node *base = &p->e->nodes[*out];
		int32_t saved = p->scope;
		size_t pos = p->tok.pos;
		uint32_t pred, f;

		status = nest(p);
		if (status) {
			return status;
		}
		/* bare names in the predicate are the questions of the
		 * repeat (or group) being filtered */
		p->scope = -1;
		if (base->kind == NODE_REF &&
		    campo_type_info(p->form->fields[base->field].type)
			    ->container) {
			p->scope = base->field;
		}
		advance(p);
		status = parse_expr(p, &pred);
		p->scope = saved;
		if (status) {
			return status;
		}
		if (p->tok.kind != TOK_RBRACKET) {
			return p->tok.kind == TOK_END
				       ? fail(p, pos, CAMPO_ERR_PARSE,
					      "unbalanced", "[", 1)
				       : unexpected(p);
		}
		p->nesting--;
		advance(p);
		status = binary(p, NODE_FILTER, pos, *out, pred, &f);
		*out = f;
	}
	return status;
}

static enum campo_status parse_path(struct campo_expr_parser *p, uint32_t *out)
{
	enum campo_status status = parse_filter(p, out);

	while (!status && p->tok.kind == TOK_SLASH) {
		size_t pos = p->tok.pos;
		int32_t field;
		uint32_t step;

		advance(p);
		if (p->tok.kind != TOK_NAME) {
			return unexpected(p);
		}
		field = campo_form_field_find(p->form, p->tok.text, p->tok.len);
		if (field < 0) {
			return fail(p, p->tok.pos, CAMPO_ERR_INVALID,
				    "unknown question", p->tok.text,
				    p->tok.len);
		}
		status = binary(p, NODE_STEP, pos, *out, NONE, &step);
		if (status) {
			return status;
		}
		p->e->nodes[step].field = field;
		status = ref_add(p, field);
		*out = step;
		advance(p);
	}
	return status;
}

static enum campo_status parse_union(struct campo_expr_parser *p, uint32_t *out)
{
	enum campo_status status = parse_path(p, out);

	while (!status && p->tok.kind == TOK_PIPE) {
		size_t pos = p->tok.pos;
		uint32_t b;

		advance(p);
		status = parse_path(p, &b);
		if (!status) {
			status = binary(p, NODE_UNION, pos, *out, b, out);
		}
	}
	return status;
}

static enum campo_status parse_unary(struct campo_expr_parser *p, uint32_t *out)
{
	size_t pos = p->tok.pos;
	enum campo_status status;
	uint32_t a;

	if (p->tok.kind != TOK_MINUS) {
		return parse_union(p, out);
	}
	status = nest(p);
	if (status) {
		return status;
	}
	advance(p);
	status = parse_unary(p, &a);
	if (status) {
		return status;
	}
	p->nesting--;
	return binary(p, NODE_NEG, pos, a, NONE, out);
}

/* One level of left-associative binary operators. */
struct level {
	enum campo_status (*next)(struct campo_expr_parser *, uint32_t *);
	enum campo_expr_kind (*op)(const struct campo_expr_token *);
};

static enum campo_expr_kind op_mul(const struct campo_expr_token *t)
{
	if (t->kind == TOK_STAR) {
		return NODE_MUL;
	}
	if (tok_is_name(t, "div")) {
		return NODE_DIV;
	}
	if (tok_is_name(t, "mod")) {
		return NODE_MOD;
	}
	return NODE_NUM;
}

static enum campo_expr_kind op_add(const struct campo_expr_token *t)
{
	return t->kind == TOK_PLUS    ? NODE_ADD
	       : t->kind == TOK_MINUS ? NODE_SUB
				      : NODE_NUM;
}

static enum campo_expr_kind op_rel(const struct campo_expr_token *t)
{
	switch (t->kind) {
	case TOK_LT:
		return NODE_LT;
	case TOK_LE:
		return NODE_LE;
	case TOK_GT:
		return NODE_GT;
	case TOK_GE:
		return NODE_GE;
	default:
		return NODE_NUM;
	}
}

static enum campo_expr_kind op_eq(const struct campo_expr_token *t)
{
	return t->kind == TOK_EQ   ? NODE_EQ
	       : t->kind == TOK_NE ? NODE_NE
				   : NODE_NUM;
}

static enum campo_expr_kind op_and(const struct campo_expr_token *t)
{
	return tok_is_name(t, "and") ? NODE_AND : NODE_NUM;
}

static enum campo_expr_kind op_or(const struct campo_expr_token *t)
{
	return tok_is_name(t, "or") ? NODE_OR : NODE_NUM;
}

static enum campo_status parse_level(struct campo_expr_parser *p, int level,
				     uint32_t *out);

static enum campo_status parse_mul(struct campo_expr_parser *p, uint32_t *out)
{
	return parse_level(p, 0, out);
}

static enum campo_status parse_add(struct campo_expr_parser *p, uint32_t *out)
{
	return parse_level(p, 1, out);
}

static enum campo_status parse_rel(struct campo_expr_parser *p, uint32_t *out)
{
	return parse_level(p, 2, out);
}

static enum campo_status parse_eq(struct campo_expr_parser *p, uint32_t *out)
{
	return parse_level(p, 3, out);
}

static enum campo_status parse_and(struct campo_expr_parser *p, uint32_t *out)
{
	return parse_level(p, 4, out);
}

static const struct level levels[] = {
	{ .next = parse_unary, .op = op_mul },
	{ .next = parse_mul, .op = op_add },
	{ .next = parse_add, .op = op_rel },
	{ .next = parse_rel, .op = op_eq },
	{ .next = parse_eq, .op = op_and },
	{ .next = parse_and, .op = op_or },
};

static enum campo_status parse_level(struct campo_expr_parser *p, int level,
				     uint32_t *out)
{
	const struct level *l = &levels[level];
	enum campo_status status = l->next(p, out);

	while (!status) {
		enum campo_expr_kind kind = l->op(&p->tok);
		size_t pos = p->tok.pos;
		uint32_t b;

		if (kind == NODE_NUM) {
			break;
		}
		advance(p);
		status = l->next(p, &b);
		if (!status) {
			status = binary(p, kind, pos, *out, b, out);
		}
	}
	return status;
}

static enum campo_status parse_expr(struct campo_expr_parser *p, uint32_t *out)
{
	return parse_level(p, 5, out);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Lays each call's arguments out contiguously in e->args. */
static enum campo_status flatten_args(struct campo_expr *e)
{
	uint32_t total = 0, w = 0;

	for (uint32_t i = 0; i < e->n_nodes; i++) {
		if (e->nodes[i].kind == NODE_CALL) {
			total += e->nodes[i].n_args;
		}
	}
	e->args = campo_calloc(total ? total : 1, sizeof(*e->args));
	if (!e->args) {
		return CAMPO_ERR_NOMEM;
	}
	for (uint32_t i = 0; i < e->n_nodes; i++) {
		struct campo_expr_node *n = &e->nodes[i];
		uint32_t arg = n->a;

		if (n->kind != NODE_CALL) {
			continue;
		}
		n->a = w;
		for (uint32_t k = 0; k < n->n_args; k++) {
			e->args[w++] = arg;
			arg = e->nodes[arg].next;
		}
	}
	e->n_args = total;
	return CAMPO_OK;
}

enum campo_status campo_expr_compile(const struct campo_form *form,
				     int32_t context, int32_t list,
				     const char *src, size_t len,
				     struct campo_expr **out,
				     struct campo_diag *diag)
{
	struct campo_expr_parser p = { .form = form,
				       .diag = diag,
				       .scope = -1 };
	enum campo_status status;
	struct campo_expr *e;

	*out = NULL;
	if (len > CAMPO_FORM_MAX_EXPR) {
		if (diag) {
			diag->column = CAMPO_FORM_MAX_EXPR + 1;
		}
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "expression longer than %u bytes",
				      (unsigned)CAMPO_FORM_MAX_EXPR);
	}
	e = campo_calloc(1, sizeof(*e));
	if (!e) {
		return CAMPO_ERR_NOMEM;
	}
	p.e = e;
	e->form = form;
	e->context = context;
	e->list = list;
	e->len = len;
	e->src = campo_strndup(src, len);
	if (!e->src) {
		status = CAMPO_ERR_NOMEM;
		goto out_free;
	}
	advance(&p);
	if (p.tok.kind == TOK_END) {
		status = fail(&p, 0, CAMPO_ERR_PARSE, "empty expression", NULL,
			      0);
		goto out_free;
	}
	status = parse_expr(&p, &e->root);
	if (status) {
		goto out_free;
	}
	if (p.tok.kind != TOK_END) {
		status = unexpected(&p);
		goto out_free;
	}
	status = flatten_args(e);
	if (status) {
		goto out_free;
	}
	for (uint32_t i = 0; i < e->n_nodes; i++) {
		struct campo_expr_node *n = &e->nodes[i];
		const struct campo_expr_func *fn;

		if (n->kind != NODE_CALL) {
			continue;
		}
		fn = &campo_expr_funcs[n->func];
		if (fn->prepare) {
			status = fn->prepare(e, n, diag);
			if (status) {
				goto out_free;
			}
		}
	}
	if (e->n_refs) {
		size_t w = 0;

		qsort(e->refs, e->n_refs, sizeof(*e->refs), cmp_u32);
		for (size_t r = 0; r < e->n_refs; r++) {
			if (!w || e->refs[w - 1] != e->refs[r]) {
				e->refs[w++] = e->refs[r];
			}
		}
		e->n_refs = w;
	}
	*out = e;
	return CAMPO_OK;

out_free:
	campo_expr_free(e);
	return status;
}

void campo_expr_free(struct campo_expr *e)
{
	if (!e) {
		return;
	}
	for (uint32_t i = 0; i < e->n_regex; i++) {
		campo_expr_regex_free(e->regex[i]);
	}
	free(e->regex);
	free(e->refs);
	free(e->args);
	free(e->nodes);
	free(e->src);
	free(e);
}

const char *campo_expr_source(const struct campo_expr *e)
{
	return e->src;
}

const uint32_t *campo_expr_refs(const struct campo_expr *e, size_t *n)
{
	*n = e->n_refs;
	return e->refs;
}
