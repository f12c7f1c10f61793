/* SPDX-License-Identifier: MIT */
/* Leases as flock()ed files (lib/os/posix/lease-flock.c), for the POSIX
 * lib/os/lease.h implementations. */
#ifndef LB_POSIX_LEASE_FLOCK_H
#define LB_POSIX_LEASE_FLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Take a lease in the private directory. As lb__lease_take(). */
int lb__lease_flock_take(uint16_t port, unsigned protocol, int *ret_fd);

/* The private directory's path into @buf: 0, LB_ENOSPC. */
int lb__lease_flock_dir(char *buf, size_t size);

#endif /* LB_POSIX_LEASE_FLOCK_H */
