/* SPDX-License-Identifier: MIT */
/* Can I bind this? Real binds, then the socket table (lib/ports/check-table.c)
 * to say why not and who; probes when the table shows nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ports/check-internal.h"
#include "core/internal.h"
#include "ports/lease-internal.h"
#include "ports/pick-internal.h"
#include "os/ports.h"
#include "os/process.h"
#include "os/sockutil.h"
#include "sockets/backend.h"

#define MAX_HOLDERS 16

struct lb_check {
	int reason;
	unsigned warnings;
	int nholders;
	int holders[MAX_HOLDERS];
	int holder;               /* the holder named: the first other process */
	char holder_name[64];     /* its name, "" unknown */
	lb_socket_list *blockers; /* never NULL once built */
	int table_error;          /* why the table could not be read, 0 */
	int table_skipped;        /* not asked: LB__CHECK_NO_TABLE */
	char explanation[512];
	char suggestion[256];
};

/* Bind @addr:@port once; 0 or the errno. @v6only: -1 leave the default,
 * 0/1 set IPV6_V6ONLY. */
static int try_bind(const lb_addr *addr, uint16_t port, unsigned protocol, int reuse,
		    int v6only)
{
	struct sockaddr_storage ss;
	int fd, len, e = 0;

	len = lb_addr_to_sockaddr(addr, port, sizeof(ss), (struct sockaddr *)&ss);
	if (len < 0)
		return len == LB_ENOENT ? EADDRNOTAVAIL : EINVAL;
	fd = lb__socket(addr->family == LB_AF_INET ? AF_INET : AF_INET6,
		    (protocol == LB_PICK_TCP ? SOCK_STREAM : SOCK_DGRAM), 0, 0);
	if (fd < 0)
		return lb__sock_errno();
	if (lb__sock_probe_opts(fd, reuse) < 0)
		e = lb__sock_errno();
	if (!e && v6only >= 0 && addr->family == LB_AF_INET6 && lb__sock_v6only(fd, v6only) < 0)
		e = lb__sock_errno();
	if (!e && bind(fd, (struct sockaddr *)&ss, (socklen_t)len) < 0)
		e = lb__sock_errno();
	lb__sock_close(fd);
	return e;
}

static void set_addr4(lb_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
	memset(a, 0, sizeof(*a));
	a->family = LB_AF_INET;
	a->bytes[0] = b0;
	a->bytes[1] = b1;
	a->bytes[2] = b2;
	a->bytes[3] = b3;
}

static void set_any6(lb_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = LB_AF_INET6;
}

/* EADDRINUSE without reuse: tell apart what holds it, from @blocker (the
 * first blocker the table shows, or NULL), else by probing. */
static int classify_in_use(const lb_addr *addr, uint16_t port, unsigned protocol,
			   const struct lb_socket *blocker)
{
	lb_addr other;

	if (protocol == LB_PICK_TCP && try_bind(addr, port, protocol, 1, -1) == 0)
		return LB_CHECK_TIME_WAIT;
	if (blocker)
		return lb__check_conflict(addr, blocker);
	if (addr->family == LB_AF_INET && !lb__check_unspecified(addr)) {
		/* Another address: free there means the blocker sits on ours. */
		if (addr->bytes[0] == 127)
			set_addr4(&other, 127, 0, 0, addr->bytes[3] == 2 ? 3 : 2);
		else
			set_addr4(&other, 127, 0, 0, 1);
		if (try_bind(&other, port, protocol, 0, -1) == 0)
			return LB_CHECK_IN_USE;
		/* Covered by a wildcard: an IPv6-only [::] bind fails only
		 * when the wildcard is a dual-stack [::]. */
		set_any6(&other);
		if (try_bind(&other, port, protocol, 0, 1) == EADDRINUSE)
			return LB_CHECK_BLOCKED_DUALSTACK;
		return LB_CHECK_BLOCKED_WILDCARD;
	}
	if (addr->family == LB_AF_INET6 && !lb__check_unspecified(addr)) {
		/* 0.0.0.0 taken too: most likely a dual-stack [::], which
		 * covers every IPv6 address. */
		set_addr4(&other, 0, 0, 0, 0);
		if (try_bind(&other, port, protocol, 0, -1) == EADDRINUSE)
			return LB_CHECK_BLOCKED_WILDCARD;
		return LB_CHECK_IN_USE;
	}
	if (addr->family == LB_AF_INET6) {
		/* [::] dual-stack: if [::] IPv6-only binds, an IPv4 socket blocks. */
		if (try_bind(addr, port, protocol, 0, 1) == 0)
			return LB_CHECK_BLOCKED_DUALSTACK;
	}
	return LB_CHECK_IN_USE;
}

