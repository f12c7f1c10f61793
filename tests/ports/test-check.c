/* SPDX-License-Identifier: MIT */
/* Tests for lib/ports/check.c and lib/ports/wait.c through the public API: the
 * conflict reasons and the blockers on real sockets held by child
 * processes, under the netlink and procfs backends, and deterministic
 * texts from the mock backend (the CLI is in tests/ports/test-check-cli.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include <loopback.h>

static lb_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	lb_addr x;

	memset(&x, 0, sizeof(x));
	x.family = LB_AF_INET;
	x.bytes[0] = a;
	x.bytes[1] = b;
	x.bytes[2] = c;
	x.bytes[3] = d;
	return x;
}

/* A listening socket on 127.0.0.1:@port (a port leased by the test),
 * with SO_REUSEADDR if @reuse; its address in *@ret_in. */
static int listener_at(uint16_t port, int reuse, struct sockaddr_in *ret_in)
{
	struct sockaddr_in in;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	ck_assert_int_ge(fd, 0);
	if (reuse)
		ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)), 0);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in.sin_port = htons(port);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&in, sizeof(in)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	*ret_in = in;
	return fd;
}

/* A listener on 127.0.0.1 at a port leased for the test (*@ret_lease,
 * released by the caller). */
static int listener(lb_lease **ret_lease, uint16_t *ret_port)
{
	struct sockaddr_in in;

	*ret_port = lb_test_port(ret_lease);
	return listener_at(*ret_port, 0, &in);
}

START_TEST(test_check_args)
{
	lb_addr a = v4(127, 0, 0, 1), bad;
	lb_check *c = (lb_check *)&a;

	ck_assert_int_eq(lb_check_bind(NULL, 80, LB_PICK_TCP, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, 0, LB_PICK_TCP, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, 80, 0, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, 80, LB_PICK_TCP | LB_PICK_UDP, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, 80, LB_PICK_TCP, NULL), LB_EINVAL);
	memset(&bad, 0, sizeof(bad));
	ck_assert_int_eq(lb_check_bind(&bad, 80, LB_PICK_TCP, &c), LB_EINVAL);
	ck_assert_ptr_eq(c, (lb_check *)&a);
	ck_assert_int_eq(lb_check_reason(NULL), LB_EINVAL);
	ck_assert_uint_eq(lb_check_warnings(NULL), 0);
	ck_assert_str_eq(lb_check_explanation(NULL), "");
	ck_assert_str_eq(lb_check_suggestion(NULL), "");
	ck_assert_int_eq(lb_check_lease_holders(NULL, NULL, 0), LB_EINVAL);
	ck_assert_ptr_null(lb_check_blockers(NULL));
	lb_check_free(NULL);
	ck_assert_str_eq(lb_check_reason_name(LB_CHECK_BINDABLE), "bindable");
	ck_assert_str_eq(lb_check_reason_name(LB_CHECK_BLOCKED_DUALSTACK), "blocked-dual-stack");
	ck_assert_str_eq(lb_check_reason_name(LB_CHECK_LEASED), "leased");
	ck_assert_ptr_null(lb_check_reason_name(8));
	ck_assert_ptr_null(lb_check_reason_name(-1));
}
END_TEST

START_TEST(test_check_in_use_and_free)
{
	lb_addr a = v4(127, 0, 0, 1);
	lb_check *c = NULL;
	lb_lease *l;
	uint16_t port;
	int fd = listener(&l, &port), pids[2];

	ck_assert_int_eq(lb_check_bind(&a, port, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c), "in use"));
	ck_assert_str_ne(lb_check_suggestion(c), "");
	/* A picked port is outside the ephemeral range: no warning. */
	ck_assert_uint_eq(lb_check_warnings(c) & LB_CHECK_WARN_EPHEMERAL, 0);
	lb_check_free(c);
	/* UDP is free; the lease is this process's own: no conflict. */
	ck_assert_int_eq(lb_check_bind(&a, port, LB_PICK_UDP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BINDABLE);
	ck_assert_str_eq(lb_check_suggestion(c), "");
	ck_assert_int_eq(lb_check_lease_holders(c, pids, 2), 1);
	ck_assert_int_eq(pids[0], getpid());
	/* Nothing blocks: an empty list, not NULL. */
	ck_assert_ptr_nonnull(lb_check_blockers(c));
	ck_assert_uint_eq(lb_socket_list_count(lb_check_blockers(c)), 0);
	ck_assert_str_eq(lb_socket_list_backend(lb_check_blockers(c)), "none");
	lb_check_free(c);
	close(fd);
	lb_lease_release(l);
}
END_TEST

