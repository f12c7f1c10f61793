/* SPDX-License-Identifier: MIT */
/* Reading whole small files: one reader for the sysctl, /proc and fixture
 * files the library reads (see read-file.h). Built on every OS. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "read-file.h"

/* Close-on-exec where stdio can ("e" is glibc, musl, the BSDs and macOS);
 * binary on Windows so that nothing rewrites line ends. */
#ifdef _WIN32
#define READ_MODE "rb"
#else
#define READ_MODE "re"
#endif

static int open_error(int e)
{
	return lb__errno_code(e);
}

int lb__read_small(const char *path, char *buf, size_t size, size_t *ret_len)
{
	FILE *f;
	size_t n;
	int bad;

	lb_return_if(!path || !buf || size == 0 || !ret_len, LB_EINVAL);
	f = fopen(path, READ_MODE);
	if (!f)
		return open_error(errno);
	n = fread(buf, 1, size, f);
	bad = ferror(f);
	fclose(f);
	if (bad)
		return LB_EIO;
	if (n == size)
		return LB_EBADDATA;
	buf[n] = '\0';
	*ret_len = n;
	return 0;
}

int lb__read_all(const char *path, char **ret_buf, size_t *ret_len)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r = 0;

	lb_return_if(!path || !ret_buf || !ret_len, LB_EINVAL);
	f = fopen(path, READ_MODE);
	if (!f)
		return open_error(errno);
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb = ncap > cap ? realloc(buf, ncap) : NULL;

			if (!nb) {
				r = LB_ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		/* One byte kept for the terminating NUL. */
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (r == 0 && ferror(f))
		r = LB_EIO;
	fclose(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
