/* SPDX-License-Identifier: MIT */
/*
 * Leases on Windows (lib/os/lease.h): named kernel objects
 * (Global\loopback-lease-tcp-PORT, events), which the kernel destroys
 * with the last handle to them, so a lease ends when its holder (and every
 * process that inherited it) exits or dies. The handle is the lease's
 * "fd": a HANDLE has 32 significant bits, so it fits the int of the public
 * API. The bind probes with SO_EXCLUSIVEADDRUSE and the Winsock error
 * mapping are lib/os/windows/sockutil.c's.
 */
#ifdef _WIN32
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "core/internal.h"
#include "os/lease.h"
#include "os/windows/lease.h"

/* Global\: ports belong to the host, not to a login session. */
static void lease_name(wchar_t *name, size_t size, uint16_t port, int proto)
{
	swprintf(name, size, L"Global\\loopback-lease-%ls-%u",
		 proto == LB_WIN_LEASE_TCP ? L"tcp" : L"udp", (unsigned)port);
}

int lb__win_lease_take(uint16_t port, int proto, HANDLE *ret)
{
	wchar_t name[64];
	HANDLE h;

	lb_return_if(port == 0 || !ret, LB_EINVAL);
	lb_return_if(proto != LB_WIN_LEASE_TCP && proto != LB_WIN_LEASE_UDP, LB_EINVAL);
	lease_name(name, sizeof(name) / sizeof(name[0]), port, proto);
	SetLastError(0);
	h = CreateEventW(NULL, TRUE, FALSE, name);
	if (!h)
		/* Another user's lease, or another object type squatting the
		 * name: not ours to take either way. */
		return GetLastError() == ERROR_ACCESS_DENIED ||
		       GetLastError() == ERROR_INVALID_HANDLE ? LB_ELEASED : LB_EIO;
	if (GetLastError() == ERROR_ALREADY_EXISTS) {
		CloseHandle(h);
		return LB_ELEASED;
	}
	*ret = h;
	return 0;
}

int lb__win_lease_exists(uint16_t port, int proto)
{
	wchar_t name[64];
	HANDLE h;
	DWORD e;

	lb_return_if(port == 0, LB_EINVAL);
	lb_return_if(proto != LB_WIN_LEASE_TCP && proto != LB_WIN_LEASE_UDP, LB_EINVAL);
	lease_name(name, sizeof(name) / sizeof(name[0]), port, proto);
	h = OpenEventW(SYNCHRONIZE, FALSE, name);
	if (h) {
		CloseHandle(h);
		return 1;
	}
	e = GetLastError();
	if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
		return 0;
	/* Another user's lease whose DACL keeps us out, or a non-event object
	 * squatting the name: either way the port is not ours to take. */
	return e == ERROR_ACCESS_DENIED || e == ERROR_INVALID_HANDLE ? 1 : LB_EIO;
}

static HANDLE to_handle(int fd)
{
	return (HANDLE)(intptr_t)fd;
}

int lb__lease_take(uint16_t port, unsigned protocol, int *ret_fd)
{
	HANDLE h;
	int r;

	lb_return_if(protocol != LB_PICK_TCP && protocol != LB_PICK_UDP, LB_EINVAL);
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

LB_EXPORT int lb_lease_dir(char *buf, size_t size)
{
	lb_return_if(!buf || size == 0, LB_EINVAL);
	return LB_ENOTSUP; /* leases are named kernel objects here */
}
#endif /* _WIN32 */