/* How the reason was found when the table shows no blocker. */
static void inferred_note(const struct lb_check *c, char *note, size_t size)
{
	if (c->table_skipped)
		snprintf(note, size, " (inferred from trial binds)");
	else if (c->table_error)
		snprintf(note, size, " (inferred from trial binds: the socket table could not be read: %s)",
			 lb_strerror(c->table_error));
	else
		snprintf(note, size,
			 " (inferred from trial binds: the socket table of this network namespace shows no such socket)");
}

/* The facts of the texts (lib/ports/check-text.c) into c->explanation
 * and c->suggestion. */
static void explain(struct lb_check *c, const lb_addr *addr, uint16_t port, unsigned protocol)
{
	char a[LB_ADDR_STRLEN], ep[LB_ADDR_STRLEN + 16], p[8];
	char who[320] = "", more[32] = "", owner[96] = "", note[160] = "";
	const struct lb_socket *b = lb_socket_list_at(c->blockers, 0);
	size_t nb = lb_socket_list_count(c->blockers);
	struct lb__check_facts f = { c->reason, 0, protocol == LB_PICK_TCP ? "TCP" : "UDP",
				     protocol == LB_PICK_TCP ? "tcp" : "udp", ep, a, p,
				     who, more, owner, note };

	if (lb_addr_format(addr, a, sizeof(a)) < 0)
		snprintf(a, sizeof(a), "?");
	lb__check_endpoint_text(addr, port, ep, sizeof(ep));
	snprintf(p, sizeof(p), "%u", (unsigned)port);
	if (b) {
		f.has |= LB__CHECK_HAS_BLOCKER;
		lb__check_describe(b, who, sizeof(who));
		if (nb > 1)
			snprintf(more, sizeof(more), " and %zu more", nb - 1);
		if (b->n_owners > 0)
			snprintf(owner, sizeof(owner), "%s (pid %u)", b->owners[0]->name,
				 (unsigned)b->owners[0]->pid);
		if (b->state == LB_STATE_TIME_WAIT)
			f.has |= LB__CHECK_HAS_TIME_WAIT;
	} else {
		inferred_note(c, note, sizeof(note));
	}
	if (c->reason == LB_CHECK_LEASED && c->holder && c->holder_name[0])
		snprintf(owner, sizeof(owner), "%s (pid %d)", c->holder_name, c->holder);
	else if (c->reason == LB_CHECK_LEASED && c->holder)
		snprintf(owner, sizeof(owner), "process %d", c->holder);
	if (*owner)
		f.has |= LB__CHECK_HAS_OWNER;
	if (addr->family == LB_AF_INET)
		f.has |= LB__CHECK_HAS_V4;
	if (lb__os_bind_denied() == LB__BIND_DENIED_EXCLUDED)
		f.has |= LB__CHECK_HAS_EXCLUDED;
	lb__check_texts(&f, c->explanation, sizeof(c->explanation), c->suggestion,
			sizeof(c->suggestion));
	lb__check_one_line(c->explanation);
	lb__check_one_line(c->suggestion);
}

/* The name of a lease holder, from the socket-table backend of this OS
 * (its process_info hook): left empty when it cannot say. */
static void name_holder(struct lb_check *c, int pid)
{
	struct lb_owner *o = NULL;

	c->holder_name[0] = '\0';
	if (lb__process_info((uint32_t)pid, &o) < 0 || !o)
		return;
	if (o->name)
		snprintf(c->holder_name, sizeof(c->holder_name), "%s", o->name);
	lb__owner_free(o);
}

LB_EXPORT int lb_check_bind(const lb_addr *addr, uint16_t port, unsigned protocol,
			    lb_check **ret_check)
{
	return lb__check_bind(addr, port, protocol, 0, ret_check);
}

