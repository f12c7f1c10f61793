/* SPDX-License-Identifier: MIT */
/* Windows leases and bind probes; see port-windows.h. */
#ifdef _WIN32
#include <stdio.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "internal.h"
#include "port-windows.h"

int lb__win_lease_take(uint16_t port, int proto, HANDLE *ret)
{
	wchar_t name[64];
	HANDLE h;

	lb_return_if(port == 0 || !ret, LB_EINVAL);
	lb_return_if(proto != LB_WIN_LEASE_TCP && proto != LB_WIN_LEASE_UDP, LB_EINVAL);
	/* Global\: ports belong to the host, not to a login session. */
	swprintf(name, sizeof(name) / sizeof(name[0]), L"Global\\loopback-lease-%ls-%u",
		 proto == LB_WIN_LEASE_TCP ? L"tcp" : L"udp", (unsigned)port);
	SetLastError(0);
	h = CreateEventW(NULL, TRUE, FALSE, name);
	if (!h)
		return GetLastError() == ERROR_ACCESS_DENIED ? LB_ELEASED : LB_EIO;
	if (GetLastError() == ERROR_ALREADY_EXISTS) {
		CloseHandle(h);
		return LB_ELEASED;
	}
	*ret = h;
	return 0;
}

int lb__win_bind_error(int wsa_error)
{
	switch (wsa_error) {
	case WSAEADDRINUSE: return LB_EADDRINUSE;
	case WSAEACCES: return LB_EACCES;
	case WSAEADDRNOTAVAIL: return LB_EADDRNOTAVAIL;
	case WSAEAFNOSUPPORT: return LB_EAFNOSUPPORT;
	default: return LB_EIO;
	}
}

int lb__win_bind_probe(const void *addr, int len, int socktype, uint16_t port)
{
	struct sockaddr_storage ss;
	BOOL on = TRUE;
	SOCKET s;
	int r = 0;

	lb_return_if(!addr || len <= 0 || (size_t)len > sizeof(ss), LB_EINVAL);
	lb_return_if(socktype != SOCK_STREAM && socktype != SOCK_DGRAM, LB_EINVAL);
	memcpy(&ss, addr, (size_t)len);
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	else if (ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	else
		return LB_EINVAL;
	s = socket(ss.ss_family, socktype, 0);
	if (s == INVALID_SOCKET)
		return lb__win_bind_error(WSAGetLastError());
	if (setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)) != 0 ||
	    bind(s, (struct sockaddr *)&ss, len) != 0)
		r = lb__win_bind_error(WSAGetLastError());
	closesocket(s);
	return r;
}
#endif /* _WIN32 */
