/* SPDX-License-Identifier: MIT */
/* Expression evaluation: values, node-sets, conversions and comparisons
 * (XPath 1.0 sections 3.4 and 4, with the project's POLICY.md).
 *
 * Deviations from XPath 1.0, all from POLICY.md or the cases:
 *   - a question's value that looks like a date (YYYY-MM-DD) is a date in
 *     arithmetic and relational comparisons; a string literal never is;
 *   - NaN prints as "" and numbers from 1e21 up print as JS does (1e+21);
 *   - a node-set is true when one of its values is not empty, except that
 *     the whole expression's boolean is true when the set is not empty.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "form/expr-internal.h"
#include "util/alloc.h"

#define REGEX_CACHE 8
#define MAX_ITEMS (1u << 20)

struct block {
	char *mem;
	size_t cap, used;
};

struct regex_entry {
	char *pattern;
	size_t len;
	pcre2_code *code; /* NULL: the pattern does not compile */
};

struct campo_eval_scratch_ {
	struct block *blocks;
	size_t n_blocks, cap_blocks, cur, total;
	struct campo_expr_item *items;
	size_t n_items, cap_items;
	pcre2_match_data *md;
	struct regex_entry cache[REGEX_CACHE];
	unsigned cache_next;
};

/* ---- scratch ---- */

char *campo_expr_scratch_alloc(struct campo_expr_ctx *c, size_t n,
			       enum campo_status *status)
{
	struct campo_eval_scratch_ *sc = c->sc;
	struct block *b;
	size_t cap;

	while (sc->cur < sc->n_blocks) {
		b = &sc->blocks[sc->cur];
		if (b->cap - b->used >= n) {
			char *p = b->mem + b->used;

			b->used += n;
			return p;
		}
		if (sc->cur + 1 >= sc->n_blocks) {
			break;
		}
		sc->blocks[++sc->cur].used = 0;
	}
	cap = sc->n_blocks ? sc->blocks[sc->n_blocks - 1].cap * 2 : 4096;
	if (cap < n) {
		cap = n;
	}
	if (sc->total + cap > CAMPO_EXPR_MAX_SCRATCH) {
		cap = n;
		if (sc->total + cap > CAMPO_EXPR_MAX_SCRATCH) {
			*status = campo_diag_set(c->diag, CAMPO_ERR_LIMIT,
						 "expression needs more than "
						 "%u bytes",
						 CAMPO_EXPR_MAX_SCRATCH);
			return NULL;
		}
	}
	if (campo_grow((void **)&sc->blocks, &sc->cap_blocks, sc->n_blocks + 1,
		       sizeof(*sc->blocks))) {
		*status = CAMPO_ERR_NOMEM;
		return NULL;
	}
	b = &sc->blocks[sc->n_blocks];
	b->mem = malloc(cap);
	if (!b->mem) {
		*status = CAMPO_ERR_NOMEM;
		return NULL;
	}
	b->cap = cap;
	b->used = n;
	sc->total += cap;
	sc->cur = sc->n_blocks++;
	return b->mem;
}

char *campo_expr_scratch_extend(struct campo_expr_ctx *c, const char *p,
				size_t len, size_t more)
{
	struct campo_eval_scratch_ *sc = c->sc;
	struct block *b;

	if (!sc->n_blocks || !len) {
		return NULL;
	}
	b = &sc->blocks[sc->cur];
	if (p + len != b->mem + b->used || b->cap - b->used < more) {
		return NULL;
	}
	b->used += more;
	return b->mem + (p - b->mem);
}

struct mark {
	size_t cur, used, items;
};

static struct mark scratch_mark(const struct campo_expr_ctx *c)
{
	struct mark m = { .cur = c->sc->cur, .items = c->sc->n_items };

	m.used = c->sc->n_blocks ? c->sc->blocks[c->sc->cur].used : 0;
	return m;
}

static void scratch_rewind(struct campo_expr_ctx *c, const struct mark *m)
{
	c->sc->cur = m->cur;
	if (c->sc->n_blocks) {
		c->sc->blocks[m->cur].used = m->used;
	}
	c->sc->n_items = m->items;
}

/* The common case, kept inline: there is room. */
static inline enum campo_status push(struct campo_expr_ctx *c,
				     const struct campo_expr_item *it)
{
	struct campo_eval_scratch_ *sc = c->sc;

	if (sc->n_items < sc->cap_items) {
		sc->items[sc->n_items++] = *it;
		return CAMPO_OK;
	}
	return campo_expr_item_push(c, it);
}

