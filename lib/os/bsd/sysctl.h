/* SPDX-License-Identifier: MIT */
/*
 * Reading a whole sysctl(3) value whose size changes under us (socket
 * tables, process arguments): FreeBSD and macOS. Built on those only.
 */
#ifndef LB_BSD_SYSCTL_H
#define LB_BSD_SYSCTL_H

#include <stddef.h>

#include "os/freebsd/sysctl.h" /* struct lb__fbsd_pcblist */

#if defined(__FreeBSD__) || defined(__APPLE__)
/* The whole value of the sysctl @mib (@n names) into a malloc'd *@ret_buf
 * of *@ret_len bytes, asked again while it grows. 0, LB_ENOENT (no such
 * entry, or ESRCH: a process gone or hidden), LB_EPERM, LB_ENOMEM or
 * LB_EIO. */
int lb__sysctl_fetch(int *mib, unsigned n, void **ret_buf, size_t *ret_len);

/* The same by name; a name this kernel does not have is LB_ENOTSUP. */
int lb__sysctl_fetch_name(const char *name, void **ret_buf, size_t *ret_len);

/* A socket table (the pcblist sysctl @name) parsed by @parse for
 * @ipproto, read again while its generation count changed during the
 * copy; after a few tries the last copy is used: every record in it is
 * still a real socket. Returns as lb__sysctl_fetch_name and @parse. */
int lb__sysctl_read_pcblist(const char *name,
			    int (*parse)(const void *buf, size_t len, int ipproto,
					 struct lb__fbsd_pcblist *ret),
			    int ipproto, struct lb__fbsd_pcblist *ret);
#endif

#endif
