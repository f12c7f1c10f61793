/* SPDX-License-Identifier: MIT */
/*
 * The kernel's port settings, one interface for every OS, for picking and
 * checking (lib/ports/): the ephemeral range, the reserved ports, the
 * first unprivileged port, and what a refused bind means. Implemented by
 * lib/os/linux/port-range.c (/proc/sys/net/ipv4), lib/os/bsd/port-range.c
 * (FreeBSD and macOS: sysctl net.inet.ip.portrange.*),
 * lib/os/windows/port-range.c (the dynamic range, from WMI) and
 * lib/os/posix/port-range-none.c (other systems: nothing known), plus
 * lib/os/posix/ports.c for what every POSIX system shares.
 */
#ifndef LB_OS_PORTS_H
#define LB_OS_PORTS_H

#include <stdint.h>

/* The range the kernel hands out for port 0 and outgoing connections.
 * 0, LB_ENOTSUP where the OS has none or it cannot be read, or an error. */
int lb__os_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last);

/* The range to keep out of when lb__os_ephemeral_range() says LB_ENOTSUP:
 * Windows' documented default (49152-65535, which wine and old Windows
 * leave unreadable); LB_ENOTSUP on POSIX (none: nothing to avoid). */
int lb__os_ephemeral_default(uint16_t *ret_first, uint16_t *ret_last);

/* Add the ports the kernel keeps for itself (Linux:
 * ip_local_reserved_ports) to @set (lib/ports/port-set.h). 0 (also when
 * the OS has no such list) or an error. */
int lb__os_reserved_ports(uint8_t *set);

/* The first port an unprivileged process may bind (Linux:
 * ip_unprivileged_port_start; 1024 elsewhere). 0 or an error. */
int lb__os_unprivileged_start(unsigned long *ret_port);

/* What a bind refused with EACCES means on this OS. */
enum lb__bind_denied {
	LB__BIND_DENIED_PRIVILEGED, /* POSIX: a port below the unprivileged start */
	LB__BIND_DENIED_EXCLUDED,   /* Windows: an excluded port range (Hyper-V, WSL, WinNAT) */
};
enum lb__bind_denied lb__os_bind_denied(void);

#endif /* LB_OS_PORTS_H */
