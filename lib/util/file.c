/* SPDX-License-Identifier: MIT */
/* Reading and durably writing whole files; making and removing folders. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "file.h"

enum campo_status campo_file_read(const char *path, size_t max, char **out,
				  size_t *len, struct campo_diag *diag)
{
	enum campo_status status = CAMPO_OK;
	struct stat st;
	size_t size, got = 0;
	char *data;
	int fd;

	*out = NULL;
	*len = 0;
	campo_diag_set_file(diag, path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return campo_diag_set(diag, CAMPO_ERR_IO, "cannot open: %s",
				      strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		status = campo_diag_set(diag, CAMPO_ERR_IO, "cannot stat: %s",
					strerror(errno));
		goto out_close;
	}
	if (!S_ISREG(st.st_mode)) {
		status = campo_diag_set(diag, CAMPO_ERR_IO,
					"not a regular file");
		goto out_close;
	}
	if ((unsigned long long)st.st_size > max) {
		status = campo_diag_set(diag, CAMPO_ERR_LIMIT,
					"file is %lld bytes, more than the "
					"limit of %zu",
					(long long)st.st_size, max);
		goto out_close;
	}
	size = (size_t)st.st_size;
	data = malloc(size + 1);
	if (!data) {
		status = CAMPO_ERR_NOMEM;
		goto out_close;
	}
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			free(data);
			status = campo_diag_set(
				diag, CAMPO_ERR_IO, "cannot read: %s",
				n ? strerror(errno) : "file shrank");
			goto out_close;
		}
		got += (size_t)n;
	}
	data[size] = '\0';
	*out = data;
	*len = size;
out_close:
	close(fd);
	return status;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

enum campo_status campo_file_write_atomic(const char *path, const void *data,
					  size_t len, struct campo_diag *diag)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	char *slash;
	int fd, dfd;

	campo_diag_set_file(diag, path);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
		    (int)sizeof(tmp) ||
	    snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		return campo_diag_set(diag, CAMPO_ERR_LIMIT, "path too long");
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		return campo_diag_set(diag, CAMPO_ERR_IO, "cannot create: %s",
				      strerror(errno));
	}
	if (write_all(fd, data, len) || fsync(fd)) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return campo_diag_set(diag, CAMPO_ERR_IO, "cannot write: %s",
				      strerror(e));
	}
	if (close(fd) || rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return campo_diag_set(diag, CAMPO_ERR_IO, "cannot write: %s",
				      strerror(e));
	}
	slash = strrchr(dir, '/');
	if (slash == dir) {
		dir[1] = '\0';
	} else if (slash) {
		*slash = '\0';
	} else {
		strcpy(dir, ".");
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		int r = fsync(dfd);

		close(dfd);
		if (r) {
			return campo_diag_set(diag, CAMPO_ERR_UNKNOWN,
					      "cannot sync folder: %s",
					      strerror(errno));
		}
	}
	return CAMPO_OK;
}

enum campo_status campo_file_mkdirs(const char *path)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf)) {
		return CAMPO_ERR_LIMIT;
	}
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/') {
			continue;
		}
		*p = '\0';
		if (mkdir(buf, 0700) && errno != EEXIST) {
			return CAMPO_ERR_IO;
		}
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST) {
		return CAMPO_ERR_IO;
	}
	return CAMPO_OK;
}

/* nftw callback: removes one entry; one that vanished meanwhile is gone. */
static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) && errno != ENOENT ? -1 : 0;
}

enum campo_status campo_file_remove_tree(const char *path)
{
	struct stat st;

	if (!*path) {
		return CAMPO_ERR_INVALID;
	}
	if (lstat(path, &st)) {
		return errno == ENOENT ? CAMPO_OK : CAMPO_ERR_IO;
	}
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS)) {
		return CAMPO_ERR_IO;
	}
	return CAMPO_OK;
}
