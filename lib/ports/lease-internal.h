/* SPDX-License-Identifier: MIT */
/*
 * Leases: the object shared by lib/ports/lease.c and lib/ports/pick.c; its
 * OS part is lib/os/lease.h.
 */
#ifndef LB_LEASE_INTERNAL_H
#define LB_LEASE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "loopback.h"
#include "os/lease.h"

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

/* Close the held ones (>= 0) of a TCP/UDP pair (struct lb_lease_item.fd). */
void lb__lease_close_pair(const int fd[2]);

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
