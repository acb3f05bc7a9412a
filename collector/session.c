/* SPDX-License-Identifier: MIT */
/* The headless interview controller: one interview over the store. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form/expr.h"
#include "form/instance.h"
#include "session-internal.h"
#include "session.h"
#include "util/alloc.h"
#include "util/buf.h"

#define RETRIES 3	 /* re-applications of a store call */
#define MAX_COUNT 10000u /* instances a repeat_count may ask for */
/* the stored position of the review; no form may name a field so */
#define END_KEY CAMPO_FORM_RESERVED_PREFIX "_end"
#define MAX_CHAIN (CAMPO_FORM_MAX_DEPTH + 2)

/* A place in the interview: a question (or note) of a node, the prompt of
 * repeat `field` under `node`, or the end. */
struct pos {
	enum campo_session_kind kind;
	uint32_t field;
	struct campo_inode *node;
};

/* The order of positions, comparable after instances were renumbered:
 * pairs (2 * field index or 2 * end - 1 for a prompt, instance position)
 * from the root down. */
struct okey {
	size_t n;
	uint64_t k[2 * MAX_CHAIN + 2];
};

/* A ${name} of a label or hint, compiled with the field as context. */
struct lref {
	char *name;
	struct campo_expr *e;
};

struct lrefs {
	struct lref *items;
	size_t n;
};

struct work {
	uint32_t field;
	struct campo_inode *node;
};

struct nodes {
	struct campo_inode **items;
	size_t n, cap;
};

/* What of a field at a node waits to be brought up to date. */
enum {
	DIRTY_CALC = 1u << 0,
	DIRTY_RELEVANT = 1u << 1,
	DIRTY_COUNT = 1u << 2,
	DIRTY_FILTER = 1u << 3, /* choice_filter input changed */
};

struct dirty {
	uint32_t field;
	unsigned what;
	struct campo_inode *node;
};

struct campo_session {
	struct campo_store *store;
	const struct campo_form *form;
	struct campo_instance *inst;
	struct campo_eval ev;
	char id[CAMPO_STORE_ID_LEN + 1];
	enum campo_store_istatus status;
	size_t lang;
	struct pos pos;
	struct okey furthest;
	struct lrefs *lrefs; /* per field */
	int32_t *name_field; /* per repeat field: first text question */
	unsigned changed;    /* bits gathered by the running command */
	bool starting;	     /* defaults of hidden questions are not "becoming"
				hidden: they stay until relevance changes */
	char msg[CAMPO_DIAG_MSG + 64];
	char *iname; /* the instance name last saved */

	struct work *work;
	size_t n_work, cap_work;
	struct dirty *dirty;
	size_t n_dirty, cap_dirty;
	uint32_t *rank; /* per field: place in calc_order */
	struct nodes targets;

	/* a lowered repeat count waiting for campo_session_confirm() */
	struct {
		bool on;
		uint32_t repeat;
		struct campo_inode *node;
		uint32_t target;
		bool has_cause; /* the answer that lowered it */
		uint32_t field;
		struct campo_inode *fnode;
		char *old;
	} pending;
	char pending_text[CAMPO_FORM_MAX_TEXT + 128];

	struct campo_buf tmp, norm, key, label, hint, rlabel, section;
	struct campo_session_choice *choices;
	size_t cap_choices;
	bool *seen; /* per choice of the biggest list */
	size_t n_seen;

	struct campo_session_item *items;
	struct item_offsets *offs; /* per item, into the arena */
	size_t n_items, cap_items, cap_offs;
	struct campo_buf arena;
	bool progress_valid;
	size_t answered, relevant;
};

/* Where an item's strings start in the arena until it stops moving. */
struct item_offsets {
	size_t key, label, display;
};

/* ----- small helpers ----- */

static const struct campo_field *fld(const struct campo_session *s, uint32_t i)
{
	return &s->form->fields[i];
}

static struct campo_inode *root(struct campo_session *s)
{
	return campo_instance_root(s->inst);
}

/* The node of scope `repeat` that is node or encloses it; NULL if none. */
static struct campo_inode *node_for(struct campo_inode *node, int32_t repeat)
{
	while (node && campo_inode_repeat(node) != repeat) {
		node = campo_inode_parent(node);
	}
	return node;
}

static bool node_inside(const struct campo_inode *a,
			const struct campo_inode *b)
{
	for (; a; a = campo_inode_parent(a)) {
		if (a == b) {
			return true;
		}
	}
	return false;
}

static const char *lang_code(const struct campo_session *s)
{
	return s->form->n_languages ? s->form->languages[s->lang] : "en";
}

static void msg_set(struct campo_session *s, enum session_msg id)
{
	snprintf(s->msg, sizeof(s->msg), "%s",
		 session_msg_text(lang_code(s), id));
	s->changed |= CAMPO_SESSION_MESSAGE;
}

static void msg_form(struct campo_session *s, const struct campo_i18n *t,
		     enum session_msg fallback)
{
	const char *text = t->text ? campo_i18n_get(s->form, t, s->lang) : NULL;

	if (!text) {
		msg_set(s, fallback);
		return;
	}
	snprintf(s->msg, sizeof(s->msg), "%s", text);
	s->changed |= CAMPO_SESSION_MESSAGE;
}

/* A failed store call: the message a person can act on. */
static enum campo_status store_failed(struct campo_session *s,
				      enum campo_status status,
				      const struct campo_diag *diag)
{
	if (status == CAMPO_ERR_UNKNOWN) {
		msg_set(s, SESSION_M_NOT_SAVED);
	} else if (status == CAMPO_ERR_IO ||
		   (status == CAMPO_ERR_LIMIT && diag->msg[0])) {
		msg_set(s, SESSION_M_DISK_FULL);
	} else {
		snprintf(s->msg, sizeof(s->msg), "%s",
			 diag->msg[0] ? diag->msg : campo_status_str(status));
		s->changed |= CAMPO_SESSION_MESSAGE;
	}
	return status;
}

static void ev_at(struct campo_session *s, struct campo_inode *node,
		  int32_t field)
{
	s->ev.node = node;
	s->ev.field = field;
	s->ev.list = -1;
	s->ev.choice = 0;
	s->ev.lang = s->lang;
}

static bool eval_bool(struct campo_session *s, const struct campo_expr *e,
		      struct campo_inode *node, int32_t field, bool dflt)
{
	bool out = dflt;

	ev_at(s, node, field);
	if (campo_expr_eval_bool(e, &s->ev, &out, NULL) != CAMPO_OK) {
		return dflt;
	}
	return out;
}

/* Evaluates e into s->tmp; "" on a runtime error. */
static enum campo_status eval_text(struct campo_session *s,
				   const struct campo_expr *e,
				   struct campo_inode *node, int32_t field)
{
	enum campo_status status;

	campo_buf_reset(&s->tmp);
	ev_at(s, node, field);
	status = campo_expr_eval_text(e, &s->ev, &s->tmp, NULL);
	if (status == CAMPO_ERR_NOMEM || status == CAMPO_ERR_LIMIT) {
		return status;
	}
	if (status != CAMPO_OK) {
		campo_buf_reset(&s->tmp);
	}
	return CAMPO_OK;
}

static bool reads(const struct campo_expr *e, uint32_t field)
{
	size_t n, lo = 0, hi;
	const uint32_t *refs;

	if (!e) {
		return false;
	}
	refs = campo_expr_refs(e, &n);
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (refs[mid] == field) {
			return true;
		}
		if (refs[mid] < field) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return false;
}

/* The field's own relevance at node (its scope's node, or for a repeat the
 * node its instances are under). */
static bool own_relevant(struct campo_session *s, uint32_t f,
			 struct campo_inode *node)
{
	const struct campo_field *fd = fld(s, f);

	return !fd->relevant ||
	       eval_bool(s, fd->relevant, node, (int32_t)f, true);
}

/* Relevance with every enclosing group and repeat. */
static bool relevant(struct campo_session *s, uint32_t f,
		     struct campo_inode *node)
{
	for (int32_t a = (int32_t)f; a >= 0; a = fld(s, (uint32_t)a)->parent) {
		struct campo_inode *n =
			node_for(node, fld(s, (uint32_t)a)->repeat);

		if (!n || !own_relevant(s, (uint32_t)a, n)) {
			return false;
		}
	}
	return true;
}

static bool is_question(const struct campo_field *f)
{
	const struct campo_type_info *ti = campo_type_info(f->type);

	return ti->has_value && ti->asks;
}

/* ----- keys ----- */

/* Writes the key of field f at node into b: with prompt, f is a repeat
 * under node and the key names its next instance ("member[4]"). */
static enum campo_status key_build(struct campo_session *s, uint32_t f,
				   struct campo_inode *node, bool prompt,
				   struct campo_buf *b)
{
	uint32_t chain[MAX_CHAIN];
	size_t n = 0;
	enum campo_status status = CAMPO_OK;

	for (int32_t a = (int32_t)f; a >= 0 && n < MAX_CHAIN;
	     a = fld(s, (uint32_t)a)->parent) {
		chain[n++] = (uint32_t)a;
	}
	campo_buf_reset(b);
	while (n-- > 0 && status == CAMPO_OK) {
		const struct campo_field *e = fld(s, chain[n]);
		size_t idx;

		status = campo_buf_adds(b, e->name);
		if (status != CAMPO_OK || e->type != CAMPO_TYPE_REPEAT) {
			if (n && status == CAMPO_OK) {
				status = campo_buf_addc(b, '/');
			}
			continue;
		}
		if (prompt && chain[n] == f) {
			idx = campo_inode_count(node, f) + 1;
		} else {
			struct campo_inode *in =
				node_for(node, (int32_t)chain[n]);

			idx = in ? campo_inode_position(in) : 0;
		}
		status = campo_buf_printf(b, "[%zu]%s", idx, n ? "/" : "");
	}
	if (status == CAMPO_OK && !b->data) {
		status = campo_buf_adds(b, "");
	}
	return status;
}

static enum campo_status pos_key(struct campo_session *s, const struct pos *p,
				 struct campo_buf *b)
{
	if (p->kind == CAMPO_SESSION_END) {
		campo_buf_reset(b);
		return campo_buf_adds(b, END_KEY);
	}
	return key_build(s, p->field, p->node, p->kind == CAMPO_SESSION_PROMPT,
			 b);
}

static void okey_of(struct campo_session *s, const struct pos *p,
		    struct okey *k)
{
	struct campo_inode *chain[MAX_CHAIN];
	size_t n = 0;

	k->n = 0;
	if (p->kind == CAMPO_SESSION_END) {
		k->k[k->n++] = UINT64_MAX;
		k->k[k->n++] = 0;
		return;
	}
	for (struct campo_inode *i = p->node; i && n < MAX_CHAIN;
	     i = campo_inode_parent(i)) {
		chain[n++] = i;
	}
	while (n-- > 0) {
		int32_t r = campo_inode_repeat(chain[n]);

		if (r < 0) {
			continue;
		}
		k->k[k->n++] = 2 * (uint64_t)r;
		k->k[k->n++] = campo_inode_position(chain[n]);
	}
	k->k[k->n++] = p->kind == CAMPO_SESSION_PROMPT
			       ? 2 * (uint64_t)fld(s, p->field)->end - 1
			       : 2 * (uint64_t)p->field;
	k->k[k->n++] = 0;
}

