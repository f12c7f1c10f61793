/* SPDX-License-Identifier: MIT */
/*
 * Leases as flock()ed files in a private per-user directory, for systems
 * without abstract unix sockets (macOS, FreeBSD: lease-flock-only.c). On
 * Linux it is used only when LOOPBACK_LEASE_BACKEND=flock (tests:
 * lib/os/linux/lease-abstract.c). Also what every POSIX lease is: a
 * descriptor (a socket on Linux, a locked file elsewhere). Scope: one user; other users
 * do not see these leases. Safe by construction: the directory
 * ($XDG_RUNTIME_DIR/loopback-leases, else /tmp/loopback-leases-UID) is
 * created 0700 and used only if it is a real directory (never a symlink)
 * owned by us with no group/other access; files are opened relative to it
 * with O_NOFOLLOW and must be our own regular files. Someone who plants
 * the /tmp name first can only make picking fail (LB_EPERM), never take a
 * lease over. Lock files stay after release (unlinking would race with a
 * new locker); there are at most two per port.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "loopback.h"
#include "os/lease.h"
#include "os/posix/lease-flock.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The directory's path: 0, LB_ENOSPC when it does not fit @size. */
static int lease_dir(char *buf, size_t size)
{
	/* Not for a setuid or setgid caller: then the default. */
	const char *rt = lb__secure_getenv("XDG_RUNTIME_DIR");
	int n;

	if (rt && rt[0] == '/')
		n = snprintf(buf, size, "%s/loopback-leases", rt);
	else
		n = snprintf(buf, size, "/tmp/loopback-leases-%lu", (unsigned long)getuid());
	return n < 0 || (size_t)n >= size ? LB_ENOSPC : 0;
}

/* Open (creating if needed) the private directory; a descriptor or error. */
static int open_dir(void)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, r;

	r = lease_dir(path, sizeof(path));
	if (r < 0)
		return LB_ERANGE; /* longer than any path the system takes */
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return errno == ENAMETOOLONG ? LB_ERANGE : lb__errno_code(errno);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR ? LB_EPERM : lb__errno_code(errno);
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077) != 0) {
		close(fd);
		return LB_EPERM; /* someone else's, or not private: never use it */
	}
	return fd;
}

int lb__lease_flock_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	char file[32];
	struct stat st;
	int dfd, fd;

	lb_return_if(port == 0, LB_EINVAL);
	lb_return_if(protocol != LB_PICK_TCP && protocol != LB_PICK_UDP, LB_EINVAL);
	snprintf(file, sizeof(file), "%s-%u", protocol == LB_PICK_TCP ? "tcp" : "udp",
		 (unsigned)port);
	dfd = open_dir();
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, file, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(dfd);
	if (fd < 0)
		return errno == ELOOP ? LB_EPERM : lb__errno_code(errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
		close(fd);
		return LB_EPERM;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		return e == EWOULDBLOCK ? LB_ELEASED : lb__errno_code(e);
	}
	*ret_fd = fd;
	return 0;
}

int lb__lease_flock_dir(char *buf, size_t size)
{
	return lease_dir(buf, size);
}

void lb__lease_close(int fd)
{
	close(fd);
}

int lb__lease_inherit(int fd, int inherit)
{
	int fl = fcntl(fd, F_GETFD);

	if (fl < 0)
		return LB_EIO;
	fl = inherit ? (fl & ~FD_CLOEXEC) : (fl | FD_CLOEXEC);
	return fcntl(fd, F_SETFD, fl) < 0 ? LB_EIO : 0;
}
