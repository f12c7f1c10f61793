/* SPDX-License-Identifier: MIT */
/* Small text parsers shared by the kernel-text readers (/proc, sysctl
 * strings, fixtures). Pure. */
#ifndef LB_PARSE_H
#define LB_PARSE_H

#include <stdint.h>

/* Parse a decimal or hexadecimal unsigned number from [p, end); sets *pp
 * past it. Returns 0, or LB_EBADDATA when there are no digits or it
 * overflows @max. */
int lb__parse_uint(const char **pp, const char *end, int base, uint64_t max, uint64_t *ret);

#endif /* LB_PARSE_H */
