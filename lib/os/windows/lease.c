/* SPDX-License-Identifier: MIT */
/*
 * Leases on Windows: the named kernel objects of lib/os/windows/lease-object.c
 * (Global\loopback-lease-tcp-PORT), which the kernel destroys with the
 * last handle to them, so a lease ends when its holder (and every process
 * that inherited it) exits or dies. The handle is the lease's "fd": a
 * HANDLE has 32 significant bits, so it fits the int of the public API.
 */
#ifdef _WIN32
#include <stdint.h>
#include <windows.h>

#include "core/internal.h"
#include "ports/lease-internal.h"
#include "os/windows/lease-object.h"

static HANDLE to_handle(int fd)
{
	return (HANDLE)(intptr_t)fd;
}

int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	HANDLE h;
	int r;

	lb_return_if(lb__proto_index(protocol) < 0, LB_EINVAL);
	r = lb__win_lease_take(port, protocol == LB_PICK_TCP ? LB_WIN_LEASE_TCP : LB_WIN_LEASE_UDP,
			       &h);
	if (r < 0)
		return r;
	if ((uintptr_t)h > INT32_MAX) {
		/* Cannot happen (32 significant bits), but never truncate. */
		CloseHandle(h);
		return LB_EIO;
	}
	*ret_fd = (int)(intptr_t)h;
	return 0;
}

void lb__lease_close(int fd)
{
	CloseHandle(to_handle(fd));
}

int lb__lease_inherit(int fd, int inherit)
{
	return SetHandleInformation(to_handle(fd), HANDLE_FLAG_INHERIT,
				    inherit ? HANDLE_FLAG_INHERIT : 0) ? 0 : LB_EIO;
}

/* The object has no owner query (short of enumerating every handle of the
 * system with NtQuerySystemInformation): a held lease has no visible
 * holder, which lb_lease_holders() reports as 0. */
int lb__lease_find_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids)
{
	int r;

	(void)pids;
	(void)max_pids;
	r = lb__win_lease_exists(port, protocol == LB_PICK_TCP ? LB_WIN_LEASE_TCP
							       : LB_WIN_LEASE_UDP);
	if (r < 0)
		return r;
	return r ? 0 : LB_ENOENT;
}
#endif /* _WIN32 */

LB_EXPORT int lb_lease_dir(char *buf, size_t size)
{
	lb_return_if(!buf || size == 0, LB_EINVAL);
	return LB_ENOTSUP; /* leases are named kernel objects here */
}
