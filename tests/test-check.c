/* SPDX-License-Identifier: MIT */
/* Tests for lib/check.c and lib/wait.c through the public API (the
 * conflict reasons on real sockets are in tests/ports/test-check.sh). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
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

/* A listening socket on 127.0.0.1 at a kernel-chosen port. */
static int listener(uint16_t *ret_port)
{
	struct sockaddr_in in;
	socklen_t len = sizeof(in);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&in, sizeof(in)), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&in, &len), 0);
	*ret_port = ntohs(in.sin_port);
	return fd;
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
	uint16_t port;
	int fd = listener(&port), pids[2];

	ck_assert_int_eq(lb_check_bind(&a, port, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c), "in use"));
	ck_assert_str_ne(lb_check_suggestion(c), "");
	/* bind(0) ports come from the ephemeral range: warned about. */
	ck_assert_uint_eq(lb_check_warnings(c) & LB_CHECK_WARN_EPHEMERAL, LB_CHECK_WARN_EPHEMERAL);
	lb_check_free(c);
	ck_assert_int_eq(lb_check_bind(&a, port, LB_PICK_UDP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BINDABLE);
	ck_assert_str_eq(lb_check_suggestion(c), "");
	ck_assert_int_eq(lb_check_lease_holders(c, pids, 2), 0);
	lb_check_free(c);
	close(fd);
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
	uint16_t port;
	int fd = listener(&port);

	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 0), 0);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_FREE, 100), LB_ETIMEDOUT);
	close(fd);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_FREE, 0), 0);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 100), LB_ETIMEDOUT);
	ck_assert_int_eq(lb_wait(NULL, port, LB_WAIT_FREE, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, 0, LB_WAIT_FREE, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, port, 2, 0), LB_EINVAL);
}
END_TEST

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, test_check_args);
	tcase_add_test(tc, test_check_in_use_and_free);
	tcase_add_test(tc, test_check_own_lease);
	tcase_add_test(tc, test_wait);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(check_suite)
