/* SPDX-License-Identifier: MIT */
/* A set of ports as a bitmap. Pure. */
#include <string.h>

#include "ports/port-set.h"

void lb__port_set_add_range(uint8_t *set, unsigned long first, unsigned long last)
{
	/* Bit by bit up to a byte boundary, whole bytes, then the rest: the
	 * ephemeral range is ~28,000 ports on every pick. */
	for (; first <= last && (first & 7); first++)
		lb__port_set_add(set, first);
	if (first + 7 <= last) {
		memset(set + (first >> 3), 0xff, (last - first + 1) >> 3);
		first += (last - first + 1) & ~7ul;
	}
	for (; first <= last; first++)
		lb__port_set_add(set, first);
}
