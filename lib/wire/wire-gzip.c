/* SPDX-License-Identifier: MIT */
/* gzip in and out (RFC 1952 via zlib), the inflate bounded while it runs. */
#include <string.h>
#include <zlib.h>

#include "wire-internal.h"

#define CHUNK 16384

enum campo_status campo_wire_gzip(const void *in, size_t len, int level,
				  struct campo_buf *out,
				  struct campo_diag *diag)
{
	unsigned char chunk[CHUNK];
	size_t start = out->len, left = len;
	enum campo_status status = CAMPO_OK;
	z_stream z;
	int rc, flush;

	memset(&z, 0, sizeof(z));
	if (level < 0 || level > 9) {
		return campo_diag_set(diag, CAMPO_ERR_INVALID,
				      "gzip level %d is not 0-9", level);
	}
	/* 15 window bits + 16: a gzip header and trailer, not zlib's */
	rc = deflateInit2(&z, level ? level : 6, Z_DEFLATED, 15 + 16, 8,
			  Z_DEFAULT_STRATEGY);
	if (rc != Z_OK) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM,
				      "cannot start gzip");
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	do {
		uInt take = left > (1u << 30) ? (1u << 30) : (uInt)left;

		z.avail_in = take;
		left -= take;
		flush = left ? Z_NO_FLUSH : Z_FINISH;
		do {
			z.next_out = chunk;
			z.avail_out = CHUNK;
			rc = deflate(&z, flush);
			if (rc == Z_STREAM_ERROR) {
				status = campo_diag_set(diag, CAMPO_ERR_NOMEM,
							"gzip failed");
				goto out_end;
			}
			status = campo_buf_add(out, chunk, CHUNK - z.avail_out);
			if (status != CAMPO_OK) {
				campo_diag_set(diag, status,
					       "compressed batch passes %zu "
					       "bytes",
					       out->max);
				goto out_end;
			}
		} while (z.avail_out == 0);
	} while (flush != Z_FINISH);
out_end:
	deflateEnd(&z);
	if (status != CAMPO_OK && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return status;
}

enum campo_status campo_wire_gunzip(const void *in, size_t len,
				    const struct campo_wire_limits *lim,
				    struct campo_buf *out,
				    struct campo_diag *diag)
{
	struct campo_wire_limits l;
	unsigned char chunk[CHUNK];
	size_t start = out->len, cap, by_ratio, produced;
	enum campo_status status = CAMPO_OK;
	z_stream z;
	int rc;

	wire_limits_fill(&l, lim);
	if (len > l.compressed_max) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "compressed batch of %zu bytes passes "
				      "the cap of %zu",
				      len, l.compressed_max);
	}
	if (len > UINT32_MAX) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT,
				      "compressed batch too large");
	}
	/*
	 * The inflated cap is fixed before inflating: the smaller of the
	 * size cap and ratio_max times the input (but never below
	 * ratio_floor), so a bomb stops after at most that many bytes.
	 */
	by_ratio = len > SIZE_MAX / l.ratio_max ? SIZE_MAX : len * l.ratio_max;
	if (by_ratio < l.ratio_floor) {
		by_ratio = l.ratio_floor;
	}
	cap = by_ratio < l.inflated_max ? by_ratio : l.inflated_max;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK) {
		return campo_diag_set(diag, CAMPO_ERR_NOMEM,
				      "cannot start gunzip");
	}
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	produced = 0;
	for (;;) {
		z.next_out = chunk;
		z.avail_out = CHUNK;
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR) {
			status = campo_diag_set(diag, CAMPO_ERR_PARSE,
						"corrupt gzip: %s",
						z.msg ? z.msg : "bad data");
			goto out_end;
		}
		if (rc == Z_MEM_ERROR) {
			status = campo_diag_set(diag, CAMPO_ERR_NOMEM,
						"out of memory inflating");
			goto out_end;
		}
		produced += CHUNK - z.avail_out;
		if (produced > cap) {
			if (cap < l.inflated_max) {
				status = campo_diag_set(
					diag, CAMPO_ERR_LIMIT,
					"inflate ratio passes %zu:1 (%zu "
					"compressed bytes)",
					l.ratio_max, len);
			} else {
				status = campo_diag_set(
					diag, CAMPO_ERR_LIMIT,
					"inflated batch passes the cap of "
					"%zu bytes",
					l.inflated_max);
			}
			goto out_end;
		}
		status = campo_buf_add(out, chunk, CHUNK - z.avail_out);
		if (status != CAMPO_OK) {
			campo_diag_set(diag, status,
				       "inflated batch passes %zu bytes",
				       out->max);
			goto out_end;
		}
		if (rc == Z_STREAM_END) {
			break;
		}
		if (rc == Z_BUF_ERROR) {
			status = campo_diag_set(diag, CAMPO_ERR_PARSE,
						"gzip stream cut short after "
						"%zu bytes",
						len);
			goto out_end;
		}
	}
	if (z.avail_in != 0) {
		status = campo_diag_set(diag, CAMPO_ERR_PARSE,
					"%u bytes after the gzip stream",
					z.avail_in);
	}
out_end:
	inflateEnd(&z);
	if (status != CAMPO_OK && out->data) {
		out->len = start;
		out->data[start] = '\0';
	}
	return status;
}
