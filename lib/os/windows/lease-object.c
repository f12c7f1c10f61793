/* SPDX-License-Identifier: MIT */
/* Windows leases as named kernel objects; see port-windows.h. */
#ifdef _WIN32
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include "core/internal.h"
#include "os/windows/lease-object.h"

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
#endif /* _WIN32 */
