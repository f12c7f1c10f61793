/* SPDX-License-Identifier: MIT */
/* lib/os/ports.h on a POSIX system this library knows no port settings
 * of: no ephemeral range, nothing reserved, 1024 unprivileged. */
#include "core/internal.h"
#include "os/ports.h"

int lb__os_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last)
{
	(void)ret_first;
	(void)ret_last;
	return LB_ENOTSUP;
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