static int okey_cmp(const struct okey *a, const struct okey *b)
{
	size_t n = a->n < b->n ? a->n : b->n;

	for (size_t i = 0; i < n; i++) {
		if (a->k[i] != b->k[i]) {
			return a->k[i] < b->k[i] ? -1 : 1;
		}
	}
	return a->n < b->n ? -1 : a->n > b->n;
}

static enum campo_status instance_add(struct campo_session *s,
				      struct campo_inode *parent, uint32_t r,
				      struct campo_inode **out);

/*
 * Parses key into the field of its last segment and the node that segment
 * is under; *index is that segment's index (0 without one). With create,
 * a missing next instance of a middle segment is added.
 */
static enum campo_status key_parse(struct campo_session *s, const char *key,
				   bool create, uint32_t *field,
				   struct campo_inode **node, size_t *index)
{
	struct campo_inode *n = root(s);
	const char *p = key;
	int32_t prev = -1;

	for (;;) {
		const char *seg = p, *br;
		size_t len, idx = 0;
		int32_t f;
		bool last;

		while (*p && *p != '/') {
			p++;
		}
		len = (size_t)(p - seg);
		last = *p == '\0';
		br = memchr(seg, '[', len);
		if (br) {
			const char *d = br + 1;

			while (d < p && *d >= '0' && *d <= '9' &&
			       idx < 1000000000) {
				idx = idx * 10 + (size_t)(*d - '0');
				d++;
			}
			if (d + 1 != p || *d != ']' || idx == 0) {
				return CAMPO_ERR_NOTFOUND;
			}
			len = (size_t)(br - seg);
		}
		f = campo_form_field_find(s->form, seg, len);
		if (f < 0 || fld(s, (uint32_t)f)->parent != prev) {
			return CAMPO_ERR_NOTFOUND;
		}
		if ((fld(s, (uint32_t)f)->type == CAMPO_TYPE_REPEAT) !=
		    (br != NULL)) {
			/* repeats have an index but a last one may not */
			if (!(last && !br)) {
				return CAMPO_ERR_NOTFOUND;
			}
		}
		if (last) {
			*field = (uint32_t)f;
			*node = n;
			*index = idx;
			return CAMPO_OK;
		}
		if (fld(s, (uint32_t)f)->type == CAMPO_TYPE_REPEAT) {
			size_t count = campo_inode_count(n, (uint32_t)f);

			if (idx == count + 1 && create) {
				enum campo_status status =
					instance_add(s, n, (uint32_t)f, NULL);

				if (status != CAMPO_OK) {
					return status;
				}
			} else if (idx > count) {
				return CAMPO_ERR_NOTFOUND;
			}
			n = campo_inode_child(n, (uint32_t)f, idx);
		}
		prev = f;
		p++;
	}
}

/* ----- saving ----- */

/* Saves value as the answer of f at node, in the store (a draft only) and
 * in the tree; unchanged values write nothing. Pushes the change. */
static enum campo_status push(struct campo_session *s, uint32_t f,
			      struct campo_inode *node)
{
	if (campo_grow((void **)&s->work, &s->cap_work, s->n_work + 1,
		       sizeof(*s->work))) {
		return CAMPO_ERR_NOMEM;
	}
	s->work[s->n_work].field = f;
	s->work[s->n_work].node = node;
	s->n_work++;
	return CAMPO_OK;
}

static enum campo_status save_value(struct campo_session *s, uint32_t f,
				    struct campo_inode *node, const char *v,
				    size_t len)
{
	enum campo_status status;
	struct campo_diag diag = { 0 };
	const char *old = campo_inode_value(node, f);

	if (strlen(old) == len && memcmp(old, v, len) == 0) {
		return CAMPO_OK;
	}
	if (s->status == CAMPO_STORE_DRAFT) {
		status = key_build(s, f, node, false, &s->key);
		if (status != CAMPO_OK) {
			return status;
		}
		for (int i = 0; i < RETRIES; i++) {
			status = campo_store_answer_save(s->store, s->id,
							 campo_buf_str(&s->key),
							 v, len, &diag);
			if (status != CAMPO_ERR_UNKNOWN) {
				break;
			}
		}
		if (status != CAMPO_OK) {
			return store_failed(s, status, &diag);
		}
	}
	status = campo_inode_set(node, f, v, len);
	if (status != CAMPO_OK) {
		return status;
	}
	s->progress_valid = false;
	return push(s, f, node);
}

static enum campo_status recompute(struct campo_session *s, uint32_t f,
				   struct campo_inode *node)
{
	enum campo_status status;
	char *v;

	status = eval_text(s, fld(s, f)->calculation, node, (int32_t)f);
	if (status != CAMPO_OK) {
		return status;
	}
	if (strcmp(campo_buf_str(&s->tmp), campo_inode_value(node, f)) == 0) {
		return CAMPO_OK;
	}
	/* s->tmp is reused by evaluations the save may run */
	v = campo_strndup(campo_buf_str(&s->tmp), s->tmp.len);
	if (!v) {
		return CAMPO_ERR_NOMEM;
	}
	s->changed |= CAMPO_SESSION_OTHERS;
	status = save_value(s, f, node, v, strlen(v));
	free(v);
	return status;
}

/* Clears the answers of fields [from, to) of node's scope and of the
 * instances of repeats among them. */
static enum campo_status clear_range(struct campo_session *s,
				     struct campo_inode *node, uint32_t from,
				     uint32_t to)
{
	int32_t scope = campo_inode_repeat(node);

	for (uint32_t j = from; j < to; j++) {
		const struct campo_field *f = fld(s, j);
		enum campo_status status = CAMPO_OK;

		if (f->repeat != scope) {
			continue;
		}
		if (f->type == CAMPO_TYPE_REPEAT) {
			size_t n = campo_inode_count(node, j);

			for (size_t k = 1; k <= n && status == CAMPO_OK; k++) {
				status = clear_range(
					s, campo_inode_child(node, j, k), j + 1,
					f->end);
			}
			j = f->end - 1;
		} else if (is_question(f) && *campo_inode_value(node, j)) {
			s->changed |= CAMPO_SESSION_OTHERS;
			status = save_value(s, j, node, "", 0);
		}
		if (status != CAMPO_OK) {
			return status;
		}
	}
	return CAMPO_OK;
}

/* Clears what a field that is no longer relevant holds. */
static enum campo_status clear_field(struct campo_session *s, uint32_t f,
				     struct campo_inode *node)
{
	const struct campo_field *fd = fld(s, f);

	if (fd->type == CAMPO_TYPE_GROUP) {
		return clear_range(s, node, f + 1, fd->end);
	}
	if (fd->type == CAMPO_TYPE_REPEAT) {
		size_t n = campo_inode_count(node, f);

		for (size_t k = 1; k <= n; k++) {
			enum campo_status status =
				clear_range(s, campo_inode_child(node, f, k),
					    f + 1, fd->end);

			if (status != CAMPO_OK) {
				return status;
			}
		}
		return CAMPO_OK;
	}
	if (is_question(fd) && *campo_inode_value(node, f)) {
		s->changed |= CAMPO_SESSION_OTHERS;
		return save_value(s, f, node, "", 0);
	}
	return CAMPO_OK;
}

/* Every node of scope `repeat`, into s->targets. */
static enum campo_status collect(struct campo_session *s,
				 struct campo_inode *node, int32_t repeat)
{
	size_t n = 0;
	int32_t r = campo_inode_repeat(node);

	if (r == repeat) {
		if (campo_grow((void **)&s->targets.items, &s->targets.cap,
			       s->targets.n + 1, sizeof(*s->targets.items))) {
			return CAMPO_ERR_NOMEM;
		}
		s->targets.items[s->targets.n++] = node;
		return CAMPO_OK;
	}
	/* the repeat directly in node's scope on the way to `repeat` */
	for (int32_t a = repeat; a >= 0 && n < MAX_CHAIN;
	     a = fld(s, (uint32_t)a)->repeat) {
		n++;
		if (fld(s, (uint32_t)a)->repeat == r) {
			size_t count = campo_inode_count(node, (uint32_t)a);

			for (size_t k = 1; k <= count; k++) {
				enum campo_status status = collect(
					s,
					campo_inode_child(node, (uint32_t)a, k),
					repeat);

				if (status != CAMPO_OK) {
					return status;
				}
			}
			return CAMPO_OK;
		}
	}
	return CAMPO_OK;
}

/* Does any expression of d read a repeat that holds c (indexed-repeat(),
 * position(..), count())? Then every instance must be evaluated again. */
static bool reads_across(struct campo_session *s, uint32_t d, uint32_t c)
{
	const struct campo_field *fd = fld(s, d);
	const struct campo_expr *es[] = {
		fd->relevant,	  fd->constraint,    fd->required,
		fd->calculation,  fd->default_value, fd->choice_filter,
		fd->repeat_count,
	};

	for (size_t i = 0; i < sizeof(es) / sizeof(es[0]); i++) {
		size_t n;
		const uint32_t *refs;

		if (!es[i]) {
			continue;
		}
		refs = campo_expr_refs(es[i], &n);
		for (size_t k = 0; k < n; k++) {
			if (fld(s, refs[k])->type == CAMPO_TYPE_REPEAT &&
			    campo_form_field_within(s->form, c, refs[k])) {
				return true;
			}
		}
	}
	return false;
}

static enum campo_status recount(struct campo_session *s, uint32_t r,
				 struct campo_inode *node);

/* Notes what of d at node must be brought up to date after c changed:
 * merged with what is already pending for it. */
static enum campo_status update(struct campo_session *s, uint32_t d,
				struct campo_inode *node, uint32_t c)
{
	const struct campo_field *fd = fld(s, d);
	unsigned what = 0;

	if (reads(fd->relevant, c)) {
		s->changed |= CAMPO_SESSION_RELEVANCE;
		s->progress_valid = false;
		what |= DIRTY_RELEVANT;
	}
	if (fd->calculation && reads(fd->calculation, c)) {
		what |= DIRTY_CALC;
	}
	if (fd->repeat_count && reads(fd->repeat_count, c)) {
		what |= DIRTY_COUNT;
	}
	if (reads(fd->constraint, c) || reads(fd->required, c) ||
	    reads(fd->choice_filter, c)) {
		s->changed |= CAMPO_SESSION_OTHERS;
		s->progress_valid = false;
	}
	if (reads(fd->choice_filter, c)) {
		what |= DIRTY_FILTER;
	}
	if (!what) {
		return CAMPO_OK;
	}
	for (size_t i = 0; i < s->n_dirty; i++) {
		if (s->dirty[i].field == d && s->dirty[i].node == node) {
			s->dirty[i].what |= what;
			return CAMPO_OK;
		}
	}
	if (campo_grow((void **)&s->dirty, &s->cap_dirty, s->n_dirty + 1,
		       sizeof(*s->dirty))) {
		return CAMPO_ERR_NOMEM;
	}
	s->dirty[s->n_dirty].field = d;
	s->dirty[s->n_dirty].node = node;
	s->dirty[s->n_dirty].what = what;
	s->n_dirty++;
	return CAMPO_OK;
}

