/* SPDX-License-Identifier: MIT */
/* The data of one interview as a tree: the root and each repeat instance. */
#ifndef CAMPO_FORM_INSTANCE_H
#define CAMPO_FORM_INSTANCE_H

#include <stddef.h>
#include <stdint.h>

#include "form/form.h"
#include "util/status.h"

/*
 * A node is the root of the interview or one instance of a repeat. It holds
 * the values of the fields whose nearest enclosing repeat is its repeat
 * (field->repeat == node->repeat), and the instances of the repeats directly
 * in its scope. Values are text in the C locale, as stored; "" is
 * unanswered.
 */
struct campo_inode;

/* An interview's data over one form. */
struct campo_instance;

/*
 * Makes an empty instance of form (borrowed: it must outlive the
 * instance). Caller frees with campo_instance_free(). NULL on no memory.
 */
struct campo_instance *campo_instance_new(const struct campo_form *form);

/* Frees inst and all its nodes. NULL is fine. */
void campo_instance_free(struct campo_instance *inst);

/* The form, and the root node (both borrowed, valid while inst lives). */
const struct campo_form *campo_instance_form(const struct campo_instance *inst);
struct campo_inode *campo_instance_root(struct campo_instance *inst);

/* The root node, read-only (borrowed, valid while inst lives). */
const struct campo_inode *
campo_instance_root_const(const struct campo_instance *inst);

/* The repeat field this node is an instance of (-1 for the root), its
 * 1-based position among its siblings (0 for the root), and its parent
 * (NULL for the root). */
int32_t campo_inode_repeat(const struct campo_inode *node);
uint32_t campo_inode_position(const struct campo_inode *node);
struct campo_inode *campo_inode_parent(const struct campo_inode *node);

/*
 * The value of field as seen from node: the field must belong to node's
 * scope or an enclosing one (its repeat is node's repeat or an ancestor's);
 * the nearest such node is used. Returns "" when unanswered. Borrowed;
 * valid until the value changes.
 */
const char *campo_inode_value(const struct campo_inode *node, uint32_t field);

/*
 * Sets the value of field (which must belong to node's scope or an
 * enclosing one) to len bytes of text (copied). len 0 clears it.
 */
enum campo_status campo_inode_set(struct campo_inode *node, uint32_t field,
				  const char *text, size_t len);

/* Number of instances of repeat field `repeat` under node (the repeat must
 * be directly in node's scope or an enclosing one's). */
size_t campo_inode_count(const struct campo_inode *node, uint32_t repeat);

/* Instance pos (1-based) of repeat under node; NULL when out of range. */
struct campo_inode *campo_inode_child(const struct campo_inode *node,
				      uint32_t repeat, size_t pos);

/* The instances of repeat under node, in order: *n of them (borrowed;
 * valid until an instance of that repeat is added or removed). NULL when
 * there is none. */
struct campo_inode *const *campo_inode_children(const struct campo_inode *node,
						uint32_t repeat, size_t *n);

/* Appends a new empty instance of repeat under node; *out (may be NULL)
 * gets it. */
enum campo_status campo_inode_add(struct campo_inode *node, uint32_t repeat,
				  struct campo_inode **out);

/* Removes instance pos (1-based) of repeat under node, and its subtree;
 * later instances move up one position. */
enum campo_status campo_inode_remove(struct campo_inode *node, uint32_t repeat,
				     size_t pos);

#endif
