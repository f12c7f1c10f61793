/* SPDX-License-Identifier: MIT */
#ifndef LB_PORT_RANGE_H
#define LB_PORT_RANGE_H

#include <stddef.h>
#include <stdint.h>

/* Parse the text of /proc/sys/net/ipv4/ip_local_port_range. */
int lb__port_range_parse(const char *text, size_t len, uint16_t *ret_first,
			 uint16_t *ret_last);

/* A range from its first port and number of ports; LB_EBADDATA unless it
 * fits in 1..65535. */
int lb__port_range_from_count(unsigned long start, unsigned long count, uint16_t *ret_first,
			      uint16_t *ret_last);

#ifdef _WIN32
/* The Windows dynamic port range from MSFT_NetTCPSetting (WMI);
 * LB_ENOTSUP when that class cannot be read. */
int lb__port_range_read_windows(uint16_t *ret_first, uint16_t *ret_last);
#endif

#endif
