/* SPDX-License-Identifier: MIT */
/* The expression lexer: XPath 1.0 tokens (section 3.7) plus XLSForm's ${name}.
 *
 * Deviations from XPath 1.0: no axes, attributes, variables ($x), node
 * tests or `//`; `*` is always multiplication; `${name}` is a token. Numbers
 * are read in the C locale whatever the process locale is.
 */
#include <math.h>
#include <string.h>

#include "form/expr-internal.h"

static bool is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c >= 0x80;
}

static bool is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void set_error(struct campo_expr_token *tok, size_t pos, const char *msg)
{
	tok->kind = TOK_ERROR;
	tok->pos = pos;
	tok->msg = msg;
}

void campo_expr_lex_next(const char *src, size_t len, size_t *pos,
			 struct campo_expr_token *tok)
{
	size_t p = *pos;
	char c;

	while (p < len && (src[p] == ' ' || src[p] == '\t' || src[p] == '\n' ||
			   src[p] == '\r')) {
		p++;
	}
	memset(tok, 0, sizeof(*tok));
	tok->pos = p;
	tok->text = src + p;
	if (p >= len) {
		tok->kind = TOK_END;
		*pos = p;
		return;
	}
	c = src[p];
	tok->len = 1;
	switch (c) {
	case '(':
		tok->kind = TOK_LPAREN;
		break;
	case ')':
		tok->kind = TOK_RPAREN;
		break;
	case '[':
		tok->kind = TOK_LBRACKET;
		break;
	case ']':
		tok->kind = TOK_RBRACKET;
		break;
	case ',':
		tok->kind = TOK_COMMA;
		break;
	case '/':
		tok->kind = TOK_SLASH;
		break;
	case '|':
		tok->kind = TOK_PIPE;
		break;
	case '+':
		tok->kind = TOK_PLUS;
		break;
	case '-':
		tok->kind = TOK_MINUS;
		break;
	case '*':
		tok->kind = TOK_STAR;
		break;
	case '=':
		tok->kind = TOK_EQ;
		break;
	case '!':
		if (p + 1 < len && src[p + 1] == '=') {
			tok->kind = TOK_NE;
			tok->len = 2;
		} else {
			set_error(tok, p, "unexpected '!'");
		}
		break;
	case '<':
		tok->kind = TOK_LT;
		if (p + 1 < len && src[p + 1] == '=') {
			tok->kind = TOK_LE;
			tok->len = 2;
		}
		break;
	case '>':
		tok->kind = TOK_GT;
		if (p + 1 < len && src[p + 1] == '=') {
			tok->kind = TOK_GE;
			tok->len = 2;
		}
		break;
	case '\'':
	case '"': {
		const char *end = memchr(src + p + 1, c, len - p - 1);

		if (!end) {
			set_error(tok, p, "unterminated string");
			break;
		}
		tok->kind = TOK_STRING;
		tok->text = src + p + 1;
		tok->len = (size_t)(end - (src + p + 1));
		*pos = (size_t)(end - src) + 1;
		return;
	}
	case '$': {
		size_t q = p + 2;

		if (p + 1 >= len || src[p + 1] != '{') {
			set_error(tok, p, "unexpected '$'");
			break;
		}
		while (q < len && src[q] != '}') {
			q++;
		}
		if (q >= len) {
			set_error(tok, p, "unterminated '${'");
			break;
		}
		tok->kind = TOK_REF;
		tok->text = src + p + 2;
		tok->len = q - p - 2;
		*pos = q + 1;
		return;
	}
	case '.':
		if (p + 1 < len && src[p + 1] == '.') {
			tok->kind = TOK_DOTDOT;
			tok->len = 2;
			break;
		}
		if (p + 1 < len && is_digit(src[p + 1])) {
			goto number;
		}
		tok->kind = TOK_DOT;
		break;
	default:
		if (is_digit(c)) {
			goto number;
		}
		if (is_name_start((unsigned char)c)) {
			size_t q = p + 1;

			while (q < len && is_name_char((unsigned char)src[q])) {
				q++;
			}
			/* a QName: prefix:local (jr:choice-name) */
			if (q + 1 < len && src[q] == ':' &&
			    is_name_start((unsigned char)src[q + 1])) {
				q += 2;
				while (q < len &&
				       is_name_char((unsigned char)src[q])) {
					q++;
				}
			}
			tok->kind = TOK_NAME;
			tok->len = q - p;
			*pos = q;
			return;
		}
		set_error(tok, p, "unexpected character");
		break;
	}
	*pos = p + tok->len;
	return;

number : {
	size_t q = p;

	while (q < len && is_digit(src[q])) {
		q++;
	}
	if (q < len && src[q] == '.') {
		q++;
		while (q < len && is_digit(src[q])) {
			q++;
		}
	}
	tok->kind = TOK_NUMBER;
	tok->len = q - p;
	tok->num = campo_expr_num_parse(src + p, q - p);
	*pos = q;
}
}
