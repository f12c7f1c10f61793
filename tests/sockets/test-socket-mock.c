/* SPDX-License-Identifier: MIT */
/* The socket API over the mock backend: filters, owners, the pid filter,
 * and the fixture parser's errors. Deterministic on any machine. */
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "sockets/backend.h"
#include "mock/mock.h"

static void use_fixture(void)
{
	setenv("LOOPBACK_BACKEND", "mock", 1);
	setenv("LOOPBACK_MOCK_FILE", LB_TEST_DATA "/sock-mock-basic.txt", 1);
}

static lb_socket_list *run(lb_query *q)
{
	lb_socket_list *l = NULL;

	ck_assert_int_eq(lb_socket_list_get(q, &l), 0);
	ck_assert_str_eq(lb_socket_list_backend(l), "mock");
	return l;
}

START_TEST(test_all_and_owners)
{
	lb_socket_list *l;
	const lb_socket *s;
	const lb_owner *o;

	use_fixture();
	l = run(NULL);
	ck_assert_uint_eq(lb_socket_list_count(l), 8);
	s = lb_socket_list_at(l, 0);
	ck_assert_int_eq(lb_socket_protocol(s), LB_PROTO_TCP);
	ck_assert_int_eq(lb_socket_family(s), LB_AF_INET);
	ck_assert_int_eq(lb_socket_state(s), LB_STATE_LISTEN);
	ck_assert_uint_eq(lb_socket_local_port(s), 8080);
	ck_assert_uint_eq(lb_socket_tx_queue(s), 128);
	ck_assert_uint_eq(lb_socket_uid(s), 1000);
	ck_assert_uint_eq(lb_socket_owner_count(s), 2); /* shared by fork */
	o = lb_socket_owner_at(s, 0);
	ck_assert_uint_eq(lb_owner_pid(o), 4242);
	ck_assert_str_eq(lb_owner_name(o), "node");
	ck_assert_str_eq(lb_owner_cmdline(o), "node server.js --port 8080");
	ck_assert_uint_eq(lb_owner_argc(o), 4);
	ck_assert_str_eq(lb_owner_argv_at(o, 0), "node");
	ck_assert_str_eq(lb_owner_argv_at(o, 3), "8080");
	ck_assert_ptr_null(lb_owner_argv_at(o, 4));
	ck_assert_str_eq(lb_owner_exe(o), "/usr/bin/node");
	ck_assert_str_eq(lb_owner_user(o), "dev");
	ck_assert_uint_eq(lb_owner_uid(o), 1000);
	ck_assert_uint_eq(lb_owner_start_time(o), 1763880000000ULL);
	ck_assert_int_eq(lb_owner_error(o), 0);
	ck_assert_uint_eq(lb_owner_pid(lb_socket_owner_at(s, 1)), 4243);
	ck_assert_ptr_null(lb_socket_owner_at(s, 2));
	s = lb_socket_list_at(l, 2);
	ck_assert_int_eq(lb_socket_v6only(s), 1);
	o = lb_socket_owner_at(s, 0);
	ck_assert_int_eq(lb_owner_error(o), LB_EPERM);
	ck_assert_ptr_null(lb_owner_exe(o));
	s = lb_socket_list_at(l, 5);
	ck_assert_uint_eq(lb_socket_inode(s), 0);
	ck_assert_uint_eq(lb_socket_owner_count(s), 0);
	ck_assert_int_eq(lb_socket_owner_error(s), 0);
	s = lb_socket_list_at(l, 6);
	ck_assert_str_eq(lb_state_name(lb_socket_protocol(s), lb_socket_state(s)), "UNCONN");
	ck_assert_uint_eq(lb_socket_owner_count(s), 0);
	ck_assert_int_eq(lb_socket_owner_error(s), LB_EPERM); /* listed, owner hidden */
	ck_assert_ptr_null(lb_socket_list_at(l, 8));
	lb_socket_list_free(l);
}
END_TEST

START_TEST(test_filters)
{
	lb_query *q;
	lb_socket_list *l;
	lb_addr lo;

	use_fixture();
	ck_assert_int_eq(lb_query_new(&q), 0);
	ck_assert_int_eq(lb_query_set_protocols(q, LB_PROTO_UDP), 0);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 2);
	lb_socket_list_free(l);
	lb_query_set_protocols(q, LB_PROTO_TCP);
	lb_query_set_families(q, LB_FAMILY_INET6);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 2);
	lb_socket_list_free(l);
	lb_query_set_families(q, LB_FAMILY_ALL);
	lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN));
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 4);
	lb_socket_list_free(l);
	lb_query_set_states(q, LB_STATES_ALL);
	lb_query_set_local_port(q, 5432);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 2);
	lb_socket_list_free(l);
	memset(&lo, 0, sizeof(lo));
	lo.family = LB_AF_INET;
	lo.bytes[0] = 127;
	lo.bytes[3] = 1;
	lb_query_set_local_port(q, 0);
	lb_query_set_remote(q, &lo, 5432);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	ck_assert_uint_eq(lb_socket_local_port(lb_socket_list_at(l, 0)), 40001);
	lb_socket_list_free(l);
	lb_query_set_remote(q, NULL, 0);
	lb_query_set_local_addr(q, &lo);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 3); /* 5432 x2, 40001 */
	lb_socket_list_free(l);
	lb_query_set_local_addr(q, NULL);
	lb_query_set_uid(q, 105);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 2);
	lb_socket_list_free(l);
	lb_query_set_uid(q, -1);
	lb_query_set_owners(q, LB_OWNERS_NONE);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 6);
	ck_assert_uint_eq(lb_socket_owner_count(lb_socket_list_at(l, 0)), 0);
	lb_socket_list_free(l);
	lb_query_free(q);
}
END_TEST

