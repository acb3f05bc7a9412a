/* SPDX-License-Identifier: MIT */
/* The data of one interview as a tree of scopes: the root and repeat
 * instances, each holding the values of its own questions. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "form/instance.h"
#include "util/alloc.h"

struct kids {
	size_t n, cap;
	struct campo_inode **items;
};

struct campo_inode {
	struct campo_instance *inst;
	struct campo_inode *parent;
	int32_t repeat;
	uint32_t position;
	char **values;	   /* per value slot of the scope; NULL is "" */
	struct kids *kids; /* per repeat directly in the scope */
};

struct campo_instance {
	const struct campo_form *form;
	uint32_t *slot;	       /* per field: slot in its scope */
	uint32_t *n_slots;     /* per scope (repeat index + 1; 0 root) */
	uint32_t *n_kid_slots; /* per scope */
	struct campo_inode *root;
};

static size_t scope_of(int32_t repeat)
{
	return (size_t)(repeat + 1);
}

static struct campo_inode *node_new(struct campo_instance *inst,
				    struct campo_inode *parent, int32_t repeat)
{
	struct campo_inode *node = campo_calloc(1, sizeof(*node));
	size_t s = scope_of(repeat);

	if (!node) {
		return NULL;
	}
	node->inst = inst;
	node->parent = parent;
	node->repeat = repeat;
	node->values = campo_calloc(inst->n_slots[s] ? inst->n_slots[s] : 1,
				    sizeof(*node->values));
	node->kids =
		campo_calloc(inst->n_kid_slots[s] ? inst->n_kid_slots[s] : 1,
			     sizeof(*node->kids));
	if (!node->values || !node->kids) {
		free(node->values);
		free(node->kids);
		free(node);
		return NULL;
	}
	return node;
}

static void node_free(struct campo_inode *node)
{
	size_t s;

	if (!node) {
		return;
	}
	s = scope_of(node->repeat);
	for (uint32_t i = 0; i < node->inst->n_slots[s]; i++) {
		free(node->values[i]);
	}
	for (uint32_t k = 0; k < node->inst->n_kid_slots[s]; k++) {
		for (size_t i = 0; i < node->kids[k].n; i++) {
			node_free(node->kids[k].items[i]);
		}
		free(node->kids[k].items);
	}
	free(node->kids);
	free(node->values);
	free(node);
}

struct campo_instance *campo_instance_new(const struct campo_form *form)
{
	struct campo_instance *inst = campo_calloc(1, sizeof(*inst));
	size_t n = form->n_fields;

	if (!inst) {
		return NULL;
	}
	inst->form = form;
	inst->slot = campo_calloc(n ? n : 1, sizeof(*inst->slot));
	inst->n_slots = campo_calloc(n + 1, sizeof(*inst->n_slots));
	inst->n_kid_slots = campo_calloc(n + 1, sizeof(*inst->n_kid_slots));
	if (!inst->slot || !inst->n_slots || !inst->n_kid_slots) {
		goto out_free;
	}
	for (size_t i = 0; i < n; i++) {
		const struct campo_field *f = &form->fields[i];
		size_t s = scope_of(f->repeat);

		/* a repeat's own value slot is unused; its slot in the
		 * parent's child lists is what counts */
		if (f->type == CAMPO_TYPE_REPEAT) {
			inst->slot[i] = inst->n_kid_slots[s]++;
		} else {
			inst->slot[i] = inst->n_slots[s]++;
		}
	}
	inst->root = node_new(inst, NULL, -1);
	if (!inst->root) {
		goto out_free;
	}
	return inst;

out_free:
	campo_instance_free(inst);
	return NULL;
}

void campo_instance_free(struct campo_instance *inst)
{
	if (!inst) {
		return;
	}
	node_free(inst->root);
	free(inst->n_kid_slots);
	free(inst->n_slots);
	free(inst->slot);
	free(inst);
}

const struct campo_form *campo_instance_form(const struct campo_instance *inst)
{
	return inst->form;
}

struct campo_inode *campo_instance_root(struct campo_instance *inst)
{
	return inst->root;
}

const struct campo_inode *
campo_instance_root_const(const struct campo_instance *inst)
{
	return inst->root;
}

int32_t campo_inode_repeat(const struct campo_inode *node)
{
	return node->repeat;
}

uint32_t campo_inode_position(const struct campo_inode *node)
{
	return node->position;
}

struct campo_inode *campo_inode_parent(const struct campo_inode *node)
{
	return node->parent;
}

