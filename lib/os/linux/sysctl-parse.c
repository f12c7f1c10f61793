/* SPDX-License-Identifier: MIT */
/* Pure parsers of Linux's /proc/sys/net/ipv4 port settings: text in,
 * numbers out, strict about everything else. Built on every OS (tested on
 * fixtures); lib/os/linux/port-range.c reads the files. */
#include <string.h>

#include "core/internal.h"
#include "os/linux/sysctl-parse.h"
#include "ports/port-set.h"

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

/* Parse "FIRST<ws>LAST<ws>" as in /proc/sys/net/ipv4/ip_local_port_range.
 * Pure: text in, numbers out; strict about everything else. */
int lb__port_range_parse(const char *text, size_t len, uint16_t *ret_first,
			 uint16_t *ret_last)
{
	unsigned long v[2];
	size_t i = 0;
	int n;

	lb_return_if(!text || !ret_first || !ret_last, LB_EINVAL);
	for (n = 0; n < 2; n++) {
		size_t digits = 0;

		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		v[n] = 0;
		while (i < len && text[i] >= '0' && text[i] <= '9') {
			v[n] = v[n] * 10 + (unsigned long)(text[i] - '0');
			if (v[n] > 65535)
				return LB_EBADDATA;
			i++;
			digits++;
		}
		if (digits == 0)
			return LB_EBADDATA;
	}
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
		i++;
	if (i != len || v[0] == 0 || v[0] > v[1])
		return LB_EBADDATA;
	*ret_first = (uint16_t)v[0];
	*ret_last = (uint16_t)v[1];
	return 0;
}
