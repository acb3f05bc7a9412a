/* SPDX-License-Identifier: MIT */
/* Supervisor passwords (PBKDF2-HMAC-SHA256) and session tokens. */
#include <stdio.h>
#include <string.h>

#include "hub.h"
#include "util/sha256.h"
#include "util/uuid.h"

/*
 * HMAC-SHA256 (RFC 2104) with the key's inner and outer states computed
 * once: PBKDF2 then costs two compressions per iteration.
 */
struct hmac {
	struct campo_sha256 inner, outer;
};

static void hmac_init(struct hmac *h, const void *key, size_t len)
{
	unsigned char k[64] = { 0 }, pad[64];

	if (len > sizeof(k)) {
		campo_sha256_sum(key, len, k);
	} else if (len) {
		memcpy(k, key, len);
	}
	for (size_t i = 0; i < 64; i++) {
		pad[i] = k[i] ^ 0x36;
	}
	campo_sha256_init(&h->inner);
	campo_sha256_add(&h->inner, pad, 64);
	for (size_t i = 0; i < 64; i++) {
		pad[i] = k[i] ^ 0x5c;
	}
	campo_sha256_init(&h->outer);
	campo_sha256_add(&h->outer, pad, 64);
	memset(k, 0, sizeof(k));
	memset(pad, 0, sizeof(pad));
}

/* out = HMAC(key, a || b); b may be NULL. */
static void hmac_sum(const struct hmac *h, const void *a, size_t alen,
		     const void *b, size_t blen,
		     unsigned char out[CAMPO_SHA256_LEN])
{
	struct campo_sha256 c = h->inner;
	unsigned char mid[CAMPO_SHA256_LEN];

	campo_sha256_add(&c, a, alen);
	if (b) {
		campo_sha256_add(&c, b, blen);
	}
	campo_sha256_final(&c, mid);
	c = h->outer;
	campo_sha256_add(&c, mid, sizeof(mid));
	campo_sha256_final(&c, out);
}

void hub_pbkdf2_sha256(const void *password, size_t len, const uint8_t *salt,
		       size_t salt_len, uint32_t iterations,
		       uint8_t out[CAMPO_HUB_KEY_LEN])
{
	/* one block: dkLen = hLen = 32, so the block index is always 1 */
	static const unsigned char one[4] = { 0, 0, 0, 1 };
	unsigned char u[CAMPO_SHA256_LEN];
	struct hmac h;

	hmac_init(&h, password, len);
	hmac_sum(&h, salt, salt_len, one, sizeof(one), u);
	memcpy(out, u, CAMPO_HUB_KEY_LEN);
	for (uint32_t i = 1; i < iterations; i++) {
		hmac_sum(&h, u, sizeof(u), NULL, 0, u);
		for (size_t k = 0; k < CAMPO_HUB_KEY_LEN; k++) {
			out[k] ^= u[k];
		}
	}
	memset(&h, 0, sizeof(h));
	memset(u, 0, sizeof(u));
}

enum campo_status hub_password_new(const char *password, size_t len,
				   uint32_t iterations,
				   struct campo_hub_password *pw)
{
	enum campo_status status =
		campo_random_bytes(pw->salt, sizeof(pw->salt));

	if (status != CAMPO_OK) {
		return status;
	}
	pw->iterations = iterations;
	hub_pbkdf2_sha256(password, len, pw->salt, sizeof(pw->salt), iterations,
			  pw->key);
	return CAMPO_OK;
}

bool hub_password_check(const struct campo_hub_password *pw,
			const char *password, size_t len)
{
	uint8_t key[CAMPO_HUB_KEY_LEN];
	unsigned diff = 0;

	if (pw->iterations == 0) {
		return false;
	}
	hub_pbkdf2_sha256(password, len, pw->salt, sizeof(pw->salt),
			  pw->iterations, key);
	for (size_t i = 0; i < CAMPO_HUB_KEY_LEN; i++) {
		diff |= (unsigned)(key[i] ^ pw->key[i]);
	}
	return diff == 0;
}

/* A dummy stored password, so a sign-in with an unknown name costs what a
 * wrong password costs and does not tell which names exist. */
static const struct campo_hub_password dummy = {
	.iterations = HUB_PASSWORD_ITERATIONS,
};

enum campo_status hub_supervisor_verify(struct campo_hub *hub, const char *name,
					const char *password, size_t len)
{
	struct campo_hub_password pw;
	enum campo_status status =
		campo_hub_supervisor_get(hub, name, &pw, NULL);

	if (status == CAMPO_ERR_NOTFOUND) {
		hub_password_check(&dummy, password, len);
		return CAMPO_ERR_NOTFOUND;
	}
	if (status != CAMPO_OK) {
		return status;
	}
	return hub_password_check(&pw, password, len) ? CAMPO_OK
						      : CAMPO_ERR_NOTFOUND;
}

