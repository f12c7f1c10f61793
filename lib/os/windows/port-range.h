/* SPDX-License-Identifier: MIT */
/* The Windows dynamic port range's pure part (lib/os/windows/port-range.c). */
#ifndef LB_WINDOWS_PORT_RANGE_H
#define LB_WINDOWS_PORT_RANGE_H

#include <stdint.h>

/* A range from its first port and number of ports (DynamicPortRange's
 * start and count); LB_EBADDATA unless it fits in 1..65535. */
int lb__port_range_from_count(unsigned long start, unsigned long count, uint16_t *ret_first,
			      uint16_t *ret_last);

#endif /* LB_WINDOWS_PORT_RANGE_H */
