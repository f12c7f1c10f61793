/* SPDX-License-Identifier: MIT */
/*
 * Shared main() for the Check suites. Each test case is reported as one
 * TAP line into $LB_TAP_DIR/<program>.tap when that variable is set, so
 * the test runner can count every case (tests/tally.py).
 */
#ifndef LB_TEST_H
#define LB_TEST_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int lb_test_main(Suite *s, const char *argv0)
{
	char path[4096];
	const char *dir = getenv("LB_TAP_DIR");
	const char *base = argv0, *p;
	size_t len;
	SRunner *sr;
	int failed;

	/* The program's name without directory (either slash: Windows) or
	 * ".exe", so the TAP file is named after the test. */
	for (p = argv0; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".exe") == 0)
		len -= 4;
	sr = srunner_create(s);
	if (dir && *dir) {
		snprintf(path, sizeof(path), "%s/%.*s.tap", dir, (int)len, base);
		srunner_set_tap(sr, path);
	}
	srunner_run_all(sr, CK_NORMAL);
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
