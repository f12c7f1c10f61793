/* SPDX-License-Identifier: MIT */
/* Reading whole small files: one reader for the sysctl, /proc and fixture
 * files the library reads (see read-file.h). Built on every OS. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "core/internal.h"
#include "core/read-file.h"

#ifdef _WIN32
/* Binary, so that nothing rewrites line ends. No FIFOs or devices to fear
 * under the paths we read there. */
static int open_file(const char *path, FILE **ret)
{
	*ret = fopen(path, "rb");
	return *ret ? 0 : lb__errno_code(errno);
}

static long read_some(FILE *f, char *buf, size_t n)
{
	size_t k = fread(buf, 1, n, f);

	return k == 0 && ferror(f) ? -1 : (long)k;
}

#define close_file fclose
typedef FILE *file_t;
#else
/*
 * Never blocks, never follows a symbolic link at the end of the path, and
 * reads regular files only: a FIFO, a terminal or /dev/zero named where a
 * /proc file or a fixture is expected is LB_EIO at once, not a hang or a
 * gigabyte of memory. (/proc and /sys files are regular, of size 0.)
 */
static int open_file(const char *path, int *ret)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno == ELOOP ? LB_EIO : lb__errno_code(errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return LB_EIO;
	}
	*ret = fd;
	return 0;
}

static long read_some(int fd, char *buf, size_t n)
{
	ssize_t k;

	do
		k = read(fd, buf, n);
	while (k < 0 && errno == EINTR);
	return (long)k;
}

#define close_file close
typedef int file_t;
#endif

int lb__read_small(const char *path, char *buf, size_t size, size_t *ret_len)
{
	file_t f;
	size_t n = 0;
	long k = 0;
	int r;

	lb_return_if(!path || !buf || size == 0 || !ret_len, LB_EINVAL);
	r = open_file(path, &f);
	if (r < 0)
		return r;
	while (n < size && (k = read_some(f, buf + n, size - n)) > 0)
		n += (size_t)k;
	close_file(f);
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
	file_t f;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int r;

	lb_return_if(!path || !ret_buf || !ret_len, LB_EINVAL);
	r = open_file(path, &f);
	if (r < 0)
		return r;
	for (;;) {
		long n;

		if (cap - len < 4096) {
			size_t ncap = cap ? cap * 2 : 16384;
			char *nb;

			if (ncap > LB_READ_ALL_MAX + 1) {
				r = LB_EBADDATA; /* larger than any table we read */
				break;
			}
			nb = realloc(buf, ncap);
			if (!nb) {
				r = LB_ENOMEM;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		/* One byte kept for the terminating NUL. */
		n = read_some(f, buf + len, cap - len - 1);
		if (n < 0) {
			r = LB_EIO;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close_file(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
