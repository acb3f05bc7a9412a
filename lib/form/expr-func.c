/* SPDX-License-Identifier: MIT */
/* The expression functions: a descriptor table (name, arity, run and an
 * optional compile-time check), then one small function each. Semantics:
 * ODK XForms function list, with the choices of POLICY.md where engines
 * disagree; XPath 1.0 section 4 for the core library.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr-internal.h"
#include "util/alloc.h"
#include "util/utf8.h"
#include "util/uuid.h"

#define ANY UINT32_MAX

/* ---- helpers ---- */

static enum campo_status arg_num(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call, uint32_t i,
				 double *out)
{
	struct campo_expr_val v;
	enum campo_status status = campo_expr_arg(c, call, i, &v);

	*out = status ? (double)NAN : campo_expr_val_num(c, &v);
	return status;
}

static enum campo_status arg_str(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call, uint32_t i,
				 const char **s, size_t *len)
{
	struct campo_expr_val v;
	enum campo_status status = campo_expr_arg(c, call, i, &v);

	if (status) {
		return status;
	}
	return campo_expr_val_str(c, &v, s, len);
}

/* The string of argument 0, or of `.` when the call has no argument. */
static enum campo_status arg0_or_self(struct campo_expr_ctx *c,
				      const struct campo_expr_node *call,
				      struct campo_expr_val *v)
{
	if (call->n_args) {
		return campo_expr_arg(c, call, 0, v);
	}
	memset(v, 0, sizeof(*v));
	v->type = VAL_STR;
	v->s = "";
	if (c->item) {
		v->s = c->item->s;
	} else if (c->ev->field >= 0 &&
		   !campo_type_info(c->e->form->fields[c->ev->field].type)
			    ->container) {
		v->s = campo_inode_value(
			c->ev->node ? c->ev->node
				    : campo_instance_root_const(c->ev->data),
			(uint32_t)c->ev->field);
	}
	v->len = strlen(v->s);
	return CAMPO_OK;
}

static void set_num(struct campo_expr_val *out, double d)
{
	out->type = VAL_NUM;
	out->num = d;
}

static void set_bool(struct campo_expr_val *out, bool b)
{
	out->type = VAL_BOOL;
	out->num = b;
}

static void set_str(struct campo_expr_val *out, const char *s, size_t len)
{
	out->type = VAL_STR;
	out->s = s;
	out->len = len;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1])) {
		(*len)--;
	}
}

/* Decodes one UTF-8 code point at s[*i] (a bad byte is itself). */
static uint32_t utf8_next(const char *s, size_t len, size_t *i)
{
	size_t at = *i;
	uint32_t cp = campo_utf8_decode(s, len, i);

	return cp == CAMPO_UTF8_BAD ? (unsigned char)s[at] : cp;
}

/* UTF-16 code units in s (POLICY.md: all engines count them). */
static size_t units(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		n += utf8_next(s, len, &i) >= 0x10000 ? 2 : 1;
	}
	return n;
}

/* Byte offset of UTF-16 unit u (rounded to a code point boundary). */
static size_t unit_offset(const char *s, size_t len, size_t u)
{
	size_t i = 0, n = 0;

	while (i < len && n < u) {
		n += utf8_next(s, len, &i) >= 0x10000 ? 2 : 1;
	}
	return i;
}

static bool date_ok(double days)
{
	return isfinite(days) && fabs(days) < 1e8;
}

/* ---- numbers ---- */

#define UNARY_MATH(fn, expr)                                            \
	static enum campo_status fn(struct campo_expr_ctx *c,           \
				    const struct campo_expr_node *call, \
				    struct campo_expr_val *out)         \
	{                                                               \
		double x;                                               \
		enum campo_status status = arg_num(c, call, 0, &x);     \
                                                                        \
		set_num(out, expr);                                     \
		return status;                                          \
	}

UNARY_MATH(fn_abs, fabs(x))
UNARY_MATH(fn_acos, acos(x))
UNARY_MATH(fn_asin, asin(x))
UNARY_MATH(fn_atan, atan(x))
UNARY_MATH(fn_cos, cos(x))
UNARY_MATH(fn_sin, sin(x))
UNARY_MATH(fn_tan, tan(x))
UNARY_MATH(fn_exp, exp(x))
UNARY_MATH(fn_exp10, pow(10, x))
UNARY_MATH(fn_log, log(x))
UNARY_MATH(fn_log10, log10(x))
UNARY_MATH(fn_sqrt, sqrt(x))
UNARY_MATH(fn_floor, floor(x))
UNARY_MATH(fn_ceiling, ceil(x))
UNARY_MATH(fn_int, trunc(x))

static enum campo_status fn_atan2(struct campo_expr_ctx *c,
				  const struct campo_expr_node *call,
				  struct campo_expr_val *out)
{
	double y, x = (double)NAN;
	enum campo_status status = arg_num(c, call, 0, &y);

	if (!status) {
		status = arg_num(c, call, 1, &x);
	}
	set_num(out, atan2(y, x));
	return status;
}

static enum campo_status fn_pow(struct campo_expr_ctx *c,
				const struct campo_expr_node *call,
				struct campo_expr_val *out)
{
	double x, y = (double)NAN;
	enum campo_status status = arg_num(c, call, 0, &x);

	if (!status) {
		status = arg_num(c, call, 1, &y);
	}
	set_num(out, pow(x, y));
	return status;
}

static enum campo_status fn_pi(struct campo_expr_ctx *c,
			       const struct campo_expr_node *call,
			       struct campo_expr_val *out)
{
	(void)c;
	(void)call;
	set_num(out, 3.14159265358979323846);
	return CAMPO_OK;
}

static enum campo_status fn_round(struct campo_expr_ctx *c,
				  const struct campo_expr_node *call,
				  struct campo_expr_val *out)
{
	double x, d = 0;
	enum campo_status status = arg_num(c, call, 0, &x);

	if (!status && call->n_args > 1) {
		status = arg_num(c, call, 1, &d);
	}
	set_num(out, campo_expr_num_round(x, d));
	return status;
}

static enum campo_status fn_number(struct campo_expr_ctx *c,
				   const struct campo_expr_node *call,
				   struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = arg0_or_self(c, call, &v);

	set_num(out, campo_expr_val_num(c, &v));
	return status;
}

