/* SPDX-License-Identifier: MIT */
/*
 * The endpoint records themselves: their sizes, validity and equality,
 * the parse error record, and the character classes the parsers
 * (lib/endpoint/addr-parse.c, host-parse.c) and lb__zone_*() share.
 * Pure: bytes in, records out; nothing here asks the system anything.
 */
#include <string.h>

#include "endpoint/parse-internal.h"
#include "core/internal.h"

int lb__parse_fail(lb_parse_error *e, int code, size_t offset, const char *reason)
{
	if (e) {
		memset(e, 0, sizeof(*e));
		e->offset = offset;
		e->code = code;
		e->reason = reason;
	}
	return code;
}

LB_EXPORT size_t lb_addr_size(void)
{
	return sizeof(lb_addr);
}

LB_EXPORT size_t lb_endpoint_size(void)
{
	return sizeof(lb_endpoint);
}

LB_EXPORT size_t lb_parse_error_size(void)
{
	return sizeof(lb_parse_error);
}

const uint8_t lb__ctype[256] = {
	['-'] = C_NAME | C_ZONE, ['.'] = C_ZONE, ['_'] = C_ZONE, ['~'] = C_ZONE,
#define D(c) [c] = C_DIGIT | C_HEX | C_NAME | C_ZONE
	D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
#undef D
#define H(c) [c] = C_HEX | C_NAME | C_ZONE
	H('a'), H('b'), H('c'), H('d'), H('e'), H('f'),
	H('A'), H('B'), H('C'), H('D'), H('E'), H('F'),
#undef H
#define L(c) [c] = C_NAME | C_ZONE
	L('g'), L('h'), L('i'), L('j'), L('k'), L('l'), L('m'), L('n'), L('o'),
	L('p'), L('q'), L('r'), L('s'), L('t'), L('u'), L('v'), L('w'), L('x'),
	L('y'), L('z'),
	L('G'), L('H'), L('I'), L('J'), L('K'), L('L'), L('M'), L('N'), L('O'),
	L('P'), L('Q'), L('R'), L('S'), L('T'), L('U'), L('V'), L('W'), L('X'),
	L('Y'), L('Z'),
#undef L
};

int lb__zone_numeric(const char *zone, uint32_t *ret_index)
{
	uint64_t v = 0;
	const char *p;

	if (!*zone)
		return 0;
	for (p = zone; *p; p++) {
		if (!IS(*p, C_DIGIT))
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX)
			return 0;
	}
	*ret_index = (uint32_t)v;
	return 1;
}

int lb__zone_valid(const char *zone)
{
	size_t i;

	for (i = 0; i < LB_ZONE_MAX; i++) {
		if (zone[i] == '\0')
			return 1;
		if (!IS(zone[i], C_ZONE))
			return 0;
	}
	return 0;
}

int lb__addr_valid(const lb_addr *a)
{
	if (a->family == LB_AF_INET)
		return a->zone[0] == '\0';
	if (a->family == LB_AF_INET6)
		return lb__zone_valid(a->zone);
	return 0;
}

LB_EXPORT int lb_addr_equal(const lb_addr *a, const lb_addr *b)
{
	lb_return_if(!a || !b, LB_EINVAL);
	return a->family == b->family && a->scope_id == b->scope_id &&
	       memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0 &&
	       strncmp(a->zone, b->zone, sizeof(a->zone)) == 0;
}
