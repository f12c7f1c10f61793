/* SPDX-License-Identifier: MIT */
/*
 * The OS part of port leases, one interface for every OS: a lease is a
 * descriptor the kernel drops when its last holder exits or dies.
 * lib/os/linux/lease-abstract.c (abstract AF_UNIX sockets, or flock()
 * files on request), lib/os/posix/lease-flock-only.c (other POSIX
 * systems: flock() files), both on lib/os/posix/lease-flock.c;
 * lib/os/windows/lease.c (named kernel objects; a HANDLE fits the int:
 * handles have 32 significant bits). Each also defines lb_lease_dir().
 */
#ifndef LB_OS_LEASE_H
#define LB_OS_LEASE_H

#include <stddef.h>
#include <stdint.h>

/* Take the lease on one port and protocol (LB_PICK_TCP, LB_PICK_UDP):
 * *ret_fd holds it (close-on-exec). LB_ELEASED if another holds it,
 * LB_EINVAL when LOOPBACK_LEASE_BACKEND names no backend of this OS, or
 * the error of the OS. */
int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd);

/* Close one lease descriptor (handle). */
void lb__lease_close(int fd);

/* Let programs this process starts inherit the descriptor (@inherit 1:
 * clear close-on-exec; Windows: HANDLE_FLAG_INHERIT), or not. 0 or LB_EIO. */
int lb__lease_inherit(int fd, int inherit);

/* lb_lease_holders() once its arguments are checked: the pids holding
 * the lease (up to @max_pids, ascending) and how many there are,
 * LB_ENOENT when nobody holds it, LB_ENOTSUP where holders cannot be
 * looked up. */
int lb__lease_find_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids);

#endif /* LB_OS_LEASE_H */
