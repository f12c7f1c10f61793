/* SPDX-License-Identifier: MIT */
/* Tests for lib/endpoint/resolve.c: lb_resolve() against getaddrinfo() itself. */
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lb-test.h"
#include <loopback.h>

/* What getaddrinfo() says, in its order, without duplicates. */
static size_t oracle(const char *name, int family, lb_addr *out, size_t max)
{
	struct addrinfo hints, *res, *ai;
	size_t n = 0, i;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return 0;
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		lb_addr a;

		ck_assert_int_eq(lb_addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen, &a, NULL), 0);
		for (i = 0; i < n; i++)
			if (lb_addr_equal(&out[i], &a) == 1)
				break;
		if (i == n)
			out[n++] = a;
	}
	freeaddrinfo(res);
	return n;
}

static void same_as_oracle(const char *name, int lb_family, int af)
{
	lb_addr want[16], got;
	lb_addr_list *l = NULL;
	size_t n = oracle(name, af, want, 16), i;
	int r = lb_resolve(name, strlen(name), lb_family, &l);

	if (n == 0) {
		ck_assert_int_eq(r, LB_ERESOLVE);
		ck_assert_ptr_null(l);
		return;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(lb_addr_list_count(l), n);
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(lb_addr_list_addr(l, i, &got), 0);
		ck_assert_int_eq(lb_addr_equal(&got, &want[i]), 1);
	}
	ck_assert_int_eq(lb_addr_list_addr(l, n, &got), LB_ERANGE);
	lb_addr_list_free(l);
}

START_TEST(test_resolve_localhost)
{
	lb_addr_list *l = NULL;
	lb_addr a;
	size_t i;

	same_as_oracle("localhost", LB_AF_NONE, AF_UNSPEC);
	same_as_oracle("localhost", LB_AF_INET, AF_INET);
	same_as_oracle("localhost.", LB_AF_NONE, AF_UNSPEC);
	ck_assert_int_eq(lb_resolve("localhost", 9, LB_AF_INET, &l), 0);
	ck_assert_uint_ge(lb_addr_list_count(l), 1);
	for (i = 0; i < lb_addr_list_count(l); i++) {
		ck_assert_int_eq(lb_addr_list_addr(l, i, &a), 0);
		ck_assert_int_eq(a.family, LB_AF_INET);
		ck_assert_int_eq(lb_addr_classify(&a), LB_CLASS_LOOPBACK);
	}
	lb_addr_list_free(l);
}
END_TEST

START_TEST(test_resolve_literals)
{
	lb_addr_list *l = NULL;
	lb_addr a;
	char buf[LB_ADDR_STRLEN];

	ck_assert_int_eq(lb_resolve("127.0.0.1", 9, LB_AF_NONE, &l), 0);
	ck_assert_uint_eq(lb_addr_list_count(l), 1);
	ck_assert_int_eq(lb_addr_list_addr(l, 0, &a), 0);
	ck_assert_int_eq(lb_addr_format(&a, buf, sizeof(buf)), 9);
	lb_addr_list_free(l);
	/* brackets and zone kept, no resolver involved */
	ck_assert_int_eq(lb_resolve("[fe80::1%nosuchif0]", 19, LB_AF_INET6, &l), 0);
	ck_assert_int_eq(lb_addr_list_addr(l, 0, &a), 0);
	ck_assert_str_eq(a.zone, "nosuchif0");
	lb_addr_list_free(l);
	l = NULL;
	ck_assert_int_eq(lb_resolve("::1", 3, LB_AF_INET, &l), LB_ERESOLVE);
	ck_assert_ptr_null(l);
}
END_TEST

START_TEST(test_resolve_errors)
{
	lb_addr_list *l = NULL;
	lb_addr a;

	ck_assert_int_eq(lb_resolve(NULL, 1, LB_AF_NONE, &l), LB_EINVAL);
	ck_assert_int_eq(lb_resolve("localhost", 9, LB_AF_NONE, NULL), LB_EINVAL);
	ck_assert_int_eq(lb_resolve("localhost", 9, 5, &l), LB_EINVAL);
	ck_assert_int_eq(lb_resolve("local_host", 10, LB_AF_NONE, &l), LB_ESYNTAX);
	ck_assert_int_eq(lb_resolve("localhost:80", 12, LB_AF_NONE, &l), LB_ESYNTAX);
	ck_assert_int_eq(lb_resolve("", 0, LB_AF_NONE, &l), LB_ESYNTAX);
	ck_assert_int_eq(lb_resolve("1.2.3.256", 9, LB_AF_NONE, &l), LB_ERANGE);
	ck_assert_ptr_null(l);
	/* RFC 6761: .invalid names never resolve (a short resolver timeout
	 * bounds the test where no DNS server answers) */
	setenv("RES_OPTIONS", "timeout:1 attempts:1", 1);
	ck_assert_int_eq(lb_resolve("nonexistent.invalid", 19, LB_AF_NONE, &l), LB_ERESOLVE);
	ck_assert_ptr_null(l);
	ck_assert_uint_eq(lb_addr_list_count(NULL), 0);
	ck_assert_int_eq(lb_addr_list_addr(NULL, 0, &a), LB_EINVAL);
	ck_assert_int_eq(lb_resolve("::1", 3, LB_AF_NONE, &l), 0);
	ck_assert_int_eq(lb_addr_list_addr(l, 0, NULL), LB_EINVAL);
	lb_addr_list_free(l);
	lb_addr_list_free(NULL);
}
END_TEST

static Suite *resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("resolve");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_resolve_localhost);
	tcase_add_test(tc, test_resolve_literals);
	tcase_add_test(tc, test_resolve_errors);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(resolve_suite)