/*
 * Drops the codes of select f at node that its choice_filter no longer
 * offers (the region changed, so the comuna chosen before is not in the
 * list any more): the store's audit keeps the old answer, as for a
 * question that becomes irrelevant.
 */
static enum campo_status refilter(struct campo_session *s, uint32_t f,
				  struct campo_inode *node)
{
	const struct campo_field *fd = fld(s, f);
	const struct campo_choice_list *list = &s->form->lists[fd->list];
	const char *v = campo_inode_value(node, f);
	struct campo_buf kept;
	enum campo_status status = CAMPO_OK;

	if (!*v) {
		return CAMPO_OK;
	}
	campo_buf_init(&kept, strlen(v));
	for (const char *p = v; *p && status == CAMPO_OK;) {
		size_t len = strcspn(p, " ");
		int32_t c = campo_form_choice_find(list, p, len);
		bool ok = false;

		if (c >= 0) {
			ev_at(s, node, (int32_t)f);
			s->ev.list = fd->list;
			s->ev.choice = (size_t)c;
			if (campo_expr_eval_bool(fd->choice_filter, &s->ev, &ok,
						 NULL) != CAMPO_OK) {
				ok = false;
			}
			s->ev.list = -1;
		}
		if (ok && kept.len) {
			status = campo_buf_addc(&kept, ' ');
		}
		if (ok && status == CAMPO_OK) {
			status = campo_buf_add(&kept, p, len);
		}
		p += len;
		p += *p == ' ';
	}
	if (status == CAMPO_OK && kept.len != strlen(v)) {
		s->changed |= CAMPO_SESSION_OTHERS;
		status = save_value(s, f, node, campo_buf_str(&kept), kept.len);
	}
	campo_buf_release(&kept);
	return status;
}

/* Relevance and count of a pending field, once every calculation is
 * current (a relevance must never hide an answer on a stale value). */
static enum campo_status settle_checks(struct campo_session *s,
				       const struct dirty *x)
{
	const struct campo_field *fd = fld(s, x->field);

	if (x->what & DIRTY_RELEVANT) {
		if (!relevant(s, x->field, x->node)) {
			return s->starting ? CAMPO_OK
					   : clear_field(s, x->field, x->node);
		}
		if (fd->repeat_count) {
			/* a count answered while the roster was hidden */
			return recount(s, x->field, x->node);
		}
	}
	if (x->what & DIRTY_COUNT) {
		return recount(s, x->field, x->node);
	}
	if ((x->what & DIRTY_FILTER) && !s->starting) {
		return refilter(s, x->field, x->node);
	}
	return CAMPO_OK;
}

/* Updates the dependents of c after it changed at cn; with outside, only
 * those outside repeat `outside` (its instances were added or removed). */
static enum campo_status dependents(struct campo_session *s, uint32_t c,
				    struct campo_inode *cn, int32_t outside)
{
	const struct campo_field *fc = fld(s, c);

	for (size_t k = 0; k < fc->n_dependents; k++) {
		uint32_t d = fc->dependents[k];
		int32_t scope = fld(s, d)->repeat;
		struct campo_inode *a = node_for(cn, scope);
		enum campo_status status = CAMPO_OK;

		if (outside >= 0 &&
		    campo_form_field_within(s->form, d, (uint32_t)outside)) {
			continue;
		}
		s->targets.n = 0;
		if (a && !reads_across(s, d, c)) {
			status = update(s, d, a, c);
		} else {
			status = collect(s, root(s), scope);
			for (size_t t = 0;
			     status == CAMPO_OK && t < s->targets.n; t++) {
				status = update(s, d, s->targets.items[t], c);
			}
		}
		if (status != CAMPO_OK) {
			return status;
		}
	}
	return CAMPO_OK;
}

/*
 * Runs the worklist: each changed value marks what depends on it, in the
 * instances it can reach; calculations are then evaluated in calc_order
 * (so none is saved with a stale input), and relevance and counts are
 * checked only when no calculation is pending.
 */
static enum campo_status propagate(struct campo_session *s)
{
	enum campo_status status = CAMPO_OK;
	size_t i = 0;

	while (status == CAMPO_OK) {
		size_t best = SIZE_MAX;
		struct dirty x;

		if (i < s->n_work) {
			uint32_t c = s->work[i].field;
			struct campo_inode *cn = s->work[i].node;

			i++;
			status = dependents(s, c, cn, -1);
			/* an instance came or went: what reads its questions
			 * from outside (sum(${days}), count(${member}[...])) */
			for (uint32_t j = c + 1;
			     status == CAMPO_OK &&
			     fld(s, c)->type == CAMPO_TYPE_REPEAT &&
			     j < fld(s, c)->end;
			     j++) {
				status = dependents(s, j, cn, (int32_t)c);
			}
			continue;
		}
		if (!s->n_dirty) {
			break;
		}
		for (size_t k = 0; k < s->n_dirty; k++) {
			if ((s->dirty[k].what & DIRTY_CALC) &&
			    (best == SIZE_MAX ||
			     s->rank[s->dirty[k].field] <
				     s->rank[s->dirty[best].field])) {
				best = k;
			}
		}
		if (best != SIZE_MAX) {
			x = s->dirty[best];
			s->dirty[best].what &= ~(unsigned)DIRTY_CALC;
			if (!s->dirty[best].what) {
				s->dirty[best] = s->dirty[--s->n_dirty];
			}
			status = recompute(s, x.field, x.node);
			continue;
		}
		x = s->dirty[0];
		s->dirty[0] = s->dirty[--s->n_dirty];
		status = settle_checks(s, &x);
	}
	s->n_work = 0;
	s->n_dirty = 0;
	return status;
}

/* Keeps the interview's name in the store current. */
static enum campo_status name_update(struct campo_session *s)
{
	enum campo_status status;
	struct campo_diag diag = { 0 };
	char *name;

	if (!s->form->instance_name || s->status != CAMPO_STORE_DRAFT) {
		return CAMPO_OK;
	}
	status = eval_text(s, s->form->instance_name, root(s), -1);
	if (status != CAMPO_OK) {
		return status;
	}
	if (s->iname && strcmp(s->iname, campo_buf_str(&s->tmp)) == 0) {
		return CAMPO_OK;
	}
	name = campo_strdup(campo_buf_str(&s->tmp));
	if (!name) {
		return CAMPO_ERR_NOMEM;
	}
	if (strlen(name) > CAMPO_STORE_TEXT_MAX) {
		name[CAMPO_STORE_TEXT_MAX] = '\0';
	}
	for (int i = 0; i < RETRIES; i++) {
		status = campo_store_interview_name_set(s->store, s->id, name,
							&diag);
		if (status != CAMPO_ERR_UNKNOWN) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		free(name);
		return store_failed(s, status, &diag);
	}
	free(s->iname);
	s->iname = name;
	return CAMPO_OK;
}

/* Defaults, calculations and nested counts of a new instance (or of the
 * root at the start). */
static enum campo_status fill_new(struct campo_session *s,
				  struct campo_inode *node)
{
	int32_t scope = campo_inode_repeat(node);
	uint32_t from = scope < 0 ? 0 : (uint32_t)scope + 1;
	uint32_t to = scope < 0 ? (uint32_t)s->form->n_fields
				: fld(s, (uint32_t)scope)->end;
	enum campo_status status = CAMPO_OK;

	for (uint32_t j = from; j < to && status == CAMPO_OK; j++) {
		const struct campo_field *f = fld(s, j);

		if (f->repeat != scope || !f->default_value ||
		    !is_question(f)) {
			continue;
		}
		status = eval_text(s, f->default_value, node, (int32_t)j);
		if (status == CAMPO_OK && s->tmp.len) {
			char *v = campo_strndup(s->tmp.data, s->tmp.len);

			if (!v) {
				return CAMPO_ERR_NOMEM;
			}
			status = save_value(s, j, node, v, strlen(v));
			free(v);
		}
	}
	for (size_t k = 0; k < s->form->n_calc_order && status == CAMPO_OK;
	     k++) {
		uint32_t f = s->form->calc_order[k];

		if (fld(s, f)->repeat == scope) {
			status = recompute(s, f, node);
		}
	}
	for (uint32_t j = from; j < to && status == CAMPO_OK; j++) {
		const struct campo_field *f = fld(s, j);

		if (f->repeat == scope && f->type == CAMPO_TYPE_REPEAT &&
		    f->repeat_count) {
			status = recount(s, j, node);
		}
	}
	return status;
}

static enum campo_status instance_add(struct campo_session *s,
				      struct campo_inode *parent, uint32_t r,
				      struct campo_inode **out)
{
	enum campo_status status;
	struct campo_diag diag = { 0 };
	struct campo_inode *in;

	if (s->status == CAMPO_STORE_DRAFT) {
		status = key_build(s, r, parent, true, &s->key);
		if (status != CAMPO_OK) {
			return status;
		}
		for (int i = 0; i < RETRIES; i++) {
			status = campo_store_repeat_add(
				s->store, s->id, campo_buf_str(&s->key), &diag);
			if (status != CAMPO_ERR_UNKNOWN) {
				break;
			}
		}
		if (status != CAMPO_OK) {
			return store_failed(s, status, &diag);
		}
	}
	status = campo_inode_add(parent, r, &in);
	if (status != CAMPO_OK) {
		return status;
	}
	s->changed |= CAMPO_SESSION_REPEATS;
	s->progress_valid = false;
	if (out) {
		*out = in;
	}
	status = push(s, r, parent);
	if (status == CAMPO_OK) {
		status = fill_new(s, in);
	}
	return status;
}

/* Removes instance pos of repeat r under parent, in the store and tree. */
static enum campo_status instance_remove(struct campo_session *s,
					 struct campo_inode *parent, uint32_t r,
					 size_t pos)
{
	enum campo_status status;
	struct campo_diag diag = { 0 };
	struct campo_inode *in = campo_inode_child(parent, r, pos);
	size_t count = campo_inode_count(parent, r);

	if (s->status == CAMPO_STORE_DRAFT) {
		status = key_build(s, r, in, false, &s->key);
		if (status != CAMPO_OK) {
			return status;
		}
		for (int i = 0; i < RETRIES; i++) {
			status = campo_store_repeat_remove(
				s->store, s->id, campo_buf_str(&s->key),
				(uint32_t)count, &diag);
			if (status != CAMPO_ERR_UNKNOWN) {
				break;
			}
		}
		if (status != CAMPO_OK) {
			return store_failed(s, status, &diag);
		}
	}
	if (s->pending.on && s->pending.fnode &&
	    node_inside(s->pending.fnode, in)) {
		s->pending.on = false;
	}
	status = campo_inode_remove(parent, r, pos);
	if (status != CAMPO_OK) {
		return status;
	}
	s->changed |= CAMPO_SESSION_REPEATS;
	s->progress_valid = false;
	return push(s, r, parent);
}

