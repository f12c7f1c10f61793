/* SPDX-License-Identifier: MIT */
/* The pure parts of the bind check's blockers (lib/ports/check-table.c) and the
 * list selection they use (lib/sockets/socket.c): which socket conflicts with
 * which address, in which order, named how; and the check's texts
 * (lib/ports/check-text.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lb-test.h"
#include "ports/check-internal.h"
#include "core/internal.h"

static lb_addr A(const char *text)
{
	lb_addr a;

	ck_assert_int_eq(lb_addr_parse(text, strlen(text), &a, NULL), 0);
	return a;
}

static struct lb_socket sock(const char *local, int v6only, int state)
{
	struct lb_socket s;

	memset(&s, 0, sizeof(s));
	s.protocol = LB_PROTO_TCP;
	s.local = A(local);
	s.family = s.local.family;
	s.remote = A(s.family == LB_AF_INET ? "0.0.0.0" : "::");
	s.local_port = 8080;
	s.v6only = v6only;
	s.state = state;
	return s;
}

/* checked address, socket address, socket v6only, expected */
static const struct {
	const char *check, *sock;
	int v6only, want;
} cases[] = {
	/* specific IPv4 */
	{ "127.0.0.1", "127.0.0.1", -1, LB_CHECK_IN_USE },
	{ "127.0.0.1", "::ffff:127.0.0.1", 0, LB_CHECK_IN_USE },
	{ "127.0.0.1", "127.0.0.2", -1, -1 },
	{ "127.0.0.1", "0.0.0.0", -1, LB_CHECK_BLOCKED_WILDCARD },
	{ "127.0.0.1", "::", 0, LB_CHECK_BLOCKED_DUALSTACK },
	{ "127.0.0.1", "::", -1, LB_CHECK_BLOCKED_DUALSTACK },
	{ "127.0.0.1", "::", 1, -1 },
	{ "127.0.0.1", "::1", 0, -1 },
	{ "::ffff:127.0.0.1", "127.0.0.1", -1, LB_CHECK_IN_USE },
	/* 0.0.0.0: every IPv4 socket, a dual-stack [::] */
	{ "0.0.0.0", "127.0.0.1", -1, LB_CHECK_IN_USE },
	{ "0.0.0.0", "0.0.0.0", -1, LB_CHECK_IN_USE },
	{ "0.0.0.0", "192.0.2.1", -1, LB_CHECK_IN_USE },
	{ "0.0.0.0", "::", 0, LB_CHECK_BLOCKED_DUALSTACK },
	{ "0.0.0.0", "::", 1, -1 },
	{ "0.0.0.0", "::1", 0, -1 },
	/* specific IPv6 */
	{ "::1", "::1", 1, LB_CHECK_IN_USE },
	{ "::1", "::", 1, LB_CHECK_BLOCKED_WILDCARD },
	{ "::1", "::", 0, LB_CHECK_BLOCKED_WILDCARD },
	{ "::1", "::", -1, LB_CHECK_BLOCKED_WILDCARD },
	{ "::1", "fe80::1", 1, -1 },
	{ "::1", "0.0.0.0", -1, -1 },
	{ "::1", "127.0.0.1", -1, -1 },
	{ "::1", "::ffff:127.0.0.1", 0, -1 },
	/* [::], checked dual-stack: every socket on the port */
	{ "::", "::", 1, LB_CHECK_IN_USE },
	{ "::", "::1", 1, LB_CHECK_IN_USE },
	{ "::", "127.0.0.1", -1, LB_CHECK_BLOCKED_DUALSTACK },
	{ "::", "0.0.0.0", -1, LB_CHECK_BLOCKED_DUALSTACK },
	{ "::", "::ffff:127.0.0.1", 0, LB_CHECK_BLOCKED_DUALSTACK },
};

START_TEST(test_conflict)
{
	lb_addr a = A(cases[_i].check);
	struct lb_socket s = sock(cases[_i].sock, cases[_i].v6only, LB_STATE_LISTEN);
	int got = lb__check_conflict(&a, &s);

	if (got != cases[_i].want)
		ck_abort_msg("check %s, socket %s v6only=%d: got %d, want %d", cases[_i].check,
			     cases[_i].sock, cases[_i].v6only, got, cases[_i].want);
	ck_assert_int_eq(lb__check_rank(&s, &a) < 0, cases[_i].want < 0);
}
END_TEST

