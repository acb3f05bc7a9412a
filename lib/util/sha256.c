/* SPDX-License-Identifier: MIT */
/* SHA-256 (FIPS 180-4), incremental and in one call; no third-party code.
 * Shared by the store's content hash and the expression digest(). */
#include <string.h>

#include "sha256.h"

static const uint32_t k256[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

/* Runs one 64-byte block p through the compression function. */
static void block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh;
	unsigned i;

	for (i = 0; i < 16; i++) {
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	}
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	hh = h[7];
	for (i = 0; i < 64; i++) {
		uint32_t s1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + s1 + ch + k256[i] + w[i];
		uint32_t s0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
		uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = s0 + maj;

		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void campo_sha256_init(struct campo_sha256 *c)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, h0, sizeof(h0));
	c->len = 0;
	c->nbuf = 0;
}

void campo_sha256_add(struct campo_sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len == 0) {
		return; /* data may be NULL then: nothing to copy */
	}
	c->len += len;
	if (c->nbuf) {
		size_t take = 64 - c->nbuf;

		if (take > len) {
			take = len;
		}
		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take;
		p += take;
		len -= take;
		if (c->nbuf < 64) {
			return;
		}
		block(c->h, c->buf);
		c->nbuf = 0;
	}
	/* whole blocks straight from the input */
	for (; len >= 64; p += 64, len -= 64) {
		block(c->h, p);
	}
	if (len) {
		memcpy(c->buf, p, len);
		c->nbuf = len;
	}
}

void campo_sha256_final(struct campo_sha256 *c,
			unsigned char out[CAMPO_SHA256_LEN])
{
	uint64_t bits = c->len * 8;
	unsigned i;

	/* 0x80, zeros up to 56 bytes into a block, the bit length (BE) */
	c->buf[c->nbuf++] = 0x80;
	if (c->nbuf > 56) {
		memset(c->buf + c->nbuf, 0, 64 - c->nbuf);
		block(c->h, c->buf);
		c->nbuf = 0;
	}
	memset(c->buf + c->nbuf, 0, 56 - c->nbuf);
	for (i = 0; i < 8; i++) {
		c->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	}
	block(c->h, c->buf);
	c->nbuf = 0;
	for (i = 0; i < CAMPO_SHA256_LEN; i++) {
		out[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
	}
}

void campo_sha256_final_hex(struct campo_sha256 *c,
			    char out[CAMPO_SHA256_HEX_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char d[CAMPO_SHA256_LEN];
	unsigned i;

	campo_sha256_final(c, d);
	for (i = 0; i < CAMPO_SHA256_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[CAMPO_SHA256_HEX_LEN] = '\0';
}

void campo_sha256_sum(const void *data, size_t len,
		      unsigned char out[CAMPO_SHA256_LEN])
{
	struct campo_sha256 c;

	campo_sha256_init(&c);
	campo_sha256_add(&c, data, len);
	campo_sha256_final(&c, out);
}
