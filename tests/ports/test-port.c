/* SPDX-License-Identifier: MIT */
/* Tests for lib/port-range.c. */
#include <stdio.h>
#include <string.h>

#include "lb-test.h"
#include "os/linux/sysctl-parse.h"
#include <loopback.h>

#define PARSE(s, f, l) lb__port_range_parse((s), strlen(s), (f), (l))

START_TEST(test_range_parse_good)
{
	uint16_t f = 0, l = 0;

	ck_assert_int_eq(PARSE("32768\t60999\n", &f, &l), 0);
	ck_assert_uint_eq(f, 32768);
	ck_assert_uint_eq(l, 60999);
	ck_assert_int_eq(PARSE("1024 65535", &f, &l), 0);
	ck_assert_uint_eq(f, 1024);
	ck_assert_uint_eq(l, 65535);
	ck_assert_int_eq(PARSE("5000 5000\n", &f, &l), 0);
	ck_assert_uint_eq(f, 5000);
}
END_TEST

START_TEST(test_range_parse_bad)
{
	static const char *const bad[] = {
		"", "\n", "32768", "32768 ", "a b", "32768 60999 1", "65536 65537",
		"0 100", "60999 32768", "-1 5", "32768\t60999x", "99999999999999999999 1",
	};
	size_t i;
	uint16_t f = 7, l = 9;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(PARSE(bad[i], &f, &l) == LB_EBADDATA, "accepted '%s'", bad[i]);
		ck_assert_uint_eq(f, 7); /* out-params untouched on error */
		ck_assert_uint_eq(l, 9);
	}
	ck_assert_int_eq(lb__port_range_parse(NULL, 0, &f, &l), LB_EINVAL);
}
END_TEST

START_TEST(test_range_matches_kernel)
{
	uint16_t f, l;
	unsigned kf, kl;
	FILE *p = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%u %u", &kf, &kl), 2);
	fclose(p);
	ck_assert_int_eq(lb_port_ephemeral_range(&f, &l), 0);
	ck_assert_uint_eq(f, kf);
	ck_assert_uint_eq(l, kl);
	ck_assert_int_eq(lb_port_ephemeral_range(NULL, &l), LB_EINVAL);
	ck_assert_int_eq(lb_port_ephemeral_range(&f, NULL), LB_EINVAL);
}
END_TEST

static Suite *port_suite(void)
{
	Suite *s = suite_create("port");
	TCase *tc = tcase_create("ephemeral-range");

	tcase_add_test(tc, test_range_parse_good);
	tcase_add_test(tc, test_range_parse_bad);
	tcase_add_test(tc, test_range_matches_kernel);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(port_suite)