/* A port of the ephemeral range is warned about, whatever holds it: a
 * check of its number (trial binds only, nothing of ours bound there;
 * under load any of these ports may be busy, so the reason is not
 * compared). */
START_TEST(test_check_ephemeral_warning)
{
	lb_addr a = v4(127, 0, 0, 1);
	lb_check *c = NULL;
	uint16_t ef, el;

	ck_assert_int_eq(lb_port_ephemeral_range(&ef, &el), 0);
	ck_assert_int_eq(lb_check_bind(&a, ef, LB_PICK_TCP, &c), 0);
	ck_assert_uint_eq(lb_check_warnings(c) & LB_CHECK_WARN_EPHEMERAL, LB_CHECK_WARN_EPHEMERAL);
	lb_check_free(c);
	ck_assert_int_eq(lb_check_bind(&a, el, LB_PICK_UDP, &c), 0);
	ck_assert_uint_eq(lb_check_warnings(c) & LB_CHECK_WARN_EPHEMERAL, LB_CHECK_WARN_EPHEMERAL);
	lb_check_free(c);
}
END_TEST

/* Our own lease is no conflict; the same port leased by a child is. */
START_TEST(test_check_own_lease)
{
	lb_addr a = v4(127, 0, 0, 1);
	lb_lease *l = NULL;
	lb_check *c = NULL;
	int pids[2];

	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	ck_assert_int_eq(lb_check_bind(&a, lb_lease_port(l, 0), LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BINDABLE);
	ck_assert_int_eq(lb_check_lease_holders(c, pids, 2), 1);
	ck_assert_int_eq(pids[0], getpid());
	lb_check_free(c);
	lb_lease_release(l);
}
END_TEST

START_TEST(test_wait)
{
	lb_addr a = v4(127, 0, 0, 1);
	lb_lease *l;
	uint16_t port;
	int fd = listener(&l, &port);

	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 0), 0);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_FREE, 100), LB_ETIMEDOUT);
	close(fd);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_FREE, 0), 0);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 100), LB_ETIMEDOUT);
	ck_assert_int_eq(lb_wait(NULL, port, LB_WAIT_FREE, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, 0, LB_WAIT_FREE, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, port, 2, 0), LB_EINVAL);
	lb_lease_release(l);
}
END_TEST

/* ---- blockers on real sockets, held by child processes ---- */

#define CHILD_NAME "lb-blocker"

struct child {
	pid_t pid;
	uint16_t port;
};

static lb_addr parse_addr(const char *text)
{
	lb_addr a;

	ck_assert_int_eq(lb_addr_parse(text, strlen(text), &a, NULL), 0);
	return a;
}

/*
 * Start a child named CHILD_NAME that holds one socket and reports its
 * port: @kind "tcp" (listening), "udp" (bound) or "lease" (a lease from
 * lb_port_pick()); @addr the address, @port its port (leased by the
 * test in @lease, which the child does not hold: its copy is released);
 * @v6only -1 (default), 0 or 1. It lives until killed, 30 s at most.
 */
