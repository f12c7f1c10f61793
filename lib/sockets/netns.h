/* SPDX-License-Identifier: MIT */
/*
 * Network namespaces for socket queries: which namespaces a query covers,
 * and running a function inside one (a helper thread that setns()es, so
 * the caller's threads never change namespace).
 */
#ifndef LB_NETNS_H
#define LB_NETNS_H

#include <stddef.h>

#include "sockets/backend.h"

/* The namespaces @q asks for: the caller's own by default, another by pid
 * or path, or every one on the host. Free with lb__netns_close(). */
int lb__netns_open(const lb_query *q, struct lb__nsctx **ret_ns, size_t *ret_n);
void lb__netns_close(struct lb__nsctx *ns, size_t n);

/* Run @fn(@arg) inside namespace @ns and return its result; directly when
 * @ns is the caller's own. LB_EPERM if entering needs privilege. */
int lb__netns_call(const struct lb__nsctx *ns, int (*fn)(void *arg), void *arg);

#endif