int lb__check_bind(const lb_addr *addr, uint16_t port, unsigned protocol, unsigned flags,
		   lb_check **ret_check)
{
	struct lb_check *c;
	int e, r;

	lb_return_if(!addr || !ret_check || port == 0, LB_EINVAL);
	lb_return_if(flags & ~(unsigned)LB__CHECK_NO_TABLE, LB_EINVAL);
	lb_return_if(addr->family != LB_AF_INET && addr->family != LB_AF_INET6, LB_EINVAL);
	lb_return_if(lb__proto_index(protocol) < 0, LB_EINVAL);
	c = calloc(1, sizeof(*c));
	if (!c)
		return LB_ENOMEM;
	e = try_bind(addr, port, protocol, 0, -1);
	c->table_skipped = (flags & LB__CHECK_NO_TABLE) != 0;
	if (e == EADDRINUSE && !c->table_skipped) {
		r = lb__check_blockers(addr, port, protocol, &c->blockers, &c->table_error);
		if (r < 0) {
			free(c);
			return r;
		}
	} else {
		c->blockers = lb__socket_list_new("none");
		if (!c->blockers) {
			free(c);
			return LB_ENOMEM;
		}
	}
	switch (e) {
	case 0:
		c->reason = LB_CHECK_BINDABLE;
		r = lb_lease_holders(port, protocol, c->holders, MAX_HOLDERS);
		if (r > 0) {
			int k;

			c->nholders = r > MAX_HOLDERS ? MAX_HOLDERS : r;
			for (k = 0; k < c->nholders && !c->holder; k++)
				if (c->holders[k] != (int)getpid())
					c->holder = c->holders[k];
			if (c->holder) {
				c->reason = LB_CHECK_LEASED;
				name_holder(c, c->holder);
			}
		} else if (r == 0) {
			/* Leased, holder not visible to us: still not ours to take. */
			c->reason = LB_CHECK_LEASED;
		}
		break;
	case EADDRINUSE:
		c->reason = classify_in_use(addr, port, protocol, lb_socket_list_at(c->blockers, 0));
		break;
	case EACCES:
	case EPERM:
		c->reason = LB_CHECK_PRIVILEGED;
		break;
	case EADDRNOTAVAIL:
		c->reason = LB_CHECK_NOT_LOCAL;
		break;
	default:
		lb_check_free(c);
		/* EINVAL: the address cannot be bound at all (a multicast
		 * one, say), which is the caller's. */
		return e == EINVAL ? LB_EINVAL : lb__errno_bind_code(e);
	}
	/* Two sysctl reads: not for the bindable-or-not callers (a wait polls). */
	if (!c->table_skipped && lb_port_is_ephemeral(port) == 1)
		c->warnings |= LB_CHECK_WARN_EPHEMERAL;
	if (!c->table_skipped && lb__port_is_reserved(port) == 1)
		c->warnings |= LB_CHECK_WARN_RESERVED;
	explain(c, addr, port, protocol);
	*ret_check = c;
	return 0;
}

LB_EXPORT int lb_check_reason(const lb_check *check)
{
	lb_return_if(!check, LB_EINVAL);
	return check->reason;
}

LB_EXPORT unsigned lb_check_warnings(const lb_check *check)
{
	return check ? check->warnings : 0;
}

LB_EXPORT const char *lb_check_reason_name(int reason)
{
	static const char *const names[] = {
		"bindable", "in-use", "blocked-wildcard", "blocked-dual-stack",
		"time-wait", "privileged", "not-local", "leased",
	};

	if (reason < 0 || (size_t)reason >= LB_ARRAY_SIZE(names))
		return NULL;
	return names[reason];
}

LB_EXPORT const char *lb_check_explanation(const lb_check *check)
{
	return check ? check->explanation : "";
}

LB_EXPORT const char *lb_check_suggestion(const lb_check *check)
{
	return check ? check->suggestion : "";
}

LB_EXPORT int lb_check_lease_holders(const lb_check *check, int *pids, size_t max_pids)
{
	size_t k;

	lb_return_if(!check || (!pids && max_pids > 0), LB_EINVAL);
	for (k = 0; k < max_pids && k < (size_t)check->nholders; k++)
		pids[k] = check->holders[k];
	return check->nholders;
}

LB_EXPORT const lb_socket_list *lb_check_blockers(const lb_check *check)
{
	return check ? check->blockers : NULL;
}

LB_EXPORT void lb_check_free(lb_check *check)
{
	if (!check)
		return;
	lb_socket_list_free(check->blockers);
	free(check);
}