static enum campo_status fn_random(struct campo_expr_ctx *c,
				   const struct campo_expr_node *call,
				   struct campo_expr_val *out)
{
	uint64_t r = 0;
	enum campo_status status = campo_random_bytes(&r, sizeof(r));

	(void)c;
	(void)call;
	set_num(out, (double)(r >> 11) / 9007199254740992.0);
	return status;
}

/* ---- booleans ---- */

static enum campo_status fn_true(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out)
{
	(void)c;
	(void)call;
	set_bool(out, true);
	return CAMPO_OK;
}

static enum campo_status fn_false(struct campo_expr_ctx *c,
				  const struct campo_expr_node *call,
				  struct campo_expr_val *out)
{
	(void)c;
	(void)call;
	set_bool(out, false);
	return CAMPO_OK;
}

static enum campo_status fn_boolean(struct campo_expr_ctx *c,
				    const struct campo_expr_node *call,
				    struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = campo_expr_arg(c, call, 0, &v);

	set_bool(out, !status && campo_expr_val_bool(c, &v));
	return status;
}

static enum campo_status fn_not(struct campo_expr_ctx *c,
				const struct campo_expr_node *call,
				struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = campo_expr_arg(c, call, 0, &v);

	set_bool(out, !status && !campo_expr_val_bool(c, &v));
	return status;
}

static enum campo_status
fn_boolean_from_string(struct campo_expr_ctx *c,
		       const struct campo_expr_node *call,
		       struct campo_expr_val *out)
{
	const char *s;
	size_t len;
	enum campo_status status = arg_str(c, call, 0, &s, &len);

	set_bool(out, !status && ((len == 4 && !strncasecmp(s, "true", 4)) ||
				  (len == 1 && s[0] == '1')));
	return status;
}

static enum campo_status fn_if(struct campo_expr_ctx *c,
			       const struct campo_expr_node *call,
			       struct campo_expr_val *out)
{
	struct campo_expr_val v;
	size_t top = campo_expr_items_top(c);
	enum campo_status status = campo_expr_arg(c, call, 0, &v);
	bool cond;

	if (status) {
		return status;
	}
	cond = campo_expr_val_bool(c, &v);
	campo_expr_items_pop(c, top);
	return campo_expr_arg(c, call, cond ? 1 : 2, out);
}

/* Whether argument i is true, and for a node-set how many of it are. */
static enum campo_status arg_truths(struct campo_expr_ctx *c,
				    const struct campo_expr_node *call,
				    uint32_t i, size_t *n)
{
	struct campo_expr_val v;
	enum campo_status status = campo_expr_arg(c, call, i, &v);

	*n = 0;
	if (status) {
		return status;
	}
	if (v.type == VAL_SET) {
		const struct campo_expr_item *it = campo_expr_set_items(c, &v);

		for (size_t k = 0; k < v.n; k++) {
			*n += it[k].s[0] != '\0';
		}
	} else {
		*n = campo_expr_val_bool(c, &v);
	}
	return CAMPO_OK;
}

static bool within(double n, double lo, double hi)
{
	return (lo < 0 || n >= lo) && (hi < 0 || n <= hi);
}

static enum campo_status fn_checklist(struct campo_expr_ctx *c,
				      const struct campo_expr_node *call,
				      struct campo_expr_val *out)
{
	double lo, hi, count = 0;
	enum campo_status status = arg_num(c, call, 0, &lo);

	if (!status) {
		status = arg_num(c, call, 1, &hi);
	}
	for (uint32_t i = 2; !status && i < call->n_args; i++) {
		size_t n;

		status = arg_truths(c, call, i, &n);
		count += (double)n;
	}
	set_bool(out, within(count, lo, hi));
	return status;
}

static enum campo_status
fn_weighted_checklist(struct campo_expr_ctx *c,
		      const struct campo_expr_node *call,
		      struct campo_expr_val *out)
{
	double lo, hi, sum = 0;
	enum campo_status status = arg_num(c, call, 0, &lo);

	if (!status) {
		status = arg_num(c, call, 1, &hi);
	}
	for (uint32_t i = 2; !status && i + 1 < call->n_args; i += 2) {
		size_t n;
		double w = 0;

		status = arg_truths(c, call, i, &n);
		if (!status) {
			status = arg_num(c, call, i + 1, &w);
		}
		if (n) {
			sum += w;
		}
	}
	set_bool(out, within(sum, lo, hi));
	return status;
}

/* ---- node-sets ---- */

static enum campo_status fn_count(struct campo_expr_ctx *c,
				  const struct campo_expr_node *call,
				  struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = campo_expr_arg(c, call, 0, &v);

	set_num(out, v.type == VAL_SET ? (double)v.n : 0);
	return status;
}

static enum campo_status fn_count_non_empty(struct campo_expr_ctx *c,
					    const struct campo_expr_node *call,
					    struct campo_expr_val *out)
{
	size_t n;
	enum campo_status status = arg_truths(c, call, 0, &n);

	set_num(out, (double)n);
	return status;
}

/* Calls each(value) for every number in the arguments (node-sets
 * unpacked), skipping empty and NaN ones (POLICY.md). */
static enum campo_status fold(struct campo_expr_ctx *c,
			      const struct campo_expr_node *call, int op,
			      double *acc, size_t *n)
{
	enum campo_status status = CAMPO_OK;

	*n = 0;
	for (uint32_t i = 0; !status && i < call->n_args; i++) {
		struct campo_expr_val v;
		size_t count = 1;

		status = campo_expr_arg(c, call, i, &v);
		if (status) {
			break;
		}
		if (v.type == VAL_SET) {
			count = v.n;
		}
		for (size_t k = 0; k < count; k++) {
			double d;

			if (v.type == VAL_SET) {
				struct campo_expr_val one = v;

				one.off = v.off + k;
				one.n = 1;
				d = campo_expr_val_num(c, &one);
			} else {
				d = campo_expr_val_num(c, &v);
			}
			if (isnan(d)) {
				continue;
			}
			if (!*n) {
				*acc = d;
			} else if (op == 0) {
				*acc += d;
			} else if (op < 0 ? d < *acc : d > *acc) {
				*acc = d;
			}
			(*n)++;
		}
	}
	return status;
}