/* A count-driven repeat's count was evaluated again. */
static enum campo_status recount(struct campo_session *s, uint32_t r,
				 struct campo_inode *node)
{
	enum campo_status status;
	size_t have = campo_inode_count(node, r);
	unsigned long want = 0;
	const char *v;

	if (!relevant(s, r, node)) {
		return CAMPO_OK;
	}
	status = eval_text(s, fld(s, r)->repeat_count, node, (int32_t)r);
	if (status != CAMPO_OK) {
		return status;
	}
	v = campo_buf_str(&s->tmp);
	/* an unknown count changes nothing: answers are not thrown away */
	if (!*v || *v == '-') {
		return CAMPO_OK;
	}
	for (; *v >= '0' && *v <= '9'; v++) {
		want = want * 10 + (unsigned long)(*v - '0');
		if (want > MAX_COUNT) {
			return CAMPO_OK;
		}
	}
	if (*v && *v != '.') {
		return CAMPO_OK;
	}
	while (have < want) {
		status = instance_add(s, node, r, NULL);
		if (status != CAMPO_OK) {
			return status;
		}
		have++;
	}
	if (have > want) {
		s->pending.on = true;
		s->pending.repeat = r;
		s->pending.node = node;
		s->pending.target = (uint32_t)want;
		s->changed |= CAMPO_SESSION_CONFIRM;
	} else if (s->pending.on && s->pending.repeat == r &&
		   s->pending.node == node) {
		s->pending.on = false;
	}
	return CAMPO_OK;
}

/* ----- navigation ----- */

static struct pos pos_end(void)
{
	struct pos p = { .kind = CAMPO_SESSION_END };

	return p;
}

static struct pos pos_make(enum campo_session_kind kind, uint32_t f,
			   struct campo_inode *node)
{
	struct pos p = { .kind = kind, .field = f, .node = node };

	return p;
}

/* The first position at or after field j of node's scope. */
static struct pos advance(struct campo_session *s, uint32_t j,
			  struct campo_inode *n)
{
	for (;;) {
		int32_t r = campo_inode_repeat(n);
		uint32_t hi = r < 0 ? (uint32_t)s->form->n_fields
				    : fld(s, (uint32_t)r)->end;
		const struct campo_field *f;

		if (j >= hi) {
			struct campo_inode *p;
			uint32_t at;

			if (r < 0) {
				return pos_end();
			}
			p = campo_inode_parent(n);
			at = campo_inode_position(n);
			if (at < campo_inode_count(p, (uint32_t)r)) {
				n = campo_inode_child(p, (uint32_t)r, at + 1);
				j = (uint32_t)r + 1;
				continue;
			}
			if (!fld(s, (uint32_t)r)->repeat_count) {
				return pos_make(CAMPO_SESSION_PROMPT,
						(uint32_t)r, p);
			}
			j = fld(s, (uint32_t)r)->end;
			n = p;
			continue;
		}
		f = fld(s, j);
		if (f->type == CAMPO_TYPE_GROUP) {
			j = own_relevant(s, j, n) ? j + 1 : f->end;
		} else if (f->type == CAMPO_TYPE_REPEAT) {
			if (!own_relevant(s, j, n)) {
				j = f->end;
			} else if (campo_inode_count(n, j) > 0) {
				n = campo_inode_child(n, j, 1);
				j++;
			} else if (!f->repeat_count) {
				return pos_make(CAMPO_SESSION_PROMPT, j, n);
			} else {
				j = f->end;
			}
		} else if (f->type == CAMPO_TYPE_CALCULATE ||
			   !own_relevant(s, j, n)) {
			j++;
		} else {
			return pos_make(CAMPO_SESSION_QUESTION, j, n);
		}
	}
}

/* What follows p (for the end, the end). */
static struct pos after(struct campo_session *s, const struct pos *p)
{
	switch (p->kind) {
	case CAMPO_SESSION_QUESTION:
		return advance(s, p->field + 1, p->node);
	case CAMPO_SESSION_PROMPT:
		return advance(s, fld(s, p->field)->end, p->node);
	default:
		return pos_end();
	}
}

/* The last position before field j of node's scope; *found false at the
 * start of the interview. */
static struct pos retreat(struct campo_session *s, uint32_t j,
			  struct campo_inode *n, bool *found)
{
	*found = true;
	for (;;) {
		int32_t r = campo_inode_repeat(n);
		uint32_t lo = r < 0 ? 0 : (uint32_t)r + 1;
		uint32_t chain[MAX_CHAIN];
		size_t nc = 0;
		bool skip = false;

		if (j <= lo) {
			struct campo_inode *p;
			uint32_t at;

			if (r < 0) {
				*found = false;
				return pos_end();
			}
			p = campo_inode_parent(n);
			at = campo_inode_position(n);
			if (at > 1) {
				n = campo_inode_child(p, (uint32_t)r, at - 1);
				j = fld(s, (uint32_t)r)->end;
			} else {
				n = p;
				j = (uint32_t)r;
			}
			continue;
		}
		j--;
		for (int32_t a = fld(s, j)->parent; a != r && nc < MAX_CHAIN;
		     a = fld(s, (uint32_t)a)->parent) {
			chain[nc++] = (uint32_t)a;
		}
		while (nc-- > 0 && !skip) {
			uint32_t e = chain[nc];
			const struct campo_field *fe = fld(s, e);
			size_t count;

			if (!own_relevant(s, e, n)) {
				j = e;
				skip = true;
			} else if (fe->type == CAMPO_TYPE_REPEAT) {
				skip = true;
				if (!fe->repeat_count) {
					return pos_make(CAMPO_SESSION_PROMPT, e,
							n);
				}
				count = campo_inode_count(n, e);
				if (count) {
					n = campo_inode_child(n, e, count);
					j = fe->end;
				} else {
					j = e;
				}
			}
		}
		if (skip) {
			continue;
		}
		if (fld(s, j)->type == CAMPO_TYPE_GROUP ||
		    fld(s, j)->type == CAMPO_TYPE_CALCULATE ||
		    !own_relevant(s, j, n)) {
			continue;
		}
		return pos_make(CAMPO_SESSION_QUESTION, j, n);
	}
}

static struct pos before(struct campo_session *s, const struct pos *p,
			 bool *found)
{
	if (p->kind == CAMPO_SESSION_END) {
		return retreat(s, (uint32_t)s->form->n_fields, root(s), found);
	}
	if (p->kind == CAMPO_SESSION_PROMPT) {
		size_t count = campo_inode_count(p->node, p->field);

		if (count) {
			return retreat(
				s, fld(s, p->field)->end,
				campo_inode_child(p->node, p->field, count),
				found);
		}
	}
	return retreat(s, p->field, p->node, found);
}

/* Moves to p and saves the position in the store. */
static enum campo_status move(struct campo_session *s, struct pos p)
{
	enum campo_status status = CAMPO_OK;
	struct campo_diag diag = { 0 };
	struct okey k;

	if (s->status == CAMPO_STORE_DRAFT) {
		status = pos_key(s, &p, &s->key);
		for (int i = 0; status == CAMPO_OK && i < RETRIES; i++) {
			status = campo_store_interview_move(
				s->store, s->id, campo_buf_str(&s->key), &diag);
			if (status != CAMPO_ERR_UNKNOWN) {
				break;
			}
		}
		if (status != CAMPO_OK) {
			return store_failed(s, status, &diag);
		}
	}
	s->pos = p;
	okey_of(s, &p, &k);
	if (okey_cmp(&k, &s->furthest) > 0) {
		s->furthest = k;
	}
	s->changed |= CAMPO_SESSION_POSITION;
	return CAMPO_OK;
}

/* ----- lifecycle ----- */

void campo_session_options_init(struct campo_session_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->language = SIZE_MAX;
}

/* Compiles every ${name} of text for field f into its list. */
static enum campo_status refs_add(struct campo_session *s, uint32_t f,
				  const char *text)
{
	struct lrefs *l = &s->lrefs[f];

	for (const char *p = text; p && (p = strstr(p, "${")) != NULL;) {
		const char *end = strchr(p, '}');
		size_t len, cap = l->n;
		struct campo_expr *e = NULL;
		bool have = false;

		if (!end) {
			break;
		}
		len = (size_t)(end - p - 2);
		for (size_t i = 0; i < l->n; i++) {
			if (strlen(l->items[i].name) == len &&
			    memcmp(l->items[i].name, p + 2, len) == 0) {
				have = true;
			}
		}
		if (!have && campo_expr_compile(s->form, (int32_t)f, -1, p,
						(size_t)(end - p + 1), &e,
						NULL) == CAMPO_OK) {
			if (campo_grow((void **)&l->items, &cap, l->n + 1,
				       sizeof(*l->items))) {
				campo_expr_free(e);
				return CAMPO_ERR_NOMEM;
			}
			l->items[l->n].e = e;
			l->items[l->n].name = campo_strndup(p + 2, len);
			if (!l->items[l->n].name) {
				campo_expr_free(e);
				return CAMPO_ERR_NOMEM;
			}
			l->n++;
		}
		p = end + 1;
	}
	return CAMPO_OK;
}

static enum campo_status session_new(struct campo_store *store,
				     const struct campo_form *form,
				     const struct campo_session_options *opts,
				     struct campo_session **out)
{
	struct campo_session *s = campo_calloc(1, sizeof(*s));
	size_t max_list = 1;

