/* SPDX-License-Identifier: MIT */
/* Picking: pure parts (parsers, candidate lists) shared with the tests. */
#ifndef LB_PICK_INTERNAL_H
#define LB_PICK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* One bit per port 0..65535. */
#define LB_PORT_SET_BYTES 8192
#define lb__port_set_has(set, p) (((set)[(p) >> 3] >> ((p) & 7)) & 1)
#define lb__port_set_add(set, p) ((set)[(p) >> 3] |= (uint8_t)(1u << ((p) & 7)))

/* Add the ports @first..@last (at most 65535; none if @first > @last) to @set. */
void lb__port_set_add_range(uint8_t *set, unsigned long first, unsigned long last);

/* Parse /proc/sys/net/ipv4/ip_local_reserved_ports ("" or "8080,9000-9010\n")
 * and add every listed port to @set. Pure. 0 or LB_EBADDATA (then @set
 * may be partly filled). */
int lb__reserved_ports_parse(const char *text, size_t len, uint8_t *set);

/* Parse one decimal number followed by optional whitespace ("1024\n"),
 * at most @max. Pure. */
int lb__sysctl_uint_parse(const char *text, size_t len, unsigned long max,
			  unsigned long *ret_value);

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