static enum campo_status fn_sum(struct campo_expr_ctx *c,
				const struct campo_expr_node *call,
				struct campo_expr_val *out)
{
	double acc = 0;
	size_t n;
	enum campo_status status = fold(c, call, 0, &acc, &n);

	set_num(out, n ? acc : 0);
	return status;
}

static enum campo_status fn_min(struct campo_expr_ctx *c,
				const struct campo_expr_node *call,
				struct campo_expr_val *out)
{
	double acc = 0;
	size_t n;
	enum campo_status status = fold(c, call, -1, &acc, &n);

	set_num(out, n ? acc : (double)NAN);
	return status;
}

static enum campo_status fn_max(struct campo_expr_ctx *c,
				const struct campo_expr_node *call,
				struct campo_expr_val *out)
{
	double acc = 0;
	size_t n;
	enum campo_status status = fold(c, call, 1, &acc, &n);

	set_num(out, n ? acc : (double)NAN);
	return status;
}

static enum campo_status fn_position(struct campo_expr_ctx *c,
				     const struct campo_expr_node *call,
				     struct campo_expr_val *out)
{
	const struct campo_form *form = c->e->form;
	struct campo_expr_val v;
	const struct campo_expr_item *it;
	enum campo_status status;

	if (!call->n_args) {
		set_num(out, c->item ? (double)c->item_pos : 1);
		return CAMPO_OK;
	}
	status = campo_expr_arg(c, call, 0, &v);
	if (status || v.type != VAL_SET || !v.n) {
		set_num(out, (double)NAN);
		return status;
	}
	it = campo_expr_set_items(c, &v);
	if (it->field >= 0 && it->node &&
	    form->fields[it->field].type == CAMPO_TYPE_REPEAT) {
		set_num(out, campo_inode_position(it->node));
	} else {
		set_num(out, 1);
	}
	return CAMPO_OK;
}

static enum campo_status prep_indexed_repeat(struct campo_expr *e,
					     struct campo_expr_node *call,
					     struct campo_diag *diag)
{
	for (uint32_t i = 0; i < call->n_args; i += i ? 2 : 1) {
		const struct campo_expr_node *a =
			&e->nodes[e->args[call->a + i]];

		if (a->kind != NODE_REF ||
		    (i > 0 &&
		     e->form->fields[a->field].type != CAMPO_TYPE_REPEAT)) {
			if (diag) {
				diag->column = a->pos + 1;
			}
			return campo_diag_set(diag, CAMPO_ERR_INVALID,
					      "indexed-repeat() wants %s here",
					      i ? "${repeat}" : "${question}");
		}
	}
	if (call->n_args % 2 == 0) {
		if (diag) {
			diag->column = call->pos + 1;
		}
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "indexed-repeat() wants a repeat and an "
				      "index in pairs");
	}
	return CAMPO_OK;
}

static enum campo_status fn_indexed_repeat(struct campo_expr_ctx *c,
					   const struct campo_expr_node *call,
					   struct campo_expr_val *out)
{
	const struct campo_expr *e = c->e;
	const struct campo_inode *node =
		c->ev->node ? c->ev->node
			    : campo_instance_root_const(c->ev->data);
	uint32_t field = (uint32_t)e->nodes[e->args[call->a]].field;
	enum campo_status status = CAMPO_OK;

	out->type = VAL_SET;
	for (uint32_t i = 1; i + 1 < call->n_args; i += 2) {
		int32_t rep = e->nodes[e->args[call->a + i]].field;
		int32_t scope = e->form->fields[rep].repeat;
		size_t top = campo_expr_items_top(c);
		double idx;

		status = arg_num(c, call, i + 1, &idx);
		campo_expr_items_pop(c, top);
		if (status) {
			return status;
		}
		while (node && campo_inode_repeat(node) != scope) {
			node = campo_inode_parent(node);
		}
		if (!node || !(idx >= 1) || idx > 1e9) {
			node = NULL;
			break;
		}
		node = campo_inode_child(node, (uint32_t)rep, (size_t)idx);
	}
	out->off = campo_expr_items_top(c);
	out->n = 0;
	if (node) {
		status = campo_expr_gather(c, node, field, &out->n);
	}
	return status;
}

/* ---- strings ---- */

static enum campo_status fn_string(struct campo_expr_ctx *c,
				   const struct campo_expr_node *call,
				   struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = arg0_or_self(c, call, &v);
	const char *s = "";
	size_t len = 0;

	if (!status) {
		status = campo_expr_val_str(c, &v, &s, &len);
	}
	set_str(out, s, len);
	return status;
}

static enum campo_status fn_string_length(struct campo_expr_ctx *c,
					  const struct campo_expr_node *call,
					  struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = arg0_or_self(c, call, &v);
	const char *s = "";
	size_t len = 0;

	if (!status) {
		status = campo_expr_val_str(c, &v, &s, &len);
	}
	set_num(out, (double)units(s, len));
	return status;
}

/* Appends every string of v (all items of a node-set) to *s, with sep
 * between items when sep is not NULL. */
static enum campo_status
append_all(struct campo_expr_ctx *c, const struct campo_expr_val *v,
	   const char *sep, size_t sep_len, bool *first, const char **s,
	   size_t *len,
	   enum campo_status (*add)(struct campo_expr_ctx *, const char **,
				    size_t *, const char *, size_t))
{
	enum campo_status status = CAMPO_OK;
	size_t count = v->type == VAL_SET ? v->n : 1;

	for (size_t k = 0; !status && k < count; k++) {
		const char *p;
		size_t plen;

		if (v->type == VAL_SET) {
			p = campo_expr_set_items(c, v)[k].s;
			plen = strlen(p);
		} else {
			status = campo_expr_val_str(c, v, &p, &plen);
			if (status) {
				break;
			}
		}
		if (sep && !*first) {
			status = add(c, s, len, sep, sep_len);
		}
		*first = false;
		if (!status) {
			status = add(c, s, len, p, plen);
		}
	}
	return status;
}