static struct child spawn_named(const char *name, const char *kind, const char *addr,
			       lb_lease *lease, int v6only)
{
	struct child ch = { 0, 0 };
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ch.pid = fork();
	ck_assert_int_ge(ch.pid, 0);
	if (ch.pid == 0) {
		uint16_t got = 0, port = lb_lease_port(lease, 0);

		close(p[0]);
		lb_lease_release(lease); /* our copy: the test still holds it */
		prctl(PR_SET_NAME, name, 0, 0, 0);
		alarm(30);
		if (strcmp(kind, "lease") == 0) {
			lb_lease *l = NULL;

			if (lb_port_pick(NULL, &l) == 0)
				got = lb_lease_port(l, 0);
		} else {
			lb_addr a = parse_addr(addr);
			struct sockaddr_storage ss;
			socklen_t len = sizeof(ss);
			int tcp = strcmp(kind, "tcp") == 0;
			int fd = socket(a.family == LB_AF_INET ? AF_INET : AF_INET6,
					tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
			int n = lb_addr_to_sockaddr(&a, port, sizeof(ss), (struct sockaddr *)&ss);

			if (fd >= 0 && n > 0 &&
			    (v6only < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
						      sizeof(v6only)) == 0) &&
			    bind(fd, (struct sockaddr *)&ss, (socklen_t)n) == 0 &&
			    (!tcp || listen(fd, 4) == 0) &&
			    getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
				got = ntohs(ss.ss_family == AF_INET
						    ? ((struct sockaddr_in *)&ss)->sin_port
						    : ((struct sockaddr_in6 *)&ss)->sin6_port);
		}
		if (write(p[1], &got, sizeof(got)) != sizeof(got))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &ch.port, sizeof(ch.port)), (int)sizeof(ch.port));
	close(p[0]);
	ck_assert_uint_ne(ch.port, 0);
	return ch;
}

static struct child spawn(const char *kind, const char *addr, lb_lease *lease, int v6only)
{
	return spawn_named(CHILD_NAME, kind, addr, lease, v6only);
}

static void reap(struct child *ch)
{
	kill(ch->pid, SIGKILL);
	ck_assert_int_eq(waitpid(ch->pid, NULL, 0), ch->pid);
}

static const char *my_user(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw ? pw->pw_name : "?";
}

static const char *const backends[] = { "netlink", "procfs" };

static lb_check *check_ok(const char *addr, uint16_t port, unsigned proto)
{
	lb_addr a = parse_addr(addr);
	lb_check *c = NULL;

	ck_assert_int_eq(lb_check_bind(&a, port, proto, &c), 0);
	ck_assert_ptr_nonnull(c);
	return c;
}

/* The only blocker of @c is @ch's socket on @addr:@port in @state. */
static void assert_one_blocker(const lb_check *c, const struct child *ch, const char *addr,
			       int protocol, int state)
{
	const lb_socket_list *l = lb_check_blockers(c);
	const lb_socket *s = lb_socket_list_at(l, 0);
	lb_addr want = parse_addr(addr);
	const lb_owner *o;

	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	ck_assert_int_eq(lb_socket_protocol(s), protocol);
	ck_assert_int_eq(lb_socket_state(s), state);
	ck_assert_int_eq(lb_addr_equal(lb_socket_local_addr(s), &want), 1);
	ck_assert_uint_eq(lb_socket_local_port(s), ch->port);
	ck_assert_uint_eq(lb_socket_owner_count(s), 1);
	o = lb_socket_owner_at(s, 0);
	ck_assert_uint_eq(lb_owner_pid(o), (uint32_t)ch->pid);
	ck_assert_str_eq(lb_owner_name(o), CHILD_NAME);
	ck_assert_str_eq(lb_owner_user(o), my_user());
}

/* @got equals @tmpl with {port}, {pid} and {user} filled in. */
static void assert_text(const char *got, const char *tmpl, uint16_t port, int pid)
{
	char want[600];
	size_t n = 0;
	const char *p;

	for (p = tmpl; *p && n + 40 < sizeof(want);) {
		if (strncmp(p, "{port}", 6) == 0) {
			n += (size_t)snprintf(want + n, sizeof(want) - n, "%u", (unsigned)port);
			p += 6;
		} else if (strncmp(p, "{pid}", 5) == 0) {
			n += (size_t)snprintf(want + n, sizeof(want) - n, "%d", pid);
			p += 5;
		} else if (strncmp(p, "{user}", 6) == 0) {
			n += (size_t)snprintf(want + n, sizeof(want) - n, "%.32s", my_user());
			p += 6;
		} else {
			want[n++] = *p++;
		}
	}
	want[n] = '\0';
	ck_assert_str_eq(got, want);
}

