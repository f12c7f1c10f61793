/* SPDX-License-Identifier: MIT */
/* Tests for lib/core/error.c and lib/version.c. */
#include <string.h>

#include "lb-test.h"
#include <loopback.h>

START_TEST(test_strerror_every_code)
{
	int code;

	/* Every code from LB_OK down to the last one has a name that spells
	 * the macro and a sentence; codes past the end are unknown. */
	for (code = 0; code >= LB_EMFILE; code--) {
		const char *name = lb_error_name(code);

		ck_assert_msg(name != NULL, "code %d has no name", code);
		ck_assert_msg(strncmp(name, "LB_", 3) == 0, "bad name %s", name);
		ck_assert_str_ne(lb_strerror(code), "Unknown error");
	}
	ck_assert_ptr_null(lb_error_name(LB_EMFILE - 1));
	ck_assert_str_eq(lb_strerror(LB_EMFILE - 1), "Unknown error");
}
END_TEST

START_TEST(test_error_values_stable)
{
	/* These numbers are ABI: they must never change. */
	ck_assert_int_eq(LB_EINVAL, -1);
	ck_assert_int_eq(LB_ESYNTAX, -3);
	ck_assert_int_eq(LB_EADDRINUSE, -10);
	ck_assert_int_eq(LB_ELEASED, -15);
	ck_assert_int_eq(LB_ENOBACKEND, -19);
	ck_assert_int_eq(LB_EMFILE, -23);
	ck_assert_str_eq(lb_error_name(LB_EMFILE), "LB_EMFILE");
	ck_assert_str_eq(lb_strerror(LB_EMFILE), "Too many open files");
	ck_assert_int_eq(LB_ENOTVISIBLE, -20);
	ck_assert_int_eq(LB_EEXITED, -21);
	ck_assert_int_eq(LB_ENOTREQUESTED, -22);
	ck_assert_str_eq(lb_error_name(LB_EADDRINUSE), "LB_EADDRINUSE");
	ck_assert_str_eq(lb_error_name(LB_OK), "LB_OK");
}
END_TEST

START_TEST(test_strerror_unknown)
{
	ck_assert_str_eq(lb_strerror(1), "Unknown error");
	ck_assert_str_eq(lb_strerror(-10000), "Unknown error");
	ck_assert_str_eq(lb_strerror(-2147483647 - 1), "Unknown error");
	ck_assert_ptr_null(lb_error_name(12345));
}
END_TEST

START_TEST(test_version)
{
	ck_assert_str_eq(lb_version(), LB_VERSION_STRING);
	ck_assert_uint_eq(lb_version_number(), LB_VERSION_NUMBER);
	ck_assert_uint_eq(lb_version_number() >> 16, LB_VERSION_MAJOR);
}
END_TEST

static Suite *common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("errors");

	tcase_add_test(tc, test_strerror_every_code);
	tcase_add_test(tc, test_error_values_stable);
	tcase_add_test(tc, test_strerror_unknown);
	suite_add_tcase(s, tc);
	tc = tcase_create("version");
	tcase_add_test(tc, test_version);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(common_suite)
