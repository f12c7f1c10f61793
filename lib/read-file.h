/* SPDX-License-Identifier: MIT */
/*
 * Reading whole small files (sysctls under /proc/sys, /proc/PID/stat,
 * /proc/net/unix, fixtures) with stdio, on every OS. Internal.
 */
#ifndef LB_READ_FILE_H
#define LB_READ_FILE_H

#include <stddef.h>

/*
 * Read the file at @path into @buf (@size bytes, at least 1) and
 * NUL-terminate it. A file that fills the whole buffer is LB_EBADDATA:
 * @size is chosen larger than any valid content, so a full buffer means
 * unexpected data (or a truncated read), never a silent cut.
 *
 * Returns 0 and *@ret_len (< @size), LB_ENOENT if the file does not
 * exist, LB_EPERM if it may not be read, LB_EBADDATA if it is too big,
 * LB_EINVAL for bad arguments, or LB_EIO (a directory, a read error).
 * Callers map LB_ENOENT to what a missing file means for them.
 */
int lb__read_small(const char *path, char *buf, size_t size, size_t *ret_len);

/*
 * Read the whole file at @path into a malloc()ed, NUL-terminated buffer
 * that the caller frees. Returns 0, *@ret_buf and *@ret_len; otherwise as
 * lb__read_small() (no LB_EBADDATA), or LB_ENOMEM.
 */
int lb__read_all(const char *path, char **ret_buf, size_t *ret_len);

#endif /* LB_READ_FILE_H */
