/* SPDX-License-Identifier: MIT */
/* Port leases as flock()ed files; see lease-flock.h. */
#ifndef _WIN32
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "lease-flock.h"

#ifndef O_DIRECTORY
#define O_DIRECTORY 0
#endif

int lb__flock_dir_path(char *buf, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	lb_return_if(!buf, LB_EINVAL);
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	n = snprintf(buf, size, "%s%sloopback-%lu", tmp,
		     tmp[strlen(tmp) - 1] == '/' ? "" : "/", (unsigned long)geteuid());
	return n < 0 || (size_t)n >= size ? LB_ENOSPC : 0;
}

int lb__flock_dir_open(const char *path)
{
	struct stat st;
	int fd;

	lb_return_if(!path || !*path, LB_EINVAL);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return errno == EACCES ? LB_EPERM : LB_EIO;
	/* Check what we opened, not the name: no symlink, ours, private. */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP || errno == ENOTDIR || errno == EACCES ? LB_EPERM : LB_EIO;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return LB_EIO;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		close(fd);
		return LB_EPERM;
	}
	return fd;
}

int lb__flock_take(int dirfd, uint16_t port, int proto, int *ret_fd)
{
	char name[16];
	struct stat st;
	int fd;

	lb_return_if(dirfd < 0 || port == 0 || !ret_fd, LB_EINVAL);
	lb_return_if(proto != LB_FLOCK_TCP && proto != LB_FLOCK_UDP, LB_EINVAL);
	snprintf(name, sizeof(name), "%s-%u", proto == LB_FLOCK_TCP ? "tcp" : "udp", (unsigned)port);
	/* The file stays when released: removing it would race with a
	 * newcomer that opened it but has not locked it yet. */
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == ELOOP || errno == EACCES ? LB_EPERM :
		       errno == EMFILE || errno == ENFILE ? LB_ENOMEM : LB_EIO;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
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
#endif /* !_WIN32 */