#define OWNER CHILD_NAME " (pid {pid}, user {user})"

/* A child's socket, what is checked, and what the check must say. */
static const struct blocker_case {
	const char *kind, *addr; /* the child's socket: spawn() */
	int v6only;
	const char *check;       /* checked on the child's port */
	unsigned proto;
	int reason;
	const char *blocker;     /* the blocker's address (NULL: none) */
	int v6only_netlink;      /* its v6only under netlink (procfs: -1) */
	const char *explanation, *suggestion; /* templates; NULL: not compared */
} blocker_cases[] = {
	{ "tcp", "127.0.0.1", -1, "127.0.0.1", LB_PICK_TCP, LB_CHECK_IN_USE, "127.0.0.1", 0,
	  "TCP 127.0.0.1:{port} is in use by " OWNER " listening on 127.0.0.1:{port}",
	  "stop " CHILD_NAME " (pid {pid}), or pick another port (loopback pick)" },
	/* 0.0.0.0: any IPv4 socket is of its family; [::] is checked dual-stack */
	{ "tcp", "127.0.0.1", -1, "0.0.0.0", LB_PICK_TCP, LB_CHECK_IN_USE, "127.0.0.1", 0,
	  "TCP 0.0.0.0:{port} is in use by " OWNER " listening on 127.0.0.1:{port}", NULL },
	{ "tcp", "127.0.0.1", -1, "::", LB_PICK_TCP, LB_CHECK_BLOCKED_DUALSTACK, "127.0.0.1", 0,
	  "TCP [::]:{port} is blocked by " OWNER " listening on 127.0.0.1:{port}: a dual-stack [::] bind covers IPv4 too",
	  "bind [::] with IPV6_V6ONLY (it then leaves IPv4 alone), stop " CHILD_NAME " (pid {pid}), or pick another port" },
	{ "tcp", "127.0.0.1", -1, "127.0.0.2", LB_PICK_TCP, LB_CHECK_BINDABLE, NULL, 0,
	  "TCP 127.0.0.2:{port} is free to bind", "" },
	{ "tcp", "127.0.0.1", -1, "127.0.0.1", LB_PICK_UDP, LB_CHECK_BINDABLE, NULL, 0, NULL, "" },
	/* (the kernel makes a socket bound to a specific IPv6 address v6only) */
	{ "tcp", "::1", -1, "::1", LB_PICK_TCP, LB_CHECK_IN_USE, "::1", 1,
	  "TCP [::1]:{port} is in use by " OWNER " listening on [::1]:{port}", NULL },
	{ "tcp", "::1", -1, "127.0.0.1", LB_PICK_TCP, LB_CHECK_BINDABLE, NULL, 0, NULL, "" },
	{ "tcp", "0.0.0.0", -1, "127.0.0.1", LB_PICK_TCP, LB_CHECK_BLOCKED_WILDCARD, "0.0.0.0", 0,
	  "TCP 127.0.0.1:{port} is blocked by " OWNER " listening on 0.0.0.0:{port}: 0.0.0.0 covers every IPv4 address",
	  "make " CHILD_NAME " (pid {pid}) bind a specific address, or pick another port" },
	{ "tcp", "0.0.0.0", -1, "::1", LB_PICK_TCP, LB_CHECK_BINDABLE, NULL, 0, NULL, "" },
	{ "tcp", "::", 0, "127.0.0.1", LB_PICK_TCP, LB_CHECK_BLOCKED_DUALSTACK, "::", 0,
	  "TCP 127.0.0.1:{port} is blocked by " OWNER " listening on [::]:{port}: [::] without IPV6_V6ONLY covers IPv4 too",
	  "set IPV6_V6ONLY on the [::] socket of " CHILD_NAME " (pid {pid}) (or net.ipv6.bindv6only=1), or pick another port" },
	/* A [::] socket covers every IPv6 address: a wildcard, whatever V6ONLY. */
	{ "tcp", "::", 0, "::1", LB_PICK_TCP, LB_CHECK_BLOCKED_WILDCARD, "::", 0,
	  "TCP [::1]:{port} is blocked by " OWNER " listening on [::]:{port}: [::] covers every IPv6 address",
	  "make " CHILD_NAME " (pid {pid}) bind a specific address, or pick another port" },
	/* The case trial binds alone got wrong: an IPv6-only [::] against ::1. */
	{ "tcp", "::", 1, "::1", LB_PICK_TCP, LB_CHECK_BLOCKED_WILDCARD, "::", 1,
	  "TCP [::1]:{port} is blocked by " OWNER " listening on [::]:{port}: [::] covers every IPv6 address", NULL },
	{ "tcp", "::", 1, "127.0.0.1", LB_PICK_TCP, LB_CHECK_BINDABLE, NULL, 0, NULL, "" },
	{ "tcp", "::", 1, "0.0.0.0", LB_PICK_TCP, LB_CHECK_BINDABLE, NULL, 0, NULL, "" },
	{ "udp", "127.0.0.1", -1, "127.0.0.1", LB_PICK_UDP, LB_CHECK_IN_USE, "127.0.0.1", 0,
	  "UDP 127.0.0.1:{port} is in use by " OWNER " bound to 127.0.0.1:{port}", NULL },
	{ "udp", "127.0.0.1", -1, "127.0.0.1", LB_PICK_TCP, LB_CHECK_BINDABLE, NULL, 0, NULL, "" },
};

