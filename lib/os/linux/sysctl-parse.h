/* SPDX-License-Identifier: MIT */
/* Pure parsers of Linux's port settings (lib/os/linux/sysctl-parse.c). */
#ifndef LB_LINUX_SYSCTL_PARSE_H
#define LB_LINUX_SYSCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parse the text of /proc/sys/net/ipv4/ip_local_port_range
 * ("FIRST<ws>LAST<ws>"). 0, LB_EINVAL or LB_EBADDATA. */
int lb__port_range_parse(const char *text, size_t len, uint16_t *ret_first,
			 uint16_t *ret_last);

/* Parse /proc/sys/net/ipv4/ip_local_reserved_ports ("" or "8080,9000-9010\n")
 * and add every listed port to @set (lib/ports/port-set.h). 0 or
 * LB_EBADDATA (then @set may be partly filled). */
int lb__reserved_ports_parse(const char *text, size_t len, uint8_t *set);

/* Parse one decimal number followed by optional whitespace ("1024\n"),
 * at most @max. */
int lb__sysctl_uint_parse(const char *text, size_t len, unsigned long max,
			  unsigned long *ret_value);

#endif /* LB_LINUX_SYSCTL_PARSE_H */
