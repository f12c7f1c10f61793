/* SPDX-License-Identifier: MIT */
/*
 * Shared main() for the Check suites: every test case is one TAP line on
 * stdout, so meson (protocol: 'tap' in tests/meson.build) counts each
 * case, and a failed case says where and why on its "not ok" line.
 */
#ifndef LB_TEST_H
#define LB_TEST_H

#include <check.h>
/* The suites rely on these through this header. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int lb_test_main(Suite *s, const char *argv0)
{
	SRunner *sr;
	int failed;

	(void)argv0;
	sr = srunner_create(s);
#ifndef LB_WIN_CHECK_H
	/* Check: "-" is stdout; its own console report would only repeat
	 * the TAP lines (tests/win/check.h prints TAP to stdout anyway). */
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
#else
	srunner_run_all(sr, CK_NORMAL);
#endif
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define LB_TEST_MAIN(suite_fn)                              \
	int main(int argc, char **argv)                     \
	{                                                   \
		(void)argc;                                 \
		return lb_test_main((suite_fn)(), argv[0]); \
	}

#endif /* LB_TEST_H */