/* Loop index: case _i / 2 under backend _i % 2. */
START_TEST(test_blockers_real)
{
	const struct blocker_case *t = &blocker_cases[_i / 2];
	const char *be = backends[_i % 2];
	const lb_socket_list *l;
	/* Leased by this process for the whole case: a kernel-chosen port 0
	 * is an ephemeral one, which any program's outgoing connections may
	 * hold on the neighbouring address the "bindable" cases check, and a
	 * port released before the child binds it may be given to another
	 * picker. Our own lease is no conflict to lb_check_bind(). */
	lb_lease *lease = lb_test_lease(0, 0, 1);
	struct child ch;
	lb_check *c;

	setenv("LOOPBACK_BACKEND", be, 1);
	ch = spawn(t->kind, t->addr, lease, t->v6only);
	c = check_ok(t->check, ch.port, t->proto);
	l = lb_check_blockers(c);
	if (lb_check_reason(c) != t->reason)
		ck_abort_msg("%s: %s socket on %s (v6only %d), check %s: %s", be, t->kind, t->addr,
			     t->v6only, t->check, lb_check_explanation(c));
	if (t->blocker) {
		assert_one_blocker(c, &ch, t->blocker,
				   t->proto == LB_PICK_TCP ? LB_PROTO_TCP : LB_PROTO_UDP,
				   t->proto == LB_PICK_TCP ? LB_STATE_LISTEN : LB_STATE_CLOSE);
		ck_assert_str_eq(lb_socket_list_backend(l), be);
		if (lb_socket_family(lb_socket_list_at(l, 0)) == LB_AF_INET6)
			/* procfs cannot tell IPV6_V6ONLY; sock_diag can. */
			ck_assert_int_eq(lb_socket_v6only(lb_socket_list_at(l, 0)),
					 _i % 2 == 0 ? t->v6only_netlink : -1);
	} else {
		/* Nothing blocks: an empty list, not NULL. */
		ck_assert_ptr_nonnull(l);
		ck_assert_uint_eq(lb_socket_list_count(l), 0);
	}
	if (t->explanation)
		assert_text(lb_check_explanation(c), t->explanation, ch.port, (int)ch.pid);
	if (t->suggestion)
		assert_text(lb_check_suggestion(c), t->suggestion, ch.port, (int)ch.pid);
	lb_check_free(c);
	reap(&ch);
	lb_lease_release(lease);
	unsetenv("LOOPBACK_BACKEND");
}
END_TEST

