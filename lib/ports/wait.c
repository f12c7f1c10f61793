/* SPDX-License-Identifier: MIT */
/* Wait until an address accepts connections (optionally: from a listener
 * a given process holds), or is free to bind. */
#include <stdint.h>
#include <string.h>

#include "ports/check-internal.h"
#include "core/internal.h"
#include "os/clock.h"
#include "os/process.h"
#include "os/sockutil.h"

#define POLL_NS (50 * INT64_C(1000000))

/* 1 connected, 0 not (refused, unreachable, timed out), or an error. */
static int try_connect(const lb_addr *addr, uint16_t port, int budget_ms)
{
	struct sockaddr_storage ss;
	int len, fd, r;

	len = lb_addr_to_sockaddr(addr, port, sizeof(ss), (struct sockaddr *)&ss);
	if (len < 0)
		return len;
	fd = lb__socket(addr->family == LB_AF_INET ? AF_INET : AF_INET6,
		    SOCK_STREAM, 0, 1);
	if (fd < 0)
		return LB_EIO;
	r = lb__sock_connect(fd, (struct sockaddr *)&ss, len, budget_ms);
	if (r == 1) {
		/* Close with a reset: a probe leaves no TIME-WAIT socket on its
		 * (ephemeral) port, which would stay in the way of a bind of
		 * that port for a minute; 20 probes a second add up. */
		struct linger lg;

		memset(&lg, 0, sizeof(lg));
		lg.l_onoff = 1;
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, (const void *)&lg, sizeof(lg));
	}
	lb__sock_close(fd);
	return r;
}

static int is_free(const lb_addr *addr, uint16_t port)
{
	lb_check *c = NULL;
	/* No table: a busy port would cost a socket-table query every 50 ms. */
	int r = lb__check_bind(addr, port, LB_PICK_TCP, LB__CHECK_NO_TABLE, &c);

	if (r < 0)
		return r;
	r = lb_check_reason(c) == LB_CHECK_BINDABLE;
	lb_check_free(c);
	return r;
}

/* 1 when @addr is an address of this host (a socket binds to it, on a
 * port the kernel picks: never the port waited for, which the server may
 * be about to bind), 0 when not. */
static int is_local(const lb_addr *addr)
{
	struct sockaddr_storage ss;
	int len, fd, r;

	len = lb_addr_to_sockaddr(addr, 0, sizeof(ss), (struct sockaddr *)&ss);
	if (len < 0)
		return 0;
	fd = lb__socket(addr->family == LB_AF_INET ? AF_INET : AF_INET6, SOCK_DGRAM, 0, 1);
	if (fd < 0)
		return 0;
	r = bind(fd, (struct sockaddr *)&ss, (socklen_t)len) == 0;
	lb__sock_close(fd);
	return r;
}

/* 1 when a TCP listener on @port covers @addr (held by @pid or, with
 * LB_PID_DESCENDANTS, a descendant, when @pid is not 0), 0 when not, or an
 * error. */
static int held_by(const lb_addr *addr, uint16_t port, uint32_t pid, unsigned flags)
{
	lb_query *q = NULL;
	lb_socket_list *l = NULL;
	size_t i;
	int r;

	r = lb_query_new(&q);
	if (r < 0)
		return r;
	if ((r = lb_query_set_protocols(q, LB_PROTO_TCP)) < 0 ||
	    (r = lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN))) < 0 ||
	    (r = lb_query_set_local_port(q, port)) < 0 ||
	    (r = lb_query_set_pid(q, pid, flags & LB_PID_DESCENDANTS)) < 0 ||
	    (r = lb_query_set_owners(q, LB_OWNERS_NONE)) < 0 ||
	    (r = lb_socket_list_get(q, &l)) < 0) {
		lb_query_free(q);
		return r;
	}
	lb_query_free(q);
	for (i = 0; i < lb_socket_list_count(l) && r == 0; i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		/* A listener takes connections to @addr exactly when a bind of
		 * @addr would conflict with it: the same address, the wildcard
		 * of its family, a dual-stack [::] for IPv4 (v6only unknown, as
		 * from procfs, counts as dual-stack), IPv4-mapped as IPv4. */
		r = lb__check_conflict(addr, s) >= 0; /* the query kept LISTEN on @port only */
	}
	lb_socket_list_free(l);
	return r;
}

