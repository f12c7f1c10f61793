/* SPDX-License-Identifier: MIT */
/*
 * Windows semantics for port leases and bind probes (used by the pick,
 * lease and check modules on Windows).
 */
#ifndef LB_PORT_WINDOWS_H
#define LB_PORT_WINDOWS_H

#ifdef _WIN32
#include <stdint.h>
#include <windows.h>

#define LB_WIN_LEASE_TCP 0
#define LB_WIN_LEASE_UDP 1

/* Take the lease of @port/@proto: a named kernel object
 * (Global\loopback-lease-tcp-62893) that exists exactly as long as a
 * handle to it is open, so the kernel releases it when the holder dies.
 * *ret holds it (not inherited unless SetHandleInformation says so).
 * LB_ELEASED when it exists (also when another user's DACL hides it),
 * LB_EINVAL, LB_EIO. */
int lb__win_lease_take(uint16_t port, int proto, HANDLE *ret);

/* A Winsock bind() error as an LB_E* code: WSAEADDRINUSE ->
 * LB_EADDRINUSE; WSAEACCES -> LB_EACCES (on Windows nearly always an
 * excluded port range reserved by Hyper-V, WSL or WinNAT: `netsh int ipv4
 * show excludedportrange`, not a conflict with a socket);
 * WSAEADDRNOTAVAIL -> LB_EADDRNOTAVAIL; WSAEAFNOSUPPORT ->
 * LB_EAFNOSUPPORT; anything else LB_EIO. Pure. */
int lb__win_bind_error(int wsa_error);

/* Whether @port can be bound on @addr (a sockaddr_in/in6 of @len bytes
 * with port 0) for @socktype (SOCK_STREAM/SOCK_DGRAM), probing with
 * SO_EXCLUSIVEADDRUSE so that no SO_REUSEADDR socket can share it (on
 * Windows SO_REUSEADDR lets a socket steal a bound port). 0 when free,
 * else as lb__win_bind_error(). Winsock must be started. */
int lb__win_bind_probe(const void *addr, int len, int socktype, uint16_t port);
#endif

#endif