/* Appends piece to *s: in place when *s is the last scratch allocation,
 * so joining many values stays linear. */
static enum campo_status add_piece(struct campo_expr_ctx *c, const char **s,
				   size_t *len, const char *piece, size_t plen)
{
	enum campo_status status = CAMPO_OK;
	char *p;

	if (!plen) {
		return CAMPO_OK;
	}
	if (!*len) {
		/* borrow: the piece stays put until the evaluation ends */
		*s = piece;
		*len = plen;
		return CAMPO_OK;
	}
	p = campo_expr_scratch_extend(c, *s, *len, plen);
	if (!p) {
		p = campo_expr_scratch_alloc(c, *len + plen, &status);
		if (!p) {
			return status;
		}
		memcpy(p, *s, *len);
	}
	memcpy(p + *len, piece, plen);
	*s = p;
	*len += plen;
	return CAMPO_OK;
}

static enum campo_status fn_concat(struct campo_expr_ctx *c,
				   const struct campo_expr_node *call,
				   struct campo_expr_val *out)
{
	enum campo_status status = CAMPO_OK;
	const char *s = "";
	size_t len = 0;
	bool first = true;

	for (uint32_t i = 0; !status && i < call->n_args; i++) {
		struct campo_expr_val v;

		status = campo_expr_arg(c, call, i, &v);
		if (!status) {
			status = append_all(c, &v, NULL, 0, &first, &s, &len,
					    add_piece);
		}
	}
	set_str(out, s, len);
	return status;
}

static enum campo_status fn_join(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out)
{
	const char *sep, *s = "";
	size_t sep_len, len = 0;
	bool first = true;
	enum campo_status status = arg_str(c, call, 0, &sep, &sep_len);

	for (uint32_t i = 1; !status && i < call->n_args; i++) {
		struct campo_expr_val v;

		status = campo_expr_arg(c, call, i, &v);
		if (!status) {
			status = append_all(c, &v, sep, sep_len, &first, &s,
					    &len, add_piece);
		}
	}
	set_str(out, s, len);
	return status;
}

static enum campo_status fn_coalesce(struct campo_expr_ctx *c,
				     const struct campo_expr_node *call,
				     struct campo_expr_val *out)
{
	const char *s;
	size_t len;
	enum campo_status status = arg_str(c, call, 0, &s, &len);

	/* NaN prints as "", so it is empty here too (POLICY.md) */
	if (!status && !len) {
		status = arg_str(c, call, 1, &s, &len);
	}
	if (status) {
		return status;
	}
	set_str(out, s, len);
	return CAMPO_OK;
}

static enum campo_status two_strings(struct campo_expr_ctx *c,
				     const struct campo_expr_node *call,
				     const char **a, size_t *alen,
				     const char **b, size_t *blen)
{
	enum campo_status status = arg_str(c, call, 0, a, alen);

	if (!status) {
		status = arg_str(c, call, 1, b, blen);
	}
	return status;
}

static const char *find(const char *h, size_t hlen, const char *n, size_t nlen)
{
	if (!nlen) {
		return h;
	}
	for (size_t i = 0; i + nlen <= hlen; i++) {
		if (h[i] == n[0] && !memcmp(h + i, n, nlen)) {
			return h + i;
		}
	}
	return NULL;
}

static enum campo_status fn_contains(struct campo_expr_ctx *c,
				     const struct campo_expr_node *call,
				     struct campo_expr_val *out)
{
	const char *a = "", *b = "";
	size_t alen = 0, blen = 0;
	enum campo_status status = two_strings(c, call, &a, &alen, &b, &blen);

	set_bool(out, !status && find(a, alen, b, blen));
	return status;
}

static enum campo_status fn_starts_with(struct campo_expr_ctx *c,
					const struct campo_expr_node *call,
					struct campo_expr_val *out)
{
	const char *a = "", *b = "";
	size_t alen = 0, blen = 0;
	enum campo_status status = two_strings(c, call, &a, &alen, &b, &blen);

	set_bool(out, !status && blen <= alen && !memcmp(a, b, blen));
	return status;
}

static enum campo_status fn_ends_with(struct campo_expr_ctx *c,
				      const struct campo_expr_node *call,
				      struct campo_expr_val *out)
{
	const char *a = "", *b = "";
	size_t alen = 0, blen = 0;
	enum campo_status status = two_strings(c, call, &a, &alen, &b, &blen);

	set_bool(out,
		 !status && blen <= alen && !memcmp(a + alen - blen, b, blen));
	return status;
}

static enum campo_status fn_substring_before(struct campo_expr_ctx *c,
					     const struct campo_expr_node *call,
					     struct campo_expr_val *out)
{
	const char *a = "", *b = "", *hit;
	size_t alen = 0, blen = 0;
	enum campo_status status = two_strings(c, call, &a, &alen, &b, &blen);

	hit = status ? NULL : find(a, alen, b, blen);
	set_str(out, a, hit ? (size_t)(hit - a) : 0);
	return status;
}

static enum campo_status fn_substring_after(struct campo_expr_ctx *c,
					    const struct campo_expr_node *call,
					    struct campo_expr_val *out)
{
	const char *a = "", *b = "", *hit;
	size_t alen = 0, blen = 0;
	enum campo_status status = two_strings(c, call, &a, &alen, &b, &blen);

	hit = status ? NULL : find(a, alen, b, blen);
	if (hit) {
		set_str(out, hit + blen, alen - (size_t)(hit - a) - blen);
	} else {
		set_str(out, "", 0);
	}
	return status;
}

static enum campo_status fn_normalize_space(struct campo_expr_ctx *c,
					    const struct campo_expr_node *call,
					    struct campo_expr_val *out)
{
	struct campo_expr_val v;
	enum campo_status status = arg0_or_self(c, call, &v);
	const char *s = "";
	size_t len = 0, w = 0;
	char *p;

	if (!status) {
		status = campo_expr_val_str(c, &v, &s, &len);
	}
	if (status) {
		return status;
	}
	trim(&s, &len);
	p = campo_expr_scratch_alloc(c, len ? len : 1, &status);
	if (!p) {
		return status;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_space(s[i])) {
			if (w && p[w - 1] != ' ') {
				p[w++] = ' ';
			}
		} else {
			p[w++] = s[i];
		}
	}
	set_str(out, p, w);
	return CAMPO_OK;
}

