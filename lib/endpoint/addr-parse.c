/* SPDX-License-Identifier: MIT */
/*
 * Parsing IP literals: IPv4, IPv6 (RFC 4291) with an optional zone, and
 * lb_addr_parse(). Pure. Every input is (pointer, length): a NUL byte is
 * just an invalid byte. Errors carry the byte offset of the problem and
 * a static reason.
 */
#include <string.h>

#include "endpoint/parse-internal.h"
#include "core/internal.h"

/* The value of a hex digit plus one; 0 for anything else. */
static const uint8_t lb_hexval1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/*
 * IPv4: exactly four decimal parts of 1-3 digits, 0-255, no leading
 * zeros. Offsets in errors are relative to @s plus @base.
 */
int lb__parse_ipv4(const char *s, size_t len, size_t base, uint8_t out[4],
		   struct perr *pe)
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		size_t start;
		unsigned v;

		if (part > 0) {
			if (i == len)
				return SYNTAX(pe, base + i, "IPv4 address has fewer than 4 parts");
			if (s[i] != '.')
				return SYNTAX(pe, base + i, "unexpected character in IPv4 address");
			i++;
		}
		start = i;
		if (i == len || s[i] == '.')
			return SYNTAX(pe, base + i, "empty part in IPv4 address");
		if (!IS(s[i], C_DIGIT))
			return SYNTAX(pe, base + i, "unexpected character in IPv4 address");
		if (s[i] == '0' && i + 1 < len) {
			if (s[i + 1] == 'x' || s[i + 1] == 'X')
				return SYNTAX(pe, base + i, "hexadecimal part in IPv4 address");
			if (IS(s[i + 1], C_DIGIT))
				return SYNTAX(pe, base + i,
					      "leading zero in IPv4 part (octal on some systems)");
		}
		v = 0;
		while (i < len && IS(s[i], C_DIGIT)) {
			v = v * 10 + (unsigned)(s[i] - '0');
			if (v > 255)
				return RANGE(pe, base + start, "IPv4 part greater than 255");
			i++;
		}
		out[part] = (uint8_t)v;
	}
	if (i != len) {
		if (s[i] != '.')
			return SYNTAX(pe, base + i, "unexpected character in IPv4 address");
		if (i + 1 == len)
			return SYNTAX(pe, base + i, "trailing dot after IPv4 address");
		return SYNTAX(pe, base + i, "IPv4 address has more than 4 parts");
	}
	return 0;
}

/*
 * The @n groups of @g parsed, with the "::" (if any) before group @gap
 * (-1: none) at offset @gap_at, into the 16 bytes of @out: the gap
 * stands for the zero groups that make eight. @end is the offset of the
 * end of the address, for "fewer than 8 groups".
 */
static int ipv6_finish(uint16_t g[8], int n, int gap, size_t gap_at, size_t end,
		       uint8_t out[16], struct perr *pe)
{
	if (gap < 0) {
		if (n != 8)
			return SYNTAX(pe, end, "IPv6 address has fewer than 8 groups");
	} else {
		int k, tail = n - gap;

		if (n == 8)
			return SYNTAX(pe, gap_at, "'::' must stand for at least one group");
		/* groups after the gap go to the end */
		for (k = tail - 1; k >= 0; k--)
			g[8 - tail + k] = g[gap + k];
		for (k = gap; k < 8 - tail; k++)
			g[k] = 0;
	}
	for (n = 0; n < 8; n++) {
		out[2 * n] = (uint8_t)(g[n] >> 8);
		out[2 * n + 1] = (uint8_t)g[n];
	}
	return 0;
}

/*
 * IPv6 without zone, RFC 4291 section 2.2: eight groups of 1-4 hex
 * digits, one "::" standing for one or more zero groups, and optionally
 * a dotted quad in place of the last two groups.
 */
static int parse_ipv6(const char *s, size_t len, size_t base, uint8_t out[16],
		      struct perr *pe)
{
	uint16_t g[8];
	int n = 0, gap = -1;
	size_t i = 0, gap_at = 0;

