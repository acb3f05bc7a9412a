/* SPDX-License-Identifier: MIT */
/* Private to lib/form/expr-*.c: the compiled tree, values and evaluation. */
#ifndef CAMPO_FORM_EXPR_INTERNAL_H
#define CAMPO_FORM_EXPR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "form/expr.h"

/* Nesting of parentheses, calls, predicates and unary minus. */
#define CAMPO_EXPR_MAX_NESTING 64
/* Height of the tree (operator chains included): bounds eval recursion. */
#define CAMPO_EXPR_MAX_HEIGHT 512
/* Scratch memory one evaluation may use (strings, node-sets). */
#define CAMPO_EXPR_MAX_SCRATCH (16u << 20)

/* ---- lexer (expr-lex.c) ---- */

enum campo_expr_tok {
	TOK_END,
	TOK_ERROR, /* text: what went wrong is in the lexer's msg */
	TOK_NUMBER,
	TOK_STRING, /* text excludes the quotes */
	TOK_REF,    /* ${name}: text is the name */
	TOK_NAME,   /* NCName or QName (jr:choice-name) */
	TOK_DOT,
	TOK_DOTDOT,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_LBRACKET,
	TOK_RBRACKET,
	TOK_COMMA,
	TOK_SLASH,
	TOK_PIPE,
	TOK_PLUS,
	TOK_MINUS,
	TOK_STAR,
	TOK_EQ,
	TOK_NE,
	TOK_LT,
	TOK_LE,
	TOK_GT,
	TOK_GE,
};

struct campo_expr_token {
	enum campo_expr_tok kind;
	size_t pos;	  /* byte offset of the token in the source */
	const char *text; /* the token's meaningful text, in the source */
	size_t len;
	double num;	 /* TOK_NUMBER */
	const char *msg; /* TOK_ERROR: static text */
};

/*
 * Reads the token at byte offset *pos of src (len bytes) into *tok and
 * advances *pos past it. Never reads past len.
 */
void campo_expr_lex_next(const char *src, size_t len, size_t *pos,
			 struct campo_expr_token *tok);

/* ---- the compiled tree ---- */

enum campo_expr_kind {
	NODE_NUM,
	NODE_STR,
	NODE_REF,    /* ${name}: field */
	NODE_NAME,   /* bare name in a predicate: field of the current item */
	NODE_COLUMN, /* bare name in a choice_filter: column (-1 name, -2 label)
		      */
	NODE_SELF,   /* . */
	NODE_PARENT, /* .. */
	NODE_OR,
	NODE_AND,
	NODE_EQ,
	NODE_NE,
	NODE_LT,
	NODE_LE,
	NODE_GT,
	NODE_GE,
	NODE_ADD,
	NODE_SUB,
	NODE_MUL,
	NODE_DIV,
	NODE_MOD,
	NODE_NEG,
	NODE_UNION,
	NODE_FILTER, /* a[b] */
	NODE_STEP,   /* a/field */
	NODE_CALL,
};

struct campo_expr_node {
	enum campo_expr_kind kind;
	uint32_t a, b;	 /* operands; for a call: first index into e->args */
	uint32_t n_args; /* call */
	int32_t field;	 /* REF, NAME, STEP: field; COLUMN: column; call:
			    per-function (jr:choice-name's field) */
	uint32_t func;	 /* call: index into campo_expr_funcs */
	int32_t regex;	 /* call: index into e->regex, or -1 */
	uint32_t pos;	 /* byte offset in the source */
	uint32_t height; /* of the subtree, for CAMPO_EXPR_MAX_HEIGHT */
	uint32_t next;	 /* next argument of the same call, while parsing */
	double num;	 /* NUM */
	const char *str; /* STR: into e->src */
	size_t len;	 /* STR */
};

