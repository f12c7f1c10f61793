/* SPDX-License-Identifier: MIT */
/* lb__process_info(): one process described through the process_info
 * hook of the backend that answers here (Linux: /proc), the forced one
 * when forced, and the mock's fixture in test builds. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "sockets/backend.h"

static pid_t spawn_named(const char *name)
{
	int p[2];
	pid_t c;
	char ok;

	ck_assert_int_eq(pipe(p), 0);
	c = fork();
	ck_assert_int_ge(c, 0);
	if (c == 0) {
		prctl(PR_SET_NAME, name);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		alarm(30);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(p[0], &ok, 1), 1);
	close(p[0]);
	close(p[1]);
	return c;
}

static void check_child(pid_t c)
{
	struct lb_owner *o = NULL;

	ck_assert_int_eq(lb__process_info((uint32_t)c, &o), 0);
	ck_assert_uint_eq(o->pid, (uint32_t)c);
	ck_assert_uint_eq(o->ppid, (uint32_t)getpid());
	ck_assert_str_eq(o->name, "lbt-info");
	ck_assert_ptr_nonnull(o->cmdline);
	ck_assert_ptr_nonnull(strstr(o->cmdline, "test-process-info"));
	ck_assert_uint_ge(o->argc, 1);
	ck_assert_uint_eq(o->uid, (uint32_t)geteuid());
	ck_assert_ptr_nonnull(o->user);
	ck_assert_uint_gt(o->start_time, 1600000000000ULL);
	lb__owner_free(o);
}

START_TEST(test_real_child)
{
	struct lb_owner *o = NULL;
	pid_t c = spawn_named("lbt-info");

	unsetenv("LOOPBACK_BACKEND");
	check_child(c);
	/* A forced backend answers through its own hook. */
	setenv("LOOPBACK_BACKEND", "procfs", 1);
	check_child(c);
	unsetenv("LOOPBACK_BACKEND");
	kill(c, SIGKILL);
	ck_assert_int_eq(waitpid(c, NULL, 0), c);
	ck_assert_int_eq(lb__process_info((uint32_t)c, &o), LB_ENOENT);
	ck_assert_int_eq(lb__process_info(0, &o), LB_EINVAL);
	ck_assert_int_eq(lb__process_info(1, NULL), LB_EINVAL);
}
END_TEST

#if LB_TEST_DOUBLES
/* The mock's hook: the fixture's owner line, not the machine's process. */
START_TEST(test_mock)
{
	struct lb_owner *o = NULL;

	setenv("LOOPBACK_BACKEND", "mock", 1);
	setenv("LOOPBACK_MOCK_FILE", LB_TEST_DATA "/sock-mock-basic.txt", 1);
	ck_assert_int_eq(lb__process_info(4242, &o), 0);
	ck_assert_uint_eq(o->pid, 4242);
	ck_assert_str_eq(o->name, "node");
	ck_assert_str_eq(o->cmdline, "node server.js --port 8080");
	ck_assert_str_eq(o->exe, "/usr/bin/node");
	ck_assert_str_eq(o->user, "dev");
	lb__owner_free(o);
	ck_assert_int_eq(lb__process_info((uint32_t)getpid(), &o), LB_ENOENT);
	unsetenv("LOOPBACK_BACKEND");
	unsetenv("LOOPBACK_MOCK_FILE");
}
END_TEST
#endif

static Suite *process_info_suite(void)
{
	Suite *s = suite_create("process-info");
	TCase *tc = tcase_create("process-info");

	tcase_add_test(tc, test_real_child);
#if LB_TEST_DOUBLES
	tcase_add_test(tc, test_mock);
#endif
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(process_info_suite)
