/* SPDX-License-Identifier: MIT */
/* Windows: lb_port_ephemeral_range() and its pure helper. */
#include <windows.h>

#include "lb-test.h"
#include "os/windows/port-range.h"
#include "win-util.h"
#include <loopback.h>

START_TEST(test_from_count)
{
	uint16_t f = 7, l = 9;

	ck_assert_int_eq(lb__port_range_from_count(49152, 16384, &f, &l), 0);
	ck_assert_uint_eq(f, 49152);
	ck_assert_uint_eq(l, 65535);
	ck_assert_int_eq(lb__port_range_from_count(1024, 64511, &f, &l), 0);
	ck_assert_uint_eq(f, 1024);
	ck_assert_uint_eq(l, 65534);
	ck_assert_int_eq(lb__port_range_from_count(65535, 1, &f, &l), 0);
	ck_assert_uint_eq(f, 65535);
	ck_assert_uint_eq(l, 65535);
	f = 7;
	l = 9;
	/* Past 65535, empty, zero start: refused, out-params untouched. */
	ck_assert_int_eq(lb__port_range_from_count(49152, 16385, &f, &l), LB_EBADDATA);
	ck_assert_int_eq(lb__port_range_from_count(49152, 0, &f, &l), LB_EBADDATA);
	ck_assert_int_eq(lb__port_range_from_count(0, 10, &f, &l), LB_EBADDATA);
	ck_assert_int_eq(lb__port_range_from_count(70000, 1, &f, &l), LB_EBADDATA);
	ck_assert_int_eq(lb__port_range_from_count(1, 4294967295UL, &f, &l), LB_EBADDATA);
	ck_assert_uint_eq(f, 7);
	ck_assert_uint_eq(l, 9);
	ck_assert_int_eq(lb__port_range_from_count(1, 1, NULL, &l), LB_EINVAL);
}
END_TEST

START_TEST(test_ephemeral_range)
{
	uint16_t f = 7, l = 9;
	int r = lb_port_ephemeral_range(&f, &l);

	ck_assert_int_eq(lb_port_ephemeral_range(NULL, &l), LB_EINVAL);
	ck_assert_int_eq(lb_port_ephemeral_range(&f, NULL), LB_EINVAL);
	if (lb_win_is_wine()) {
		/* Wine's WMI has no ROOT\StandardCimv2: the range is unknown
		 * there, and we say so rather than guess. */
		ck_assert_int_eq(r, LB_ENOTSUP);
		ck_assert_uint_eq(f, 7);
		ck_assert_uint_eq(l, 9);
		return;
	}
	/* Windows: MSFT_NetTCPSetting always has the range. */
	ck_assert_int_eq(r, 0);
	ck_assert_uint_ge(f, 1);
	ck_assert_uint_ge(l, f);
}
END_TEST

static Suite *win_port_suite(void)
{
	Suite *s = suite_create("win-port");
	TCase *tc = tcase_create("dynamic-range");

	tcase_add_test(tc, test_from_count);
	tcase_add_test(tc, test_ephemeral_range);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(win_port_suite)