struct campo_expr {
	char *src; /* NUL-terminated copy */
	size_t len;
	const struct campo_form *form; /* borrowed */
	int32_t context;
	int32_t list;
	struct campo_expr_node *nodes;
	uint32_t n_nodes;
	uint32_t root;
	uint32_t *args;
	uint32_t n_args;
	uint32_t *refs;
	size_t n_refs;
	void **regex; /* pcre2_code_8 *, compiled from literal patterns */
	uint32_t n_regex;
};

/* ---- values ---- */

enum campo_expr_vtype {
	VAL_NUM,
	VAL_STR,
	VAL_BOOL,
	VAL_DATE, /* num: days since 1970-01-01, NaN for an invalid date */
	VAL_SET,  /* node-set: items[off .. off + n) of the scratch */
};

/* One node of a node-set: a value (field's value at node), a repeat
 * instance or group (field is the container), or a choice column. */
struct campo_expr_item {
	const char *s; /* its string value, NUL-terminated */
	const struct campo_inode *node;
	int32_t field;
};

struct campo_expr_val {
	enum campo_expr_vtype type;
	bool has_time; /* VAL_DATE: print as a dateTime */
	double num;    /* NUM, BOOL (0/1), DATE */
	const char *s; /* STR: not NUL-terminated */
	size_t len;
	size_t off, n; /* SET */
};

/* ---- evaluation (expr-eval.c) ---- */

struct campo_expr_ctx {
	const struct campo_expr *e;
	struct campo_eval *ev;
	struct campo_eval_scratch_ *sc;
	struct campo_diag *diag;
	/* the current item in a predicate (bare names, `.`, position()) */
	const struct campo_expr_item *item; /* NULL outside predicates */
	size_t item_pos, item_size;
	struct campo_expr_item item_copy;
};

enum campo_status campo_expr_eval_node(struct campo_expr_ctx *c, uint32_t n,
				       struct campo_expr_val *out);

/* The items of a set value (valid until the next item is pushed). */
const struct campo_expr_item *
campo_expr_set_items(const struct campo_expr_ctx *c,
		     const struct campo_expr_val *v);

/* Appends an item to the scratch node-set stack; *off (may be NULL) gets
 * its offset. */
enum campo_status campo_expr_item_push(struct campo_expr_ctx *c,
				       const struct campo_expr_item *it);
size_t campo_expr_items_top(const struct campo_expr_ctx *c);
void campo_expr_items_pop(struct campo_expr_ctx *c, size_t top);

/* Scratch bytes that stay put until the evaluation ends. NULL with
 * *status set when the cap is reached or memory runs out. */
char *campo_expr_scratch_alloc(struct campo_expr_ctx *c, size_t n,
			       enum campo_status *status);

/* Grows p, the last thing allocated (len bytes), by `more` bytes in
 * place; NULL when it is not the last or does not fit. */
char *campo_expr_scratch_extend(struct campo_expr_ctx *c, const char *p,
				size_t len, size_t more);

/* Conversions (XPath 1.0 with POLICY.md). */
double campo_expr_val_num(const struct campo_expr_ctx *c,
			  const struct campo_expr_val *v);
bool campo_expr_val_bool(const struct campo_expr_ctx *c,
			 const struct campo_expr_val *v);
/* String value: *s and *len; may write into scratch. */
enum campo_status campo_expr_val_str(struct campo_expr_ctx *c,
				     const struct campo_expr_val *v,
				     const char **s, size_t *len);

/* Gathers the items of field as seen from node (a single value, or every
 * instance's value from outside the repeat) onto the item stack. */
enum campo_status campo_expr_gather(struct campo_expr_ctx *c,
				    const struct campo_inode *node,
				    uint32_t field, size_t *n);

/* The clock: ev->now_ms, or the real time when it is 0. */
int64_t campo_expr_now_ms(const struct campo_expr_ctx *c);

/* The regex match data and cache live in the scratch. */
struct pcre2_real_code_8;
enum campo_status campo_expr_regex_match(struct campo_expr_ctx *c,
					 const struct campo_expr_node *call,
					 const char *s, size_t len,
					 const char *re, size_t re_len,
					 bool *out);

