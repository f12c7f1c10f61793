/* SPDX-License-Identifier: MIT */
/*
 * Opening and reading a small file, the OS part of lib/core/read-file.c:
 * lib/os/posix/file.c (open(2) without blocking or following a final
 * symbolic link, regular files only) and lib/os/windows/file.c (stdio,
 * binary).
 */
#ifndef LB_OS_FILE_H
#define LB_OS_FILE_H

#include <stddef.h>

/* A file open for reading: each OS uses its own member. */
struct lb__file {
	int fd;   /* POSIX */
	void *fp; /* Windows: a FILE * */
};

/* Open @path for reading into *@f: 0, or a negative LB_E* code
 * (lb__errno_code() of the failure; LB_EIO for what is not a regular
 * file or is a symbolic link where the OS can tell). */
int lb__file_open(const char *path, struct lb__file *f);

/* Read up to @n bytes into @buf: the count, 0 at the end, -1 on error. */
long lb__file_read(struct lb__file *f, char *buf, size_t n);

/* Close a file of lb__file_open(). */
void lb__file_close(struct lb__file *f);

#endif /* LB_OS_FILE_H */