static enum campo_status fn_translate(struct campo_expr_ctx *c,
				      const struct campo_expr_node *call,
				      struct campo_expr_val *out)
{
	const char *s, *from, *to;
	size_t slen, flen, tlen, w = 0;
	enum campo_status status = arg_str(c, call, 0, &s, &slen);
	char *p;

	if (!status) {
		status = arg_str(c, call, 1, &from, &flen);
	}
	if (!status) {
		status = arg_str(c, call, 2, &to, &tlen);
	}
	if (status) {
		return status;
	}
	/* a replacement may be longer than what it replaces: 4 bytes a
	 * code point at most */
	p = campo_expr_scratch_alloc(c, slen * 4 + 1, &status);
	if (!p) {
		return status;
	}
	for (size_t i = 0; i < slen;) {
		uint32_t cp = utf8_next(s, slen, &i);
		size_t k = 0, idx = 0;
		bool hit = false;

		while (k < flen) {
			if (utf8_next(from, flen, &k) == cp) {
				hit = true;
				break;
			}
			idx++;
		}
		if (!hit) {
			w += campo_utf8_encode(p + w, cp);
			continue;
		}
		k = 0;
		for (size_t t = 0; k < tlen; t++) {
			uint32_t rep = utf8_next(to, tlen, &k);

			if (t == idx) {
				w += campo_utf8_encode(p + w, rep);
				break;
			}
		}
	}
	set_str(out, p, w);
	return CAMPO_OK;
}

/* substr(s, start[, end]): 0-based, end exclusive, negatives count from
 * the end (ODK). */
static enum campo_status fn_substr(struct campo_expr_ctx *c,
				   const struct campo_expr_node *call,
				   struct campo_expr_val *out)
{
	const char *s;
	size_t len, u, b0, b1;
	double start, end;
	enum campo_status status = arg_str(c, call, 0, &s, &len);

	if (!status) {
		status = arg_num(c, call, 1, &start);
	}
	if (status) {
		return status;
	}
	u = units(s, len);
	end = (double)u;
	if (call->n_args > 2) {
		status = arg_num(c, call, 2, &end);
		if (status) {
			return status;
		}
	}
	start = isnan(start) ? 0 : trunc(start);
	end = isnan(end) ? 0 : trunc(end);
	if (start < 0) {
		start += (double)u;
	}
	if (end < 0) {
		end += (double)u;
	}
	start = start < 0 ? 0 : start > (double)u ? (double)u : start;
	end = end < 0 ? 0 : end > (double)u ? (double)u : end;
	if (start >= end) {
		set_str(out, "", 0);
		return CAMPO_OK;
	}
	b0 = unit_offset(s, len, (size_t)start);
	b1 = unit_offset(s, len, (size_t)end);
	set_str(out, s + b0, b1 - b0);
	return CAMPO_OK;
}

/* substring(s, start[, length]): XPath 1.0, 1-based, rounded. */
static enum campo_status fn_substring(struct campo_expr_ctx *c,
				      const struct campo_expr_node *call,
				      struct campo_expr_val *out)
{
	const char *s;
	size_t len, u, b0, b1;
	double start, n = (double)INFINITY, first, last;
	enum campo_status status = arg_str(c, call, 0, &s, &len);

	if (!status) {
		status = arg_num(c, call, 1, &start);
	}
	if (!status && call->n_args > 2) {
		status = arg_num(c, call, 2, &n);
	}
	if (status) {
		return status;
	}
	u = units(s, len);
	first = floor(start + 0.5);
	last = first + floor(n + 0.5); /* exclusive, 1-based */
	if (isnan(first) || isnan(last)) {
		set_str(out, "", 0);
		return CAMPO_OK;
	}
	if (first < 1) {
		first = 1;
	}
	if (last > (double)u + 1) {
		last = (double)u + 1;
	}
	if (first >= last) {
		set_str(out, "", 0);
		return CAMPO_OK;
	}
	b0 = unit_offset(s, len, (size_t)first - 1);
	b1 = unit_offset(s, len, (size_t)last - 1);
	set_str(out, s + b0, b1 - b0);
	return CAMPO_OK;
}

static enum campo_status fn_regex(struct campo_expr_ctx *c,
				  const struct campo_expr_node *call,
				  struct campo_expr_val *out)
{
	const char *s = "", *re = "";
	size_t len = 0, re_len = 0;
	bool match = false;
	enum campo_status status = arg_str(c, call, 0, &s, &len);

	if (!status && call->regex < 0) {
		status = arg_str(c, call, 1, &re, &re_len);
	}
	if (!status) {
		status = campo_expr_regex_match(c, call, s, len, re, re_len,
						&match);
	}
	set_bool(out, match);
	return status;
}

static enum campo_status prep_regex(struct campo_expr *e,
				    struct campo_expr_node *call,
				    struct campo_diag *diag)
{
	const struct campo_expr_node *re = &e->nodes[e->args[call->a + 1]];
	char msg[160];
	size_t off = 0;
	void *code, **grown;

	if (re->kind != NODE_STR) {
		return CAMPO_OK; /* compiled and cached when evaluated */
	}
	code = campo_expr_regex_compile(re->str, re->len, msg, sizeof(msg),
					&off);
	if (!code) {
		if (diag) {
			diag->column = re->pos + 2 + (unsigned)off;
		}
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "bad regular expression '%.*s': %s",
				      (int)(re->len > 60 ? 60 : re->len),
				      re->str, msg);
	}
	grown = campo_reallocarray(e->regex, e->n_regex + 1, sizeof(*e->regex));
	if (!grown) {
		campo_expr_regex_free(code);
		return CAMPO_ERR_NOMEM;
	}
	e->regex = grown;
	e->regex[e->n_regex] = code;
	call->regex = (int32_t)e->n_regex++;
	return CAMPO_OK;
}

/* ---- selects ---- */