/* The node of scope `repeat` at or above node; NULL when none is. */
static const struct campo_inode *scope_node(const struct campo_inode *node,
					    int32_t repeat)
{
	while (node && node->repeat != repeat) {
		node = node->parent;
	}
	return node;
}

/* The same for a node the caller may change. */
static struct campo_inode *scope_node_mut(struct campo_inode *node,
					  int32_t repeat)
{
	while (node && node->repeat != repeat) {
		node = node->parent;
	}
	return node;
}

const char *campo_inode_value(const struct campo_inode *node, uint32_t field)
{
	const struct campo_form *form = node->inst->form;
	const struct campo_inode *n;
	const char *v;

	assert(field < form->n_fields);
	if (form->fields[field].type == CAMPO_TYPE_REPEAT) {
		return "";
	}
	n = scope_node(node, form->fields[field].repeat);
	if (!n) {
		return "";
	}
	v = n->values[node->inst->slot[field]];
	return v ? v : "";
}

enum campo_status campo_inode_set(struct campo_inode *node, uint32_t field,
				  const char *text, size_t len)
{
	const struct campo_form *form = node->inst->form;
	struct campo_inode *n;
	char *copy = NULL;
	uint32_t slot;

	assert(field < form->n_fields);
	if (form->fields[field].type == CAMPO_TYPE_REPEAT) {
		return CAMPO_ERR_INVALID;
	}
	n = scope_node_mut(node, form->fields[field].repeat);
	if (!n) {
		return CAMPO_ERR_INVALID;
	}
	if (len) {
		copy = campo_strndup(text, len);
		if (!copy) {
			return CAMPO_ERR_NOMEM;
		}
	}
	slot = node->inst->slot[field];
	free(n->values[slot]);
	n->values[slot] = copy;
	return CAMPO_OK;
}

static struct kids *kids_of(const struct campo_inode *node, uint32_t repeat)
{
	const struct campo_form *form = node->inst->form;
	const struct campo_inode *n;

	assert(repeat < form->n_fields &&
	       form->fields[repeat].type == CAMPO_TYPE_REPEAT);
	n = scope_node(node, form->fields[repeat].repeat);
	return n ? &n->kids[node->inst->slot[repeat]] : NULL;
}

size_t campo_inode_count(const struct campo_inode *node, uint32_t repeat)
{
	const struct kids *k = kids_of(node, repeat);

	return k ? k->n : 0;
}

struct campo_inode *campo_inode_child(const struct campo_inode *node,
				      uint32_t repeat, size_t pos)
{
	const struct kids *k = kids_of(node, repeat);

	if (!k || pos < 1 || pos > k->n) {
		return NULL;
	}
	return k->items[pos - 1];
}

struct campo_inode *const *campo_inode_children(const struct campo_inode *node,
						uint32_t repeat, size_t *n)
{
	const struct kids *k = kids_of(node, repeat);

	*n = k ? k->n : 0;
	return k && k->n ? k->items : NULL;
}

enum campo_status campo_inode_add(struct campo_inode *node, uint32_t repeat,
				  struct campo_inode **out)
{
	struct kids *k = kids_of(node, repeat);
	struct campo_inode *child;

	if (!k) {
		return CAMPO_ERR_INVALID;
	}
	if (campo_grow((void **)&k->items, &k->cap, k->n + 1,
		       sizeof(*k->items))) {
		return CAMPO_ERR_NOMEM;
	}
	child = node_new(
		node->inst,
		scope_node_mut(node, node->inst->form->fields[repeat].repeat),
		(int32_t)repeat);
	if (!child) {
		return CAMPO_ERR_NOMEM;
	}
	k->items[k->n++] = child;
	child->position = (uint32_t)k->n;
	if (out) {
		*out = child;
	}
	return CAMPO_OK;
}

enum campo_status campo_inode_remove(struct campo_inode *node, uint32_t repeat,
				     size_t pos)
{
	struct kids *k = kids_of(node, repeat);

	if (!k || pos < 1 || pos > k->n) {
		return CAMPO_ERR_NOTFOUND;
	}
	node_free(k->items[pos - 1]);
	memmove(&k->items[pos - 1], &k->items[pos],
		(k->n - pos) * sizeof(*k->items));
	k->n--;
	for (size_t i = pos - 1; i < k->n; i++) {
		k->items[i]->position = (uint32_t)i + 1;
	}
	return CAMPO_OK;
}
