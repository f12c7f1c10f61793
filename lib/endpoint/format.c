/* SPDX-License-Identifier: MIT */
/*
 * Formatting addresses and endpoints: RFC 5952 IPv6, dotted IPv4, zones,
 * "[v6]:port". Pure.
 */
#include <string.h>

#include "endpoint/endpoint-internal.h"
#include "core/internal.h"

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
