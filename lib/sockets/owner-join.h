/* SPDX-License-Identifier: MIT */
/*
 * Shared by the backends that learn owners as (socket, pid) pairs
 * (iphlpapi, libproc, sysctl): one owner per pid in the list's pool, and
 * the pid filter of a query.
 */
#ifndef LB_OWNER_JOIN_H
#define LB_OWNER_JOIN_H

#include "sockets/backend.h"

/* The pool entry of @list for @pid, made with @make(@ctx, @pid) on first use
 * and adopted by the list. 0, or LB_ENOMEM. */
int lb__owner_for(lb_socket_list *list, uint32_t pid, struct lb_owner *(*make)(void *ctx, uint32_t pid),
		  void *ctx, const struct lb_owner **ret);

/* Keep the sockets whose @keep flag is set (freeing the owner arrays of
 * the others), in order. */
void lb__sockvec_keep(struct lb__sockvec *sv, const char *keep);

/* Whether @pid is @root or, with @descendants, below it: a walk up the
 * parents that @ppid(@ctx, pid, &ppid) gives (0 or negative), bounded, as
 * pids are reused and chains may loop. */
int lb__pid_in_tree(uint32_t pid, uint32_t root, int descendants,
		    int (*ppid)(void *ctx, uint32_t pid, uint32_t *ret_ppid), void *ctx);

#endif
