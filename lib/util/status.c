/* SPDX-License-Identifier: MIT */
/* Descriptions of campo_status values. */
#include "status.h"

const char *campo_status_str(enum campo_status status)
{
	static const char *const names[] = {
		[CAMPO_OK] = "ok",
		[CAMPO_ERR_NOMEM] = "out of memory",
		[CAMPO_ERR_IO] = "input/output error",
		[CAMPO_ERR_PARSE] = "parse error",
		[CAMPO_ERR_INVALID] = "invalid",
		[CAMPO_ERR_LIMIT] = "limit exceeded",
		[CAMPO_ERR_DB] = "database error",
		[CAMPO_ERR_NET] = "network error",
		[CAMPO_ERR_NOTFOUND] = "not found",
		[CAMPO_ERR_CONFLICT] = "conflict",
		[CAMPO_ERR_UNKNOWN] = "outcome unknown",
	};

	if ((unsigned)status >= sizeof(names) / sizeof(names[0]) ||
	    !names[status]) {
		return "unknown status";
	}
	return names[status];
}