struct cond {
	const lb_addr *addr;
	uint16_t port;
	int condition;
	uint32_t pid;   /* held: the process, else 0 */
	unsigned flags;
};

static int probe(const struct cond *c, int budget_ms)
{
	int r;

	if (c->pid) {
		r = lb__process_alive(c->pid);
		if (r < 0)
			return r;
	}
	if (c->condition == LB_WAIT_FREE)
		return is_free(c->addr, c->port);
	if (!(c->flags & LB_WAIT_CONNECT) && is_local(c->addr)) {
		/* This host: the socket table answers, and the server never
		 * sees a probe (a connection it must accept, then a reset). */
		r = held_by(c->addr, c->port, c->pid, c->flags);
		if (r == LB_EPERM) /* @pid's sockets hidden: say so once the port is served */
			return (r = held_by(c->addr, c->port, 0, 0)) > 0 ? LB_EPERM : r;
		if (r == LB_ENOENT && c->pid)
			return lb__process_alive(c->pid) < 0 ? LB_ENOENT : 0;
		return r;
	}
	r = try_connect(c->addr, c->port, budget_ms);
	if (r <= 0 || !c->pid)
		return r;
	r = held_by(c->addr, c->port, c->pid, c->flags);
	if (r == LB_ENOENT)
		return lb__process_alive(c->pid) < 0 ? LB_ENOENT : 0; /* exited meanwhile, or a race */
	return r;
}

/* Poll every 50 ms until the condition holds. The deadline is kept in
 * nanoseconds: LB_ETIMEDOUT never comes before @timeout_ms has passed. */
static int wait_for(const struct cond *c, uint32_t timeout_ms)
{
	int64_t deadline = lb__now_ns() + (int64_t)timeout_ms * 1000000;

	for (;;) {
		int64_t left = deadline - lb__now_ns();
		int r;

		/* The connect() budget: what is left, rounded up, at most 1 s. */
		r = probe(c, left <= 0 ? 0 : left >= INT64_C(1000000000) ? 1000 :
			  (int)((left + 999999) / 1000000));
		if (r < 0)
			return r;
		if (r > 0)
			return 0;
		left = deadline - lb__now_ns();
		if (left <= 0)
			return LB_ETIMEDOUT;
		if (left > POLL_NS)
			left = POLL_NS;
		lb__sleep_ms((unsigned)((left + 999999) / 1000000)); /* rounded up */
	}
}

static int check_addr(const lb_addr *addr, uint16_t port)
{
	lb_return_if(!addr || port == 0, LB_EINVAL);
	lb_return_if(addr->family != LB_AF_INET && addr->family != LB_AF_INET6, LB_EINVAL);
	return 0;
}

LB_EXPORT int lb_wait(const lb_addr *addr, uint16_t port, int condition, uint32_t timeout_ms)
{
	struct cond c;
	int r = check_addr(addr, port);

	if (r < 0)
		return r;
	lb_return_if(condition != LB_WAIT_ACCEPTING && condition != LB_WAIT_FREE &&
		     condition != (LB_WAIT_ACCEPTING | LB_WAIT_CONNECT), LB_EINVAL);
	memset(&c, 0, sizeof(c));
	c.addr = addr;
	c.port = port;
	c.condition = condition & ~LB_WAIT_CONNECT;
	c.flags = (unsigned)condition & LB_WAIT_CONNECT;
	return wait_for(&c, timeout_ms);
}

LB_EXPORT int lb_wait_held(const lb_addr *addr, uint16_t port, uint32_t pid, unsigned flags,
			   uint32_t timeout_ms)
{
	struct cond c;
	int r = check_addr(addr, port);

	if (r < 0)
		return r;
	lb_return_if(pid == 0 || pid > INT32_MAX, LB_EINVAL);
	lb_return_if(flags & ~(unsigned)(LB_PID_DESCENDANTS | LB_WAIT_CONNECT), LB_EINVAL);
	memset(&c, 0, sizeof(c));
	c.addr = addr;
	c.port = port;
	c.condition = LB_WAIT_ACCEPTING;
	c.pid = pid;
	c.flags = flags;
	return wait_for(&c, timeout_ms);
}
