/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers of the endpoint module, shared by its files: the records
 * (lib/endpoint/endpoint.c), the parsers (addr-parse.c, host-parse.c), the
 * formatter (format.c), endpoint-sockaddr.c, classify.c and resolve.c.
 */
#ifndef LB_ENDPOINT_INTERNAL_H
#define LB_ENDPOINT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "loopback.h"

/* Write a parse error into @e (when not NULL) and return @code. */
int lb__parse_fail(lb_parse_error *e, int code, size_t offset, const char *reason);

/* Whether @zone (NUL-terminated, within LB_ZONE_MAX) is a valid zone. */
int lb__zone_valid(const char *zone);

/* Whether @zone is all digits and fits 32 bits; sets *ret_index. */
int lb__zone_numeric(const char *zone, uint32_t *ret_index);

/* Whether @name (NUL-terminated within LB_HOST_MAX) is a valid host name
 * as lb_endpoint_parse() accepts it (lib/endpoint/host-parse.c). */
int lb__name_valid(const char *name);

/* Whether @a is a well-formed lb_addr (family, zone). */
int lb__addr_valid(const lb_addr *a);

#endif
