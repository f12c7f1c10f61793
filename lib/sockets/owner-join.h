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

/* Joining (socket, holder pid) pairs onto a list, as a backend's owners
 * hook finds them: the pid filter of the query and the owners it asks. */
struct lb__owner_join {
	const lb_query *q;
	lb_socket_list *list;
	char *keep;  /* per socket: held by the pid (tree) asked */
	/* A new owner for @pid (lb__owner_for), and the parent of @pid
	 * (lb__pid_in_tree), each with its own context. */
	struct lb_owner *(*make)(void *ctx, uint32_t pid);
	void *make_ctx;
	int (*ppid)(void *ctx, uint32_t pid, uint32_t *ret_ppid);
	void *ppid_ctx;
};

/* Start a join on @j (its callbacks set): 0, or LB_ENOMEM. */
int lb__owner_join_begin(struct lb__owner_join *j, const lb_query *q, lb_socket_list *list);
/* Socket @i of the list is held by @pid. 0, or LB_ENOMEM (or the error
 * make left in its context). */
int lb__owner_join(struct lb__owner_join *j, size_t i, uint32_t pid);
/* End the join: on success (@r >= 0) apply the pid filter. Returns @r
 * (0 for any non-negative). */
int lb__owner_join_end(struct lb__owner_join *j, int r);

/* Keep the sockets whose @keep flag is set (freeing the owner arrays of
 * the others), in order. */
void lb__sockvec_keep(struct lb__sockvec *sv, const char *keep);

/* Whether @pid is @root or, with @descendants, below it: a walk up the
 * parents that @ppid(@ctx, pid, &ppid) gives (0 or negative), bounded, as
 * pids are reused and chains may loop. */
int lb__pid_in_tree(uint32_t pid, uint32_t root, int descendants,
		    int (*ppid)(void *ctx, uint32_t pid, uint32_t *ret_ppid), void *ctx);

#endif