START_TEST(test_pid_filter)
{
	lb_query *q;
	lb_socket_list *l;
	const lb_socket *s;

	use_fixture();
	ck_assert_int_eq(lb_query_new(&q), 0);
	lb_query_set_pid(q, 4242, 0);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	s = lb_socket_list_at(l, 0);
	ck_assert_uint_eq(lb_socket_local_port(s), 8080);
	ck_assert_uint_eq(lb_socket_owner_count(s), 1); /* only the pid asked for */
	lb_socket_list_free(l);
	lb_query_set_pid(q, 4242, LB_PID_DESCENDANTS);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 2); /* 8080 and 9000 (pid 4300) */
	ck_assert_uint_eq(lb_socket_owner_count(lb_socket_list_at(l, 0)), 2);
	lb_socket_list_free(l);
	lb_query_set_pid(q, 4243, 0);
	lb_query_set_owners(q, LB_OWNERS_ALL);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	ck_assert_uint_eq(lb_socket_owner_count(lb_socket_list_at(l, 0)), 2); /* all holders */
	lb_socket_list_free(l);
	lb_query_set_pid(q, 31337, 0);
	l = run(q);
	ck_assert_uint_eq(lb_socket_list_count(l), 0);
	lb_socket_list_free(l);
	lb_query_free(q);
}
END_TEST

START_TEST(test_fixture_errors)
{
	static const char *const bad[] = {
		"sockets tcp LISTEN 0.0.0.0 1 0.0.0.0 0\n",
		"socket sctp LISTEN 0.0.0.0 1 0.0.0.0 0\n",
		"socket tcp LISTENING 0.0.0.0 1 0.0.0.0 0\n",
		"socket tcp UNCONN 0.0.0.0 1 0.0.0.0 0\n",
		"socket tcp LISTEN 0.0.0.256 1 0.0.0.0 0\n",
		"socket tcp LISTEN 0.0.0.0 65536 0.0.0.0 0\n",
		"socket tcp LISTEN 0.0.0.0 1 :: 0\n",
		"socket tcp LISTEN 0.0.0.0 1 0.0.0.0\n",
		"socket tcp LISTEN 0.0.0.0 1 0.0.0.0 0 inode=x\n",
		"socket tcp LISTEN 0.0.0.0 1 0.0.0.0 0 color=red\n",
		"socket tcp LISTEN 0.0.0.0 1 0.0.0.0 0 v6only=1\n",
		"owner 0 5\n",
		"owner 5 0\n",
		"owner 5 6 shoe=1\n",
		/* Addresses are parsed strictly, as lb_addr_parse() does. */
		"socket tcp LISTEN 127.1 1 0.0.0.0 0\n",
		"socket tcp LISTEN 127.0.0.01 1 0.0.0.0 0\n",
		"socket tcp LISTEN [::1] 1 :: 0\n",
		"socket tcp LISTEN fe80::1% 1 :: 0\n",
		"socket tcp LISTEN 0.0.0.0 1 0x7f.0.0.1 0\n",
	};
	struct lb__mock *m = NULL;
	size_t i, line = 0;
	const char *good = "# c\n\nsocket udp UNCONN ::1 53 :: 0 v6only=1\nowner 9 10 cmdline=a b  c\n";

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(lb__mock_parse(bad[i], strlen(bad[i]), &m, &line) == LB_EBADDATA,
			      "accepted %s", bad[i]);
	ck_assert_int_eq(lb__mock_parse("\n\nowner 5\n", 10, &m, &line), LB_EBADDATA);
	ck_assert_uint_eq(line, 3);
	ck_assert_int_eq(lb__mock_parse(good, strlen(good), &m, &line), 0);
	ck_assert_uint_eq(m->socks.n, 1);
	ck_assert_int_eq(m->socks.v[0].v6only, 1);
	ck_assert_uint_eq(m->n_owners, 1);
	ck_assert_str_eq(m->owners[0].owner->cmdline, "a b  c");
	ck_assert_str_eq(m->owners[0].owner->user, "0");
	ck_assert_uint_eq(m->owners[0].owner->argc, 4); /* "a" "b" "" "c" */
	lb__mock_free(m);
	/* "\0" separates arguments that hold spaces. */
	good = "owner 9 10 cmdline=sh\\0-c\\0echo a b\n";
	ck_assert_int_eq(lb__mock_parse(good, strlen(good), &m, &line), 0);
	ck_assert_uint_eq(m->owners[0].owner->argc, 3);
	ck_assert_str_eq(m->owners[0].owner->argv[2], "echo a b");
	ck_assert_str_eq(m->owners[0].owner->cmdline, "sh -c echo a b");
	lb__mock_free(m);
	/* A zone is kept (inet_pton would have refused it). */
	ck_assert_int_eq(lb__mock_parse("socket udp UNCONN fe80::1%7 5353 :: 0\n", 38, &m, &line), 0);
	ck_assert_uint_eq(m->socks.n, 1);
	ck_assert_uint_eq(m->socks.v[0].local.scope_id, 7);
	lb__mock_free(m);
	/* A broken fixture file is an error from lb_socket_list_get. */
	setenv("LOOPBACK_BACKEND", "mock", 1);
	setenv("LOOPBACK_MOCK_FILE", LB_TEST_DATA "/sock-procfs-tcp.txt", 1);
	{
		lb_socket_list *l = NULL;

		ck_assert_int_eq(lb_socket_list_get(NULL, &l), LB_EBADDATA);
		setenv("LOOPBACK_MOCK_FILE", LB_TEST_DATA "/no-such-file", 1);
		ck_assert_int_eq(lb_socket_list_get(NULL, &l), LB_ENOENT);
		unsetenv("LOOPBACK_MOCK_FILE");
		ck_assert_int_eq(lb_socket_list_get(NULL, &l), LB_ENOBACKEND);
		setenv("LOOPBACK_BACKEND", "nonesuch", 1);
		ck_assert_int_eq(lb_socket_list_get(NULL, &l), LB_ENOBACKEND);
		ck_assert_ptr_null(l);
	}
}
END_TEST