/* The n-th (0-based) space-separated item of s, or NULL. */
static const char *token(const char *s, size_t len, size_t n, size_t *tlen)
{
	size_t i = 0, k = 0;

	for (;;) {
		size_t start;

		while (i < len && is_space(s[i])) {
			i++;
		}
		if (i >= len) {
			return NULL;
		}
		start = i;
		while (i < len && !is_space(s[i])) {
			i++;
		}
		if (k++ == n) {
			*tlen = i - start;
			return s + start;
		}
	}
}

static enum campo_status fn_selected(struct campo_expr_ctx *c,
				     const struct campo_expr_node *call,
				     struct campo_expr_val *out)
{
	const char *list = "", *v = "", *t;
	size_t llen = 0, vlen = 0, tlen;
	bool hit = false;
	enum campo_status status =
		two_strings(c, call, &list, &llen, &v, &vlen);

	trim(&list, &llen);
	trim(&v, &vlen);
	/* Collect splits "" into one empty item: selected('', '') */
	if (!llen) {
		hit = !vlen;
	}
	for (size_t k = 0; llen && (t = token(list, llen, k, &tlen)); k++) {
		if (tlen == vlen && !memcmp(t, v, vlen)) {
			hit = true;
			break;
		}
	}
	set_bool(out, !status && hit);
	return status;
}

static enum campo_status fn_selected_at(struct campo_expr_ctx *c,
					const struct campo_expr_node *call,
					struct campo_expr_val *out)
{
	const char *list = "", *t = NULL;
	size_t llen = 0, tlen = 0;
	double i = (double)NAN;
	enum campo_status status = arg_str(c, call, 0, &list, &llen);

	if (!status) {
		status = arg_num(c, call, 1, &i);
	}
	if (!status && i >= 0 && i < 1e9) {
		t = token(list, llen, (size_t)i, &tlen);
	}
	set_str(out, t ? t : "", t ? tlen : 0);
	return status;
}

static enum campo_status fn_count_selected(struct campo_expr_ctx *c,
					   const struct campo_expr_node *call,
					   struct campo_expr_val *out)
{
	const char *list = "";
	size_t llen = 0, n = 0, tlen;
	enum campo_status status = arg_str(c, call, 0, &list, &llen);

	while (token(list, llen, n, &tlen)) {
		n++;
	}
	set_num(out, (double)n);
	return status;
}

static enum campo_status prep_choice_name(struct campo_expr *e,
					  struct campo_expr_node *call,
					  struct campo_diag *diag)
{
	const struct campo_expr_node *ref = &e->nodes[e->args[call->a + 1]];
	const char *name = ref->str;
	size_t len = ref->len;
	int32_t f;

	if (ref->kind != NODE_STR) {
		if (diag) {
			diag->column = ref->pos + 1;
		}
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "jr:choice-name() wants the question as "
				      "a quoted '${name}'");
	}
	trim(&name, &len);
	if (len > 3 && name[0] == '$' && name[1] == '{' &&
	    name[len - 1] == '}') {
		name += 2;
		len -= 3;
	}
	f = campo_form_field_find(e->form, name, len);
	if (f < 0 || e->form->fields[f].list < 0) {
		if (diag) {
			diag->column = ref->pos + 1;
		}
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      f < 0 ? "unknown question '%.*s'"
					    : "'%.*s' is not a select question",
				      (int)(len > 60 ? 60 : len), name);
	}
	call->field = f;
	return CAMPO_OK;
}

static enum campo_status fn_jr_choice_name(struct campo_expr_ctx *c,
					   const struct campo_expr_node *call,
					   struct campo_expr_val *out)
{
	const struct campo_form *form = c->e->form;
	const struct campo_choice_list *l =
		&form->lists[form->fields[call->field].list];
	const char *v, *label;
	size_t len;
	int32_t k;
	enum campo_status status = arg_str(c, call, 0, &v, &len);

	set_str(out, "", 0);
	if (status) {
		return status;
	}
	trim(&v, &len);
	k = campo_form_choice_find(l, v, len);
	if (k < 0) {
		return CAMPO_OK;
	}
	label = campo_i18n_get(form, &l->choices[k].label, c->ev->lang);
	if (!label) {
		label = l->choices[k].name;
	}
	set_str(out, label, strlen(label));
	return CAMPO_OK;
}

/* ---- dates ---- */

/* The days of a value: dates and numbers as they are, text parsed.
 * *empty for "" (which stays ""). An impossible date is an error. */
static enum campo_status to_days(struct campo_expr_ctx *c,
				 const struct campo_expr_val *v, double *days,
				 bool *has_time, bool *empty)
{
	const char *s;
	size_t len;
	enum campo_status status;

	*empty = false;
	*has_time = v->type == VAL_DATE && v->has_time;
	if (v->type == VAL_NUM || v->type == VAL_BOOL || v->type == VAL_DATE) {
		*days = v->num;
		return CAMPO_OK;
	}
	status = campo_expr_val_str(c, v, &s, &len);
	if (status) {
		return status;
	}
	trim(&s, &len);
	if (!len) {
		*empty = true;
		*days = (double)NAN;
		return CAMPO_OK;
	}
	switch (campo_expr_date_parse(s, len, days, has_time)) {
	case DATE_OK:
		return CAMPO_OK;
	case DATE_INVALID:
		return campo_diag_set(c->diag, CAMPO_ERR_INVALID,
				      "impossible date '%.*s'",
				      (int)(len > 60 ? 60 : len), s);
	default:
		*days = (double)NAN;
		return CAMPO_OK;
	}
}

static enum campo_status date_fn(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out, bool with_time)
{
	struct campo_expr_val v;
	double days;
	bool has_time, empty;
	enum campo_status status = campo_expr_arg(c, call, 0, &v);

	if (!status) {
		status = to_days(c, &v, &days, &has_time, &empty);
	}
	if (status) {
		return status;
	}
	if (empty) {
		set_str(out, "", 0);
		return CAMPO_OK;
	}
	out->type = VAL_DATE;
	out->num = date_ok(days) ? days : (double)NAN;
	out->has_time = with_time;
	return CAMPO_OK;
}

static enum campo_status fn_date(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out)
{
	return date_fn(c, call, out, false);
}

static enum campo_status fn_date_time(struct campo_expr_ctx *c,
				      const struct campo_expr_node *call,
				      struct campo_expr_val *out)
{
	return date_fn(c, call, out, true);
}

