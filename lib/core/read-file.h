/* SPDX-License-Identifier: MIT */
/*
 * Reading whole small files (sysctls under /proc/sys, /proc/PID/stat,
 * /proc/net/unix, fixtures), on every OS. Internal. Only regular files
 * are read, opened without blocking and without following a symbolic
 * link at the end of the path: a FIFO or a device (/dev/zero) named by
 * mistake or by an attacker is LB_EIO at once.
 */
#ifndef LB_READ_FILE_H
#define LB_READ_FILE_H

#include <stddef.h>

/* The most lb__read_all() reads: /proc/net/unix of a host with a million
 * sockets is ~150 MB, so room for that and no more. */
#define LB_READ_ALL_MAX ((size_t)256 << 20)

/*
 * Read the file at @path into @buf (@size bytes, at least 1) and
 * NUL-terminate it. A file that fills the whole buffer is LB_EBADDATA:
 * @size is chosen larger than any valid content, so a full buffer means
 * unexpected data (or a truncated read), never a silent cut.
 *
 * Returns 0 and *@ret_len (< @size), LB_ENOENT if the file does not
 * exist, LB_EPERM if it may not be read, LB_EBADDATA if it is too big,
 * LB_EINVAL for bad arguments, LB_EMFILE, or LB_EIO (not a regular file,
 * a symbolic link, a read error).
 * Callers map LB_ENOENT to what a missing file means for them.
 */
int lb__read_small(const char *path, char *buf, size_t size, size_t *ret_len);

/*
 * Read the whole file at @path into a malloc()ed, NUL-terminated buffer
 * that the caller frees. Returns 0, *@ret_buf and *@ret_len; otherwise as
 * lb__read_small() (LB_EBADDATA: more than LB_READ_ALL_MAX bytes), or
 * LB_ENOMEM.
 */
int lb__read_all(const char *path, char **ret_buf, size_t *ret_len);

#endif /* LB_READ_FILE_H */
