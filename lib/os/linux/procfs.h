/* SPDX-License-Identifier: MIT */
#ifndef LB_BACKEND_PROCFS_H
#define LB_BACKEND_PROCFS_H

#include <stddef.h>

#include "sockets/backend.h"

/* Linux /proc/net/{tcp,udp}{,6}: when netlink is unavailable. */
extern const struct lb__backend lb__backend_procfs;

/* Parse one data line of /proc/net/{tcp,tcp6,udp,udp6} (without the
 * newline). Pure. Returns 0 or LB_EBADDATA; *ret is written on success. */
int lb__procfs_parse_line(const char *line, size_t len, int protocol, int family,
			  struct lb_socket *ret);

/* Parse a whole /proc/net table (header line first) and append its
 * records to @out, one per socket: a line repeating the inode of an
 * earlier one (read while the table changed) is dropped. Pure. On error
 * nothing is appended. */
int lb__procfs_parse(const char *text, size_t len, int protocol, int family,
		     struct lb__sockvec *out);

#endif