static enum campo_status
fn_decimal_date_time(struct campo_expr_ctx *c,
		     const struct campo_expr_node *call,
		     struct campo_expr_val *out)
{
	struct campo_expr_val v;
	double days = (double)NAN;
	bool has_time, empty;
	enum campo_status status = campo_expr_arg(c, call, 0, &v);

	if (!status) {
		status = to_days(c, &v, &days, &has_time, &empty);
	}
	set_num(out, days);
	return status;
}

static enum campo_status fn_decimal_time(struct campo_expr_ctx *c,
					 const struct campo_expr_node *call,
					 struct campo_expr_val *out)
{
	const char *s;
	size_t len;
	double frac = (double)NAN;
	enum campo_status status = arg_str(c, call, 0, &s, &len);

	trim(&s, &len);
	if (!status && !campo_expr_time_parse(s, len, &frac)) {
		frac = (double)NAN;
	}
	set_num(out, frac);
	return status;
}

static enum campo_status fn_format_date(struct campo_expr_ctx *c,
					const struct campo_expr_node *call,
					struct campo_expr_val *out)
{
	struct campo_expr_val v;
	const char *fmt, *s = "";
	size_t fmt_len, len = 0;
	double days = (double)NAN;
	bool has_time, empty;
	enum campo_status status = campo_expr_arg(c, call, 0, &v);

	if (!status) {
		status = to_days(c, &v, &days, &has_time, &empty);
	}
	if (!status) {
		status = arg_str(c, call, 1, &fmt, &fmt_len);
	}
	if (!status && date_ok(days)) {
		status = campo_expr_date_strf(c, days, fmt, fmt_len, &s, &len);
	}
	set_str(out, s, len);
	return status;
}

static enum campo_status fn_today(struct campo_expr_ctx *c,
				  const struct campo_expr_node *call,
				  struct campo_expr_val *out)
{
	(void)call;
	out->type = VAL_DATE;
	out->num = floor((double)campo_expr_now_ms(c) / 86400000.0);
	return CAMPO_OK;
}

static enum campo_status fn_now(struct campo_expr_ctx *c,
				const struct campo_expr_node *call,
				struct campo_expr_val *out)
{
	(void)call;
	out->type = VAL_DATE;
	out->has_time = true;
	out->num = (double)campo_expr_now_ms(c) / 86400000.0;
	return CAMPO_OK;
}

/* ---- the rest ---- */

static enum campo_status fn_once(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out)
{
	struct campo_expr_val self;
	struct campo_expr_node none = *call;

	/* the question's own value, when it has one, stays */
	none.n_args = 0;
	if (c->ev->field >= 0 && !arg0_or_self(c, &none, &self) && self.len) {
		*out = self;
		return CAMPO_OK;
	}
	return campo_expr_arg(c, call, 0, out);
}

static enum campo_status fn_uuid(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out)
{
	static const char alnum[] = "0123456789abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	enum campo_status status = CAMPO_OK;
	double n;
	char *p;

	if (!call->n_args) {
		p = campo_expr_scratch_alloc(c, CAMPO_UUID_LEN + 1, &status);
		if (!p) {
			return status;
		}
		status = campo_uuid_new(p);
		set_str(out, p, CAMPO_UUID_LEN);
		return status;
	}
	status = arg_num(c, call, 0, &n);
	if (status) {
		return status;
	}
	if (!(n >= 1)) {
		set_str(out, "", 0);
		return CAMPO_OK;
	}
	if (n > 4096) {
		n = 4096;
	}
	p = campo_expr_scratch_alloc(c, (size_t)n, &status);
	if (!p) {
		return status;
	}
	status = campo_random_bytes(p, (size_t)n);
	for (size_t i = 0; i < (size_t)n; i++) {
		p[i] = alnum[(unsigned char)p[i] % (sizeof(alnum) - 1)];
	}
	set_str(out, p, (size_t)n);
	return status;
}

static enum campo_status fn_digest(struct campo_expr_ctx *c,
				   const struct campo_expr_node *call,
				   struct campo_expr_val *out)
{
	static const char hex[] = "0123456789abcdef";
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				  "opqrstuvwxyz0123456789+/";
	const char *s, *alg, *enc = "base64";
	size_t len, alg_len, enc_len = 6, n, w = 0;
	unsigned char d[64];
	enum campo_status status =
		two_strings(c, call, &s, &len, &alg, &alg_len);
	char *p;

