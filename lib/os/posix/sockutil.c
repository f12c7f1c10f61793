/* SPDX-License-Identifier: MIT */
/* The POSIX side of lib/os/sockutil.h: sockets that never leak into exec'd
 * programs, socket options, a bounded connect. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "core/internal.h"
#include "os/sockutil.h"

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

void lb__sock_close(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
}

int lb__sock_errno(void)
{
	return errno;
}

int lb__sock_probe_opts(int fd, int reuse)
{
	int one = 1;

	return reuse ? setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) : 0;
}

int lb__sock_server_opts(int fd, int type)
{
	int one = 1;

	if (type != SOCK_STREAM)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
}

int lb__sock_v6only(int fd, int on)
{
	return setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
}

int lb__sock_connect(int fd, const struct sockaddr *sa, int len, int budget_ms)
{
	int err = 0;
	socklen_t elen = sizeof(err);
	struct pollfd p;

	if (connect(fd, sa, (socklen_t)len) == 0)
		return 1;
	if (errno != EINPROGRESS)
		return 0;
	p.fd = fd;
	p.events = POLLOUT;
	p.revents = 0;
	return poll(&p, 1, budget_ms) == 1 &&
	       getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err == 0;
}
