/* SPDX-License-Identifier: MIT */
/* See read-file-at.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/posix/read-file-at.h"

int lb__read_file_at(int dirfd, const char *name, char **ret_buf, size_t *ret_len)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return lb__errno_code(errno);
	for (;;) {
		char *nb = lb__grow(buf, &cap, len + 1, 1, 65536);
		ssize_t n;

		if (!nb) {
			r = LB_ENOMEM;
			break;
		}
		buf = nb;
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = lb__errno_code(errno); /* ESRCH: the process exited, LB_ENOENT */
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return r;
	}
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}
