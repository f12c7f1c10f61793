/* SPDX-License-Identifier: MIT */
/*
 * loopback/pick.h: pick free ports, lease them, hand over bound sockets.
 *
 * Why not bind(0) and close? The kernel then hands out a port from its
 * ephemeral range, the very range it also uses for outgoing connections,
 * and the port is free again as soon as the picker closes it: two pickers
 * racing, or one outgoing connection, take the same port. lb_port_pick()
 * instead
 *   - picks outside the ephemeral range (ip_local_port_range) and the
 *     reserved ports (ip_local_reserved_ports), at or above both 1024 and
 *     the unprivileged start (ip_unprivileged_port_start), starting at a
 *     random place of the range so parallel pickers rarely meet;
 *   - leases each port (see <loopback/lease.h>) before checking it, so no
 *     other libloopback picker on this host can be given it while the
 *     lease lives;
 *   - checks that the port binds, right now, on every requested protocol
 *     and family (wildcard addresses, so any address of the host binds).
 * On Windows the range left out is the dynamic port range (read from
 * MSFT_NetTCPSetting; when that cannot be read, its documented default
 * 49152-65535); there are no privileged ports, and ports in an excluded
 * port range (Hyper-V, WSL, WinNAT reservations) fail the bind check with
 * WSAEACCES and are skipped. Checks bind with SO_EXCLUSIVEADDRUSE (never
 * SO_REUSEADDR, which there lets a socket share a bound port). Winsock is
 * started by the library itself: callers need no WSAStartup().
 * What it cannot promise: a program that does not use libloopback may
 * still bind the port between the pick and your bind. Use
 * lb_lease_listen() to get the socket bound at once.
 */
#ifndef LOOPBACK_PICK_H
#define LOOPBACK_PICK_H

#include <stddef.h>
#include <stdint.h>

#include <loopback/common.h>
#include <loopback/endpoint.h>
#include <loopback/lease.h>

#ifdef __cplusplus
extern "C" {
#endif

/* lb_pick_options.family: where a port must bind. */
#define LB_PICK_FAMILY_BOTH 0 /* IPv4 and IPv6 (IPv4 only, flagged, when IPv6 is disabled) */
#define LB_PICK_FAMILY_IPV4 4
#define LB_PICK_FAMILY_IPV6 6 /* IPv6 (IPv4, flagged, when IPv6 is disabled) */

/* lb_pick_options.flags */
#define LB_PICK_CONTIGUOUS 1 /* a group of consecutive ports */

/**
 * struct lb_pick_options - what to pick
 * @size: sizeof(lb_pick_options), so the struct can grow; use
 *        LB_PICK_OPTIONS_INIT or set it yourself
 * @protocols: LB_PICK_TCP, LB_PICK_UDP or both; 0 means TCP
 * @family: LB_PICK_FAMILY_*; 0 means both
 * @first: first port of your own range, or 0 for the default range
 * @last: last port of your own range (inclusive), or 0 for the default
 *        range. Your own range is used as given, minus the reserved ports;
 *        the ephemeral range and the privileged ports are not taken out
 * @count: how many ports (a group: all or none); 0 means 1
 * @flags: LB_PICK_CONTIGUOUS
 * @max_attempts: how many candidate ports to try at most; 0 means every
 *        port of the range once
 * @since 0.1
 */
typedef struct lb_pick_options {
	size_t size;
	unsigned protocols;
	int family;
	uint16_t first;
	uint16_t last;
	uint32_t count;
	uint32_t flags;
	uint32_t max_attempts;
} lb_pick_options;

/* An initializer for lb_pick_options: .size set, every other field 0
 * (one TCP port on IPv4 and IPv6 from the default range). */
#define LB_PICK_OPTIONS_INIT { sizeof(lb_pick_options), 0, 0, 0, 0, 0, 0, 0 }

/**
 * lb_port_pick - pick and lease free ports
 * @options: what to pick, or NULL for one TCP port on IPv4 and IPv6
 * @ret_lease: set to the lease; release it with lb_lease_release()
 *
 * Returns 0, LB_EINVAL for bad options (size too small, unknown flags or
 * protocols, first > last, count larger than the range), LB_EEXHAUSTED when
 * no (group of) port(s) could be found within the attempts, LB_ENOMEM,
 * LB_EMFILE when the limit of open files is reached (a lease and each probe
 * take a descriptor),
 * LB_EBADDATA if the kernel's port settings do not parse, LB_ENOTSUP where
 * leases are not available, or LB_EIO.
 * @since 0.1
 */
LB_EXPORT int lb_port_pick(const lb_pick_options *options, lb_lease **ret_lease);

/**
 * lb_lease_listen - a socket bound to a leased port, ready to use
 * @lease: a lease from lb_port_pick()
 * @index: which port of the lease
 * @protocol: LB_PICK_TCP (a listening stream socket, SO_REUSEADDR set,
 *            backlog SOMAXCONN; on Windows SO_EXCLUSIVEADDRUSE instead) or
 *            LB_PICK_UDP (a bound datagram socket); one of the lease's
 *            protocols
 * @addr: the address to bind, or NULL for 127.0.0.1 (::1 when the lease
 *        was picked for IPv6 only)
 * @ret_fd: set to the socket, close-on-exec; the caller closes it (on
 *          Windows a SOCKET, not inheritable: closesocket((SOCKET)fd))
 *
 * Returns 0, LB_EINVAL, LB_EADDRINUSE if someone else bound the port
 * meanwhile, LB_EADDRNOTAVAIL, LB_EACCES, LB_EAFNOSUPPORT, LB_EMFILE (too
 * many open files) or LB_EIO.
 * @since 0.1
 */
LB_EXPORT int lb_lease_listen(const lb_lease *lease, size_t index, unsigned protocol,
			      const lb_addr *addr, int *ret_fd);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_PICK_H */
