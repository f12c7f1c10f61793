/* SPDX-License-Identifier: MIT */
/*
 * Reading a whole file relative to a directory descriptor (openat): the
 * /proc readers' small-file reader, where the directory (/proc, a
 * namespace's /proc/thread-self/net, a task directory) is opened once.
 * POSIX; lib/core/read-file.h reads by path on every OS.
 */
#ifndef LB_READ_FILE_AT_H
#define LB_READ_FILE_AT_H

#include <stddef.h>

/* Read a whole file relative to @dirfd into a malloc'd buffer. Returns 0,
 * LB_ENOENT (also for a process gone: ESRCH), LB_EPERM, LB_ENOMEM or
 * LB_EIO (lb__errno_code()). */
int lb__read_file_at(int dirfd, const char *name, char **ret_buf, size_t *ret_len);

#endif /* LB_READ_FILE_AT_H */
