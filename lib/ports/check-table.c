/* SPDX-License-Identifier: MIT */
/* The bind check's blockers: the sockets of the table that stop a bind,
 * and their owners. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ports/check-internal.h"
#include "core/internal.h"

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* @a with an IPv4-mapped IPv6 address turned into IPv4. */
static lb_addr unmapped(const lb_addr *a)
{
	lb_addr r = *a;

	if (a->family == LB_AF_INET6 && memcmp(a->bytes, v4mapped_prefix, 12) == 0) {
		memset(&r, 0, sizeof(r));
		r.family = LB_AF_INET;
		memcpy(r.bytes, a->bytes + 12, 4);
	}
	return r;
}

int lb__check_unspecified(const lb_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->bytes, zero, a->family == LB_AF_INET ? 4 : 16) == 0;
}

static int same_addr(const lb_addr *a, const lb_addr *b)
{
	return a->family == b->family &&
	       memcmp(a->bytes, b->bytes, a->family == LB_AF_INET ? 4 : 16) == 0;
}

int lb__check_conflict(const lb_addr *addr, const struct lb_socket *s)
{
	lb_addr want = unmapped(addr), have = unmapped(&s->local);

	if (want.family == LB_AF_INET) {
		if (have.family == LB_AF_INET) {
			if (lb__check_unspecified(&want) || same_addr(&want, &have))
				return LB_CHECK_IN_USE;
			return lb__check_unspecified(&have) ? LB_CHECK_BLOCKED_WILDCARD : -1;
		}
		/* An IPv6 socket covers IPv4 only as a dual-stack [::]. */
		return lb__check_unspecified(&have) && s->v6only != 1 ? LB_CHECK_BLOCKED_DUALSTACK : -1;
	}
	if (lb__check_unspecified(&want)) /* [::], checked dual-stack */
		return have.family == LB_AF_INET ? LB_CHECK_BLOCKED_DUALSTACK : LB_CHECK_IN_USE;
	if (have.family == LB_AF_INET)
		return -1;
	if (same_addr(&want, &have))
		return LB_CHECK_IN_USE;
	return lb__check_unspecified(&have) ? LB_CHECK_BLOCKED_WILDCARD : -1;
}

static int is_listener(const struct lb_socket *s)
{
	return s->state == LB_STATE_LISTEN ||
	       (s->protocol == LB_PROTO_UDP && s->state == LB_STATE_CLOSE);
}

int lb__check_rank(const struct lb_socket *s, const void *addr)
{
	int r = lb__check_conflict(addr, s);

	if (r < 0)
		return -1;
	return (s->state == LB_STATE_TIME_WAIT ? 200 : is_listener(s) ? 0 : 100) + r * 10;
}

void lb__check_endpoint_text(const lb_addr *addr, uint16_t port, char *buf, size_t size)
{
	char a[LB_ADDR_STRLEN];

	if (lb_addr_format(addr, a, sizeof(a)) < 0)
		snprintf(a, sizeof(a), "?");
	snprintf(buf, size, addr->family == LB_AF_INET6 ? "[%s]:%u" : "%s:%u", a, (unsigned)port);
}

void lb__check_one_line(char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
}

/* Why the owner is unknown, in the words of lb_socket_owner_error(). */
static const char *owner_unknown_text(int err)
{
	switch (err) {
	case LB_EPERM: return "permission denied";
	case LB_ENOTVISIBLE: return "held outside this PID namespace or by no visible process";
	case LB_EEXITED: return "the holder exited";
	case LB_ENOTREQUESTED: return "not requested";
	default: return lb_strerror(err);
	}
}

void lb__check_describe(const struct lb_socket *s, char *buf, size_t size)
{
	char local[LB_ADDR_STRLEN + 16], remote[LB_ADDR_STRLEN + 16], who[160];
	const char *state = lb_state_name(s->protocol, s->state);

	if (size == 0)
		return;
	lb__check_endpoint_text(&s->local, s->local_port, local, sizeof(local));
	lb__check_endpoint_text(&s->remote, s->remote_port, remote, sizeof(remote));
	if (s->n_owners > 0)
		snprintf(who, sizeof(who), "%s (pid %" PRIu32 ", user %s)",
			 s->owners[0]->name ? s->owners[0]->name : "?", s->owners[0]->pid,
			 s->owners[0]->user ? s->owners[0]->user : "?");
	else if (s->owner_error)
		snprintf(who, sizeof(who), "a process of uid %" PRIu32 " (owner unknown: %s)", s->uid,
			 owner_unknown_text(s->owner_error));
	else
		snprintf(who, sizeof(who), is_listener(s) ? "a socket" : "a connection");
	if (s->state == LB_STATE_LISTEN)
		snprintf(buf, size, "%s listening on %s", who, local);
	else if (is_listener(s))
		snprintf(buf, size, "%s bound to %s", who, local);
	else
		snprintf(buf, size, "%s in %s on %s to %s", who, state, local, remote);
	lb__check_one_line(buf);
}

int lb__check_blockers(const lb_addr *addr, uint16_t port, unsigned protocol,
		       lb_socket_list **ret_list, int *ret_table_error)
{
	lb_socket_list *list = NULL;
	lb_query *q = NULL;
	int r;

	r = lb_query_new(&q);
	if (r < 0)
		return r;
	/* Every family (a [::] socket blocks IPv4), every state (TIME-WAIT
	 * leftovers show), the owners of each. */
	lb_query_set_protocols(q, protocol == LB_PICK_UDP ? LB_PROTO_UDP : LB_PROTO_TCP);
	lb_query_set_local_port(q, port);
	lb_query_set_states(q, LB_STATES_ALL);
	lb_query_set_owners(q, LB_OWNERS_DEFAULT);
	r = lb_socket_list_get(q, &list);
	lb_query_free(q);
	if (r == LB_ENOMEM)
		return r;
	*ret_table_error = r < 0 ? r : 0;
	if (r < 0) {
		list = lb__socket_list_new("none");
		if (!list)
			return LB_ENOMEM;
	}
	lb__socket_list_select(list, lb__check_rank, addr);
	*ret_list = list;
	return 0;
}
