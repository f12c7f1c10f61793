/* SPDX-License-Identifier: MIT */
/*
 * What the endpoint module's parsers share: the character classes
 * (lib/endpoint/endpoint.c), the problem record of an inner parser, and
 * the IP literal parsers of lib/endpoint/addr-parse.c that the host:port
 * parser (lib/endpoint/host-parse.c) builds on. Internal.
 */
#ifndef LB_ENDPOINT_PARSE_INTERNAL_H
#define LB_ENDPOINT_PARSE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "endpoint/endpoint-internal.h"

/* The problem found by an inner parser, before it is copied out. */
struct perr {
	size_t offset;
	int code;
	const char *reason;
};

static inline int perr_set(struct perr *pe, int code, size_t offset, const char *reason)
{
	pe->code = code;
	pe->offset = offset;
	pe->reason = reason;
	return code;
}

static inline int perr_out(lb_parse_error *e, const struct perr *pe)
{
	return lb__parse_fail(e, pe->code, pe->offset, pe->reason);
}

#define SYNTAX(pe, off, why) perr_set((pe), LB_ESYNTAX, (off), (why))
#define RANGE(pe, off, why) perr_set((pe), LB_ERANGE, (off), (why))

#define ZONE_ON_V4 "zone on an IPv4 address (zones are for IPv6)"

/* Character classes, by table: the hot loops are one load per byte. */
enum {
	C_DIGIT = 1,    /* 0-9 */
	C_HEX = 2,      /* 0-9 a-f A-F */
	C_NAME = 4,     /* A-Z a-z 0-9 - (a host name label) */
	C_ZONE = 8,     /* A-Z a-z 0-9 . _ ~ - (an IPv6 zone) */
};

/* The classes of each byte (lib/endpoint/endpoint.c). */
extern const uint8_t lb__ctype[256];

#define IS(c, cls) (lb__ctype[(unsigned char)(c)] & (cls))

/*
 * IPv4: exactly four decimal parts of 1-3 digits, 0-255, no leading
 * zeros, from s[0..len) into @out. Offsets in errors are relative to @s
 * plus @base. 0 or the negative code also set in @pe.
 */
int lb__parse_ipv4(const char *s, size_t len, size_t base, uint8_t out[4], struct perr *pe);

/* An IPv6 address with an optional %zone, s[0..len), into @a (zeroed
 * first). 0 or the negative code also set in @pe. */
int lb__parse_ipv6_zone(const char *s, size_t len, size_t base, lb_addr *a, struct perr *pe);

#endif /* LB_ENDPOINT_PARSE_INTERNAL_H */