enum campo_status campo_expr_item_push(struct campo_expr_ctx *c,
				       const struct campo_expr_item *it)
{
	struct campo_eval_scratch_ *sc = c->sc;

	if (sc->n_items >= MAX_ITEMS) {
		return campo_diag_set(c->diag, CAMPO_ERR_LIMIT,
				      "node-set larger than %u items",
				      MAX_ITEMS);
	}
	if (sc->n_items >= sc->cap_items &&
	    campo_grow((void **)&sc->items, &sc->cap_items, sc->n_items + 1,
		       sizeof(*sc->items))) {
		return CAMPO_ERR_NOMEM;
	}
	sc->items[sc->n_items++] = *it;
	return CAMPO_OK;
}

size_t campo_expr_items_top(const struct campo_expr_ctx *c)
{
	return c->sc->n_items;
}

void campo_expr_items_pop(struct campo_expr_ctx *c, size_t top)
{
	if (top < c->sc->n_items) {
		c->sc->n_items = top;
	}
}

const struct campo_expr_item *
campo_expr_set_items(const struct campo_expr_ctx *c,
		     const struct campo_expr_val *v)
{
	/* no item was ever pushed: an empty set has no array to point in */
	return c->sc->items ? c->sc->items + v->off : NULL;
}

/* ---- node-sets ---- */

static const struct campo_inode *root_of(const struct campo_expr_ctx *c)
{
	return campo_instance_root_const(c->ev->data);
}

static const struct campo_inode *ctx_node(const struct campo_expr_ctx *c)
{
	return c->ev->node ? c->ev->node : root_of(c);
}

/* The instance of repeat `repeat` at or above node, or NULL. */
static const struct campo_inode *scope_of(const struct campo_inode *node,
					  int32_t repeat)
{
	while (node && campo_inode_repeat(node) != repeat) {
		node = campo_inode_parent(node);
	}
	return node;
}

static enum campo_status descend(struct campo_expr_ctx *c,
				 const struct campo_inode *node,
				 const int32_t *rep, int k, uint32_t field)
{
	const struct campo_form *form = c->e->form;
	struct campo_inode *const *kids;
	struct campo_expr_item it;
	enum campo_status status;
	size_t n;

	if (k < 0) {
		it.node = node;
		it.field = (int32_t)field;
		it.s = form->fields[field].type == CAMPO_TYPE_REPEAT
			       ? ""
			       : campo_inode_value(node, field);
		return push(c, &it);
	}
	kids = campo_inode_children(node, (uint32_t)rep[k], &n);
	for (size_t p = 0; p < n; p++) {
		status = descend(c, kids[p], rep, k - 1, field);
		if (status) {
			return status;
		}
	}
	return CAMPO_OK;
}

enum campo_status campo_expr_gather(struct campo_expr_ctx *c,
				    const struct campo_inode *node,
				    uint32_t field, size_t *n)
{
	const struct campo_form *form = c->e->form;
	const struct campo_field *f = &form->fields[field];
	int32_t rep[CAMPO_FORM_MAX_DEPTH + 1];
	size_t top = campo_expr_items_top(c);
	const struct campo_inode *base = NULL;
	enum campo_status status;
	int m = 0, j;

	/* the repeats around the field, innermost first (a repeat itself
	 * counts: its items are its instances) */
	for (int32_t r = f->type == CAMPO_TYPE_REPEAT ? (int32_t)field
						      : f->repeat;
	     r >= 0 && m <= CAMPO_FORM_MAX_DEPTH; r = form->fields[r].repeat) {
		rep[m++] = r;
	}
	/* the innermost of them that node is inside: from there on down,
	 * every instance counts */
	/* (a repeat named from inside itself still means all its
	 * instances, as pyxform's absolute path does) */
	for (j = f->type == CAMPO_TYPE_REPEAT ? 1 : 0; j < m; j++) {
		base = scope_of(node, rep[j]);
		if (base) {
			break;
		}
	}
	if (!base) {
		base = root_of(c);
	}
	status = descend(c, base, rep, j - 1, field);
	*n = campo_expr_items_top(c) - top;
	return status;
}

static enum campo_status set_of(struct campo_expr_ctx *c,
				const struct campo_expr_item *it,
				struct campo_expr_val *out)
{
	enum campo_status status;

