/* SPDX-License-Identifier: MIT */
/*
 * Socket queries: the lb_query object and its setters, and the match of
 * one record against a query (lb__query_match, pure), which every path
 * applies to what a backend returns.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "sockets/backend.h"

LB_EXPORT int lb_query_new(lb_query **ret_query)
{
	lb_query *q;

	lb_return_if(!ret_query, LB_EINVAL);
	q = calloc(1, sizeof(*q));
	if (!q)
		return LB_ENOMEM;
	q->protocols = LB_PROTO_ALL;
	q->families = LB_FAMILY_ALL;
	q->states = LB_STATES_ALL;
	q->uid = -1;
	q->owners = LB_OWNERS_DEFAULT;
	*ret_query = q;
	return 0;
}

LB_EXPORT void lb_query_free(lb_query *q)
{
	if (!q)
		return;
	free(q->netns_path);
	free(q);
}

LB_EXPORT int lb_query_set_protocols(lb_query *q, unsigned mask)
{
	lb_return_if(!q || mask == 0 || (mask & ~(unsigned)LB_PROTO_ALL), LB_EINVAL);
	q->protocols = mask;
	return 0;
}

LB_EXPORT int lb_query_set_families(lb_query *q, unsigned mask)
{
	lb_return_if(!q || mask == 0 || (mask & ~(unsigned)LB_FAMILY_ALL), LB_EINVAL);
	q->families = mask;
	return 0;
}

LB_EXPORT int lb_query_set_states(lb_query *q, unsigned long mask)
{
	lb_return_if(!q || mask == 0 || (mask & ~LB_STATES_ALL), LB_EINVAL);
	q->states = mask;
	return 0;
}

LB_EXPORT int lb_query_set_local_port(lb_query *q, uint16_t port)
{
	lb_return_if(!q, LB_EINVAL);
	q->local_port = port;
	return 0;
}

static int addr_valid(const lb_addr *a)
{
	return a->family == LB_AF_INET || a->family == LB_AF_INET6;
}

LB_EXPORT int lb_query_set_local_addr(lb_query *q, const lb_addr *addr)
{
	lb_return_if(!q || (addr && !addr_valid(addr)), LB_EINVAL);
	q->has_local_addr = addr != NULL;
	if (addr)
		q->local_addr = *addr;
	return 0;
}

LB_EXPORT int lb_query_set_remote(lb_query *q, const lb_addr *addr, uint16_t port)
{
	lb_return_if(!q || (addr && !addr_valid(addr)), LB_EINVAL);
	q->has_remote_addr = addr != NULL;
	if (addr)
		q->remote_addr = *addr;
	q->remote_port = port;
	return 0;
}

LB_EXPORT int lb_query_set_pid(lb_query *q, uint32_t pid, unsigned flags)
{
	lb_return_if(!q || (flags & ~(unsigned)LB_PID_DESCENDANTS), LB_EINVAL);
	q->pid = pid;
	q->pid_flags = flags;
	return 0;
}

LB_EXPORT int lb_query_set_uid(lb_query *q, int64_t uid)
{
	lb_return_if(!q || uid < -1 || uid > (int64_t)UINT32_MAX, LB_EINVAL);
	q->uid = uid;
	return 0;
}

LB_EXPORT int lb_query_set_owners(lb_query *q, int mode)
{
	lb_return_if(!q || mode < LB_OWNERS_NONE || mode > LB_OWNERS_ALL, LB_EINVAL);
	q->owners = mode;
	return 0;
}

LB_EXPORT int lb_query_set_netns_pid(lb_query *q, uint32_t pid)
{
	lb_return_if(!q, LB_EINVAL);
	free(q->netns_path);
	q->netns_path = NULL;
	q->netns_pid = pid;
	return 0;
}

LB_EXPORT int lb_query_set_netns_path(lb_query *q, const char *path)
{
	char *copy = NULL;

	lb_return_if(!q || (path && !*path), LB_EINVAL);
	if (path) {
		copy = strdup(path);
		if (!copy)
			return LB_ENOMEM;
	}
	free(q->netns_path);
	q->netns_path = copy;
	q->netns_pid = 0;
	return 0;
}

LB_EXPORT int lb_query_set_all_netns(lb_query *q, int all)
{
	lb_return_if(!q, LB_EINVAL);
	q->all_netns = all != 0;
	return 0;
}

/* ---- matching ---- */

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Exact address equality; an IPv4 address also equals its mapped form. */
static int addr_eq(const lb_addr *want, const lb_addr *have)
{
	if (want->family == have->family) {
		size_t len = want->family == LB_AF_INET ? 4 : 16;

		return memcmp(want->bytes, have->bytes, len) == 0;
	}
	if (want->family == LB_AF_INET && have->family == LB_AF_INET6)
		return memcmp(have->bytes, v4mapped_prefix, 12) == 0 &&
		       memcmp(have->bytes + 12, want->bytes, 4) == 0;
	return 0;
}

int lb__query_match(const lb_query *q, const struct lb_socket *s)
{
	unsigned fam = s->family == LB_AF_INET ? LB_FAMILY_INET : LB_FAMILY_INET6;

	if (!(q->protocols & (unsigned)s->protocol) || !(q->families & fam))
		return 0;
	if (s->state <= 0 || s->state > 11 || !(q->states & LB_STATE_BIT(s->state)))
		return 0;
	if (q->local_port && s->local_port != q->local_port)
		return 0;
	if (q->remote_port && s->remote_port != q->remote_port)
		return 0;
	if (q->has_local_addr && !addr_eq(&q->local_addr, &s->local))
		return 0;
	if (q->has_remote_addr && !addr_eq(&q->remote_addr, &s->remote))
		return 0;
	if (q->uid >= 0 && (uint32_t)q->uid != s->uid)
		return 0;
	return 1;
}

void lb__sockvec_keep_matching(const lb_query *q, struct lb__sockvec *sv, size_t from)
{
	size_t i, j = from;

	for (i = from; i < sv->n; i++) {
		if (!lb__query_match(q, &sv->v[i]))
			continue;
		if (j != i)
			sv->v[j] = sv->v[i]; /* not onto itself: 272 bytes a record */
		j++;
	}
	sv->n = j;
}
