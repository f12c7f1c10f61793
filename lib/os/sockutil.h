/* SPDX-License-Identifier: MIT */
/*
 * The OS part of the port-allocation module's sockets, one interface for
 * every OS: lib/os/posix/sockutil.c (POSIX) and lib/os/windows/sockutil.c.
 * pick.c, check.c and wait.c include this instead of the system's socket
 * headers (clock and randomness: lib/os/clock.h; processes:
 * lib/os/process.h).
 *
 * A socket is an int everywhere: on Windows a SOCKET is a kernel handle,
 * and Windows documents that handles have 32 significant bits (so that
 * 32- and 64-bit processes can share them); lb__socket() refuses one that
 * would not fit.
 */
#ifndef LB_SOCKUTIL_H
#define LB_SOCKUTIL_H

#include <stdint.h>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netinet/in.h>
#include <sys/socket.h>
#endif

/* socket() with close-on-exec (not inherited, on Windows) and O_NONBLOCK
 * if @nonblock, set atomically where the OS can, with fcntl where it
 * cannot (macOS). On Windows Winsock is started first, once per process
 * (callers never need WSAStartup). -1 on failure, lb__sock_errno() says
 * why. */
int lb__socket(int domain, int type, int protocol, int nonblock);

/* Close a socket of lb__socket(), keeping lb__sock_errno() as it was. */
void lb__sock_close(int fd);

/* Why the last socket call of this thread failed, as an errno value
 * (EADDRINUSE, EACCES, EADDRNOTAVAIL, EAFNOSUPPORT, EINPROGRESS,
 * EOPNOTSUPP, ...): errno on POSIX, WSAGetLastError() translated by
 * lb__sock_errno_from_wsa() on Windows. */
int lb__sock_errno(void);

#ifdef _WIN32
/* The errno value of a Winsock error code (WSAEADDRINUSE -> EADDRINUSE,
 * WSAEWOULDBLOCK -> EINPROGRESS, ...; unknown ones -> EIO). Pure. On
 * Windows WSAEACCES on bind() means an excluded port range (Hyper-V, WSL,
 * WinNAT reservations), not a privilege: callers that explain it say so. */
int lb__sock_errno_from_wsa(int wsa_error);

/* Start Winsock once per process, thread-safely (InitOnceExecuteOnce).
 * 0 or LB_EIO. Every library entry point that uses sockets calls it. */
int lb__wsa_init(void);
#endif

/* The options of a trial bind, set before bind(). @reuse 0: a plain
 * probe (POSIX: nothing; Windows: SO_EXCLUSIVEADDRUSE, so that the probe
 * sees every socket on the port). @reuse 1: would it bind with
 * SO_REUSEADDR, TIME_WAIT leftovers not counting (POSIX: SO_REUSEADDR;
 * Windows: refused with EOPNOTSUPP, as SO_REUSEADDR there binds over a
 * live socket and so answers nothing). 0 or -1 (lb__sock_errno()). */
int lb__sock_probe_opts(int fd, int reuse);

/* The options of a socket of @type (SOCK_STREAM, SOCK_DGRAM) handed to a
 * server, before bind(): POSIX SO_REUSEADDR for TCP (a restart binds over
 * TIME_WAIT leftovers, never over a live socket), nothing for UDP (there
 * it would let sockets share the port); Windows SO_EXCLUSIVEADDRUSE for
 * both (never SO_REUSEADDR, which would let another socket steal the
 * port). 0 or -1. */
int lb__sock_server_opts(int fd, int type);

/* setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, @on). 0 or -1. */
int lb__sock_v6only(int fd, int on);

/* Connect the non-blocking socket @fd to @sa, waiting up to @budget_ms.
 * 1 connected, 0 not (refused, unreachable, timed out), or LB_EIO. */
int lb__sock_connect(int fd, const struct sockaddr *sa, int len, int budget_ms);

#endif /* LB_SOCKUTIL_H */