	out->type = VAL_SET;
	out->off = campo_expr_items_top(c);
	status = campo_expr_item_push(c, it);
	out->n = 1;
	return status;
}

/* ---- conversions ---- */

static double node_num(const char *s)
{
	size_t len = strlen(s);
	double d = campo_expr_num_parse(s, len);
	bool has_time;

	/* date questions yield dates (POLICY.md "Values") */
	if (isnan(d) && len >= 8 &&
	    campo_expr_date_parse(s, len, &d, &has_time) != DATE_OK) {
		d = (double)NAN;
	}
	return d;
}

double campo_expr_val_num(const struct campo_expr_ctx *c,
			  const struct campo_expr_val *v)
{
	switch (v->type) {
	case VAL_NUM:
	case VAL_BOOL:
	case VAL_DATE:
		return v->num;
	case VAL_STR:
		return campo_expr_num_parse(v->s, v->len);
	case VAL_SET:
		return v->n ? node_num(c->sc->items[v->off].s) : (double)NAN;
	}
	return (double)NAN;
}

static bool item_bool(const struct campo_expr_ctx *c,
		      const struct campo_expr_item *it)
{
	if (it->field < 0 ||
	    campo_type_info(c->e->form->fields[it->field].type)->container) {
		return true;
	}
	return it->s[0] != '\0';
}

bool campo_expr_val_bool(const struct campo_expr_ctx *c,
			 const struct campo_expr_val *v)
{
	switch (v->type) {
	case VAL_NUM:
		return !(v->num == 0 || isnan(v->num));
	case VAL_DATE:
		return !isnan(v->num); /* 1970-01-01 is a date, not zero */
	case VAL_BOOL:
		return v->num != 0;
	case VAL_STR:
		return v->len > 0;
	case VAL_SET:
		for (size_t i = 0; i < v->n; i++) {
			if (item_bool(c, &c->sc->items[v->off + i])) {
				return true;
			}
		}
		return false;
	}
	return false;
}

enum campo_status campo_expr_val_str(struct campo_expr_ctx *c,
				     const struct campo_expr_val *v,
				     const char **s, size_t *len)
{
	enum campo_status status = CAMPO_OK;
	char buf[CAMPO_EXPR_NUM_MAX];
	size_t n;
	char *p;

	switch (v->type) {
	case VAL_STR:
		*s = v->s;
		*len = v->len;
		return CAMPO_OK;
	case VAL_BOOL:
		*s = v->num != 0 ? "true" : "false";
		*len = strlen(*s);
		return CAMPO_OK;
	case VAL_SET:
		*s = v->n ? c->sc->items[v->off].s : "";
		*len = strlen(*s);
		return CAMPO_OK;
	case VAL_NUM:
		n = campo_expr_num_format(v->num, buf);
		break;
	case VAL_DATE:
		if (isnan(v->num) || isinf(v->num)) {
			*s = "Invalid Date";
			*len = strlen(*s);
			return CAMPO_OK;
		}
		n = campo_expr_date_format(v->num, v->has_time, buf);
		break;
	default:
		*s = "";
		*len = 0;
		return CAMPO_OK;
	}
	p = campo_expr_scratch_alloc(c, n ? n : 1, &status);
	if (!p) {
		return status;
	}
	memcpy(p, buf, n);
	*s = p;
	*len = n;
	return CAMPO_OK;
}

/* ---- comparisons (XPath 1.0 section 3.4) ---- */

static bool cmp_num(enum campo_expr_kind op, double a, double b)
{
	switch (op) {
	case NODE_EQ:
		return a == b;
	case NODE_NE:
		return a != b;
	case NODE_LT:
		return a < b;
	case NODE_LE:
		return a <= b;
	case NODE_GT:
		return a > b;
	default:
		return a >= b;
	}
}

static bool cmp_str(enum campo_expr_kind op, const char *a, size_t alen,
		    const char *b, size_t blen)
{
	bool eq = alen == blen && !memcmp(a, b, alen);

	return op == NODE_EQ ? eq : !eq;
}

static enum campo_expr_kind flip(enum campo_expr_kind op)
{
	switch (op) {
	case NODE_LT:
		return NODE_GT;
	case NODE_LE:
		return NODE_GE;
	case NODE_GT:
		return NODE_LT;
	case NODE_GE:
		return NODE_LE;
	default:
		return op;
	}
}

