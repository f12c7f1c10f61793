/* SPDX-License-Identifier: MIT */
/*
 * Leases (lib/os/lease.h) on POSIX systems without abstract unix sockets
 * (FreeBSD, macOS): the flock() files of lib/os/posix/lease-flock.c, the
 * only backend here. Their holders cannot be looked up.
 */
#include <string.h>

#include "core/internal.h"
#include "os/lease.h"
#include "os/posix/lease-flock.h"

/* LOOPBACK_LEASE_BACKEND may only name flock here: anything else is
 * LB_EINVAL (a typo must not silently pick another backend). */
static int check_backend(void)
{
	const char *b = lb__secure_getenv("LOOPBACK_LEASE_BACKEND");

	return b && *b && strcmp(b, "flock") != 0 ? LB_EINVAL : 0;
}

int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	int r = check_backend();

	return r < 0 ? r : lb__lease_flock_take(port, protocol, ret_fd);
}

int lb__lease_find_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids)
{
	(void)port;
	(void)protocol;
	(void)pids;
	(void)max_pids;
	return LB_ENOTSUP;
}

LB_EXPORT int lb_lease_dir(char *buf, size_t size)
{
	int r;

	lb_return_if(!buf || size == 0, LB_EINVAL);
	r = check_backend();
	return r < 0 ? r : lb__lease_flock_dir(buf, size);
}
