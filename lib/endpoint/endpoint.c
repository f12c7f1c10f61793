/* SPDX-License-Identifier: MIT */
/*
 * Parsing and formatting of IP addresses and host:port endpoints. Pure:
 * bytes in, records out; nothing here asks the system anything.
 *
 * Every input is (pointer, length): a NUL byte is just an invalid byte.
 * Errors carry the byte offset of the problem and a static reason.
 */
#include <string.h>

#include "endpoint/endpoint-internal.h"
#include "core/internal.h"

/* The problem found by an inner parser, before it is copied out. */
struct perr {
	size_t offset;
	int code;
	const char *reason;
};

static int perr_set(struct perr *pe, int code, size_t offset, const char *reason)
{
	pe->code = code;
	pe->offset = offset;
	pe->reason = reason;
	return code;
}

#define SYNTAX(pe, off, why) perr_set((pe), LB_ESYNTAX, (off), (why))
#define RANGE(pe, off, why) perr_set((pe), LB_ERANGE, (off), (why))

#define ZONE_ON_V4 "zone on an IPv4 address (zones are for IPv6)"

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

static int perr_out(lb_parse_error *e, const struct perr *pe)
{
	return lb__parse_fail(e, pe->code, pe->offset, pe->reason);
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

/* Character classes, by table: the hot loops are one load per byte. */
enum {
	C_DIGIT = 1,    /* 0-9 */
	C_HEX = 2,      /* 0-9 a-f A-F */
	C_NAME = 4,     /* A-Z a-z 0-9 - (a host name label) */
	C_ZONE = 8,     /* A-Z a-z 0-9 . _ ~ - (an IPv6 zone) */
};

static const uint8_t lb_ctype[256] = {
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

/* The value of a hex digit plus one; 0 for anything else. */
static const uint8_t lb_hexval1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
	['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
	['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define IS(c, cls) (lb_ctype[(unsigned char)(c)] & (cls))

/*
 * IPv4: exactly four decimal parts of 1-3 digits, 0-255, no leading
 * zeros. Offsets in errors are relative to @s plus @base.
 */
static int parse_ipv4(const char *s, size_t len, size_t base, uint8_t out[4],
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
			r = parse_ipv4(s + start, len - start, base + start, v4, pe);
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
	if (gap < 0) {
		if (n != 8)
			return SYNTAX(pe, base + len, "IPv6 address has fewer than 8 groups");
	} else {
		int k, tail = n - gap;

		if (n == 8)
			return SYNTAX(pe, base + gap_at,
				      "'::' must stand for at least one group");
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

/* An IPv6 address with an optional zone into @a (zeroed first). */
static int parse_ipv6_zone(const char *s, size_t len, size_t base, lb_addr *a,
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
			return parse_ipv6_zone(s, len, base, a, pe);
		if (i == 0)
			return SYNTAX(pe, base, "not an IP address");
	}
	memset(a, 0, sizeof(*a));
	r = parse_ipv4(s, len, base, a->bytes, pe);
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

/*
 * Whether a dotted name "ends in a number" (WHATWG URL host parser):
 * its last label (before an optional trailing dot) is all digits, or
 * "0x" followed by hex digits. Such text is an IPv4 address or nothing;
 * never a host name (RFC 3696 section 2), or a resolver calling
 * inet_aton() would take "0x7f.1" to mean 127.0.0.1.
 */
static int ends_in_number(const char *s, size_t len)
{
	size_t end = len, i;

	if (end > 0 && s[end - 1] == '.')
		end--;
	i = end;
	while (i > 0 && s[i - 1] != '.')
		i--;
	if (i == end)
		return 0;
	if (end - i >= 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		for (i += 2; i < end; i++)
			if (!IS(s[i], C_HEX))
				return 0;
		return 1;
	}
	for (; i < end; i++)
		if (!IS(s[i], C_DIGIT))
			return 0;
	return 1;
}

/* A host name, RFC 1123: labels of 1-63 letters, digits and hyphens, not
 * starting or ending with a hyphen; at most 253 characters plus an
 * optional trailing dot. */
static int parse_name(const char *s, size_t len, size_t base, struct perr *pe)
{
	size_t i, label = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (i == label)
				return SYNTAX(pe, base + i, "empty label in host name");
			if (s[i - 1] == '-')
				return SYNTAX(pe, base + i - 1, "label ends with '-' in host name");
			label = i + 1;
			continue;
		}
		if (IS(c, C_NAME)) {
			if (c == '-' && i == label)
				return SYNTAX(pe, base + i, "label starts with '-' in host name");
			if (i - label == 63)
				return RANGE(pe, base + i, "label longer than 63 characters in host name");
			continue;
		}
		if (c == '_')
			return SYNTAX(pe, base + i, "underscore in host name");
		if (c == '%')
			return SYNTAX(pe, base + i, "zone on a host name (zones are for IPv6 addresses)");
		if (c >= 0x80)
			return SYNTAX(pe, base + i,
				      "non-ASCII character in host name (use the A-label, xn--...)");
		if (c == ':')
			return SYNTAX(pe, base + i, "unexpected ':' in host");
		if (c == '[' || c == ']')
			return SYNTAX(pe, base + i, "bracket in host (brackets are only around IPv6 addresses)");
		return SYNTAX(pe, base + i, "invalid character in host name");
	}
	if (len > label && s[len - 1] == '-')
		return SYNTAX(pe, base + len - 1, "label ends with '-' in host name");
	if (len - (len > 0 && s[len - 1] == '.') > 253)
		return RANGE(pe, base + 253, "host name longer than 253 characters");
	return 0;
}

int lb__name_valid(const char *name)
{
	struct perr pe;
	size_t len = strnlen(name, LB_HOST_MAX);

	return len > 0 && len < LB_HOST_MAX && !ends_in_number(name, len) &&
	       parse_name(name, len, 0, &pe) == 0;
}

/* A host that is not in brackets and has no ':': IPv4 or a name. */
static int parse_plain_host(const char *s, size_t len, size_t base, lb_endpoint *e,
			    struct perr *pe)
{
	int r;

	const char *pct;

	if (len == 0)
		return SYNTAX(pe, base, "empty host");
	pct = memchr(s, '%', len);
	if (pct && ends_in_number(s, (size_t)(pct - s)) && IS(s[0], C_DIGIT)) {
		uint8_t v4[4];

		r = parse_ipv4(s, (size_t)(pct - s), base, v4, pe);
		if (r < 0)
			return r;
		return SYNTAX(pe, base + (size_t)(pct - s), ZONE_ON_V4);
	}
	if (ends_in_number(s, len)) {
		if (!IS(s[0], C_DIGIT))
			return SYNTAX(pe, base,
				      "host name ends in a number (neither a host name nor an IPv4 address)");
		memset(&e->addr, 0, sizeof(e->addr));
		r = parse_ipv4(s, len, base, e->addr.bytes, pe);
		if (r < 0)
			return r;
		e->addr.family = LB_AF_INET;
		e->kind = LB_HOST_ADDR;
		return 0;
	}
	r = parse_name(s, len, base, pe);
	if (r < 0)
		return r;
	memcpy(e->name, s, len);
	e->name[len] = '\0';
	e->kind = LB_HOST_NAME;
	return 0;
}

/* A port: decimal digits only, 0-65535, leading zeros accepted. */
static int parse_port(const char *s, size_t len, size_t base, uint16_t *port,
		      struct perr *pe)
{
	uint32_t v = 0;
	size_t i;

	if (len == 0)
		return SYNTAX(pe, base, "empty port");
	for (i = 0; i < len; i++) {
		if (!IS(s[i], C_DIGIT))
			return SYNTAX(pe, base + i,
				      "port is not a decimal number (no service names or ranges)");
		if (v <= 65535)
			v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v > 65535)
		return RANGE(pe, base, "port greater than 65535");
	*port = (uint16_t)v;
	return 0;
}

enum host_mode { WITH_PORT, HOST_ONLY };

/* "[v6%zone]" at the start of @s: the address into e->addr; *ret_end is
 * the offset just past ']'. */
static int parse_bracketed(const char *s, size_t len, lb_endpoint *e, size_t *ret_end,
			   struct perr *pe)
{
	const char *rb = memchr(s, ']', len);
	size_t inner;
	int r;

	if (!rb)
		return SYNTAX(pe, len, "missing ']'");
	inner = (size_t)(rb - s) - 1;
	if (inner == 0)
		return SYNTAX(pe, 1, "empty host");
	if (!memchr(s + 1, ':', inner))
		return SYNTAX(pe, 0, "brackets are only around IPv6 addresses");
	r = parse_ipv6_zone(s + 1, inner, 1, &e->addr, pe);
	if (r < 0)
		return r;
	e->kind = LB_HOST_ADDR;
	*ret_end = inner + 2;
	return 0;
}

/* Whether s[0..len) holds only hex digits: the start of an IPv6 address
 * rather than a host. */
static int all_hex(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!IS(s[i], C_HEX))
			return 0;
	return 1;
}

/*
 * Text with more than one ':' and no brackets: an IPv6 address, or a
 * mistake worth naming. Returns 0 (host-only mode: e->addr is set), a
 * negative error, or 1 when the text is best read as host:port after all
 * ("host:80:90" is a host with a bad port, not a bad IPv6 address).
 */
static int parse_unbracketed_v6(const char *s, size_t len, const char *first_colon,
				const char *last_colon, enum host_mode mode, lb_endpoint *e,
				struct perr *pe)
{
	struct perr ignored;
	lb_addr prefix;
	size_t i;
	int r;

	r = parse_ipv6_zone(s, len, 0, &e->addr, pe);
	if (mode == HOST_ONLY) {
		if (r == 0)
			e->kind = LB_HOST_ADDR;
		return r;
	}
	if (r == 0)
		return SYNTAX(pe, len, "missing port (an IPv6 address with a port is written [addr]:port)");
	for (i = 0; i + 2 < len; i++)
		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
			return SYNTAX(pe, i, "a URL, not host:port (no scheme or path)");
	if (parse_ipv6_zone(s, (size_t)(last_colon - s), 0, &prefix, &ignored) == 0)
		return SYNTAX(pe, 0, "an IPv6 address with a port must be in brackets: [addr]:port");
	/* The IPv6 parser's complaint stands when the text starts like IPv6. */
	if (all_hex(s, (size_t)(first_colon - s)))
		return r;
	return 1;
}

static int parse_host_port(const char *s, size_t len, enum host_mode mode,
			   lb_endpoint *e, struct perr *pe)
{
	const char *colon, *last;
	size_t host_end, port_at;
	int r;

	memset(e, 0, sizeof(*e));
	if (len == 0)
		return SYNTAX(pe, 0, "empty input");
	if (s[0] == '[') {
		r = parse_bracketed(s, len, e, &host_end, pe);
		if (r < 0)
			return r;
		if (host_end == len) {
			if (mode == HOST_ONLY)
				return 0;
			return SYNTAX(pe, len, "missing port");
		}
		if (mode == HOST_ONLY)
			return SYNTAX(pe, host_end, "unexpected text after ']'");
		if (s[host_end] != ':')
			return SYNTAX(pe, host_end, "expected ':' after ']'");
		return parse_port(s + host_end + 1, len - host_end - 1, host_end + 1,
				  &e->port, pe);
	}
	colon = memchr(s, ':', len);
	if (!colon) {
		r = parse_plain_host(s, len, 0, e, pe);
		if (r < 0)
			return r;
		if (mode == HOST_ONLY)
			return 0;
		return SYNTAX(pe, len, "missing port");
	}
	last = colon;
	{
		const char *p = colon + 1, *end = s + len, *q;

		while (p < end && (q = memchr(p, ':', (size_t)(end - p)))) {
			last = q;
			p = q + 1;
		}
	}
	if (last != colon || mode == HOST_ONLY) {
		r = parse_unbracketed_v6(s, len, colon, last, mode, e, pe);
		if (r <= 0)
			return r;
		memset(e, 0, sizeof(*e));
	}
	host_end = (size_t)(colon - s);
	port_at = host_end + 1;
	if (host_end == 0)
		return SYNTAX(pe, 0, "empty host");
	r = parse_plain_host(s, host_end, 0, e, pe);
	if (r < 0)
		return r;
	return parse_port(s + port_at, len - port_at, port_at, &e->port, pe);
}

LB_EXPORT int lb_endpoint_parse(const char *text, size_t len,
				lb_endpoint *ret_endpoint,
				lb_parse_error *ret_error)
{
	struct perr pe;
	lb_endpoint e;

	if (!text || !ret_endpoint)
		return lb__parse_fail(ret_error, LB_EINVAL, 0, "invalid argument");
	if (parse_host_port(text, len, WITH_PORT, &e, &pe) < 0)
		return perr_out(ret_error, &pe);
	*ret_endpoint = e;
	return 0;
}

LB_EXPORT int lb_host_parse(const char *text, size_t len, lb_endpoint *ret_host,
			    lb_parse_error *ret_error)
{
	struct perr pe;
	lb_endpoint e;

	if (!text || !ret_host)
		return lb__parse_fail(ret_error, LB_EINVAL, 0, "invalid argument");
	if (parse_host_port(text, len, HOST_ONLY, &e, &pe) < 0)
		return perr_out(ret_error, &pe);
	*ret_host = e;
	return 0;
}

/* ---- formatting ---- */

static const char lb_hexdigits[] = "0123456789abcdef";

static size_t fmt_u8(char *p, unsigned v)
{
	if (v >= 100) {
		p[0] = (char)('0' + v / 100);
		p[1] = (char)('0' + v / 10 % 10);
		p[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		p[0] = (char)('0' + v / 10);
		p[1] = (char)('0' + v % 10);
		return 2;
	}
	p[0] = (char)('0' + v);
	return 1;
}

static size_t fmt_ipv4(char *p, const uint8_t b[4])
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i)
			p[n++] = '.';
		n += fmt_u8(p + n, b[i]);
	}
	return n;
}

static size_t fmt_hex16(char *p, unsigned v)
{
	size_t n = 0;
	int shift;

	for (shift = 12; shift > 0 && !(v >> shift); shift -= 4)
		;
	for (; shift >= 0; shift -= 4)
		p[n++] = lb_hexdigits[(v >> shift) & 15];
	return n;
}

/* RFC 5952: lower case, no leading zeros, the longest run (first of
 * equals) of two or more zero groups as "::"; IPv4-mapped as dotted. */
static size_t fmt_ipv6(char *p, const uint8_t b[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned g[8];
	int i, best = -1, best_len = 1, run = -1;
	size_t n = 0;

	if (memcmp(b, mapped, 12) == 0) {
		memcpy(p, "::ffff:", 7);
		return 7 + fmt_ipv4(p + 7, b + 12);
	}
	for (i = 0; i < 8; i++) {
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
		if (g[i] == 0) {
			if (run < 0)
				run = i;
			if (i - run + 1 > best_len) {
				best = run;
				best_len = i - run + 1;
			}
		} else {
			run = -1;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			p[n++] = ':';
			p[n++] = ':';
			i += best_len - 1;
			continue;
		}
		if (i && i != best + best_len)
			p[n++] = ':';
		n += fmt_hex16(p + n, g[i]);
	}
	return n;
}

int lb__addr_valid(const lb_addr *a)
{
	if (a->family == LB_AF_INET)
		return a->zone[0] == '\0';
	if (a->family == LB_AF_INET6)
		return lb__zone_valid(a->zone);
	return 0;
}

/* The address into @p (at least LB_ADDR_STRLEN bytes), no NUL. */
static size_t fmt_addr(char *p, const lb_addr *a)
{
	size_t n, z;

	if (a->family == LB_AF_INET)
		return fmt_ipv4(p, a->bytes);
	n = fmt_ipv6(p, a->bytes);
	z = strlen(a->zone);
	if (z) {
		p[n++] = '%';
		memcpy(p + n, a->zone, z);
		n += z;
	}
	return n;
}

static int copy_out(const char *tmp, size_t n, char *buf, size_t size)
{
	if (n >= size)
		return LB_ENOSPC;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return (int)n;
}

LB_EXPORT int lb_addr_format(const lb_addr *addr, char *buf, size_t size)
{
	char tmp[LB_ADDR_STRLEN];

	lb_return_if(!addr || !buf, LB_EINVAL);
	lb_return_if(!lb__addr_valid(addr), LB_EINVAL);
	return copy_out(tmp, fmt_addr(tmp, addr), buf, size);
}

LB_EXPORT int lb_endpoint_format(const lb_endpoint *endpoint, char *buf, size_t size)
{
	char tmp[LB_ENDPOINT_STRLEN];
	size_t n = 0;

	lb_return_if(!endpoint || !buf, LB_EINVAL);
	if (endpoint->kind == LB_HOST_ADDR) {
		lb_return_if(!lb__addr_valid(&endpoint->addr), LB_EINVAL);
		if (endpoint->addr.family == LB_AF_INET6) {
			tmp[n++] = '[';
			n += fmt_addr(tmp + n, &endpoint->addr);
			tmp[n++] = ']';
		} else {
			n = fmt_addr(tmp, &endpoint->addr);
		}
	} else if (endpoint->kind == LB_HOST_NAME) {
		lb_return_if(!lb__name_valid(endpoint->name), LB_EINVAL);
		n = strlen(endpoint->name);
		memcpy(tmp, endpoint->name, n);
	} else {
		return LB_EINVAL;
	}
	tmp[n++] = ':';
	{
		char d[5];
		unsigned v = endpoint->port;
		int k = 0;

		do {
			d[k++] = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		while (k)
			tmp[n++] = d[--k];
	}
	return copy_out(tmp, n, buf, size);
}

LB_EXPORT int lb_addr_equal(const lb_addr *a, const lb_addr *b)
{
	lb_return_if(!a || !b, LB_EINVAL);
	return a->family == b->family && a->scope_id == b->scope_id &&
	       memcmp(a->bytes, b->bytes, sizeof(a->bytes)) == 0 &&
	       strncmp(a->zone, b->zone, sizeof(a->zone)) == 0;
}
