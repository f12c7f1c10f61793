/* SPDX-License-Identifier: MIT */
/*
 * Parsing hosts and endpoints: host names (RFC 1123), ports, "host:port",
 * "[v6%zone]:port", lb_endpoint_parse() and lb_host_parse(). Pure, as
 * lib/endpoint/addr-parse.c, whose IP literal parsers it builds on.
 */
#include <string.h>

#include "endpoint/parse-internal.h"
#include "core/internal.h"

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

		r = lb__parse_ipv4(s, (size_t)(pct - s), base, v4, pe);
		if (r < 0)
			return r;
		return SYNTAX(pe, base + (size_t)(pct - s), ZONE_ON_V4);
	}
	if (ends_in_number(s, len)) {
		if (!IS(s[0], C_DIGIT))
			return SYNTAX(pe, base,
				      "host name ends in a number (neither a host name nor an IPv4 address)");
		memset(&e->addr, 0, sizeof(e->addr));
		r = lb__parse_ipv4(s, len, base, e->addr.bytes, pe);
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
	r = lb__parse_ipv6_zone(s + 1, inner, 1, &e->addr, pe);
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

	r = lb__parse_ipv6_zone(s, len, 0, &e->addr, pe);
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
	if (lb__parse_ipv6_zone(s, (size_t)(last_colon - s), 0, &prefix, &ignored) == 0)
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