enum campo_status hub_session_new(struct campo_hub *hub, const char *name,
				  int64_t now, char token[65])
{
	uint8_t raw[32], hash[CAMPO_HUB_KEY_LEN];
	enum campo_status status = campo_random_bytes(raw, sizeof(raw));

	if (status != CAMPO_OK) {
		return status;
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	}
	campo_sha256_sum(raw, sizeof(raw), hash);
	return campo_hub_session_add(hub, hash, name, now + HUB_SESSION_SECONDS,
				     now, NULL);
}

/* The SHA-256 of the session token in a Cookie header: the value of
 * campo_session, 64 hex digits of 32 bytes (hub_token_hash()). */
static bool cookie_token(const char *cookie, uint8_t hash[CAMPO_HUB_KEY_LEN])
{
	static const char name[] = "campo_session=";
	const char *p = cookie;

	while (p && *p) {
		while (*p == ' ' || *p == ';') {
			p++;
		}
		if (!strncmp(p, name, sizeof(name) - 1)) {
			p += sizeof(name) - 1;
			return hub_token_hash(p, strcspn(p, "; "), hash);
		}
		p = strchr(p, ';');
	}
	return false;
}

enum campo_status hub_session_check(struct campo_hub *hub, const char *cookie,
				    int64_t now,
				    char name[CAMPO_HUB_NAME_MAX + 1],
				    uint8_t hash[CAMPO_HUB_KEY_LEN])
{
	name[0] = '\0';
	if (!cookie || !cookie_token(cookie, hash)) {
		return CAMPO_ERR_NOTFOUND;
	}
	return campo_hub_session_find(hub, hash, now, name, NULL);
}

static int b64val(char c)
{
	if (c >= 'A' && c <= 'Z') {
		return c - 'A';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 26;
	}
	if (c >= '0' && c <= '9') {
		return c - '0' + 52;
	}
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

bool hub_basic_parse(const char *header, char *name, size_t name_size,
		     char *password, size_t password_size)
{
	char plain[HUB_PASSWORD_MAX + CAMPO_HUB_NAME_MAX + 2];
	size_t n = 0, len;
	uint32_t acc = 0;
	int bits = 0;
	const char *colon;

	if (!header || strncmp(header, "Basic ", 6)) {
		return false;
	}
	header += 6;
	while (*header == ' ') {
		header++;
	}
	len = strlen(header);
	while (len && header[len - 1] == '=') {
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		int v = b64val(header[i]);

		if (v < 0) {
			return false;
		}
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= sizeof(plain)) {
				return false;
			}
			plain[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	plain[n] = '\0';
	colon = memchr(plain, ':', n);
	if (!colon || memchr(plain, '\0', n) ||
	    (size_t)(colon - plain) >= name_size ||
	    n - (size_t)(colon - plain) - 1 >= password_size) {
		memset(plain, 0, sizeof(plain));
		return false;
	}
	memcpy(name, plain, (size_t)(colon - plain));
	name[colon - plain] = '\0';
	memcpy(password, colon + 1, n - (size_t)(colon - plain) - 1);
	password[n - (size_t)(colon - plain) - 1] = '\0';
	memset(plain, 0, sizeof(plain));
	return true;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

bool hub_form_field(const char *body, size_t len, const char *key, char *out,
		    size_t size)
{
	size_t klen = strlen(key), i = 0;

	while (i < len) {
		size_t end = i;

		while (end < len && body[end] != '&') {
			end++;
		}
		if (end - i > klen && !memcmp(body + i, key, klen) &&
		    body[i + klen] == '=') {
			size_t n = 0;

			for (size_t k = i + klen + 1; k < end; k++) {
				char c = body[k];

				if (c == '+') {
					c = ' ';
				} else if (c == '%') {
					int hi = k + 2 < end
							 ? hexval(body[k + 1])
							 : -1;
					int lo = hi >= 0 ? hexval(body[k + 2])
							 : -1;

					if (hi < 0 || lo < 0) {
						return false;
					}
					c = (char)(hi << 4 | lo);
					k += 2;
				}
				if (c == '\0' || n + 1 >= size) {
					return false;
				}
				out[n++] = c;
			}
			out[n] = '\0';
			return true;
		}
		i = end + 1;
	}
	return false;
}

void hub_csrf_token(const uint8_t session[CAMPO_HUB_KEY_LEN], char out[65])
{
	static const char label[] = "campo-hub csrf/1";
	struct campo_sha256 c;

	campo_sha256_init(&c);
	campo_sha256_add(&c, label, sizeof(label) - 1);
	campo_sha256_add(&c, session, CAMPO_HUB_KEY_LEN);
	campo_sha256_final_hex(&c, out);
}

bool hub_csrf_check(const uint8_t session[CAMPO_HUB_KEY_LEN], const char *token)
{
	char want[65];
	unsigned diff = 0;

	hub_csrf_token(session, want);
	if (strlen(token) != 64) {
		return false;
	}
	for (size_t i = 0; i < 64; i++) {
		diff |= (unsigned)(want[i] ^ token[i]);
	}
	return diff == 0;
}