START_TEST(test_rank)
{
	lb_addr a = A("127.0.0.1");
	struct lb_socket listen_same = sock("127.0.0.1", -1, LB_STATE_LISTEN);
	struct lb_socket listen_any = sock("0.0.0.0", -1, LB_STATE_LISTEN);
	struct lb_socket listen_dual = sock("::", 0, LB_STATE_LISTEN);
	struct lb_socket estab_same = sock("127.0.0.1", -1, LB_STATE_ESTABLISHED);
	struct lb_socket tw_same = sock("127.0.0.1", -1, LB_STATE_TIME_WAIT);
	struct lb_socket udp = sock("127.0.0.1", -1, LB_STATE_CLOSE);

	udp.protocol = LB_PROTO_UDP;
	/* listeners first, by kind; then connections; TIME-WAIT last */
	ck_assert_int_lt(lb__check_rank(&listen_same, &a), lb__check_rank(&listen_any, &a));
	ck_assert_int_lt(lb__check_rank(&listen_any, &a), lb__check_rank(&listen_dual, &a));
	ck_assert_int_lt(lb__check_rank(&listen_dual, &a), lb__check_rank(&estab_same, &a));
	ck_assert_int_lt(lb__check_rank(&estab_same, &a), lb__check_rank(&tw_same, &a));
	ck_assert_int_eq(lb__check_rank(&udp, &a), lb__check_rank(&listen_same, &a));
}
END_TEST

static int rank_by_port(const struct lb_socket *s, const void *ctx)
{
	(void)ctx;
	return s->local_port == 9 ? -1 : (int)(s->local_port % 10);
}

START_TEST(test_select)
{
	static const uint16_t ports[] = { 13, 9, 11, 21, 9, 12, 1 };
	static const uint16_t want[] = { 11, 21, 1, 12, 13 }; /* by port % 10, stable */
	lb_socket_list *l = lb__socket_list_new("test");
	size_t i;

	ck_assert_ptr_nonnull(l);
	lb__socket_list_select(l, rank_by_port, NULL); /* empty: no-op */
	ck_assert_uint_eq(lb_socket_list_count(l), 0);
	for (i = 0; i < LB_ARRAY_SIZE(ports); i++) {
		struct lb_socket *s = lb__sockvec_push(&l->socks);

		ck_assert_ptr_nonnull(s);
		s->local_port = ports[i];
		s->inode = i + 1;
		/* dropped records' owner arrays are freed (valgrind sees it) */
		s->owners = calloc(1, sizeof(*s->owners));
	}
	lb__socket_list_select(l, rank_by_port, NULL);
	ck_assert_uint_eq(lb_socket_list_count(l), LB_ARRAY_SIZE(want));
	for (i = 0; i < LB_ARRAY_SIZE(want); i++)
		ck_assert_uint_eq(lb_socket_local_port(lb_socket_list_at(l, i)), want[i]);
	ck_assert_uint_eq(lb_socket_inode(lb_socket_list_at(l, 0)), 3);
	ck_assert_uint_eq(lb_socket_inode(lb_socket_list_at(l, 1)), 4);
	ck_assert_str_eq(lb_socket_list_backend(l), "test");
	lb_socket_list_free(l);
}
END_TEST