	if (!s) {
		return CAMPO_ERR_NOMEM;
	}
	s->store = store;
	s->form = form;
	s->status = CAMPO_STORE_DRAFT;
	s->lang = form->default_language;
	if (opts && opts->language < form->n_languages) {
		s->lang = opts->language;
	}
	campo_buf_init(&s->tmp, CAMPO_STORE_VALUE_MAX);
	campo_buf_init(&s->norm, CAMPO_STORE_VALUE_MAX);
	campo_buf_init(&s->key, CAMPO_STORE_KEY_MAX);
	campo_buf_init(&s->label, 4 * CAMPO_FORM_MAX_TEXT);
	campo_buf_init(&s->hint, 4 * CAMPO_FORM_MAX_TEXT);
	campo_buf_init(&s->rlabel, 4 * CAMPO_FORM_MAX_TEXT);
	campo_buf_init(&s->section, 4 * CAMPO_FORM_MAX_TEXT);
	campo_buf_init(&s->arena, 64u << 20);
	s->inst = campo_instance_new(form);
	s->lrefs = campo_calloc(form->n_fields + 1, sizeof(*s->lrefs));
	s->name_field = campo_calloc(form->n_fields + 1, sizeof(int32_t));
	s->rank = campo_calloc(form->n_fields + 1, sizeof(*s->rank));
	if (!s->inst || !s->lrefs || !s->name_field || !s->rank) {
		goto out_free;
	}
	for (size_t k = 0; k < form->n_calc_order; k++) {
		s->rank[form->calc_order[k]] = (uint32_t)k;
	}
	campo_eval_init(&s->ev, s->inst);
	s->ev.now_ms = opts ? opts->now_ms : 0;
	for (size_t i = 0; i < form->n_lists; i++) {
		if (form->lists[i].n_choices > max_list) {
			max_list = form->lists[i].n_choices;
		}
	}
	s->seen = campo_calloc(max_list, sizeof(*s->seen));
	s->n_seen = max_list;
	if (!s->seen) {
		goto out_free;
	}
	for (uint32_t f = 0; f < form->n_fields; f++) {
		const struct campo_field *fd = &form->fields[f];

		s->name_field[f] = -1;
		for (size_t l = 0; l < form->n_languages; l++) {
			if ((fd->label.text &&
			     refs_add(s, f, fd->label.text[l]) != CAMPO_OK) ||
			    (fd->hint.text &&
			     refs_add(s, f, fd->hint.text[l]) != CAMPO_OK)) {
				goto out_free;
			}
		}
		if (fd->type == CAMPO_TYPE_REPEAT) {
			for (uint32_t j = f + 1; j < fd->end; j++) {
				if (form->fields[j].type == CAMPO_TYPE_TEXT &&
				    form->fields[j].repeat == (int32_t)f) {
					s->name_field[f] = (int32_t)j;
					break;
				}
			}
		}
	}
	*out = s;
	return CAMPO_OK;

out_free:
	campo_session_free(s);
	return CAMPO_ERR_NOMEM;
}

void campo_session_free(struct campo_session *s)
{
	if (!s) {
		return;
	}
	for (size_t f = 0; s->lrefs && f < s->form->n_fields; f++) {
		for (size_t i = 0; i < s->lrefs[f].n; i++) {
			free(s->lrefs[f].items[i].name);
			campo_expr_free(s->lrefs[f].items[i].e);
		}
		free(s->lrefs[f].items);
	}
	free(s->lrefs);
	free(s->name_field);
	if (s->inst) {
		campo_eval_release(&s->ev);
	}
	campo_instance_free(s->inst);
	free(s->pending.old);
	free(s->iname);
	free(s->work);
	free(s->dirty);
	free(s->rank);
	free(s->targets.items);
	free(s->choices);
	free(s->seen);
	free(s->items);
	free(s->offs);
	campo_buf_release(&s->tmp);
	campo_buf_release(&s->norm);
	campo_buf_release(&s->key);
	campo_buf_release(&s->label);
	campo_buf_release(&s->hint);
	campo_buf_release(&s->rlabel);
	campo_buf_release(&s->section);
	campo_buf_release(&s->arena);
	free(s);
}

/* Every calculation of every node, then what depends on the changes. */
static enum campo_status calc_all(struct campo_session *s)
{
	for (size_t k = 0; k < s->form->n_calc_order; k++) {
		uint32_t f = s->form->calc_order[k];
		enum campo_status status;

		s->targets.n = 0;
		status = collect(s, root(s), fld(s, f)->repeat);
		for (size_t t = 0; status == CAMPO_OK && t < s->targets.n;
		     t++) {
			status = recompute(s, f, s->targets.items[t]);
		}
		if (status != CAMPO_OK) {
			return status;
		}
	}
	return propagate(s);
}

enum campo_status campo_session_start(struct campo_store *store,
				      const struct campo_form *form,
				      const struct campo_session_options *opts,
				      struct campo_session **out,
				      struct campo_diag *diag)
{
	struct campo_store_new_interview iv = { 0 };
	struct campo_session *s = NULL;
	enum campo_status status;

	*out = NULL;
	status = campo_store_space_check(store, NULL, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	status = session_new(store, form, opts, &s);
	if (status != CAMPO_OK) {
		return campo_diag_set(diag, status, "cannot start: %s",
				      campo_status_str(status));
	}
	status = campo_store_instance_id_new(s->id);
	if (status != CAMPO_OK) {
		goto out_free;
	}
	iv.instance_id = s->id;
	iv.form_id = form->id;
	iv.form_version = form->version;
	iv.form_hash = opts && opts->form_hash ? opts->form_hash : "";
	iv.enumerator = opts ? opts->enumerator : NULL;
	for (int i = 0; i < RETRIES; i++) {
		status = campo_store_interview_create(store, &iv, diag);
		if (status != CAMPO_ERR_UNKNOWN) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		goto out_free;
	}
	if (form->n_languages) {
		status = campo_store_interview_language_set(
			store, s->id, form->languages[s->lang], diag);
		if (status != CAMPO_OK) {
			goto out_free;
		}
	}
	s->starting = true;
	status = fill_new(s, root(s));
	if (status == CAMPO_OK) {
		status = propagate(s);
	}
	s->starting = false;
	if (status == CAMPO_OK) {
		status = name_update(s);
	}
	if (status == CAMPO_OK) {
		status = move(s, advance(s, 0, root(s)));
	}
	if (status != CAMPO_OK) {
		if (!diag || !diag->msg[0]) {
			campo_diag_set(diag, status, "cannot start: %s",
				       s->msg[0] ? s->msg
						 : campo_status_str(status));
		}
		goto out_free;
	}
	s->changed = 0;
	s->msg[0] = '\0';
	*out = s;
	return CAMPO_OK;

out_free:
	campo_session_free(s);
	return status;
}

/* Rebuilds the tree from a stored interview. */
static enum campo_status rebuild(struct campo_session *s,
				 const struct campo_store_interview *iv)
{
	for (size_t i = 0; i < iv->n_repeats; i++) {
		const char *key = iv->repeats[i].key;
		uint32_t f;
		struct campo_inode *n;
		size_t idx;

		if (key_parse(s, key, false, &f, &n, &idx) != CAMPO_OK ||
		    fld(s, f)->type != CAMPO_TYPE_REPEAT || idx) {
			continue; /* a repeat the form no longer has */
		}
		while (campo_inode_count(n, f) < iv->repeats[i].count) {
			enum campo_status status = campo_inode_add(n, f, NULL);

			if (status != CAMPO_OK) {
				return status;
			}
		}
	}
	for (size_t i = 0; i < iv->n_answers; i++) {
		uint32_t f;
		struct campo_inode *n;
		size_t idx;
		enum campo_status status;

		if (key_parse(s, iv->answers[i].key, false, &f, &n, &idx) !=
			    CAMPO_OK ||
		    idx || !campo_type_info(fld(s, f)->type)->has_value) {
			continue;
		}
		status = campo_inode_set(n, f, iv->answers[i].value,
					 strlen(iv->answers[i].value));
		if (status != CAMPO_OK) {
			return status;
		}
	}
	return CAMPO_OK;
}

/* The position a stored key names; the first question when it names none. */
static struct pos pos_from_key(struct campo_session *s, const char *key)
{
	uint32_t f;
	struct campo_inode *n;
	size_t idx;

	if (strcmp(key, END_KEY) == 0) {
		return pos_end();
	}
	if (*key && key_parse(s, key, false, &f, &n, &idx) == CAMPO_OK) {
		const struct campo_field *fd = fld(s, f);

		if (fd->type == CAMPO_TYPE_REPEAT && idx &&
		    idx == campo_inode_count(n, f) + 1) {
			return pos_make(CAMPO_SESSION_PROMPT, f, n);
		}
		if (!idx && campo_type_info(fd->type)->asks) {
			int32_t hidden = -1;
			uint32_t end;

			for (int32_t a = (int32_t)f; a >= 0;
			     a = fld(s, (uint32_t)a)->parent) {
				struct campo_inode *an = node_for(
					n, fld(s, (uint32_t)a)->repeat);

				if (!own_relevant(s, (uint32_t)a, an)) {
					hidden = a;
				}
			}
			if (hidden < 0) {
				return pos_make(CAMPO_SESSION_QUESTION, f, n);
			}
			/* hidden since: go on from what hides it */
			end = fld(s, (uint32_t)hidden)->end;
			if (end <= (uint32_t)hidden) {
				end = (uint32_t)hidden + 1;
			}
			return advance(
				s, end,
				node_for(n, fld(s, (uint32_t)hidden)->repeat));
		}
	}
	return advance(s, 0, root(s));
}

enum campo_status campo_session_resume(struct campo_store *store,
				       const struct campo_form *form,
				       const char *instance_id,
				       const struct campo_session_options *opts,
				       struct campo_session **out,
				       struct campo_diag *diag)
{
	struct campo_store_interview *iv = NULL;
	struct campo_session *s = NULL;
	enum campo_status status;

	*out = NULL;
	status = campo_store_interview_get(store, instance_id, 0, &iv, diag);
	if (status != CAMPO_OK) {
		return status;
	}
	if (strcmp(iv->info.form_id, form->id) != 0) {
		status = campo_diag_set(diag, CAMPO_ERR_CONFLICT,
					"interview '%s' is of form '%s'",
					instance_id, iv->info.form_id);
		goto out_iv;
	}
	status = session_new(store, form, opts, &s);
	if (status != CAMPO_OK) {
		goto out_iv;
	}
	snprintf(s->id, sizeof(s->id), "%s", iv->info.instance_id);
	s->status = iv->info.status;
	for (size_t l = 0; l < form->n_languages; l++) {
		if (strcmp(form->languages[l], iv->info.language) == 0) {
			s->lang = l;
		}
	}
	s->iname = campo_strdup(iv->info.instance_name);
	status = s->iname ? rebuild(s, iv) : CAMPO_ERR_NOMEM;
	if (status == CAMPO_OK) {
		status = calc_all(s);
	}
	if (status == CAMPO_OK && s->status == CAMPO_STORE_DRAFT) {
		status = campo_store_interview_resume(store, s->id, diag);
	}
	if (status == CAMPO_OK) {
		s->pos = pos_from_key(s, iv->info.position);
		okey_of(s, &s->pos, &s->furthest);
	}
	if (status != CAMPO_OK) {
		if (diag && !diag->msg[0]) {
			campo_diag_set(diag, status, "cannot resume '%s': %s",
				       instance_id,
				       s->msg[0] ? s->msg
						 : campo_status_str(status));
		}
		campo_session_free(s);
		goto out_iv;
	}
	s->changed = 0;
	s->msg[0] = '\0';
	*out = s;

out_iv:
	campo_store_interview_free(iv);
	return status;
}

enum campo_status campo_session_revise(struct campo_store *store,
				       const struct campo_form *form,
				       const char *old_id,
				       const struct campo_session_options *opts,
				       struct campo_session **out,
				       struct campo_diag *diag)
{
	char id[CAMPO_STORE_ID_LEN + 1];
	enum campo_status status;

