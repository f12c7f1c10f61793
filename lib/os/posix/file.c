/* SPDX-License-Identifier: MIT */
/* The POSIX side of lib/os/file.h. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "os/file.h"

/*
 * Never blocks, never follows a symbolic link at the end of the path, and
 * reads regular files only: a FIFO, a terminal or /dev/zero named where a
 * /proc file or a fixture is expected is LB_EIO at once, not a hang or a
 * gigabyte of memory. (/proc and /sys files are regular, of size 0.)
 */
int lb__file_open(const char *path, struct lb__file *f)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno == ELOOP ? LB_EIO : lb__errno_code(errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return LB_EIO;
	}
	f->fd = fd;
	f->fp = NULL;
	return 0;
}

long lb__file_read(struct lb__file *f, char *buf, size_t n)
{
	ssize_t k;

	do
		k = read(f->fd, buf, n);
	while (k < 0 && errno == EINTR);
	return (long)k;
}

void lb__file_close(struct lb__file *f)
{
	close(f->fd);
}