START_TEST(test_query_args)
{
	lb_query *q;
	lb_addr bad;

	ck_assert_int_eq(lb_query_new(NULL), LB_EINVAL);
	ck_assert_int_eq(lb_query_new(&q), 0);
	ck_assert_int_eq(lb_query_set_protocols(q, 0), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_protocols(q, 4), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_families(q, 0), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_families(q, 8), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_states(q, 0), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_states(q, 1), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_states(q, LB_STATE_BIT(12)), LB_EINVAL);
	memset(&bad, 0, sizeof(bad));
	ck_assert_int_eq(lb_query_set_local_addr(q, &bad), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_remote(q, &bad, 1), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_pid(q, 1, 2), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_uid(q, -2), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_uid(q, 1LL << 32), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_owners(q, 3), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_netns_path(q, ""), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_netns_path(q, "/x"), 0);
	ck_assert_int_eq(lb_query_set_netns_path(q, NULL), 0);
	ck_assert_int_eq(lb_query_set_local_port(NULL, 1), LB_EINVAL);
	ck_assert_int_eq(lb_socket_list_get(q, NULL), LB_EINVAL);
	lb_query_free(q);
	lb_query_free(NULL);
	lb_socket_list_free(NULL);
	ck_assert_uint_eq(lb_socket_list_count(NULL), 0);
	ck_assert_ptr_null(lb_socket_list_at(NULL, 0));
	ck_assert_ptr_null(lb_socket_list_backend(NULL));
	ck_assert_int_eq(lb_socket_protocol(NULL), 0);
	ck_assert_ptr_null(lb_socket_local_addr(NULL));
	ck_assert_ptr_null(lb_socket_owner_at(NULL, 0));
	ck_assert_ptr_null(lb_owner_name(NULL));
	ck_assert_str_eq(lb_state_name(LB_PROTO_TCP, LB_STATE_TIME_WAIT), "TIME-WAIT");
	ck_assert_str_eq(lb_state_name(LB_PROTO_TCP, LB_STATE_CLOSE), "CLOSE");
	ck_assert_str_eq(lb_state_name(LB_PROTO_UDP, LB_STATE_CLOSE), "UNCONN");
	ck_assert_str_eq(lb_state_name(LB_PROTO_TCP, 99), "UNKNOWN");
}
END_TEST

static Suite *mock_suite(void)
{
	Suite *s = suite_create("socket-mock");
	TCase *tc = tcase_create("api");

	tcase_add_test(tc, test_all_and_owners);
	tcase_add_test(tc, test_filters);
	tcase_add_test(tc, test_pid_filter);
	tcase_add_test(tc, test_fixture_errors);
	tcase_add_test(tc, test_query_args);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(mock_suite)
