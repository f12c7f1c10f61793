/* SPDX-License-Identifier: MIT */
/*
 * The system's socket address and resolver interface, for the endpoint
 * code that converts records to and from struct sockaddr and asks
 * getaddrinfo() (lib/endpoint/endpoint-sockaddr.c, resolve.c). What
 * differs per OS is here, so that lib/endpoint/ has no OS conditional:
 * which headers declare it, whether a socket address carries its own
 * length, and whether the socket layer must be started before use.
 */
#ifndef LB_OS_NET_H
#define LB_OS_NET_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>
#include "os/sockutil.h"
#else
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

/*
 * lb__net_init() - start the OS's socket layer where it needs starting:
 * Winsock's lb__wsa_init() on Windows (lib/os/windows/sockutil.c), so
 * that a caller need not have called WSAStartup(); nothing elsewhere.
 * 0 or LB_EIO.
 */
#ifdef _WIN32
#define lb__net_init() lb__wsa_init()
#else
#define lb__net_init() 0
#endif

/*
 * lb__sin_set_len(), lb__sin6_set_len() - set the length field that
 * BSD-derived systems (macOS, the BSDs) carry inside a socket address;
 * nothing where there is none (Linux, Windows).
 */
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
	defined(__OpenBSD__) || defined(__DragonFly__)
#define lb__sin_set_len(sin) ((sin)->sin_len = sizeof(*(sin)))
#define lb__sin6_set_len(sin6) ((sin6)->sin6_len = sizeof(*(sin6)))
#else
#define lb__sin_set_len(sin) ((void)(sin))
#define lb__sin6_set_len(sin6) ((void)(sin6))
#endif

#endif /* LB_OS_NET_H */