/* Leave the server side of a loopback connection in TIME_WAIT on a port
 * leased for the test (*@ret_lease: released by the caller once done);
 * @reuse: whether the listener (and so that side) had SO_REUSEADDR. */
static uint16_t make_time_wait(int reuse, lb_lease **ret_lease)
{
	struct sockaddr_in in;
	int l = listener_at(lb_test_port(ret_lease), reuse, &in), cl, a;
	char b;

	cl = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(cl, (struct sockaddr *)&in, sizeof(in)), 0);
	a = accept(l, NULL, NULL);
	ck_assert_int_ge(a, 0);
	close(a); /* the server closes first: its side goes to TIME_WAIT */
	ck_assert_int_eq(read(cl, &b, 1), 0);
	close(cl);
	close(l);
	return ntohs(in.sin_port);
}

static void assert_time_wait_blockers(const lb_check *c, uint16_t port)
{
	const lb_socket_list *l = lb_check_blockers(c);
	size_t i;

	ck_assert_uint_ge(lb_socket_list_count(l), 1);
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		ck_assert_int_eq(lb_socket_state(s), LB_STATE_TIME_WAIT);
		ck_assert_uint_eq(lb_socket_local_port(s), port);
		ck_assert_uint_eq(lb_socket_owner_count(s), 0);
		ck_assert_int_eq(lb_socket_owner_error(s), 0);
	}
}

