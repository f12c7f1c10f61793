/* SPDX-License-Identifier: MIT */
/*
 * Windows leases as named kernel objects, by port and protocol
 * (lib/os/windows/lease.c): what lib/os/lease.h's Windows side is built
 * on, and what tests/win/test-win-lease.c tests directly.
 */
#ifndef LB_WINDOWS_LEASE_H
#define LB_WINDOWS_LEASE_H

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

/* Whether the lease of @port/@proto is held by anyone, looked up without
 * taking it (OpenEventW: our handle lives only for the look-up). 1 held,
 * 0 not, LB_EINVAL, LB_EIO. The kernel object has no owner query, so who
 * holds it cannot be told. */
int lb__win_lease_exists(uint16_t port, int proto);
#endif

#endif
