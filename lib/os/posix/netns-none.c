/* SPDX-License-Identifier: MIT */
/*
 * Network namespaces where the OS has none (macOS, FreeBSD, other POSIX
 * systems, and Windows, which builds this file too: it makes no OS call;
 * Linux: lib/os/linux/netns.c): a query covers the caller's own table,
 * and asking for another namespace is LB_ENOTSUP.
 */
#include <stdlib.h>

#include "core/internal.h"
#include "sockets/netns.h"

int lb__netns_open(const lb_query *q, struct lb__nsctx **ret_ns, size_t *ret_n)
{
	struct lb__nsctx *v;

	if (q->netns_path || q->netns_pid || q->all_netns)
		return LB_ENOTSUP;
	v = calloc(1, sizeof(*v));
	if (!v)
		return LB_ENOMEM;
	v->netns_fd = -1;
	*ret_ns = v;
	*ret_n = 1;
	return 0;
}

void lb__netns_close(struct lb__nsctx *ns, size_t n)
{
	(void)n; /* no descriptor is ever opened */
	free(ns);
}

int lb__netns_call(const struct lb__nsctx *ns, int (*fn)(void *arg), void *arg)
{
	(void)ns;
	return fn(arg);
}