static enum campo_status compare(struct campo_expr_ctx *c,
				 enum campo_expr_kind op,
				 const struct campo_expr_val *a,
				 const struct campo_expr_val *b, bool *out)
{
	bool eq = op == NODE_EQ || op == NODE_NE;
	enum campo_status status;
	const char *s, *t;
	size_t slen, tlen;

	if (a->type != VAL_SET && b->type == VAL_SET) {
		return compare(c, flip(op), b, a, out);
	}
	*out = false;
	if (a->type == VAL_SET) {
		const struct campo_expr_item *x = campo_expr_set_items(c, a);

		if (b->type == VAL_BOOL) {
			*out = cmp_num(op, campo_expr_val_bool(c, a) ? 1 : 0,
				       b->num);
			return CAMPO_OK;
		}
		for (size_t i = 0; i < a->n && !*out; i++) {
			if (b->type == VAL_SET) {
				const struct campo_expr_item *y =
					campo_expr_set_items(c, b);

				for (size_t k = 0; k < b->n && !*out; k++) {
					*out = eq ? cmp_str(op, x[i].s,
							    strlen(x[i].s),
							    y[k].s,
							    strlen(y[k].s))
						  : cmp_num(op,
							    node_num(x[i].s),
							    node_num(y[k].s));
				}
			} else if (b->type == VAL_STR && eq) {
				*out = cmp_str(op, x[i].s, strlen(x[i].s), b->s,
					       b->len);
			} else {
				*out = cmp_num(op, node_num(x[i].s),
					       campo_expr_val_num(c, b));
			}
		}
		return CAMPO_OK;
	}
	if (eq) {
		if (a->type == VAL_BOOL || b->type == VAL_BOOL) {
			*out = cmp_num(op, campo_expr_val_bool(c, a),
				       campo_expr_val_bool(c, b));
			return CAMPO_OK;
		}
		if (a->type == VAL_STR && b->type == VAL_STR) {
			*out = cmp_str(op, a->s, a->len, b->s, b->len);
			return CAMPO_OK;
		}
		if (a->type == VAL_STR || b->type == VAL_STR ||
		    a->type == VAL_NUM || b->type == VAL_NUM ||
		    a->type == VAL_DATE || b->type == VAL_DATE) {
			*out = cmp_num(op, campo_expr_val_num(c, a),
				       campo_expr_val_num(c, b));
			return CAMPO_OK;
		}
		status = campo_expr_val_str(c, a, &s, &slen);
		if (!status) {
			status = campo_expr_val_str(c, b, &t, &tlen);
		}
		if (!status) {
			*out = cmp_str(op, s, slen, t, tlen);
		}
		return status;
	}
	*out = cmp_num(op, campo_expr_val_num(c, a), campo_expr_val_num(c, b));
	return CAMPO_OK;
}

/* ---- the tree ---- */

static enum campo_status eval_filter(struct campo_expr_ctx *c,
				     const struct campo_expr_node *n,
				     struct campo_expr_val *out)
{
	const struct campo_expr_item *saved = c->item;
	struct campo_expr_item saved_copy = c->item_copy;
	size_t saved_pos = c->item_pos, saved_size = c->item_size;
	enum campo_status status;
	struct campo_expr_val set, pred;
	size_t w = 0;

	status = campo_expr_eval_node(c, n->a, &set);
	if (status) {
		return status;
	}
	if (set.type != VAL_SET) {
		out->type = VAL_SET;
		out->off = campo_expr_items_top(c);
		out->n = 0;
		return CAMPO_OK;
	}
	for (size_t i = 0; i < set.n; i++) {
		struct mark m;
		bool keep;

		c->item_copy = c->sc->items[set.off + i];
		c->item = &c->item_copy;
		c->item_pos = i + 1;
		c->item_size = set.n;
		m = scratch_mark(c);
		status = campo_expr_eval_node(c, n->b, &pred);
		if (status) {
			break;
		}
		keep = pred.type == VAL_NUM ? pred.num == (double)(i + 1)
					    : campo_expr_val_bool(c, &pred);
		/* the predicate's result is read; its scratch is not needed */
		scratch_rewind(c, &m);
		if (keep) {
			c->sc->items[set.off + w++] = c->sc->items[set.off + i];
		}
	}
	c->item = saved;
	c->item_copy = saved_copy;
	c->item_pos = saved_pos;
	c->item_size = saved_size;
	campo_expr_items_pop(c, set.off + w);
	*out = set;
	out->n = w;
	return status;
}

