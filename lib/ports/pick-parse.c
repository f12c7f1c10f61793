/* SPDX-License-Identifier: MIT */
/* Pure parts of picking: kernel settings as text, candidate lists. */
#include <string.h>

#include "core/internal.h"
#include "ports/pick-internal.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* A decimal number at text[*i], at most @max; advances *i. */
static int number(const char *text, size_t len, size_t *i, unsigned long max,
		  unsigned long *ret)
{
	unsigned long v = 0;
	size_t start = *i;

	while (*i < len && text[*i] >= '0' && text[*i] <= '9') {
		v = v * 10 + (unsigned long)(text[*i] - '0');
		if (v > max)
			return LB_EBADDATA;
		(*i)++;
	}
	if (*i == start)
		return LB_EBADDATA;
	*ret = v;
	return 0;
}

int lb__sysctl_uint_parse(const char *text, size_t len, unsigned long max,
			  unsigned long *ret_value)
{
	unsigned long v;
	size_t i = 0;

	lb_return_if(!text || !ret_value, LB_EINVAL);
	if (number(text, len, &i, max, &v) < 0)
		return LB_EBADDATA;
	while (i < len && is_space(text[i]))
		i++;
	if (i != len)
		return LB_EBADDATA;
	*ret_value = v;
	return 0;
}

int lb__reserved_ports_parse(const char *text, size_t len, uint8_t *set)
{
	size_t i = 0, end = len;

	lb_return_if(!text || !set, LB_EINVAL);
	while (end > 0 && is_space(text[end - 1]))
		end--;
	if (end == 0)
		return 0; /* nothing reserved */
	for (;;) {
		unsigned long a, b;

		if (number(text, end, &i, 65535, &a) < 0)
			return LB_EBADDATA;
		b = a;
		if (i < end && text[i] == '-') {
			i++;
			if (number(text, end, &i, 65535, &b) < 0 || b < a)
				return LB_EBADDATA;
		}
		lb__port_set_add_range(set, a, b);
		if (i == end)
			return 0;
		if (text[i] != ',')
			return LB_EBADDATA;
		i++;
	}
}

void lb__port_set_add_range(uint8_t *set, unsigned long first, unsigned long last)
{
	/* Bit by bit up to a byte boundary, whole bytes, then the rest: the
	 * ephemeral range is ~28,000 ports on every pick. */
	for (; first <= last && (first & 7); first++)
		lb__port_set_add(set, first);
	if (first + 7 <= last) {
		memset(set + (first >> 3), 0xff, (last - first + 1) >> 3);
		first += (last - first + 1) & ~7ul;
	}
	for (; first <= last; first++)
		lb__port_set_add(set, first);
}

uint16_t lb__pick_default_first(unsigned long unprivileged_start)
{
	if (unprivileged_start < 1024)
		return 1024;
	return unprivileged_start > 65535 ? 65535 : (uint16_t)unprivileged_start;
}

size_t lb__pick_candidates(uint16_t first, uint16_t last, const uint8_t *excluded,
			   uint16_t *out)
{
	size_t n = 0;
	unsigned long p;

	for (p = first; p <= last; p++)
		if (!excluded || !lb__port_set_has(excluded, p))
			out[n++] = (uint16_t)p;
	return n;
}
