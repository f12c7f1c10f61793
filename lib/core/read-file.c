/* SPDX-License-Identifier: MIT */
/* Reading whole small files: one reader for the sysctl, /proc and fixture
 * files the library reads (see read-file.h). Built on every OS; opening
 * and reading are the OS's (lib/os/file.h). */
#include <stdlib.h>

#include "core/grow.h"
#include "core/internal.h"
#include "core/read-file.h"
#include "os/file.h"

int lb__read_small(const char *path, char *buf, size_t size, size_t *ret_len)
{
	struct lb__file f;
	size_t n = 0;
	long k = 0;
	int r;

	lb_return_if(!path || !buf || size == 0 || !ret_len, LB_EINVAL);
	r = lb__file_open(path, &f);
	if (r < 0)
		return r;
	while (n < size && (k = lb__file_read(&f, buf + n, size - n)) > 0)
		n += (size_t)k;
	lb__file_close(&f);
	if (k < 0)
		return LB_EIO;
	if (n == size)
		return LB_EBADDATA;
	buf[n] = '\0';
	*ret_len = n;
	return 0;
}

int lb__read_all(const char *path, char **ret_buf, size_t *ret_len)
{
	struct lb__file f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r;

	lb_return_if(!path || !ret_buf || !ret_len, LB_EINVAL);
	r = lb__file_open(path, &f);
	if (r < 0)
		return r;
	for (;;) {
		long n;

		if (cap - len < 4096) {
			char *nb;

			/* Doubling would pass LB_READ_ALL_MAX + 1 bytes: larger
			 * than any table we read. */
			if (cap > LB_READ_ALL_MAX / 2) {
				r = LB_EBADDATA;
				break;
			}
			nb = lb__grow(buf, &cap, len + 4096, 1, 16384);
			if (!nb) {
				r = LB_ENOMEM;
				break;
			}
			buf = nb;
		}
		/* One byte kept for the terminating NUL. */
		n = lb__file_read(&f, buf + len, cap - len - 1);
		if (n < 0) {
			r = LB_EIO;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	lb__file_close(&f);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