static enum campo_status eval_step(struct campo_expr_ctx *c,
				   const struct campo_expr_node *n,
				   struct campo_expr_val *out)
{
	enum campo_status status;
	struct campo_expr_val set;
	size_t start, total;

	status = campo_expr_eval_node(c, n->a, &set);
	if (status) {
		return status;
	}
	out->type = VAL_SET;
	if (set.type != VAL_SET) {
		out->off = campo_expr_items_top(c);
		out->n = 0;
		return CAMPO_OK;
	}
	start = campo_expr_items_top(c);
	for (size_t i = 0; i < set.n; i++) {
		const struct campo_expr_item *it = &c->sc->items[set.off + i];
		const struct campo_inode *node = it->node;
		size_t k;

		if (!node) {
			continue;
		}
		status = campo_expr_gather(c, node, (uint32_t)n->field, &k);
		if (status) {
			return status;
		}
	}
	total = campo_expr_items_top(c) - start;
	if (total) {
		memmove(c->sc->items + set.off, c->sc->items + start,
			total * sizeof(*c->sc->items));
	}
	campo_expr_items_pop(c, set.off + total);
	out->off = set.off;
	out->n = total;
	return CAMPO_OK;
}

static enum campo_status eval_self(struct campo_expr_ctx *c, bool parent,
				   struct campo_expr_val *out)
{
	const struct campo_form *form = c->e->form;
	const struct campo_inode *node = ctx_node(c);
	struct campo_expr_item it = { .s = "", .node = node, .field = -1 };
	int32_t field = c->ev->field;

	if (c->item && !parent) {
		return set_of(c, c->item, out);
	}
	if (c->item) {
		node = c->item->node;
		field = c->item->field;
	}
	if (field >= 0 && parent) {
		field = form->fields[field].parent;
		if (field >= 0 &&
		    form->fields[field].type == CAMPO_TYPE_REPEAT) {
			const struct campo_inode *inst = scope_of(node, field);

			if (inst) {
				node = inst;
			}
		}
	}
	it.node = node;
	it.field = field;
	if (field >= 0 &&
	    !campo_type_info(form->fields[field].type)->container) {
		it.s = campo_inode_value(node, (uint32_t)field);
	}
	return set_of(c, &it, out);
}

static const char *column_of(const struct campo_expr_ctx *c, int32_t col)
{
	const struct campo_form *form = c->e->form;
	const struct campo_choice_list *l;
	const struct campo_choice *ch;
	const char *s;

	if (c->ev->list < 0 || (size_t)c->ev->list >= form->n_lists) {
		return "";
	}
	l = &form->lists[c->ev->list];
	if (c->ev->choice >= l->n_choices) {
		return "";
	}
	ch = &l->choices[c->ev->choice];
	if (col == -1) {
		return ch->name;
	}
	if (col == -2) {
		s = campo_i18n_get(form, &ch->label, c->ev->lang);
		return s ? s : "";
	}
	if ((size_t)col < l->n_columns && ch->values && ch->values[col]) {
		return ch->values[col];
	}
	return "";
}

enum campo_status campo_expr_eval_node(struct campo_expr_ctx *c, uint32_t i,
				       struct campo_expr_val *out)
{
	const struct campo_expr_node *n = &c->e->nodes[i];
	size_t top = campo_expr_items_top(c);
	enum campo_status status = CAMPO_OK;
	struct campo_expr_val a, b;
	bool r = false;

