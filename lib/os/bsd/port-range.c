/* SPDX-License-Identifier: MIT */
/* The FreeBSD and macOS side of lib/os/ports.h: sysctl
 * net.inet.ip.portrange.*; no reserved-port list, 1024 unprivileged. */
#include <stddef.h>
#include <sys/types.h>
#include <sys/sysctl.h>

#include "core/internal.h"
#include "os/ports.h"

int lb__os_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last)
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

int lb__os_reserved_ports(uint8_t *set)
{
	(void)set;
	return 0;
}

int lb__os_unprivileged_start(unsigned long *ret_port)
{
	*ret_port = 1024;
	return 0;
}
