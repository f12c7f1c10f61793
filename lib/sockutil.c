/* SPDX-License-Identifier: MIT */
/* Sockets that never leak into exec'd programs, on every POSIX system. */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

int lb__socket(int domain, int type, int protocol, int nonblock)
{
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
	return socket(domain, type | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), protocol);
#else
	/* macOS has neither flag: set both with fcntl before anyone can exec. */
	int fd = socket(domain, type, protocol);
	int fl;

	if (fd < 0)
		return -1;
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
	    (nonblock && ((fl = fcntl(fd, F_GETFL)) < 0 ||
			  fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
#endif
}
