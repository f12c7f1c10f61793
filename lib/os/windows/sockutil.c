/* SPDX-License-Identifier: MIT */
/*
 * The Windows side of lib/os/sockutil.h: Winsock started once by the library
 * itself, sockets that are not inherited, SO_EXCLUSIVEADDRUSE for probes
 * and servers, Winsock errors as errno values.
 */
#ifdef _WIN32
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/internal.h"
#include "os/sockutil.h"

#include <windows.h>

static INIT_ONCE wsa_once = INIT_ONCE_STATIC_INIT;
static int wsa_result; /* written once, inside the InitOnce callback */

static BOOL CALLBACK wsa_start(PINIT_ONCE once, PVOID param, PVOID *ctx)
{
	WSADATA w;

	(void)once;
	(void)param;
	(void)ctx;
	/* Never WSACleanup()ed: Winsock counts starts, and the process's
	 * exit tears it down; a library cannot know when its caller is done. */
	wsa_result = WSAStartup(MAKEWORD(2, 2), &w) == 0 ? 0 : LB_EIO;
	return TRUE;
}

int lb__wsa_init(void)
{
	if (!InitOnceExecuteOnce(&wsa_once, wsa_start, NULL, NULL))
		return LB_EIO;
	return wsa_result;
}

int lb__sock_errno_from_wsa(int wsa_error)
{
	switch (wsa_error) {
	case WSAEADDRINUSE: return EADDRINUSE;
	case WSAEACCES: return EACCES;
	case WSAEADDRNOTAVAIL: return EADDRNOTAVAIL;
	case WSAEAFNOSUPPORT: case WSAEPROTONOSUPPORT: case WSAESOCKTNOSUPPORT:
		return EAFNOSUPPORT;
	case WSAEWOULDBLOCK: case WSAEINPROGRESS: return EINPROGRESS;
	case WSAEINVAL: case WSAEFAULT: return EINVAL;
	case WSAENOBUFS: return ENOBUFS;
	case WSAEMFILE: return EMFILE;
	case WSAECONNREFUSED: return ECONNREFUSED;
	case WSAETIMEDOUT: return ETIMEDOUT;
	case WSAEOPNOTSUPP: return EOPNOTSUPP;
	default: return EIO;
	}
}

int lb__sock_errno(void)
{
	return lb__sock_errno_from_wsa(WSAGetLastError());
}

int lb__socket(int domain, int type, int protocol, int nonblock)
{
	u_long on = 1;
	SOCKET s;

	if (lb__wsa_init() < 0) {
		WSASetLastError(WSANOTINITIALISED);
		return -1;
	}
	/* WSA_FLAG_NO_HANDLE_INHERIT: the Windows close-on-exec. */
	s = WSASocketW(domain, type, protocol, NULL, 0,
		       WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
	if (s == INVALID_SOCKET)
		return -1;
	if ((uintptr_t)s > INT32_MAX) {
		/* Cannot happen (32 significant bits), but never truncate. */
		closesocket(s);
		WSASetLastError(WSAEMFILE);
		return -1;
	}
	if (nonblock && ioctlsocket(s, FIONBIO, &on) != 0) {
		int e = WSAGetLastError();

		closesocket(s);
		WSASetLastError(e);
		return -1;
	}
	return (int)s;
}

void lb__sock_close(int fd)
{
	int e = WSAGetLastError();

	closesocket((SOCKET)fd);
	WSASetLastError(e);
}

static int set_bool(int fd, int level, int name, int value)
{
	BOOL v = value ? TRUE : FALSE;

	return setsockopt((SOCKET)fd, level, name, (const char *)&v, sizeof(v)) == 0 ? 0 : -1;
}

int lb__sock_probe_opts(int fd, int reuse)
{
	if (reuse) {
		WSASetLastError(WSAEOPNOTSUPP);
		return -1;
	}
	return set_bool(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1);
}

int lb__sock_server_opts(int fd, int type)
{
	(void)type;
	return set_bool(fd, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1);
}

int lb__sock_v6only(int fd, int on)
{
	DWORD v = on ? 1 : 0;

	return setsockopt((SOCKET)fd, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&v, sizeof(v)) == 0
		       ? 0 : -1;
}

int lb__sock_connect(int fd, const struct sockaddr *sa, int len, int budget_ms)
{
	WSAPOLLFD p;
	int err = 0, elen = sizeof(err);

	if (connect((SOCKET)fd, sa, len) == 0)
		return 1;
	if (WSAGetLastError() != WSAEWOULDBLOCK)
		return 0;
	p.fd = (SOCKET)fd;
	p.events = POLLWRNORM;
	p.revents = 0;
	/* A refused connect shows as POLLERR/POLLHUP, then SO_ERROR. */
	return WSAPoll(&p, 1, budget_ms) == 1 && (p.revents & POLLWRNORM) &&
	       getsockopt((SOCKET)fd, SOL_SOCKET, SO_ERROR, (char *)&err, &elen) == 0 && err == 0;
}
#endif /* _WIN32 */
