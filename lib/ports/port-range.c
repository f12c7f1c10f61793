/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#if defined(__FreeBSD__) || defined(__APPLE__)
#include <sys/types.h>
#include <sys/sysctl.h>
#endif

#include "core/internal.h"
#include "ports/port-range.h"
#include "core/read-file.h"

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

/* A range given as its first port and a count of ports (Windows: the
 * DynamicPortRange start and number of ports). Pure; strict. */
int lb__port_range_from_count(unsigned long start, unsigned long count, uint16_t *ret_first,
			      uint16_t *ret_last)
{
	lb_return_if(!ret_first || !ret_last, LB_EINVAL);
	if (start == 0 || count == 0 || start > 65535 || count > 65536 - start)
		return LB_EBADDATA;
	*ret_first = (uint16_t)start;
	*ret_last = (uint16_t)(start + count - 1);
	return 0;
}

#if defined(__linux__)
static int read_range(uint16_t *ret_first, uint16_t *ret_last)
{
	char buf[64];
	size_t n;
	int r = lb__read_small("/proc/sys/net/ipv4/ip_local_port_range", buf, sizeof(buf), &n);

	if (r == LB_ENOENT)
		return LB_ENOTSUP; /* no such setting: no range to report */
	if (r < 0)
		return r;
	return lb__port_range_parse(buf, n, ret_first, ret_last);
}
#elif defined(__FreeBSD__) || defined(__APPLE__)
static int read_range(uint16_t *ret_first, uint16_t *ret_last)
{
	int first, last;
	size_t len = sizeof(first);

	if (sysctlbyname("net.inet.ip.portrange.first", &first, &len, NULL, 0) < 0 ||
	    len != sizeof(first))
		return LB_EIO;
	len = sizeof(last);
	if (sysctlbyname("net.inet.ip.portrange.last", &last, &len, NULL, 0) < 0 ||
	    len != sizeof(last))
		return LB_EIO;
	if (first <= 0 || last > 65535 || first > last)
		return LB_EBADDATA;
	*ret_first = (uint16_t)first;
	*ret_last = (uint16_t)last;
	return 0;
}
#elif defined(_WIN32)
static int read_range(uint16_t *ret_first, uint16_t *ret_last)
{
	return lb__port_range_read_windows(ret_first, ret_last);
}
#else
static int read_range(uint16_t *ret_first, uint16_t *ret_last)
{
	(void)ret_first;
	(void)ret_last;
	return LB_ENOTSUP;
}
#endif

LB_EXPORT int lb_port_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last)
{
	uint16_t first, last;
	int r;

	lb_return_if(!ret_first || !ret_last, LB_EINVAL);
	r = read_range(&first, &last);
	if (r < 0)
		return r;
	*ret_first = first;
	*ret_last = last;
	return 0;
}
