/* SPDX-License-Identifier: MIT */
/*
 * Leases: the object shared by lib/ports/lease.c and lib/ports/pick.c, the OS part
 * (lib/os/linux/lease-abstract.c) and its pure parsers.
 */
#ifndef LB_LEASE_INTERNAL_H
#define LB_LEASE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "loopback.h"

struct lb_lease_item {
	uint16_t port;
	int fd[2]; /* [0] TCP lease, [1] UDP lease, -1 when not held */
};

struct lb_lease {
	size_t n;
	size_t cap;
	unsigned protocols;
	unsigned flags;
	int family; /* LB_PICK_FAMILY_* as picked (after any fallback) */
	struct lb_lease_item *items;
};

/* Longest lease name: "loopback/lease/tcp/65535" plus NUL. */
#define LB_LEASE_NAME_MAX 32

/* The lease name of a port, without the leading NUL/@ of an abstract
 * socket: "loopback/lease/tcp/62893". */
int lb__lease_name(char *buf, size_t size, uint16_t port, unsigned protocol);

/* The OS part of leases: lib/os/linux/lease-abstract.c (POSIX: abstract sockets on
 * Linux, flock() elsewhere) and lib/os/windows/lease.c (named kernel objects;
 * a Windows HANDLE fits the int: handles have 32 significant bits). */

/* Take the lease on one port and protocol: *ret_fd holds it (close-on-exec).
 * LB_ELEASED if another socket holds it, LB_ENOTSUP where leases do not
 * exist, LB_EIO. */
int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd);

/* Close one lease descriptor (handle). */
void lb__lease_close(int fd);

/* Close the held ones (>= 0) of a TCP/UDP pair (struct lb_lease_item.fd). */
void lb__lease_close_pair(const int fd[2]);

/* Let programs this process starts inherit the descriptor (@inherit 1:
 * clear close-on-exec; Windows: HANDLE_FLAG_INHERIT), or not. 0 or LB_EIO. */
int lb__lease_inherit(int fd, int inherit);

/* lb_lease_holders() once its arguments are checked. */
int lb__lease_find_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids);

/* The flock() backend (lib/os/posix/lease-flock.c): taking a lease in its private
 * directory (lb_lease_dir()), and whether it is in use: 1 or 0 (always
 * off Linux; on Linux only with LOOPBACK_LEASE_BACKEND=flock, for tests),
 * or LB_EINVAL when LOOPBACK_LEASE_BACKEND names no backend of this OS. */
int lb__lease_flock_take(uint16_t port, unsigned protocol, int *ret_fd);
int lb__lease_use_flock(void);

/* Find the socket inode of the abstract AF_UNIX socket @path ("@name")
 * in the text of /proc/net/unix. Pure. 0 and *ret_inode, LB_ENOENT when
 * absent, LB_EBADDATA when the text is not that table. */
int lb__unix_table_find(const char *text, size_t len, const char *path,
			uint64_t *ret_inode);

/* Processes that hold an open descriptor on socket @inode: fills up to
 * @max pids in ascending order, returns how many were found. */
int lb__socket_inode_pids(uint64_t inode, int *pids, size_t max);

/* The inode of the abstract socket holding a lease, LB_ENOENT if none. */
int lb__lease_inode(uint16_t port, unsigned protocol, uint64_t *ret_inode);

/* Grow @lease by one port whose lease descriptors are @fd (index as in
 * struct lb_lease_item). On failure the descriptors are left to the caller. */
int lb__lease_append(struct lb_lease *lease, uint16_t port, const int fd[2]);

/* Close and forget the last @n ports of @lease. */
void lb__lease_drop_last(struct lb_lease *lease, size_t n);

/* Index 0 for TCP, 1 for UDP, -1 otherwise. */
static inline int lb__proto_index(unsigned protocol)
{
	return protocol == LB_PICK_TCP ? 0 : protocol == LB_PICK_UDP ? 1 : -1;
}

#endif
