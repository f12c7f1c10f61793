/* SPDX-License-Identifier: MIT */
#ifndef LB_PORT_RANGE_H
#define LB_PORT_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* Parse the text of /proc/sys/net/ipv4/ip_local_port_range. */
int lb__port_range_parse(const char *text, size_t len, uint16_t *ret_first,
			 uint16_t *ret_last);

#endif
