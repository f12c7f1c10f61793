/* SPDX-License-Identifier: MIT */
/*
 * Leases as flock()ed files in a private per-user directory, for systems
 * without abstract unix sockets (macOS, FreeBSD). On Linux it is used only
 * when LOOPBACK_LEASE_BACKEND=flock (tests). Scope: one user; other users
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
#include "ports/lease-internal.h"

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
		return errno == ELOOP || errno == ENOTDIR || errno == EACCES ? LB_EPERM :
		       lb__errno_code(errno);
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

	lb_return_if(port == 0 || lb__proto_index(protocol) < 0, LB_EINVAL);
	snprintf(file, sizeof(file), "%s-%u", protocol == LB_PICK_TCP ? "tcp" : "udp",
		 (unsigned)port);
	dfd = open_dir();
	if (dfd < 0)
		return dfd;
	fd = openat(dfd, file, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	close(dfd);
	if (fd < 0)
		return errno == ELOOP || errno == EACCES ? LB_EPERM : lb__errno_code(errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
		close(fd);
		return LB_EPERM;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		return e == EWOULDBLOCK ? LB_ELEASED : LB_EIO;
	}
	*ret_fd = fd;
	return 0;
}

int lb__lease_use_flock(void)
{
	/* Ignored for a setuid or setgid caller, as every variable we read. */
	const char *b = lb__secure_getenv("LOOPBACK_LEASE_BACKEND");

	if (b && *b && strcmp(b, "flock") == 0)
		return 1;
#if defined(__linux__)
	if (b && *b && strcmp(b, "abstract") != 0)
		return LB_EINVAL; /* a typo must not silently pick another backend */
	return 0;
#else
	if (b && *b)
		return LB_EINVAL; /* only flock exists here */
	return 1;
#endif
}

LB_EXPORT int lb_lease_dir(char *buf, size_t size)
{
	int r;

	lb_return_if(!buf || size == 0, LB_EINVAL);
	r = lb__lease_use_flock();
	if (r < 0)
		return r;
	if (r == 0)
		return LB_ENOTSUP;
	return lease_dir(buf, size);
}
