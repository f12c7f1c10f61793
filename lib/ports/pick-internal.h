/* SPDX-License-Identifier: MIT */
/* Picking: pure parts (default range, candidate lists) shared with the tests. */
#ifndef LB_PICK_INTERNAL_H
#define LB_PICK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ports/port-set.h"

/* The default range's lower bound: max(1024, unprivileged start). */
uint16_t lb__pick_default_first(unsigned long unprivileged_start);

/* The ports of [first, last] that are not in @excluded, ascending, into
 * @out (room for last - first + 1). Returns how many. Pure. */
size_t lb__pick_candidates(uint16_t first, uint16_t last, const uint8_t *excluded,
			   uint16_t *out);

/* What each lb_port_pick() with the default range reads from the kernel
 * (the reserved ports, the unprivileged start, the ephemeral range) into
 * @set (LB_PORT_SET_BYTES, zeroed) and the range's lower bound; for
 * bench/bench-pick-sysctl.c. 0 or an error. */
int lb__pick_exclusions(uint8_t *set, uint16_t *ret_default_first);

/* 1 if @port is in ip_local_reserved_ports, 0 if not, or an error. */
int lb__port_is_reserved(uint16_t port);

#endif