	memset(out, 0, sizeof(*out));
	switch (n->kind) {
	case NODE_NUM:
		out->type = VAL_NUM;
		out->num = n->num;
		return CAMPO_OK;
	case NODE_STR:
		out->type = VAL_STR;
		out->s = n->str;
		out->len = n->len;
		return CAMPO_OK;
	case NODE_COLUMN:
		out->type = VAL_STR;
		out->s = column_of(c, n->field);
		out->len = strlen(out->s);
		return CAMPO_OK;
	case NODE_REF:
	case NODE_NAME:
		out->type = VAL_SET;
		out->off = top;
		return campo_expr_gather(c,
					 n->kind == NODE_NAME && c->item &&
							 c->item->node
						 ? c->item->node
						 : ctx_node(c),
					 (uint32_t)n->field, &out->n);
	case NODE_SELF:
	case NODE_PARENT:
		return eval_self(c, n->kind == NODE_PARENT, out);
	case NODE_OR:
	case NODE_AND:
		status = campo_expr_eval_node(c, n->a, &a);
		if (status) {
			return status;
		}
		r = campo_expr_val_bool(c, &a);
		campo_expr_items_pop(c, top);
		if (r == (n->kind == NODE_AND)) {
			status = campo_expr_eval_node(c, n->b, &b);
			if (status) {
				return status;
			}
			r = campo_expr_val_bool(c, &b);
		}
		out->type = VAL_BOOL;
		out->num = r;
		break;
	case NODE_EQ:
	case NODE_NE:
	case NODE_LT:
	case NODE_LE:
	case NODE_GT:
	case NODE_GE:
		status = campo_expr_eval_node(c, n->a, &a);
		if (!status) {
			status = campo_expr_eval_node(c, n->b, &b);
		}
		if (!status) {
			status = compare(c, n->kind, &a, &b, &r);
		}
		out->type = VAL_BOOL;
		out->num = r;
		break;
	case NODE_ADD:
	case NODE_SUB:
	case NODE_MUL:
	case NODE_DIV:
	case NODE_MOD: {
		double x, y;

		status = campo_expr_eval_node(c, n->a, &a);
		if (!status) {
			status = campo_expr_eval_node(c, n->b, &b);
		}
		if (status) {
			return status;
		}
		x = campo_expr_val_num(c, &a);
		y = campo_expr_val_num(c, &b);
		out->type = VAL_NUM;
		out->num = n->kind == NODE_ADD	 ? x + y
			   : n->kind == NODE_SUB ? x - y
			   : n->kind == NODE_MUL ? x * y
			   : n->kind == NODE_DIV ? x / y
						 : fmod(x, y);
		break;
	}
	case NODE_NEG:
		status = campo_expr_eval_node(c, n->a, &a);
		out->type = VAL_NUM;
		out->num = -campo_expr_val_num(c, &a);
		break;
	case NODE_UNION:
		status = campo_expr_eval_node(c, n->a, &a);
		if (!status) {
			status = campo_expr_eval_node(c, n->b, &b);
		}
		out->type = VAL_SET;
		out->off = top;
		out->n = campo_expr_items_top(c) - top;
		if (!status && (a.type != VAL_SET || b.type != VAL_SET)) {
			/* only node-sets unite; keep what is a set */
			out->n = 0;
			campo_expr_items_pop(c, top);
		}
		return status;
	case NODE_FILTER:
		return eval_filter(c, n, out);
	case NODE_STEP:
		return eval_step(c, n, out);
	case NODE_CALL:
		status = campo_expr_funcs[n->func].run(c, n, out);
		break;
	}
	if (out->type != VAL_SET) {
		campo_expr_items_pop(c, top);
	}
	return status;
}

enum campo_status campo_expr_arg(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call, uint32_t i,
				 struct campo_expr_val *out)
{
	return campo_expr_eval_node(c, c->e->args[call->a + i], out);
}

/* ---- regular expressions ---- */