	if (len == 0)
		return SYNTAX(pe, base, "empty IPv6 address");
	if (s[0] == ':') {
		if (len < 2 || s[1] != ':')
			return SYNTAX(pe, base, "IPv6 address starts with a single ':'");
		gap = 0;
		i = 2;
	}
	while (i < len) {
		size_t start = i;
		unsigned v = 0;
		unsigned h;

		while (i < len && (h = lb_hexval1[(unsigned char)s[i]]) != 0) {
			v = (v << 4) | (h - 1);
			i++;
		}
		if (i < len && s[i] == '.') {
			uint8_t v4[4];
			int r;

			if (n > 6)
				return SYNTAX(pe, base + start,
					      "too many groups before embedded IPv4 address");
			r = lb__parse_ipv4(s + start, len - start, base + start, v4, pe);
			if (r < 0)
				return r;
			g[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
			g[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
			i = len;
			break;
		}
		if (i == start) {
			if (s[i] == ':')
				return SYNTAX(pe, base + i, "unexpected ':' in IPv6 address");
			return SYNTAX(pe, base + i, "unexpected character in IPv6 address");
		}
		if (i - start > 4)
			return SYNTAX(pe, base + start, "IPv6 group longer than 4 hex digits");
		if (n == 8)
			return SYNTAX(pe, base + start, "IPv6 address has more than 8 groups");
		g[n++] = (uint16_t)v;
		if (i == len)
			break;
		if (s[i] != ':')
			return SYNTAX(pe, base + i, "unexpected character in IPv6 address");
		i++;
		if (i == len)
			return SYNTAX(pe, base + i - 1, "IPv6 address ends with a single ':'");
		if (s[i] == ':') {
			if (gap >= 0)
				return SYNTAX(pe, base + i - 1, "more than one '::' in IPv6 address");
			gap = n;
			gap_at = i - 1;
			i++;
		}
	}
	return ipv6_finish(g, n, gap, base + gap_at, base + len, out, pe);
}

/* A zone: 1-63 characters from [A-Za-z0-9._~-]. */
static int parse_zone(const char *s, size_t len, size_t base, lb_addr *a,
		      struct perr *pe)
{
	size_t i;

	if (len == 0)
		return SYNTAX(pe, base, "empty zone after '%'");
	for (i = 0; i < len; i++) {
		if (!IS(s[i], C_ZONE))
			return SYNTAX(pe, base + i, "invalid character in zone");
		if (i == LB_ZONE_MAX - 1)
			return RANGE(pe, base + i, "zone longer than 63 characters");
	}
	memcpy(a->zone, s, len);
	a->zone[len] = '\0';
	lb__zone_numeric(a->zone, &a->scope_id);
	return 0;
}

/* An IPv6 address with an optional zone into @a (zeroed first). */
int lb__parse_ipv6_zone(const char *s, size_t len, size_t base, lb_addr *a,
			struct perr *pe)
{
	const char *pct = memchr(s, '%', len);
	size_t alen = pct ? (size_t)(pct - s) : len;
	int r;

	memset(a, 0, sizeof(*a));
	r = parse_ipv6(s, alen, base, a->bytes, pe);
	if (r < 0)
		return r;
	a->family = LB_AF_INET6;
	if (pct)
		return parse_zone(pct + 1, len - alen - 1, base + alen + 1, a, pe);
	return 0;
}

/* Any IP literal: IPv6 if it has a ':', else IPv4. */
static int parse_addr(const char *s, size_t len, size_t base, lb_addr *a,
		      struct perr *pe)
{
	size_t i = 0;
	int r;

	if (len == 0)
		return SYNTAX(pe, base, "empty input");
	if (s[0] == '[')
		return SYNTAX(pe, base, "brackets are not part of an address (only of [addr]:port)");
	/* A first part of decimal digits ending in '.' makes IPv4 (in IPv6
	 * it could only start an embedded IPv4 address, which fails the same
	 * way); otherwise a ':' anywhere makes IPv6. */
	while (i < len && i < 4 && IS(s[i], C_DIGIT))
		i++;
	if (!(i > 0 && i < len && s[i] == '.')) {
		if (memchr(s, ':', len))
			return lb__parse_ipv6_zone(s, len, base, a, pe);
		if (i == 0)
			return SYNTAX(pe, base, "not an IP address");
	}
	memset(a, 0, sizeof(*a));
	r = lb__parse_ipv4(s, len, base, a->bytes, pe);
	if (r == 0) {
		a->family = LB_AF_INET;
		return 0;
	}
	/* "1.2.3.4%eth0": say what is wrong, not just "unexpected" */
	if (pe->offset < base + len && s[pe->offset - base] == '%')
		return SYNTAX(pe, pe->offset, ZONE_ON_V4);
	return r;
}

LB_EXPORT int lb_addr_parse(const char *text, size_t len, lb_addr *ret_addr,
			    lb_parse_error *ret_error)
{
	struct perr pe;
	lb_addr a;

	if (!text || !ret_addr)
		return lb__parse_fail(ret_error, LB_EINVAL, 0, "invalid argument");
	if (parse_addr(text, len, 0, &a, &pe) < 0)
		return perr_out(ret_error, &pe);
	*ret_addr = a;
	return 0;
}
