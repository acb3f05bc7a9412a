/* SPDX-License-Identifier: MIT */
/* Reading and durably writing whole files; making and removing folders. */
#ifndef CAMPO_UTIL_FILE_H
#define CAMPO_UTIL_FILE_H

#include <stddef.h>

#include "diag.h"
#include "status.h"

/*
 * Reads the whole file at path into a new NUL-terminated buffer (*out,
 * caller frees with free()) of *len bytes. A file larger than max bytes
 * gives CAMPO_ERR_LIMIT before anything is read. Errors fill diag (with the
 * file name) when it is not NULL.
 */
enum campo_status campo_file_read(const char *path, size_t max, char **out,
				  size_t *len, struct campo_diag *diag);

/*
 * Writes len bytes to path durably: a temporary file in the same folder,
 * fsync, rename over path, fsync of the folder. Either the old or the new
 * contents survive a crash, never a mix.
 */
enum campo_status campo_file_write_atomic(const char *path, const void *data,
					  size_t len, struct campo_diag *diag);

/* Creates path and its missing parents with mode 0700 (like mkdir -p). */
enum campo_status campo_file_mkdirs(const char *path);

/*
 * Removes path and everything under it, like rm -rf: children before their
 * folder, one file system walk (nftw, FTW_DEPTH | FTW_PHYS). Symbolic links
 * are removed, never followed, path included: a link to a folder loses the
 * link and keeps the folder. A missing path is CAMPO_OK; an empty one is
 * CAMPO_ERR_INVALID; anything that cannot be removed stops the walk with
 * CAMPO_ERR_IO (what was removed before stays removed).
 */
enum campo_status campo_file_remove_tree(const char *path);

#endif
