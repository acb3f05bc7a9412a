/* SPDX-License-Identifier: MIT */
/* One result type for every fallible library function in campo. */
#ifndef CAMPO_UTIL_STATUS_H
#define CAMPO_UTIL_STATUS_H

enum campo_status {
	CAMPO_OK = 0,
	CAMPO_ERR_NOMEM,    /* allocation failed */
	CAMPO_ERR_IO,	    /* a read, write, fsync or rename failed */
	CAMPO_ERR_PARSE,    /* input is not well formed */
	CAMPO_ERR_INVALID,  /* well formed, but breaks a rule */
	CAMPO_ERR_LIMIT,    /* a size, depth or count cap was reached */
	CAMPO_ERR_DB,	    /* the database refused or failed */
	CAMPO_ERR_NET,	    /* the network failed */
	CAMPO_ERR_NOTFOUND, /* the named thing does not exist */
	CAMPO_ERR_CONFLICT, /* the thing exists with other content */
	CAMPO_ERR_UNKNOWN, /* outcome not known (e.g. fsync failed): re-apply */
};

/*
 * Returns a short lowercase English description of status, e.g.
 * "out of memory". Never NULL; static storage.
 */
const char *campo_status_str(enum campo_status status);

#endif
