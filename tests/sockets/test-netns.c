/* SPDX-License-Identifier: MIT */
/* Network namespaces for socket queries (lib/sockets/netns.h, Linux:
 * lib/os/linux/netns.c): the caller's own, entering one by pid or by
 * path, a path that is not a namespace, and what needs privilege. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "sockets/backend.h"
#include "sockets/netns.h"

static uint64_t ns_inode(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

/* Run inside a namespace by lb__netns_call(): 0 when the calling thread
 * is in the namespace *@arg names, else LB_EIO. */
static int in_ns(void *arg)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return LB_EIO;
	return (uint64_t)st.st_ino == *(const uint64_t *)arg ? 0 : LB_EIO;
}

static lb_query *query(void)
{
	lb_query *q = NULL;

	ck_assert_int_eq(lb_query_new(&q), 0);
	return q;
}

START_TEST(test_own)
{
	struct lb__nsctx *ns = NULL;
	uint64_t own = ns_inode("/proc/thread-self/ns/net");
	lb_query *q = query();
	size_t n = 0;

	ck_assert_int_eq(lb__netns_open(q, &ns, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(ns[0].netns_fd, -1); /* nothing to enter */
	ck_assert_uint_eq(ns[0].netns_ino, own);
	ck_assert_int_eq(lb__netns_call(&ns[0], in_ns, &own), 0);
	lb__netns_close(ns, n);
	lb_query_free(q);
}
END_TEST

/* Our own namespace named by pid and by path: entered, and the same. */
START_TEST(test_by_pid_and_path)
{
	struct lb__nsctx *ns = NULL;
	uint64_t own = ns_inode("/proc/thread-self/ns/net");
	lb_query *q = query();
	size_t n = 0;

	ck_assert_int_eq(lb_query_set_netns_pid(q, (uint32_t)getpid()), 0);
	ck_assert_int_eq(lb__netns_open(q, &ns, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_ge(ns[0].netns_fd, 0);
	ck_assert_uint_eq(ns[0].netns_ino, own);
	ck_assert_int_eq(lb__netns_call(&ns[0], in_ns, &own), 0);
	lb__netns_close(ns, n);
	ck_assert_int_eq(lb_query_set_netns_path(q, "/proc/self/ns/net"), 0);
	ck_assert_int_eq(lb__netns_open(q, &ns, &n), 0);
	ck_assert_uint_eq(ns[0].netns_ino, own);
	lb__netns_close(ns, n);
	lb_query_free(q);
}
END_TEST

/* A child in a namespace of its own (needs CAP_SYS_ADMIN: skipped
 * without): entered by its pid, the function runs there. */
START_TEST(test_enter_other)
{
	struct lb__nsctx *ns = NULL;
	uint64_t own = ns_inode("/proc/thread-self/ns/net"), other;
	lb_query *q = query();
	char path[64];
	int p[2];
	size_t n = 0;
	pid_t c;
	char ok = 0;

	ck_assert_int_eq(pipe(p), 0);
	c = fork();
	ck_assert_int_ge(c, 0);
	if (c == 0) {
		ok = unshare(CLONE_NEWNET) == 0;
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		alarm(30);
		pause();
		_exit(0);
	}
	ck_assert_int_eq(read(p[0], &ok, 1), 1);
	close(p[0]);
	close(p[1]);
	if (ok) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)c);
		other = ns_inode(path);
		ck_assert_uint_ne(other, own);
		ck_assert_int_eq(lb_query_set_netns_pid(q, (uint32_t)c), 0);
		ck_assert_int_eq(lb__netns_open(q, &ns, &n), 0);
		ck_assert_uint_eq(ns[0].netns_ino, other);
		ck_assert_int_eq(lb__netns_call(&ns[0], in_ns, &other), 0);
		lb__netns_close(ns, n);
		/* The caller's own thread never moved. */
		ck_assert_uint_eq(ns_inode("/proc/thread-self/ns/net"), own);
	}
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	lb_query_free(q);
}
END_TEST

/* A path that does not open, or is not a network namespace: an error, and
 * no descriptor of the caller's is closed on the way out (descriptor 0
 * was once). */
START_TEST(test_bad_path)
{
	struct lb__nsctx *ns = NULL;
	lb_query *q = query();
	size_t n = 0;

	if (fcntl(0, F_GETFD) < 0)
		ck_assert_int_eq(open("/dev/null", O_RDONLY), 0);
	ck_assert_int_eq(lb_query_set_netns_path(q, "/nonexistent/lb-netns"), 0);
	ck_assert_int_eq(lb__netns_open(q, &ns, &n), LB_ENOENT);
	ck_assert_int_ge(fcntl(0, F_GETFD), 0);
	ck_assert_int_eq(lb_query_set_netns_path(q, "/proc/self/ns/uts"), 0);
	ck_assert_int_eq(lb__netns_open(q, &ns, &n), LB_EINVAL);
	ck_assert_int_ge(fcntl(0, F_GETFD), 0);
	ck_assert_int_eq(lb_query_set_netns_path(q, "/dev/null"), 0);
	ck_assert_int_eq(lb__netns_open(q, &ns, &n), LB_EINVAL);
	ck_assert_int_eq(lb_query_set_netns_pid(q, 0x7ffffff0u), 0); /* no such pid */
	ck_assert_int_eq(lb__netns_open(q, &ns, &n), LB_ENOENT);
	ck_assert_int_ge(fcntl(0, F_GETFD), 0);
	lb_query_free(q);
}
END_TEST

/* Without privilege: every namespace, another process's, and entering
 * even one's own are LB_EPERM. As root, checked in a child that drops to
 * nobody. */
static int unprivileged_checks(void)
{
	struct lb__nsctx *ns = NULL;
	uint64_t own = ns_inode("/proc/thread-self/ns/net");
	lb_query *q = query();
	size_t n = 0;
	int bad = 0;

	ck_assert_int_eq(lb_query_set_all_netns(q, 1), 0);
	bad |= lb__netns_open(q, &ns, &n) != LB_EPERM;
	ck_assert_int_eq(lb_query_set_all_netns(q, 0), 0);
	ck_assert_int_eq(lb_query_set_netns_pid(q, 1), 0);
	bad |= (lb__netns_open(q, &ns, &n) != LB_EPERM) << 1;
	ck_assert_int_eq(lb_query_set_netns_path(q, "/proc/self/ns/net"), 0);
	if (lb__netns_open(q, &ns, &n) == 0) {
		bad |= (lb__netns_call(&ns[0], in_ns, &own) != LB_EPERM) << 2;
		lb__netns_close(ns, n);
	} else {
		bad |= 8;
	}
	lb_query_free(q);
	return bad;
}

START_TEST(test_no_permission)
{
	pid_t c;
	int st;

	if (geteuid() != 0) {
		ck_assert_int_eq(unprivileged_checks(), 0);
		return;
	}
	c = fork();
	ck_assert_int_ge(c, 0);
	if (c == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(99);
		_exit(unprivileged_checks());
	}
	ck_assert_int_eq(waitpid(c, &st, 0), c);
	ck_assert(WIFEXITED(st));
	ck_assert_msg(WEXITSTATUS(st) == 0, "unprivileged checks failed: mask %d", WEXITSTATUS(st));
}
END_TEST

static Suite *netns_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *tc = tcase_create("netns");

	tcase_add_test(tc, test_own);
	tcase_add_test(tc, test_by_pid_and_path);
	tcase_add_test(tc, test_enter_other);
	tcase_add_test(tc, test_bad_path);
	tcase_add_test(tc, test_no_permission);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(netns_suite)