START_TEST(test_describe)
{
	struct lb_owner o = { 4242, 1, 1000, 0, "py\tthon3", NULL, NULL, "alice", 0, NULL, 0 };
	const struct lb_owner *op = &o;
	struct lb_socket s = sock("127.0.0.1", -1, LB_STATE_LISTEN);
	char buf[256], tiny[8];

	s.n_owners = 1;
	s.owners = &op;
	lb__check_describe(&s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "py thon3 (pid 4242, user alice) listening on 127.0.0.1:8080");
	s.protocol = LB_PROTO_UDP;
	s.state = LB_STATE_CLOSE;
	lb__check_describe(&s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "py thon3 (pid 4242, user alice) bound to 127.0.0.1:8080");
	s = sock("::1", 1, LB_STATE_LISTEN);
	s.uid = 0;
	s.owner_error = LB_EPERM;
	lb__check_describe(&s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a process of uid 0 (owner unknown: permission denied) listening on [::1]:8080");
	s = sock("127.0.0.1", -1, LB_STATE_TIME_WAIT);
	s.remote = A("127.0.0.1");
	s.remote_port = 40000;
	lb__check_describe(&s, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a connection in TIME-WAIT on 127.0.0.1:8080 to 127.0.0.1:40000");
	lb__check_describe(&s, tiny, sizeof(tiny));
	ck_assert_str_eq(tiny, "a conne");
	lb__check_describe(&s, tiny, 0); /* no room: nothing written */
	ck_assert_str_eq(tiny, "a conne");
}
END_TEST

/* lb__check_bind() without the table: the trial binds' verdict only. */
START_TEST(test_check_no_table)
{
	lb_addr a = A("127.0.0.1");
	lb_lease *l = NULL;
	lb_check *c = NULL;
	char want[160];
	uint16_t port;
	int fd;

	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	port = lb_lease_port(l, 0);
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, NULL, &fd), 0);
	ck_assert_int_eq(lb__check_bind(&a, port, LB_PICK_TCP, 2, &c), LB_EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(lb__check_bind(&a, port, LB_PICK_TCP, LB__CHECK_NO_TABLE, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	ck_assert_uint_eq(lb_socket_list_count(lb_check_blockers(c)), 0);
	snprintf(want, sizeof(want),
		 "TCP 127.0.0.1:%u is in use by a socket on the same address (inferred from trial binds)",
		 port);
	ck_assert_str_eq(lb_check_explanation(c), want);
	lb_check_free(c);
	/* With the table (lb_check_bind()), the same check names us. */
	ck_assert_int_eq(lb__check_bind(&a, port, LB_PICK_TCP, 0, &c), 0);
	ck_assert_uint_eq(lb_socket_list_count(lb_check_blockers(c)), 1);
	ck_assert_uint_eq(lb_owner_pid(lb_socket_owner_at(lb_socket_list_at(lb_check_blockers(c), 0), 0)),
			  (uint32_t)getpid());
	lb_check_free(c);
	close(fd);
	lb_lease_release(l);
}
END_TEST

/* Every row of the text tables (lib/ports/check-text.c), by the facts
 * that select it: the sentences lb_check_explanation() and
 * lb_check_suggestion() return, pinned byte for byte. */
#define B LB__CHECK_HAS_BLOCKER
#define V4 LB__CHECK_HAS_V4
#define OW LB__CHECK_HAS_OWNER
#define TW LB__CHECK_HAS_TIME_WAIT
#define EX LB__CHECK_HAS_EXCLUDED
static const struct text_case {
	int reason;
	unsigned has;
	const char *explanation, *suggestion;
} text_cases[] = {
	{ LB_CHECK_BINDABLE, V4, "TCP 127.0.0.1:8080 is free to bind", "" },
	{ LB_CHECK_IN_USE, V4 | B | OW, "TCP 127.0.0.1:8080 is in use by WHO and 1 more",
	  "stop OWNER (pid 1), or pick another port (loopback pick)" },
	{ LB_CHECK_IN_USE, V4 | B | TW, "TCP 127.0.0.1:8080 is in use by WHO and 1 more",
	  "wait up to 60 s for TIME-WAIT to end (SO_REUSEADDR does not help: the closed socket did not set it), or pick another port (loopback pick)" },
	{ LB_CHECK_IN_USE, V4, "TCP 127.0.0.1:8080 is in use by a socket on the same address (NOTE)",
	  "stop the process holding it (loopback who 8080, as root to see every process), or pick another port (loopback pick)" },
	{ LB_CHECK_BLOCKED_WILDCARD, V4 | B | OW,
	  "TCP 127.0.0.1:8080 is blocked by WHO and 1 more: 0.0.0.0 covers every IPv4 address",
	  "make OWNER (pid 1) bind a specific address, or pick another port" },
	{ LB_CHECK_BLOCKED_WILDCARD, 0,
	  "TCP 127.0.0.1:8080 is blocked by a socket on [::]:8080, which covers every IPv6 address (NOTE)",
	  "make the other server bind a specific address, or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, V4 | B | OW,
	  "TCP 127.0.0.1:8080 is blocked by WHO and 1 more: [::] without IPV6_V6ONLY covers IPv4 too",
	  "set IPV6_V6ONLY on the [::] socket of OWNER (pid 1) (or net.ipv6.bindv6only=1), or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, V4,
	  "TCP 127.0.0.1:8080 is blocked by a dual-stack socket: [::]:8080 without IPV6_V6ONLY covers IPv4 too (NOTE)",
	  "set IPV6_V6ONLY on the [::] socket (or net.ipv6.bindv6only=1), or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, B | OW,
	  "TCP 127.0.0.1:8080 is blocked by WHO and 1 more: a dual-stack [::] bind covers IPv4 too",
	  "bind [::] with IPV6_V6ONLY (it then leaves IPv4 alone), stop OWNER (pid 1), or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, B,
	  "TCP 127.0.0.1:8080 is blocked by WHO and 1 more: a dual-stack [::] bind covers IPv4 too",
	  "bind [::] with IPV6_V6ONLY (it then leaves IPv4 alone), stop the IPv4 server, or pick another port" },
	{ LB_CHECK_TIME_WAIT, V4 | B | TW,
	  "TCP 127.0.0.1:8080 is held only by closed connections (TIME_WAIT); nothing listens: WHO and 1 more",
	  "set SO_REUSEADDR before bind() (it then binds), or wait up to 60 s" },
	{ LB_CHECK_TIME_WAIT, V4,
	  "TCP 127.0.0.1:8080 is held only by closed connections (TIME_WAIT); nothing listens (NOTE)",
	  "set SO_REUSEADDR before bind() (it then binds), or wait up to 60 s" },
	{ LB_CHECK_PRIVILEGED, V4,
	  "TCP 127.0.0.1:8080 is a privileged port: binding it needs CAP_NET_BIND_SERVICE",
	  "use a port at or above net.ipv4.ip_unprivileged_port_start, or grant CAP_NET_BIND_SERVICE" },
	{ LB_CHECK_PRIVILEGED, V4 | EX,
	  "TCP 127.0.0.1:8080 is in a port range reserved by Windows (netsh int ipv4 show excludedportrange protocol=tcp)",
	  "pick a port outside the excluded ranges (loopback pick skips them)" },
	{ LB_CHECK_NOT_LOCAL, V4,
	  "127.0.0.1 is not an address of this host (or of this network namespace)",
	  "bind 127.0.0.1, ::1 or an address shown by 'ip address'" },
	{ LB_CHECK_LEASED, V4 | OW, "TCP 127.0.0.1:8080 binds, but port 8080 is leased by OWNER (pid 1)",
	  "pick another port (loopback pick), or stop the lease holder, OWNER (pid 1)" },
	{ LB_CHECK_LEASED, V4,
	  "TCP 127.0.0.1:8080 binds, but port 8080 is leased by a process this user cannot see",
	  "pick another port (loopback pick), or stop the lease holder" },
};

START_TEST(test_texts)
{
	const struct text_case *t = &text_cases[_i];
	struct lb__check_facts f = { t->reason, t->has, "TCP", "tcp", "127.0.0.1:8080",
				     "127.0.0.1", "8080", "WHO", " and 1 more",
				     t->has & OW ? "OWNER (pid 1)" : "", " (NOTE)" };
	char e[512], s[256], small[12];

	lb__check_texts(&f, e, sizeof(e), s, sizeof(s));
	ck_assert_str_eq(e, t->explanation);
	ck_assert_str_eq(s, t->suggestion);
	/* Truncated as snprintf() truncates. */
	lb__check_texts(&f, small, sizeof(small), s, 1);
	ck_assert_int_eq(strncmp(small, t->explanation, sizeof(small) - 1), 0);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert_str_eq(s, "");
}
END_TEST
#undef B
#undef V4
#undef OW
#undef TW
#undef EX

static Suite *check_table_suite(void)
{
	Suite *s = suite_create("check-table");
	TCase *tc = tcase_create("check-table");

	tcase_add_loop_test(tc, test_conflict, 0, (int)LB_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_rank);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_check_no_table);
	tcase_add_loop_test(tc, test_texts, 0, (int)LB_ARRAY_SIZE(text_cases));
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(check_table_suite)
