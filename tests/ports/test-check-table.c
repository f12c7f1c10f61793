/* SPDX-License-Identifier: MIT */
/* The pure parts of the bind check's blockers (lib/ports/check-table.c) and the
 * list selection they use (lib/sockets/socket.c): which socket conflicts with
 * which address, in which order, named how. */
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

static Suite *check_table_suite(void)
{
	Suite *s = suite_create("check-table");
	TCase *tc = tcase_create("check-table");

	tcase_add_loop_test(tc, test_conflict, 0, (int)LB_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_rank);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_check_no_table);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(check_table_suite)
