/* SPDX-License-Identifier: MIT */
/* The Linux side of lib/os/ports.h: /proc/sys/net/ipv4. */
#include <stdlib.h>

#include "core/internal.h"
#include "core/read-file.h"
#include "os/linux/sysctl-parse.h"
#include "os/ports.h"

int lb__os_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last)
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

int lb__os_reserved_ports(uint8_t *set)
{
	static const char path[] = "/proc/sys/net/ipv4/ip_local_reserved_ports";
	char *buf;
	size_t len;
	int r;

	buf = malloc(65536);
	if (!buf)
		return LB_ENOMEM;
	r = lb__read_small(path, buf, 65536, &len);
	if (r == 0)
		r = lb__reserved_ports_parse(buf, len, set);
	else if (r == LB_ENOENT)
		r = 0; /* no such setting: nothing reserved */
	free(buf);
	return r;
}

int lb__os_unprivileged_start(unsigned long *ret_port)
{
	char buf[64];
	size_t len;
	int r;

	*ret_port = 1024;
	r = lb__read_small("/proc/sys/net/ipv4/ip_unprivileged_port_start", buf, sizeof(buf),
			   &len);
	if (r == 0)
		return lb__sysctl_uint_parse(buf, len, 65535, ret_port);
	return r == LB_ENOENT ? 0 : r; /* older kernels: 1024 */
}
