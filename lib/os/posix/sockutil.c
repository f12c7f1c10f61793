/* SPDX-License-Identifier: MIT */
/* The POSIX side of lib/os/sockutil.h: sockets that never leak into exec'd
 * programs, socket options, a bounded connect, clock and randomness. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/random.h>
#endif

#include "core/internal.h"
#include "core/read-file.h"
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

int64_t lb__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void lb__sleep_ms(unsigned ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

uint32_t lb__random_u32(void)
{
	uint32_t v = 0;
	struct timespec ts;

#if defined(__linux__)
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
#endif
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v = (uint32_t)ts.tv_nsec ^ ((uint32_t)ts.tv_sec << 12) ^ ((uint32_t)getpid() << 16);
	return v;
}

int lb__process_alive(uint32_t pid)
{
	char path[32], buf[512];
	const char *p;
	size_t len;
	int r;

	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return LB_ENOENT;
	/* Linux: the state is the field after the name in parentheses. */
	snprintf(path, sizeof(path), "/proc/%u/stat", (unsigned)pid);
	r = lb__read_small(path, buf, sizeof(buf), &len);
	if (r == LB_ENOENT) /* gone between kill() and here, or no /proc at all */
		return kill((pid_t)pid, 0) < 0 && errno == ESRCH ? LB_ENOENT : 0;
	if (r < 0)
		return 0; /* unreadable: kill() said it exists */
	p = strrchr(buf, ')');
	if (p && (p[1] == ' ') && (p[2] == 'Z' || p[2] == 'X'))
		return LB_ENOENT;
	return 0;
}
