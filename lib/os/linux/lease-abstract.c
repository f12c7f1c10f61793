/* SPDX-License-Identifier: MIT */
/* Leases as abstract AF_UNIX sockets (Linux); elsewhere on POSIX the
 * flock() files of lib/lease-flock.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/socket.h>
#include <sys/un.h>
#endif

#include "core/internal.h"
#include "ports/lease-internal.h"
#include "core/read-file.h"
#ifdef __linux__
#include "os/linux/owner.h"
#endif

/* On every POSIX system a lease is a descriptor (a socket on Linux, a
 * locked file elsewhere). */
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

int lb__lease_find_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids)
{
	uint64_t inode;
	int r = lb__lease_inode(port, protocol, &inode);

	if (r < 0)
		return r;
	return lb__socket_inode_pids(inode, pids, max_pids);
}

#if defined(__linux__)

int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	struct sockaddr_un sun;
	char name[LB_LEASE_NAME_MAX];
	socklen_t len;
	int fd, r;

	r = lb__lease_use_flock();
	if (r < 0)
		return r;
	if (r)
		return lb__lease_flock_take(port, protocol, ret_fd);
	r = lb__lease_name(name, sizeof(name), port, protocol);
	if (r < 0)
		return r;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	/* sun_path[0] = '\0': abstract namespace; the name is not NUL-terminated. */
	memcpy(sun.sun_path + 1, name, strlen(name));
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	/* A stream socket that never listens: nobody can connect to it. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return lb__errno_code(errno);
	if (bind(fd, (struct sockaddr *)&sun, len) < 0) {
		int e = errno;

		close(fd);
		return e == EADDRINUSE ? LB_ELEASED : LB_EIO;
	}
	*ret_fd = fd;
	return 0;
}

int lb__lease_inode(uint16_t port, unsigned protocol, uint64_t *ret_inode)
{
	char name[LB_LEASE_NAME_MAX + 1];
	char *text;
	size_t len;
	int r;

	r = lb__lease_use_flock();
	if (r < 0)
		return r;
	if (r)
		return LB_ENOTSUP;
	name[0] = '@';
	r = lb__lease_name(name + 1, sizeof(name) - 1, port, protocol);
	if (r < 0)
		return r;
	r = lb__read_all("/proc/net/unix", &text, &len);
	if (r == LB_ENOENT)
		return LB_ENOTSUP; /* no /proc: the lease holder cannot be looked up */
	if (r < 0)
		return r;
	r = lb__unix_table_find(text, len, name, ret_inode);
	free(text);
	return r;
}

/* Every process holding the lease socket, through the shared /proc owner
 * scan (all owners: a lease passed on to a child is held by both). */
int lb__socket_inode_pids(uint64_t inode, int *pids, size_t max)
{
	struct lb__owner_scan *scan = NULL;
	size_t i, found = 0;
	int r;

	r = lb__owners_of_inodes(&inode, 1, LB_OWNERS_ALL, &scan);
	if (r < 0)
		return r;
	/* Links come sorted by (pid, inode): pids ascend, one link each. */
	for (i = 0; i < scan->n_links; i++) {
		if (scan->links[i].inode != inode)
			continue;
		if (found < max)
			pids[found] = (int)scan->links[i].pid;
		found++;
	}
	lb__owner_scan_free(scan);
	return found > INT32_MAX ? INT32_MAX : (int)found;
}

#else /* !__linux__ */

int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	int r = lb__lease_use_flock();

	return r < 0 ? r : lb__lease_flock_take(port, protocol, ret_fd);
}

int lb__lease_inode(uint16_t port, unsigned protocol, uint64_t *ret_inode)
{
	(void)port;
	(void)protocol;
	(void)ret_inode;
	return LB_ENOTSUP;
}

int lb__socket_inode_pids(uint64_t inode, int *pids, size_t max)
{
	(void)inode;
	(void)pids;
	(void)max;
	return LB_ENOTSUP;
}

#endif
