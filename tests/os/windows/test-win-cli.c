/* SPDX-License-Identifier: MIT */
/*
 * The loopback CLI as a Windows program (under wine in CI): run
 * loopback.exe (argv[1]) and check its output and exit codes.
 */
#include <windows.h>

#include "lb-test.h"
#include "win-util.h"
#include <loopback.h>

static const char *tool;

/* Run "tool ARGS", collect stdout into @out; returns the exit code. */
static int run(const char *args, char *out, size_t size)
{
	return lb_win_run(tool, args, out, size);
}

START_TEST(test_version)
{
	static const char want[] =
		"loopback " LB_VERSION_STRING " (libloopback " LB_VERSION_STRING ")\r\n";
	char out[4096];

	ck_assert_int_eq(run("--version", out, sizeof(out)), 0);
	/* stdout is in text mode: "\r\n" on Windows. */
	ck_assert_str_eq(out, want);
}
END_TEST

START_TEST(test_exit_codes)
{
	char out[8192];

	ck_assert_int_eq(run("--help", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: loopback"));
	ck_assert_int_eq(run("no-such-verb", out, sizeof(out)), 2);
	ck_assert_int_eq(run("", out, sizeof(out)), 2);
}
END_TEST

START_TEST(test_parse)
{
	char out[8192];

	ck_assert_int_eq(run("parse --json 127.0.0.1:62893", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "\"canonical\":\"127.0.0.1:62893\"") != NULL, "got '%s'", out);
	ck_assert_int_eq(run("parse --json [::1]:8080", out, sizeof(out)), 0);
	ck_assert_msg(strstr(out, "\"canonical\":\"[::1]:8080\"") != NULL, "got '%s'", out);
	/* Invalid input: the negative answer. */
	ck_assert_int_eq(run("parse 999.1.1.1:1", out, sizeof(out)), 1);
}
END_TEST

static Suite *win_cli_suite(void)
{
	Suite *s = suite_create("win-cli");
	TCase *tc = tcase_create("loopback.exe");

	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_exit_codes);
	tcase_add_test(tc, test_parse);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-loopback.exe\n", argv[0]);
		return 2;
	}
	tool = argv[1];
	return lb_test_main(win_cli_suite(), argv[0]);
}