START_TEST(test_blocker_time_wait)
{
	const lb_socket *s;
	char prefix[256];
	lb_lease *lease;
	uint16_t port;
	lb_check *c;

	setenv("LOOPBACK_BACKEND", backends[_i], 1);
	port = make_time_wait(1, &lease);
	c = check_ok("127.0.0.1", port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_TIME_WAIT);
	assert_time_wait_blockers(c, port);
	s = lb_socket_list_at(lb_check_blockers(c), 0);
	snprintf(prefix, sizeof(prefix),
		 "TCP 127.0.0.1:%u is held only by closed connections (TIME_WAIT); nothing listens: a connection in TIME-WAIT on 127.0.0.1:%u to 127.0.0.1:%u",
		 port, port, lb_socket_remote_port(s));
	ck_assert_str_eq(lb_check_explanation(c), prefix);
	lb_check_free(c);
	lb_lease_release(lease);
	/* Without SO_REUSEADDR on the old socket, reuse does not help. */
	port = make_time_wait(0, &lease);
	c = check_ok("127.0.0.1", port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	assert_time_wait_blockers(c, port);
	ck_assert_ptr_nonnull(strstr(lb_check_suggestion(c), "SO_REUSEADDR does not help"));
	lb_check_free(c);
	lb_lease_release(lease);
	unsetenv("LOOPBACK_BACKEND");
}
END_TEST

START_TEST(test_blocker_lease)
{
	struct child ch;
	lb_check *c;
	int pids[4];

	/* A control character in the name does not break the line. */
	ch = spawn_named("lb\nholder", "lease", NULL, NULL, -1);
	c = check_ok("127.0.0.1", ch.port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_LEASED);
	ck_assert_int_eq(lb_check_lease_holders(c, pids, 4), 1);
	ck_assert_int_eq(pids[0], ch.pid);
	ck_assert_uint_eq(lb_socket_list_count(lb_check_blockers(c)), 0);
	assert_text(lb_check_explanation(c),
		    "TCP 127.0.0.1:{port} binds, but port {port} is leased by lb holder (pid {pid})",
		    ch.port, (int)ch.pid);
	assert_text(lb_check_suggestion(c),
		    "pick another port (loopback pick), or stop the lease holder, lb holder (pid {pid})",
		    ch.port, (int)ch.pid);
	lb_check_free(c);
	reap(&ch);
}
END_TEST

/* ---- deterministic texts from the mock backend ---- */
#if LB_TEST_DOUBLES

/* Write a fixture for the mock backend, every "%P" replaced by @port. */
static void mock_fixture(char *path, size_t size, const char *text, uint16_t port)
{
	FILE *f;
	const char *p;
	int fd;

	snprintf(path, size, "/tmp/lb-test-check-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	for (p = text; *p; p++) {
		if (p[0] == '%' && p[1] == 'P') {
			fprintf(f, "%u", (unsigned)port);
			p++;
		} else {
			fputc(*p, f);
		}
	}
	ck_assert_int_eq(fclose(f), 0);
	setenv("LOOPBACK_BACKEND", "mock", 1);
	setenv("LOOPBACK_MOCK_FILE", path, 1);
}

static void mock_done(const char *path)
{
	unlink(path);
	unsetenv("LOOPBACK_MOCK_FILE");
	unsetenv("LOOPBACK_BACKEND");
}

START_TEST(test_mock_texts)
{
	lb_lease *lease = lb_test_lease(0, 0, 1);
	struct child ch = spawn("tcp", "127.0.0.1", lease, -1);
	char path[64];
	const lb_socket_list *l;
	lb_check *c;

	/* Two blockers (the listener first), sockets that do not conflict
	 * left out: another address, another port. */
	mock_fixture(path, sizeof(path),
		     "socket tcp ESTAB 127.0.0.1 %P 127.0.0.1 40000 uid=1000 inode=7002\n"
		     "socket tcp LISTEN 127.0.0.1 %P 0.0.0.0 0 uid=1000 inode=7001\n"
		     "socket tcp LISTEN 127.0.0.2 %P 0.0.0.0 0 uid=1000 inode=7003\n"
		     "socket tcp LISTEN ::1 %P :: 0 uid=1000 inode=7004 v6only=1\n"
		     "socket tcp LISTEN 127.0.0.1 1 0.0.0.0 0 uid=1000 inode=7005\n"
		     "owner 7001 4242 ppid=1 uid=1000 user=alice name=python3 cmdline=python3 -m http.server\n"
		     "owner 7002 4242 ppid=1 uid=1000 user=alice name=python3\n",
		     ch.port);
	c = check_ok("127.0.0.1", ch.port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	l = lb_check_blockers(c);
	ck_assert_str_eq(lb_socket_list_backend(l), "mock");
	ck_assert_uint_eq(lb_socket_list_count(l), 2);
	ck_assert_uint_eq(lb_socket_inode(lb_socket_list_at(l, 0)), 7001);
	ck_assert_uint_eq(lb_socket_inode(lb_socket_list_at(l, 1)), 7002);
	assert_text(lb_check_explanation(c),
		    "TCP 127.0.0.1:{port} is in use by python3 (pid 4242, user alice) listening on 127.0.0.1:{port} and 1 more",
		    ch.port, 0);
	ck_assert_str_eq(lb_check_suggestion(c), "stop python3 (pid 4242), or pick another port (loopback pick)");
	lb_check_free(c);
	mock_done(path);

	/* The owner hidden by permissions. */
	mock_fixture(path, sizeof(path),
		     "socket tcp LISTEN 127.0.0.1 %P 0.0.0.0 0 uid=0 inode=7001 owner_error=permission\n",
		     ch.port);
	c = check_ok("127.0.0.1", ch.port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	ck_assert_int_eq(lb_socket_owner_error(lb_socket_list_at(lb_check_blockers(c), 0)), LB_EPERM);
	assert_text(lb_check_explanation(c),
		    "TCP 127.0.0.1:{port} is in use by a process of uid 0 (owner unknown: permission denied) listening on 127.0.0.1:{port}",
		    ch.port, 0);
	assert_text(lb_check_suggestion(c),
		    "stop the process holding it (loopback who {port}, as root to see every process), or pick another port (loopback pick)",
		    ch.port, 0);
	lb_check_free(c);
	mock_done(path);

	/* The table says a wildcard holds it: the reason follows the table. */
	mock_fixture(path, sizeof(path),
		     "socket tcp LISTEN 0.0.0.0 %P 0.0.0.0 0 uid=1000 inode=7001\n"
		     "owner 7001 4242 uid=1000 user=alice name=node\n",
		     ch.port);
	c = check_ok("127.0.0.1", ch.port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BLOCKED_WILDCARD);
	assert_text(lb_check_explanation(c),
		    "TCP 127.0.0.1:{port} is blocked by node (pid 4242, user alice) listening on 0.0.0.0:{port}: 0.0.0.0 covers every IPv4 address",
		    ch.port, 0);
	lb_check_free(c);
	mock_done(path);

	/* Nothing in the table (another namespace): inferred, and said so. */
	mock_fixture(path, sizeof(path), "# empty\n", ch.port);
	c = check_ok("127.0.0.1", ch.port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	ck_assert_uint_eq(lb_socket_list_count(lb_check_blockers(c)), 0);
	assert_text(lb_check_explanation(c),
		    "TCP 127.0.0.1:{port} is in use by a socket on the same address (inferred from trial binds: the socket table of this network namespace shows no such socket)",
		    ch.port, 0);
	lb_check_free(c);
	mock_done(path);
	reap(&ch);
	lb_lease_release(lease);
}
END_TEST

/* The table cannot be read: the reason from probes, the error named. */
START_TEST(test_mock_table_error)
{
	lb_lease *lease = lb_test_lease(0, 0, 1);
	struct child ch = spawn("tcp", "0.0.0.0", lease, -1);
	lb_socket_list *none = NULL;
	char want[300];
	lb_check *c;
	int err;

	setenv("LOOPBACK_BACKEND", "mock", 1);
	setenv("LOOPBACK_MOCK_FILE", "/nonexistent/lb-test-check", 1);
	err = lb_socket_list_get(NULL, &none);
	ck_assert_int_lt(err, 0);
	c = check_ok("127.0.0.1", ch.port, LB_PICK_TCP);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BLOCKED_WILDCARD);
	ck_assert_uint_eq(lb_socket_list_count(lb_check_blockers(c)), 0);
	ck_assert_str_eq(lb_socket_list_backend(lb_check_blockers(c)), "none");
	snprintf(want, sizeof(want),
		 "TCP 127.0.0.1:{port} is blocked by a socket on 0.0.0.0:{port}, which covers every IPv4 address (inferred from trial binds: the socket table could not be read: %s)",
		 lb_strerror(err));
	assert_text(lb_check_explanation(c), want, ch.port, 0);
	lb_check_free(c);
	unsetenv("LOOPBACK_MOCK_FILE");
	unsetenv("LOOPBACK_BACKEND");
	reap(&ch);
	lb_lease_release(lease);
}
END_TEST
#endif /* LB_TEST_DOUBLES */

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("check");
	TCase *tb = tcase_create("blockers");

	tcase_add_test(tc, test_check_args);
	tcase_add_test(tc, test_check_in_use_and_free);
	tcase_add_test(tc, test_check_ephemeral_warning);
	tcase_add_test(tc, test_check_own_lease);
	tcase_add_test(tc, test_wait);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tb, test_blockers_real, 0,
			    2 * (int)(sizeof(blocker_cases) / sizeof(blocker_cases[0])));
	tcase_add_loop_test(tb, test_blocker_time_wait, 0, 2);
	tcase_add_test(tb, test_blocker_lease);
#if LB_TEST_DOUBLES
	tcase_add_test(tb, test_mock_texts);
	tcase_add_test(tb, test_mock_table_error);
#endif
	tcase_set_timeout(tb, 60);
	suite_add_tcase(s, tb);
	return s;
}

LB_TEST_MAIN(check_suite)
