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

/* The range picking keeps out of: the dynamic range as read above, or,
 * when it cannot be read (wine has no MSFT_NetTCPSetting), the documented
 * default of Windows Vista and later, 49152-65535. 0 when read, 1 when
 * the default was used, or an error. */
int lb__port_range_windows_avoid(uint16_t *ret_first, uint16_t *ret_last);
#endif

#endif