void *campo_expr_regex_compile(const char *re, size_t len, char *msg,
			       size_t msg_len, size_t *err_off)
{
	int err = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *code =
		pcre2_compile((PCRE2_SPTR)re, len, PCRE2_UTF, &err, &off, NULL);

	if (!code) {
		PCRE2_UCHAR buf[160];

		if (pcre2_get_error_message(err, buf, sizeof(buf)) < 0) {
			buf[0] = '\0';
		}
		snprintf(msg, msg_len, "%s", (const char *)buf);
		*err_off = off;
		return NULL;
	}
	/* JIT is an optimisation: no JIT, same answers */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

void campo_expr_regex_free(void *code)
{
	pcre2_code_free(code);
}

enum campo_status campo_expr_regex_match(struct campo_expr_ctx *c,
					 const struct campo_expr_node *call,
					 const char *s, size_t len,
					 const char *re, size_t re_len,
					 bool *out)
{
	struct campo_eval_scratch_ *sc = c->sc;
	pcre2_code *code = NULL;
	int rc;

	*out = false;
	if (call->regex >= 0) {
		code = c->e->regex[call->regex];
	} else {
		struct regex_entry *hit = NULL;

		for (unsigned k = 0; k < REGEX_CACHE; k++) {
			struct regex_entry *r = &sc->cache[k];

			if (r->pattern && r->len == re_len &&
			    !memcmp(r->pattern, re, re_len)) {
				hit = r;
				break;
			}
		}
		if (!hit) {
			char msg[160];
			size_t off;

			hit = &sc->cache[sc->cache_next++ % REGEX_CACHE];
			free(hit->pattern);
			pcre2_code_free(hit->code);
			hit->code = NULL;
			hit->pattern = campo_strndup(re, re_len);
			hit->len = re_len;
			if (!hit->pattern) {
				return CAMPO_ERR_NOMEM;
			}
			hit->code = campo_expr_regex_compile(re, re_len, msg,
							     sizeof(msg), &off);
		}
		code = hit->code;
	}
	if (!code) {
		return CAMPO_OK; /* a bad pattern matches nothing */
	}
	if (!sc->md) {
		sc->md = pcre2_match_data_create(1, NULL);
		if (!sc->md) {
			return CAMPO_ERR_NOMEM;
		}
	}
	/* the whole string must match (Collect) */
	rc = pcre2_match(code, (PCRE2_SPTR)s, len, 0,
			 PCRE2_ANCHORED | PCRE2_ENDANCHORED, sc->md, NULL);
	*out = rc >= 0;
	return CAMPO_OK;
}

/* ---- the public face ---- */

void campo_eval_init(struct campo_eval *ev, const struct campo_instance *data)
{
	memset(ev, 0, sizeof(*ev));
	ev->data = data;
	ev->field = -1;
	ev->list = -1;
	ev->lang = campo_instance_form(data)->default_language;
}

void campo_eval_release(struct campo_eval *ev)
{
	struct campo_eval_scratch_ *sc;

	if (!ev || !ev->scratch_) {
		return;
	}
	sc = ev->scratch_;
	for (size_t i = 0; i < sc->n_blocks; i++) {
		free(sc->blocks[i].mem);
	}
	free(sc->blocks);
	free(sc->items);
	pcre2_match_data_free(sc->md);
	for (unsigned k = 0; k < REGEX_CACHE; k++) {
		free(sc->cache[k].pattern);
		pcre2_code_free(sc->cache[k].code);
	}
	free(sc);
	ev->scratch_ = NULL;
}

static enum campo_status run(const struct campo_expr *e, struct campo_eval *ev,
			     struct campo_expr_ctx *c, struct campo_expr_val *v,
			     struct campo_diag *diag)
{
	if (!ev->scratch_) {
		ev->scratch_ = campo_calloc(1, sizeof(*ev->scratch_));
		if (!ev->scratch_) {
			return CAMPO_ERR_NOMEM;
		}
	}
	memset(c, 0, sizeof(*c));
	c->e = e;
	c->ev = ev;
	c->sc = ev->scratch_;
	c->diag = diag;
	c->sc->cur = 0;
	if (c->sc->n_blocks) {
		c->sc->blocks[0].used = 0;
	}
	c->sc->n_items = 0;
	return campo_expr_eval_node(c, e->root, v);
}

enum campo_status campo_expr_eval_text(const struct campo_expr *e,
				       struct campo_eval *ev,
				       struct campo_buf *out,
				       struct campo_diag *diag)
{
	struct campo_expr_ctx c;
	struct campo_expr_val v;
	enum campo_status status = run(e, ev, &c, &v, diag);
	const char *s;
	size_t len;

	if (status) {
		return status;
	}
	status = campo_expr_val_str(&c, &v, &s, &len);
	if (status) {
		return status;
	}
	return campo_buf_add(out, s, len);
}

enum campo_status campo_expr_eval_bool(const struct campo_expr *e,
				       struct campo_eval *ev, bool *out,
				       struct campo_diag *diag)
{
	struct campo_expr_ctx c;
	struct campo_expr_val v;
	enum campo_status status = run(e, ev, &c, &v, diag);

	*out = false;
	if (status) {
		return status;
	}
	/* a bare reference is true when its node exists (the cases) */
	*out = v.type == VAL_SET ? v.n > 0 : campo_expr_val_bool(&c, &v);
	return CAMPO_OK;
}

int64_t campo_expr_now_ms(const struct campo_expr_ctx *c)
{
	struct timespec ts;

	if (c->ev->now_ms) {
		return c->ev->now_ms;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
