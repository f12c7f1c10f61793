/* SPDX-License-Identifier: MIT */
#ifndef LB_BACKEND_PIDFD_LINUX_H
#define LB_BACKEND_PIDFD_LINUX_H

#include "sockets/backend.h"

/*
 * The sockets of one process (and its descendants), fast: read its
 * descriptors, take a duplicate of each socket with pidfd_getfd(2) and ask
 * the socket itself (getsockname, TCP_INFO, SO_MEMINFO ...), instead of
 * dumping the whole table. Fills @list (records, query filter, owners).
 * Returns 0, LB_ENOENT if the process does not exist, LB_ENOMEM, or
 * LB_ENOTSUP when this path cannot answer (no pidfd_getfd, not permitted,
 * another namespace asked for): then use the backends. Sets
 * list->backend to "pidfd" when it answered. The pid_sockets hook of the
 * netlink and procfs backends (lib/sockets/backend.h).
 */
int lb__pidfd_list(const lb_query *q, lb_socket_list *list);

#endif