	if (!status && call->n_args > 2) {
		status = arg_str(c, call, 2, &enc, &enc_len);
	}
	if (status) {
		return status;
	}
	n = campo_expr_digest(alg, alg_len, s, len, d);
	if (!n) {
		return campo_diag_set(c->diag, CAMPO_ERR_INVALID,
				      "unknown digest '%.*s'",
				      (int)(alg_len > 30 ? 30 : alg_len), alg);
	}
	p = campo_expr_scratch_alloc(c, 2 * n + 4, &status);
	if (!p) {
		return status;
	}
	if (enc_len == 3 && !memcmp(enc, "hex", 3)) {
		for (size_t i = 0; i < n; i++) {
			p[w++] = hex[d[i] >> 4];
			p[w++] = hex[d[i] & 15];
		}
	} else {
		for (size_t i = 0; i < n; i += 3) {
			uint32_t v = (uint32_t)d[i] << 16;

			v |= i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0;
			v |= i + 2 < n ? d[i + 2] : 0;
			p[w++] = b64[v >> 18 & 63];
			p[w++] = b64[v >> 12 & 63];
			p[w++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
			p[w++] = i + 2 < n ? b64[v & 63] : '=';
		}
	}
	set_str(out, p, w);
	return CAMPO_OK;
}

/* ---- the table ---- */

const struct campo_expr_func campo_expr_funcs[] = {
	{ .name = "abs", .min_args = 1, .max_args = 1, .run = fn_abs },
	{ .name = "acos", .min_args = 1, .max_args = 1, .run = fn_acos },
	{ .name = "asin", .min_args = 1, .max_args = 1, .run = fn_asin },
	{ .name = "atan", .min_args = 1, .max_args = 1, .run = fn_atan },
	{ .name = "atan2", .min_args = 2, .max_args = 2, .run = fn_atan2 },
	{ .name = "boolean", .min_args = 1, .max_args = 1, .run = fn_boolean },
	{ .name = "boolean-from-string",
	  .min_args = 1,
	  .max_args = 1,
	  .run = fn_boolean_from_string },
	{ .name = "ceiling", .min_args = 1, .max_args = 1, .run = fn_ceiling },
	{ .name = "checklist",
	  .min_args = 2,
	  .max_args = ANY,
	  .run = fn_checklist },
	{ .name = "coalesce",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_coalesce },
	{ .name = "concat", .min_args = 0, .max_args = ANY, .run = fn_concat },
	{ .name = "contains",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_contains },
	{ .name = "cos", .min_args = 1, .max_args = 1, .run = fn_cos },
	{ .name = "count", .min_args = 1, .max_args = 1, .run = fn_count },
	{ .name = "count-non-empty",
	  .min_args = 1,
	  .max_args = 1,
	  .run = fn_count_non_empty },
	{ .name = "count-selected",
	  .min_args = 1,
	  .max_args = 1,
	  .run = fn_count_selected },
	{ .name = "date", .min_args = 1, .max_args = 1, .run = fn_date },
	{ .name = "date-time",
	  .min_args = 1,
	  .max_args = 1,
	  .run = fn_date_time },
	{ .name = "decimal-date-time",
	  .min_args = 1,
	  .max_args = 1,
	  .run = fn_decimal_date_time },
	{ .name = "decimal-time",
	  .min_args = 1,
	  .max_args = 1,
	  .run = fn_decimal_time },
	{ .name = "digest", .min_args = 2, .max_args = 3, .run = fn_digest },
	{ .name = "ends-with",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_ends_with },
	{ .name = "exp", .min_args = 1, .max_args = 1, .run = fn_exp },
	{ .name = "exp10", .min_args = 1, .max_args = 1, .run = fn_exp10 },
	{ .name = "false", .min_args = 0, .max_args = 0, .run = fn_false },
	{ .name = "floor", .min_args = 1, .max_args = 1, .run = fn_floor },
	{ .name = "format-date",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_format_date },
	{ .name = "format-date-time",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_format_date },
	{ .name = "if", .min_args = 3, .max_args = 3, .run = fn_if },
	{ .name = "indexed-repeat",
	  .min_args = 3,
	  .max_args = 7,
	  .run = fn_indexed_repeat,
	  .prepare = prep_indexed_repeat },
	{ .name = "int", .min_args = 1, .max_args = 1, .run = fn_int },
	{ .name = "join", .min_args = 1, .max_args = ANY, .run = fn_join },
	{ .name = "jr:choice-name",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_jr_choice_name,
	  .prepare = prep_choice_name },
	{ .name = "log", .min_args = 1, .max_args = 1, .run = fn_log },
	{ .name = "log10", .min_args = 1, .max_args = 1, .run = fn_log10 },
	{ .name = "max", .min_args = 1, .max_args = ANY, .run = fn_max },
	{ .name = "min", .min_args = 1, .max_args = ANY, .run = fn_min },
	{ .name = "normalize-space",
	  .min_args = 0,
	  .max_args = 1,
	  .run = fn_normalize_space },
	{ .name = "not", .min_args = 1, .max_args = 1, .run = fn_not },
	{ .name = "now", .min_args = 0, .max_args = 0, .run = fn_now },
	{ .name = "number", .min_args = 0, .max_args = 1, .run = fn_number },
	{ .name = "once", .min_args = 1, .max_args = 1, .run = fn_once },
	{ .name = "pi", .min_args = 0, .max_args = 0, .run = fn_pi },
	{ .name = "position",
	  .min_args = 0,
	  .max_args = 1,
	  .run = fn_position },
	{ .name = "pow", .min_args = 2, .max_args = 2, .run = fn_pow },
	{ .name = "random", .min_args = 0, .max_args = 0, .run = fn_random },
	{ .name = "regex",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_regex,
	  .prepare = prep_regex },
	{ .name = "round", .min_args = 1, .max_args = 2, .run = fn_round },
	{ .name = "selected",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_selected },
	{ .name = "selected-at",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_selected_at },
	{ .name = "sin", .min_args = 1, .max_args = 1, .run = fn_sin },
	{ .name = "sqrt", .min_args = 1, .max_args = 1, .run = fn_sqrt },
	{ .name = "starts-with",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_starts_with },
	{ .name = "string", .min_args = 0, .max_args = 1, .run = fn_string },
	{ .name = "string-length",
	  .min_args = 0,
	  .max_args = 1,
	  .run = fn_string_length },
	{ .name = "substr", .min_args = 2, .max_args = 3, .run = fn_substr },
	{ .name = "substring",
	  .min_args = 2,
	  .max_args = 3,
	  .run = fn_substring },
	{ .name = "substring-after",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_substring_after },
	{ .name = "substring-before",
	  .min_args = 2,
	  .max_args = 2,
	  .run = fn_substring_before },
	{ .name = "sum", .min_args = 1, .max_args = 1, .run = fn_sum },
	{ .name = "tan", .min_args = 1, .max_args = 1, .run = fn_tan },
	{ .name = "today", .min_args = 0, .max_args = 0, .run = fn_today },
	{ .name = "translate",
	  .min_args = 3,
	  .max_args = 3,
	  .run = fn_translate },
	{ .name = "true", .min_args = 0, .max_args = 0, .run = fn_true },
	{ .name = "uuid", .min_args = 0, .max_args = 1, .run = fn_uuid },
	{ .name = "weighted-checklist",
	  .min_args = 3,
	  .max_args = ANY,
	  .run = fn_weighted_checklist },
};

const size_t campo_expr_n_funcs =
	sizeof(campo_expr_funcs) / sizeof(campo_expr_funcs[0]);

int32_t campo_expr_func_find(const char *name, size_t len)
{
	for (size_t i = 0; i < campo_expr_n_funcs; i++) {
		if (strlen(campo_expr_funcs[i].name) == len &&
		    !memcmp(campo_expr_funcs[i].name, name, len)) {
			return (int32_t)i;
		}
	}
	return -1;
}