	*out = NULL;
	status = campo_store_instance_id_new(id);
	for (int i = 0; status == CAMPO_OK && i < RETRIES; i++) {
		status = campo_store_interview_revise(store, old_id, id, diag);
		if (status != CAMPO_ERR_UNKNOWN) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		return status;
	}
	return campo_session_resume(store, form, id, opts, out, diag);
}

/* ----- commands ----- */

/* Starts a command: clears the message and the change bits. */
static bool begin(struct campo_session *s, bool writes)
{
	s->changed = 0;
	s->msg[0] = '\0';
	if (writes && s->status != CAMPO_STORE_DRAFT) {
		msg_set(s, SESSION_M_FROZEN);
		return false;
	}
	return true;
}

static enum campo_status finish(struct campo_session *s,
				enum campo_status status, unsigned *changed)
{
	if (status == CAMPO_ERR_NOMEM && !s->msg[0]) {
		snprintf(s->msg, sizeof(s->msg), "%s",
			 campo_status_str(status));
		s->changed |= CAMPO_SESSION_MESSAGE;
	}
	if (s->pending.on) {
		s->changed |= CAMPO_SESSION_CONFIRM;
	}
	if (changed) {
		*changed = s->changed;
	}
	return status;
}

/* Checks a select answer against the list (and its filter at node) and
 * writes the stored form into s->norm. */
static enum session_msg check_select(struct campo_session *s, uint32_t f,
				     struct campo_inode *node, const char *p,
				     size_t len)
{
	const struct campo_field *fd = fld(s, f);
	const struct campo_choice_list *list = &s->form->lists[fd->list];
	bool multi = fd->type == CAMPO_TYPE_SELECT_MULTIPLE;
	size_t i = 0, n = 0;
	enum session_msg m = SESSION_M_NONE;

	campo_buf_reset(&s->norm);
	memset(s->seen, 0, s->n_seen * sizeof(*s->seen));
	while (i < len && m == SESSION_M_NONE) {
		size_t start;
		int32_t c;

		while (i < len && (p[i] == ' ' || p[i] == '\t')) {
			i++;
		}
		start = i;
		while (i < len && p[i] != ' ' && p[i] != '\t') {
			i++;
		}
		if (i == start) {
			break;
		}
		c = campo_form_choice_find(list, p + start, i - start);
		if (c < 0 || (n && !multi)) {
			m = SESSION_M_CHOICE;
		} else if (s->seen[c]) {
			m = SESSION_M_DUPLICATE;
		} else if (fd->choice_filter) {
			bool ok = true;

			ev_at(s, node, (int32_t)f);
			s->ev.list = fd->list;
			s->ev.choice = (size_t)c;
			if (campo_expr_eval_bool(fd->choice_filter, &s->ev, &ok,
						 NULL) != CAMPO_OK ||
			    !ok) {
				m = SESSION_M_CHOICE;
			}
			s->ev.list = -1;
		}
		if (m == SESSION_M_NONE) {
			s->seen[c] = true;
			n++;
		}
	}
	for (size_t c = 0; m == SESSION_M_NONE && c < list->n_choices; c++) {
		if (!s->seen[c]) {
			continue;
		}
		if ((s->norm.len && campo_buf_addc(&s->norm, ' ')) ||
		    campo_buf_adds(&s->norm, list->choices[c].name)) {
			m = SESSION_M_NOMEM;
		}
	}
	return m;
}

/* Answers f at node: checks, saves, propagates. */
static enum campo_status answer_at(struct campo_session *s, uint32_t f,
				   struct campo_inode *node, const char *text,
				   size_t len)
{
	const struct campo_field *fd = fld(s, f);
	enum campo_status status;
	enum session_msg m;
	char *old, *v;
	bool ok = true;

	if (!is_question(fd)) {
		if (len == 0 && fd->type == CAMPO_TYPE_NOTE) {
			return CAMPO_OK;
		}
		msg_set(s, SESSION_M_NOTHING);
		return CAMPO_ERR_INVALID;
	}
	if (campo_type_info(fd->type)->needs_list) {
		m = check_select(s, f, node, text, len);
	} else {
		m = session_value_msg(
			campo_value_normalize(fd->type, text, len, &s->norm));
	}
	if (m == SESSION_M_NOMEM) {
		return CAMPO_ERR_NOMEM;
	}
	if (m != SESSION_M_NONE) {
		msg_set(s, m);
		return CAMPO_ERR_INVALID;
	}
	if (s->norm.len == 0) {
		if (fd->required &&
		    eval_bool(s, fd->required, node, (int32_t)f, false)) {
			msg_form(s, &fd->required_message, SESSION_M_REQUIRED);
			return CAMPO_ERR_INVALID;
		}
	}
	v = campo_strndup(campo_buf_str(&s->norm), s->norm.len);
	old = campo_strdup(campo_inode_value(node, f));
	if (!v || !old) {
		status = CAMPO_ERR_NOMEM;
		goto out_free;
	}
	if (strcmp(old, v) == 0) {
		status = CAMPO_OK;
		goto out_free;
	}
	if (s->norm.len && fd->constraint) {
		/* `.` is the new value while the constraint runs */
		status = campo_inode_set(node, f, v, strlen(v));
		if (status != CAMPO_OK) {
			goto out_free;
		}
		ok = eval_bool(s, fd->constraint, node, (int32_t)f, false);
		status = campo_inode_set(node, f, old, strlen(old));
		if (status != CAMPO_OK) {
			goto out_free;
		}
		if (!ok) {
			msg_form(s, &fd->constraint_message,
				 SESSION_M_CONSTRAINT);
			status = CAMPO_ERR_INVALID;
			goto out_free;
		}
	}
	status = save_value(s, f, node, v, strlen(v));
	if (status != CAMPO_OK) {
		goto out_free;
	}
	s->changed |= s->pos.kind == CAMPO_SESSION_QUESTION &&
				      s->pos.field == f && s->pos.node == node
			      ? CAMPO_SESSION_VALUE
			      : CAMPO_SESSION_OTHERS;
	{
		bool was = s->pending.on;

		status = propagate(s);
		if (status == CAMPO_OK && s->pending.on && !was) {
			free(s->pending.old);
			s->pending.old = old;
			old = NULL;
			s->pending.has_cause = true;
			s->pending.field = f;
			s->pending.fnode = node;
		}
	}
	if (status == CAMPO_OK) {
		status = name_update(s);
	}

out_free:
	free(old);
	free(v);
	return status;
}

enum campo_status campo_session_answer(struct campo_session *s,
				       const char *text, size_t len,
				       unsigned *changed)
{
	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (s->pos.kind != CAMPO_SESSION_QUESTION ||
	    fld(s, s->pos.field)->read_only) {
		msg_set(s, SESSION_M_NOTHING);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	return finish(s, answer_at(s, s->pos.field, s->pos.node, text, len),
		      changed);
}

enum campo_status campo_session_answer_key(struct campo_session *s,
					   const char *key, const char *text,
					   size_t len, unsigned *changed)
{
	enum campo_status status;
	uint32_t f;
	struct campo_inode *n;
	size_t idx;

	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	status = key_parse(s, key, true, &f, &n, &idx);
	if (status == CAMPO_OK && idx) {
		status = CAMPO_ERR_NOTFOUND;
	}
	if (status == CAMPO_ERR_NOTFOUND) {
		snprintf(s->msg, sizeof(s->msg), "no question '%s'", key);
		s->changed |= CAMPO_SESSION_MESSAGE;
	}
	if (status == CAMPO_OK) {
		status = propagate(s);
	}
	if (status == CAMPO_OK) {
		status = answer_at(s, f, n, text, len);
	}
	return finish(s, status, changed);
}

static bool required_missing(struct campo_session *s, uint32_t f,
			     struct campo_inode *node)
{
	const struct campo_field *fd = fld(s, f);

	return is_question(fd) && fd->required &&
	       !*campo_inode_value(node, f) &&
	       eval_bool(s, fd->required, node, (int32_t)f, false);
}

enum campo_status campo_session_next(struct campo_session *s, unsigned *changed)
{
	if (!begin(s, false)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (s->pos.kind == CAMPO_SESSION_END) {
		return finish(s, CAMPO_OK, changed);
	}
	if (s->pos.kind == CAMPO_SESSION_QUESTION &&
	    required_missing(s, s->pos.field, s->pos.node)) {
		msg_form(s, &fld(s, s->pos.field)->required_message,
			 SESSION_M_REQUIRED);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	return finish(s, move(s, after(s, &s->pos)), changed);
}

enum campo_status campo_session_prev(struct campo_session *s, unsigned *changed)
{
	struct pos p;
	bool found;

	if (!begin(s, false)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	p = before(s, &s->pos, &found);
	if (!found) {
		return finish(s, CAMPO_OK, changed);
	}
	return finish(s, move(s, p), changed);
}

enum campo_status campo_session_jump(struct campo_session *s, const char *key,
				     unsigned *changed)
{
	uint32_t f;
	struct campo_inode *n;
	size_t idx;
	struct pos p;
	struct okey k;

	if (!begin(s, false)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (!*key || strcmp(key, END_KEY) == 0) {
		return finish(s, move(s, pos_end()), changed);
	}
	if (key_parse(s, key, false, &f, &n, &idx) != CAMPO_OK) {
		snprintf(s->msg, sizeof(s->msg), "no question '%s'", key);
		s->changed |= CAMPO_SESSION_MESSAGE;
		return finish(s, CAMPO_ERR_NOTFOUND, changed);
	}
	if (fld(s, f)->type == CAMPO_TYPE_REPEAT && idx &&
	    idx == campo_inode_count(n, f) + 1 && !fld(s, f)->repeat_count) {
		p = pos_make(CAMPO_SESSION_PROMPT, f, n);
	} else if (!idx && campo_type_info(fld(s, f)->type)->asks) {
		p = pos_make(CAMPO_SESSION_QUESTION, f, n);
	} else {
		msg_set(s, SESSION_M_NOT_REACHED);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	okey_of(s, &p, &k);
	if ((p.kind == CAMPO_SESSION_QUESTION && !relevant(s, f, n)) ||
	    (p.kind == CAMPO_SESSION_PROMPT && !relevant(s, f, n)) ||
	    (okey_cmp(&k, &s->furthest) > 0 &&
	     !(p.kind == CAMPO_SESSION_QUESTION && *campo_inode_value(n, f)))) {
		msg_set(s, SESSION_M_NOT_REACHED);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	return finish(s, move(s, p), changed);
}

enum campo_status campo_session_repeat_add(struct campo_session *s,
					   unsigned *changed)
{
	enum campo_status status;
	struct campo_inode *parent, *in = NULL;
	uint32_t r;

	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (s->pos.kind == CAMPO_SESSION_PROMPT) {
		r = s->pos.field;
		parent = s->pos.node;
	} else if (s->pos.kind == CAMPO_SESSION_QUESTION &&
		   campo_inode_repeat(s->pos.node) >= 0) {
		r = (uint32_t)campo_inode_repeat(s->pos.node);
		parent = campo_inode_parent(s->pos.node);
	} else {
		msg_set(s, SESSION_M_NOTHING);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	status = instance_add(s, parent, r, &in);
	if (status == CAMPO_OK) {
		status = propagate(s);
	}
	if (status == CAMPO_OK) {
		status = name_update(s);
	}
	if (status == CAMPO_OK) {
		status = move(s, advance(s, r + 1, in));
	}
	return finish(s, status, changed);
}

/* The integer question a repeat_count is, when it is exactly one. */
static int32_t count_field(struct campo_session *s, uint32_t r)
{
	size_t n;
	const uint32_t *refs;

	if (!fld(s, r)->repeat_count) {
		return -1;
	}
	refs = campo_expr_refs(fld(s, r)->repeat_count, &n);
	if (n != 1 || fld(s, refs[0])->type != CAMPO_TYPE_INTEGER) {
		return -1;
	}
	return (int32_t)refs[0];
}

enum campo_status campo_session_repeat_remove(struct campo_session *s,
					      unsigned *changed)
{
	enum campo_status status;
	struct campo_inode *in, *parent;
	uint32_t r, at;
	size_t count;
	int32_t cf;

	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (s->pos.kind != CAMPO_SESSION_QUESTION ||
	    campo_inode_repeat(s->pos.node) < 0) {
		msg_set(s, SESSION_M_NOTHING);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	in = s->pos.node;
	r = (uint32_t)campo_inode_repeat(in);
	parent = campo_inode_parent(in);
	at = campo_inode_position(in);
	status = instance_remove(s, parent, r, at);
	if (status == CAMPO_OK) {
		/* the position's node is gone: hold a safe one meanwhile */
		s->pos = pos_end();
		status = propagate(s);
	}
	count = campo_inode_count(parent, r);
	cf = count_field(s, r);
	if (status == CAMPO_OK && cf >= 0) {
		struct campo_inode *cn =
			node_for(parent, fld(s, (uint32_t)cf)->repeat);
		char num[32];

		snprintf(num, sizeof(num), "%zu", count);
		status = save_value(s, (uint32_t)cf, cn, count ? num : "",
				    count ? strlen(num) : 0);
		if (status == CAMPO_OK) {
			status = propagate(s);
		}
	}
	if (status == CAMPO_OK) {
		status = name_update(s);
	}
	if (status == CAMPO_OK) {
		struct pos p;

		if (at <= count) {
			p = advance(s, r + 1, campo_inode_child(parent, r, at));
		} else if (!fld(s, r)->repeat_count) {
			p = pos_make(CAMPO_SESSION_PROMPT, r, parent);
		} else {
			p = advance(s, fld(s, r)->end, parent);
		}
		status = move(s, p);
	}
	return finish(s, status, changed);
}

enum campo_status campo_session_confirm(struct campo_session *s, bool yes,
					unsigned *changed)
{
	enum campo_status status = CAMPO_OK;
	uint32_t r = s->pending.repeat;
	struct campo_inode *parent = s->pending.node;

	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (!s->pending.on) {
		msg_set(s, SESSION_M_NOTHING);
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (yes) {
		bool moved = false;

		for (size_t n = campo_inode_count(parent, r);
		     status == CAMPO_OK && n > s->pending.target; n--) {
			if (node_inside(s->pos.node,
					campo_inode_child(parent, r, n))) {
				/* never keep a pointer into a freed node */
				moved = true;
				s->pos = pos_end();
			}
			status = instance_remove(s, parent, r, n);
		}
		if (moved) {
			s->pos = advance(s, fld(s, r)->end, parent);
		}
		if (status == CAMPO_OK) {
			s->pending.on = false;
			status = propagate(s);
		}
		if (status == CAMPO_OK && moved) {
			status = move(s, s->pos);
		}
	} else if (s->pending.has_cause) {
		char *old = s->pending.old;

		s->pending.old = NULL;
		s->pending.on = false;
		status = save_value(s, s->pending.field, s->pending.fnode,
				    old ? old : "", old ? strlen(old) : 0);
		free(old);
		s->changed |= CAMPO_SESSION_OTHERS | CAMPO_SESSION_VALUE;
		if (status == CAMPO_OK) {
			status = propagate(s);
		}
	} else {
		s->pending.on = false;
	}
	if (status == CAMPO_OK) {
		s->pending.has_cause = false;
		status = name_update(s);
	}
	return finish(s, status, changed);
}

enum campo_status campo_session_language_set(struct campo_session *s,
					     size_t lang, unsigned *changed)
{
	enum campo_status status = CAMPO_OK;
	struct campo_diag diag = { 0 };

	if (!begin(s, false)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (lang >= s->form->n_languages) {
		snprintf(s->msg, sizeof(s->msg), "no language %zu", lang);
		s->changed |= CAMPO_SESSION_MESSAGE;
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	if (lang == s->lang) {
		return finish(s, CAMPO_OK, changed);
	}
	for (int i = 0; s->status == CAMPO_STORE_DRAFT && i < RETRIES; i++) {
		status = campo_store_interview_language_set(
			s->store, s->id, s->form->languages[lang], &diag);
		if (status != CAMPO_ERR_UNKNOWN) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		return finish(s, store_failed(s, status, &diag), changed);
	}
	s->lang = lang;
	s->changed |= CAMPO_SESSION_LANGUAGE;
	return finish(s, CAMPO_OK, changed);
}

/* Clears every answer that is not relevant, in every node. */
static enum campo_status clear_irrelevant(struct campo_session *s,
					  struct campo_inode *node)
{
	int32_t scope = campo_inode_repeat(node);
	uint32_t from = scope < 0 ? 0 : (uint32_t)scope + 1;
	uint32_t to = scope < 0 ? (uint32_t)s->form->n_fields
				: fld(s, (uint32_t)scope)->end;

	for (uint32_t j = from; j < to; j++) {
		const struct campo_field *f = fld(s, j);
		enum campo_status status = CAMPO_OK;

		if (f->repeat != scope) {
			continue;
		}
		if (f->type == CAMPO_TYPE_REPEAT) {
			size_t n = campo_inode_count(node, j);

			for (size_t k = 1; k <= n && status == CAMPO_OK; k++) {
				status = clear_irrelevant(
					s, campo_inode_child(node, j, k));
			}
		} else if (is_question(f) && *campo_inode_value(node, j) &&
			   !relevant(s, j, node)) {
			status = save_value(s, j, node, "", 0);
		}
		if (status != CAMPO_OK) {
			return status;
		}
	}
	return CAMPO_OK;
}

enum campo_status campo_session_finalize(struct campo_session *s,
					 unsigned *changed)
{
	const struct campo_session_item *items;
	enum campo_status status;
	struct campo_diag diag = { 0 };
	size_t n;

	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	status = campo_session_review(s, &items, &n);
	if (status != CAMPO_OK) {
		return finish(s, status, changed);
	}
	for (size_t i = 0; i < n; i++) {
		if (items[i].missing || items[i].invalid) {
			uint32_t f;
			struct campo_inode *node;
			size_t idx;

			if (key_parse(s, items[i].key, false, &f, &node,
				      &idx) == CAMPO_OK) {
				status =
					move(s, pos_make(CAMPO_SESSION_QUESTION,
							 f, node));
			}
			if (status == CAMPO_OK) {
				msg_set(s, SESSION_M_MISSING);
				status = CAMPO_ERR_INVALID;
			}
			return finish(s, status, changed);
		}
	}
	status = campo_store_space_check(s->store, NULL, &diag);
	if (status != CAMPO_OK) {
		return finish(s, store_failed(s, status, &diag), changed);
	}
	status = clear_irrelevant(s, root(s));
	if (status == CAMPO_OK) {
		status = propagate(s);
	}
	if (status == CAMPO_OK) {
		status = name_update(s);
	}
	if (status == CAMPO_OK) {
		status = move(s, pos_end());
	}
	for (int i = 0; status == CAMPO_OK && i < RETRIES; i++) {
		status = campo_store_interview_finalize(s->store, s->id, NULL,
							&diag);
		if (status != CAMPO_ERR_UNKNOWN) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		return finish(
			s, s->msg[0] ? status : store_failed(s, status, &diag),
			changed);
	}
	s->status = CAMPO_STORE_FINALIZED;
	s->changed |= CAMPO_SESSION_STATUS;
	/* the interview is safe already: a checkpoint that cannot finish
	 * now is tried again later */
	(void)campo_store_checkpoint(s->store, NULL, &diag);
	return finish(s, CAMPO_OK, changed);
}

enum campo_status campo_session_discard(struct campo_session *s,
					unsigned *changed)
{
	enum campo_status status = CAMPO_OK;
	struct campo_diag diag = { 0 };

	if (!begin(s, true)) {
		return finish(s, CAMPO_ERR_INVALID, changed);
	}
	for (int i = 0; i < RETRIES; i++) {
		status = campo_store_interview_discard(s->store, s->id, &diag);
		if (status != CAMPO_ERR_UNKNOWN) {
			break;
		}
	}
	if (status != CAMPO_OK) {
		return finish(s, store_failed(s, status, &diag), changed);
	}
	s->status = CAMPO_STORE_DISCARDED;
	s->changed |= CAMPO_SESSION_STATUS;
	return finish(s, CAMPO_OK, changed);
}

/* ----- queries ----- */

const char *campo_session_instance_id(const struct campo_session *s)
{
	return s->id;
}

enum campo_store_istatus campo_session_status(const struct campo_session *s)
{
	return s->status;
}

const char *campo_session_message(const struct campo_session *s)
{
	return s->msg;
}

size_t campo_session_language(const struct campo_session *s)
{
	return s->lang;
}

const char *const *campo_session_languages(const struct campo_session *s,
					   size_t *n)
{
	*n = s->form->n_languages;
	return (const char *const *)s->form->languages;
}

const char *campo_session_pending(struct campo_session *s)
{
	const char *label;

	if (!s->pending.on) {
		return "";
	}
	label = campo_i18n_get(s->form, &fld(s, s->pending.repeat)->label,
			       s->lang);
	snprintf(s->pending_text, sizeof(s->pending_text), "%s (%zu > %u): %s",
		 label ? label : fld(s, s->pending.repeat)->name,
		 campo_inode_count(s->pending.node, s->pending.repeat),
		 s->pending.target,
		 session_msg_text(lang_code(s), SESSION_M_REMOVE));
	return s->pending_text;
}

/* Appends text with its ${name} references replaced by values at node. */
static enum campo_status render(struct campo_session *s, uint32_t f,
				struct campo_inode *node, const char *text,
				struct campo_buf *out)
{
	const struct lrefs *l = &s->lrefs[f];
	enum campo_status status = CAMPO_OK;

	while (text && *text && status == CAMPO_OK) {
		const char *ref = strstr(text, "${");
		const char *end = ref ? strchr(ref, '}') : NULL;
		const struct lref *hit = NULL;

		if (!end) {
			return campo_buf_adds(out, text);
		}
		status = campo_buf_add(out, text, (size_t)(ref - text));
		for (size_t i = 0; i < l->n && !hit; i++) {
			size_t len = (size_t)(end - ref - 2);

			if (strlen(l->items[i].name) == len &&
			    memcmp(l->items[i].name, ref + 2, len) == 0) {
				hit = &l->items[i];
			}
		}
		if (status == CAMPO_OK && hit) {
			struct campo_buf v;

			campo_buf_init(&v, CAMPO_STORE_VALUE_MAX);
			ev_at(s, node, (int32_t)f);
			if (campo_expr_eval_text(hit->e, &s->ev, &v, NULL) ==
			    CAMPO_OK) {
				status = campo_buf_add(out, v.data, v.len);
			}
			campo_buf_release(&v);
		} else if (status == CAMPO_OK) {
			status = campo_buf_add(out, ref,
					       (size_t)(end - ref + 1));
		}
		text = end + 1;
	}
	return status;
}

static enum campo_status render_i18n(struct campo_session *s, uint32_t f,
				     struct campo_inode *node,
				     const struct campo_i18n *t,
				     struct campo_buf *out)
{
	enum campo_status status = CAMPO_OK;

	campo_buf_reset(out);
	if (t->text) {
		status = render(s, f, node, campo_i18n_get(s->form, t, s->lang),
				out);
	}
	return status == CAMPO_OK ? campo_buf_adds(out, "") : status;
}

enum campo_status campo_session_question(struct campo_session *s,
					 struct campo_session_question *q)
{
	enum campo_status status;
	const struct campo_field *fd;
	struct campo_inode *in = NULL;

	memset(q, 0, sizeof(*q));
	q->kind = s->pos.kind;
	q->key = q->label = q->hint = q->value = "";
	q->repeat_label = q->member_name = q->section = "";
	status = pos_key(s, &s->pos, &s->key);
	if (status != CAMPO_OK) {
		return status;
	}
	if (s->pos.kind == CAMPO_SESSION_END) {
		return CAMPO_OK;
	}
	q->key = campo_buf_str(&s->key);
	fd = fld(s, s->pos.field);
	q->field = fd;
	q->type = campo_type_info(fd->type);
	q->read_only = fd->read_only;
	status = render_i18n(s, s->pos.field,
			     s->pos.kind == CAMPO_SESSION_PROMPT
				     ? node_for(s->pos.node, fd->repeat)
				     : s->pos.node,
			     &fd->label, &s->label);
	if (status == CAMPO_OK && s->pos.kind == CAMPO_SESSION_QUESTION) {
		status = render_i18n(s, s->pos.field, s->pos.node, &fd->hint,
				     &s->hint);
	}
	if (status != CAMPO_OK) {
		return status;
	}
	for (int32_t g = fd->parent; g >= 0 && status == CAMPO_OK;
	     g = fld(s, (uint32_t)g)->parent) {
		if (fld(s, (uint32_t)g)->type == CAMPO_TYPE_GROUP) {
			status = render_i18n(
				s, (uint32_t)g,
				node_for(s->pos.node,
					 fld(s, (uint32_t)g)->repeat),
				&fld(s, (uint32_t)g)->label, &s->section);
			q->section = campo_buf_str(&s->section);
			break;
		}
	}
	if (status != CAMPO_OK) {
		return status;
	}
	q->label = campo_buf_str(&s->label);
	q->hint = s->pos.kind == CAMPO_SESSION_QUESTION
			  ? campo_buf_str(&s->hint)
			  : "";
	if (s->pos.kind == CAMPO_SESSION_PROMPT) {
		q->repeat_label = q->label;
		q->repeat_count =
			(uint32_t)campo_inode_count(s->pos.node, s->pos.field);
		return CAMPO_OK;
	}
	if (is_question(fd)) {
		q->value = campo_inode_value(s->pos.node, s->pos.field);
		q->required =
			fd->required && eval_bool(s, fd->required, s->pos.node,
						  (int32_t)s->pos.field, false);
	}
	if (fd->list >= 0) {
		const struct campo_choice_list *list =
			&s->form->lists[fd->list];

		if (campo_grow((void **)&s->choices, &s->cap_choices,
			       list->n_choices + 1, sizeof(*s->choices))) {
			return CAMPO_ERR_NOMEM;
		}
		for (size_t c = 0; c < list->n_choices; c++) {
			const struct campo_choice *ch = &list->choices[c];
			struct campo_session_choice *out =
				&s->choices[q->n_choices];
			const char *label =
				ch->label.text
					? campo_i18n_get(s->form, &ch->label,
							 s->lang)
					: NULL;
			bool ok = true;

			if (fd->choice_filter) {
				ev_at(s, s->pos.node, (int32_t)s->pos.field);
				s->ev.list = fd->list;
				s->ev.choice = c;
				if (campo_expr_eval_bool(fd->choice_filter,
							 &s->ev, &ok,
							 NULL) != CAMPO_OK) {
					ok = false;
				}
				s->ev.list = -1;
			}
			if (!ok) {
				continue;
			}
			out->code = ch->name;
			out->label = label ? label : ch->name;
			out->selected = false;
			for (const char *v = q->value; *v;) {
				size_t len = strcspn(v, " ");

				if (len == strlen(ch->name) &&
				    memcmp(v, ch->name, len) == 0) {
					out->selected = true;
				}
				v += len;
				v += *v == ' ';
			}
			q->n_choices++;
		}
		q->choices = s->choices;
	}
	if (campo_inode_repeat(s->pos.node) >= 0) {
		uint32_t r = (uint32_t)campo_inode_repeat(s->pos.node);

		in = s->pos.node;
		status = render_i18n(s, r, campo_inode_parent(in),
				     &fld(s, r)->label, &s->rlabel);
		if (status != CAMPO_OK) {
			return status;
		}
		q->repeat_label = campo_buf_str(&s->rlabel);
		q->repeat_pos = campo_inode_position(in);
		q->repeat_count =
			(uint32_t)campo_inode_count(campo_inode_parent(in), r);
		if (s->name_field[r] >= 0) {
			q->member_name = campo_inode_value(
				in, (uint32_t)s->name_field[r]);
		}
	}
	return CAMPO_OK;
}

/* Appends the display of a value: choice labels for selects. */
static enum campo_status display(struct campo_session *s,
				 const struct campo_field *fd, const char *v,
				 struct campo_buf *out)
{
	const struct campo_choice_list *list;
	enum campo_status status = CAMPO_OK;
	bool first = true;

	if (fd->list < 0) {
		return campo_buf_adds(out, v);
	}
	list = &s->form->lists[fd->list];
	while (*v && status == CAMPO_OK) {
		size_t len = strcspn(v, " ");
		int32_t c = campo_form_choice_find(list, v, len);
		const char *label = NULL;

		if (c >= 0 && list->choices[c].label.text) {
			label = campo_i18n_get(s->form, &list->choices[c].label,
					       s->lang);
		}
		if (!first) {
			status = campo_buf_adds(out, ", ");
		}
		if (status == CAMPO_OK) {
			status = label ? campo_buf_adds(out, label)
				       : campo_buf_add(out, v, len);
		}
		first = false;
		v += len;
		v += *v == ' ';
	}
	return status;
}

/* Walks every relevant question; fn gets each. */
typedef enum campo_status walk_fn(struct campo_session *s, const struct pos *p,
				  void *ctx);

static enum campo_status walk(struct campo_session *s, walk_fn *fn, void *ctx)
{
	for (struct pos p = advance(s, 0, root(s)); p.kind != CAMPO_SESSION_END;
	     p = after(s, &p)) {
		if (p.kind == CAMPO_SESSION_QUESTION &&
		    is_question(fld(s, p.field))) {
			enum campo_status status = fn(s, &p, ctx);

			if (status != CAMPO_OK) {
				return status;
			}
		}
	}
	return CAMPO_OK;
}

static enum campo_status review_one(struct campo_session *s,
				    const struct pos *p, void *ctx)
{
	const struct campo_field *fd = fld(s, p->field);
	struct campo_session_item *it;
	struct item_offsets *o;
	const char *v = campo_inode_value(p->node, p->field);
	enum campo_status status;
	struct okey k;

	(void)ctx;
	if (campo_grow((void **)&s->items, &s->cap_items, s->n_items + 1,
		       sizeof(*s->items)) ||
	    campo_grow((void **)&s->offs, &s->cap_offs, s->n_items + 1,
		       sizeof(*s->offs))) {
		return CAMPO_ERR_NOMEM;
	}
	o = &s->offs[s->n_items];
	it = &s->items[s->n_items++];
	memset(it, 0, sizeof(*it));
	it->field = fd;
	o->key = s->arena.len;
	status = key_build(s, p->field, p->node, false, &s->key);
	if (status == CAMPO_OK) {
		status = campo_buf_add(&s->arena, s->key.data, s->key.len + 1);
	}
	o->label = s->arena.len;
	if (status == CAMPO_OK) {
		status = render_i18n(s, p->field, p->node, &fd->label,
				     &s->label);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_add(&s->arena, s->label.data,
				       s->label.len + 1);
	}
	o->display = s->arena.len;
	if (status == CAMPO_OK) {
		status = display(s, fd, v, &s->arena);
	}
	if (status == CAMPO_OK) {
		status = campo_buf_addc(&s->arena, '\0');
	}
	it->missing = required_missing(s, p->field, p->node);
	it->invalid =
		*v && fd->constraint &&
		!eval_bool(s, fd->constraint, p->node, (int32_t)p->field, true);
	okey_of(s, p, &k);
	it->reached = *v || okey_cmp(&k, &s->furthest) <= 0;
	return status;
}

enum campo_status campo_session_review(struct campo_session *s,
				       const struct campo_session_item **items,
				       size_t *n)
{
	enum campo_status status;

	s->n_items = 0;
	campo_buf_reset(&s->arena);
	status = walk(s, review_one, NULL);
	if (status != CAMPO_OK) {
		return status;
	}
	for (size_t i = 0; i < s->n_items; i++) {
		struct campo_session_item *it = &s->items[i];

		it->key = s->arena.data + s->offs[i].key;
		it->label = s->arena.data + s->offs[i].label;
		it->display = s->arena.data + s->offs[i].display;
	}
	*items = s->items;
	*n = s->n_items;
	return CAMPO_OK;
}

static enum campo_status count_one(struct campo_session *s, const struct pos *p,
				   void *ctx)
{
	(void)ctx;
	s->relevant++;
	if (*campo_inode_value(p->node, p->field)) {
		s->answered++;
	}
	return CAMPO_OK;
}

void campo_session_progress(struct campo_session *s, size_t *answered,
			    size_t *relevant_out)
{
	if (!s->progress_valid) {
		s->answered = s->relevant = 0;
		(void)walk(s, count_one, NULL);
		s->progress_valid = true;
	}
	*answered = s->answered;
	*relevant_out = s->relevant;
}

const char *campo_session_value(struct campo_session *s, const char *key)
{
	uint32_t f;
	struct campo_inode *n;
	size_t idx;

	if (key_parse(s, key, false, &f, &n, &idx) != CAMPO_OK || idx ||
	    !campo_type_info(fld(s, f)->type)->has_value) {
		return "";
	}
	return campo_inode_value(n, f);
}