/* ---- functions (expr-func.c) ---- */

struct campo_expr_parser;

struct campo_expr_func {
	const char *name;
	uint32_t min_args;
	uint32_t max_args; /* UINT32_MAX: any number */
	/* Evaluates the call (its arguments through campo_expr_arg()). */
	enum campo_status (*run)(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call,
				 struct campo_expr_val *out);
	/* Optional compile-time check and preparation of the call. */
	enum campo_status (*prepare)(struct campo_expr *e,
				     struct campo_expr_node *call,
				     struct campo_diag *diag);
};

extern const struct campo_expr_func campo_expr_funcs[];
extern const size_t campo_expr_n_funcs;

/* Index of the function named name (len bytes), or -1. */
int32_t campo_expr_func_find(const char *name, size_t len);

/* Evaluates argument i of call. */
enum campo_status campo_expr_arg(struct campo_expr_ctx *c,
				 const struct campo_expr_node *call, uint32_t i,
				 struct campo_expr_val *out);

/* Compiles a regex pattern; NULL with msg set on failure. */
void *campo_expr_regex_compile(const char *re, size_t len, char *msg,
			       size_t msg_len, size_t *err_off);
void campo_expr_regex_free(void *code);

/* ---- numbers (expr-num.c) ---- */

/* Text to number per POLICY.md: trim; optional '-', digits, one '.' or
 * ','. NaN for anything else. */
double campo_expr_num_parse(const char *s, size_t len);

/* Number to text: shortest round-trip decimal, no exponent below 1e21,
 * "-0" as "0", NaN as "", "Infinity". out must hold CAMPO_EXPR_NUM_MAX
 * bytes; returns the length. */
#define CAMPO_EXPR_NUM_MAX 400
size_t campo_expr_num_format(double x, char *out);

/* round(x, digits) on the decimal text of x, halves toward +infinity. */
double campo_expr_num_round(double x, double digits);

/* ---- dates (expr-date.c) ---- */

/* Days since 1970-01-01 of a civil date; and back. */
int64_t campo_expr_days_from_civil(int64_t y, unsigned m, unsigned d);
void campo_expr_civil_from_days(int64_t z, int64_t *y, unsigned *m,
				unsigned *d);

enum campo_expr_date_parse {
	DATE_NONE,    /* not a date at all */
	DATE_OK,      /* *days set (fractional with a time) */
	DATE_INVALID, /* shaped like a date, but impossible (2021-02-29) */
};

/* Parses "YYYY-M-D" optionally followed by "THH:MM[:SS[.fff]][Z|+hh:mm]".
 * *has_time tells whether a time part was present. */
enum campo_expr_date_parse campo_expr_date_parse(const char *s, size_t len,
						 double *days, bool *has_time);

/* Parses "HH:MM[:SS[.fff]][Z|+hh:mm]" into a fraction of a day (UTC). */
bool campo_expr_time_parse(const char *s, size_t len, double *frac);

/* Writes "YYYY-MM-DD" (or the dateTime form) for days; returns length.
 * out must hold 64 bytes. */
size_t campo_expr_date_format(double days, bool has_time, char *out);

/* strftime-like with ODK's codes (%Y %y %m %n %b %d %e %a %H %h %M %S %3);
 * appends to out (scratch via ctx). */
enum campo_status campo_expr_date_strf(struct campo_expr_ctx *c, double days,
				       const char *fmt, size_t fmt_len,
				       const char **s, size_t *len);

/* ---- digests (expr-digest.c) ---- */

/* Writes the digest of data named alg ("MD5", "SHA-1", "SHA-256",
 * "SHA-384", "SHA-512") into out (64 bytes); returns its length or 0 for
 * an unknown algorithm. */
size_t campo_expr_digest(const char *alg, size_t alg_len, const void *data,
			 size_t len, unsigned char out[64]);

#endif
