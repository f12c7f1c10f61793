/* SPDX-License-Identifier: MIT */
/*
 * Leases on Linux (lib/os/lease.h): abstract AF_UNIX sockets
 * (@loopback/lease/tcp/PORT), which the kernel drops with the last
 * descriptor to them; with LOOPBACK_LEASE_BACKEND=flock (tests) the
 * flock() files of lib/os/posix/lease-flock.c instead. The holders are
 * found through /proc/net/unix and the /proc owner scan.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "core/internal.h"
#include "core/read-file.h"
#include "os/lease.h"
#include "os/linux/lease-parse.h"
#include "os/linux/owner.h"
#include "os/posix/lease-flock.h"

/* Which backend: 1 flock, 0 abstract sockets (the default), or LB_EINVAL
 * when LOOPBACK_LEASE_BACKEND names neither: a typo must not silently
 * pick another backend. Ignored for a setuid or setgid caller, as every
 * variable we read. */
static int use_flock(void)
{
	const char *b = lb__secure_getenv("LOOPBACK_LEASE_BACKEND");

	if (!b || !*b || strcmp(b, "abstract") == 0)
		return 0;
	return strcmp(b, "flock") == 0 ? 1 : LB_EINVAL;
}

int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	struct sockaddr_un sun;
	char name[LB_LEASE_NAME_MAX];
	socklen_t len;
	int fd, r;

	r = use_flock();
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
		/* The name is taken: that is what a held lease is. */
		return e == EADDRINUSE ? LB_ELEASED : lb__errno_code(e);
	}
	*ret_fd = fd;
	return 0;
}

/* The inode of the abstract socket holding a lease, LB_ENOENT if none. */
static int lease_inode(uint16_t port, unsigned protocol, uint64_t *ret_inode)
{
	char name[LB_LEASE_NAME_MAX + 1];
	char *text;
	size_t len;
	int r;

	r = use_flock();
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
static int socket_inode_pids(uint64_t inode, int *pids, size_t max)
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

int lb__lease_find_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids)
{
	uint64_t inode;
	int r = lease_inode(port, protocol, &inode);

	if (r < 0)
		return r;
	return socket_inode_pids(inode, pids, max_pids);
}

LB_EXPORT int lb_lease_dir(char *buf, size_t size)
{
	int r;

	lb_return_if(!buf || size == 0, LB_EINVAL);
	r = use_flock();
	if (r < 0)
		return r;
	if (r == 0)
		return LB_ENOTSUP;
	return lb__lease_flock_dir(buf, size);
}
