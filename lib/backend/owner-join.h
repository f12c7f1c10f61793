/* SPDX-License-Identifier: MIT */
/*
 * Shared by the backends that learn owners as (socket, pid) pairs
 * (iphlpapi, libproc, sysctl): one owner per pid in the list's pool, and
 * the pid filter of a query.
 */
#ifndef LB_OWNER_JOIN_H
#define LB_OWNER_JOIN_H

#include "backend.h"

/* The pool entry of @list for @pid, made with @make(@ctx, @pid) on first use
 * and adopted by the list. 0, or LB_ENOMEM. */
int lb__owner_for(lb_socket_list *list, uint32_t pid, struct lb_owner *(*make)(void *ctx, uint32_t pid),
		  void *ctx, const struct lb_owner **ret);

/* Keep the sockets whose @keep flag is set (freeing the owner arrays of
 * the others), in order. */
void lb__sockvec_keep(struct lb__sockvec *sv, const char *keep);

#endif
