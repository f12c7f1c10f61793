/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/backend/lease-flock.c (the macOS/FreeBSD lease), run on
 * Linux with real files, locks and processes.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "backend/lease-flock.h"
#include <loopback.h>

static char dir[256];

static void make_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/lb-flock-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_tmp(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_take_release)
{
	char path[300];
	int d, fd, fd2 = -1, fu;

	make_tmp();
	snprintf(path, sizeof(path), "%s/leases", dir);
	d = lb__flock_dir_open(path); /* created 0700 */
	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(lb__flock_take(d, 62893, LB_FLOCK_TCP, &fd), 0);
	/* Held: a second open file (even in this process) is refused. */
	ck_assert_int_eq(lb__flock_take(d, 62893, LB_FLOCK_TCP, &fd2), LB_ELEASED);
	ck_assert_int_eq(fd2, -1);
	/* TCP and UDP are separate leases. */
	ck_assert_int_eq(lb__flock_take(d, 62893, LB_FLOCK_UDP, &fu), 0);
	close(fu);
	close(fd);
	ck_assert_int_eq(lb__flock_take(d, 62893, LB_FLOCK_TCP, &fd), 0);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
	ck_assert_int_eq(lb__flock_take(d, 0, LB_FLOCK_TCP, &fd), LB_EINVAL);
	ck_assert_int_eq(lb__flock_take(d, 1, 7, &fd), LB_EINVAL);
	close(d);
	rm_tmp();
}
END_TEST

START_TEST(test_released_on_death)
{
	char path[300];
	int d, fd, p[2];
	pid_t pid;
	char c;

	make_tmp();
	snprintf(path, sizeof(path), "%s/leases", dir);
	d = lb__flock_dir_open(path);
	ck_assert_int_ge(d, 0);
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int cfd;

		if (lb__flock_take(d, 40000, LB_FLOCK_TCP, &cfd) != 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause(); /* hold it until killed */
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(lb__flock_take(d, 40000, LB_FLOCK_TCP, &fd), LB_ELEASED);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	/* The kernel dropped the lock with the process. */
	ck_assert_int_eq(lb__flock_take(d, 40000, LB_FLOCK_TCP, &fd), 0);
	close(fd);
	close(p[0]);
	close(d);
	rm_tmp();
}
END_TEST

START_TEST(test_unsafe_dirs)
{
	char path[300], link[300];
	int d, fd;

	make_tmp();
	/* Too open. */
	snprintf(path, sizeof(path), "%s/open", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(lb__flock_dir_open(path), LB_EPERM);
	/* A symlink to a good directory. */
	snprintf(path, sizeof(path), "%s/good", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(link, sizeof(link), "%s/link", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(lb__flock_dir_open(link), LB_EPERM);
	/* A file. */
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(lb__flock_dir_open(path), LB_EPERM);
	/* A lease file that is a symlink (planted by someone) is refused. */
	snprintf(path, sizeof(path), "%s/good", dir);
	d = lb__flock_dir_open(path);
	ck_assert_int_ge(d, 0);
	snprintf(link, sizeof(link), "%s/good/tcp-5000", dir);
	ck_assert_int_eq(symlink("/etc/passwd", link), 0);
	ck_assert_int_eq(lb__flock_take(d, 5000, LB_FLOCK_TCP, &fd), LB_EPERM);
	close(d);
	ck_assert_int_eq(lb__flock_dir_open(""), LB_EINVAL);
	rm_tmp();
}
END_TEST

START_TEST(test_dir_path)
{
	char buf[256], want[64];

	snprintf(want, sizeof(want), "/var/tmp/loopback-%lu", (unsigned long)geteuid());
	setenv("TMPDIR", "/var/tmp/", 1);
	ck_assert_int_eq(lb__flock_dir_path(buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, want);
	setenv("TMPDIR", "relative", 1);
	ck_assert_int_eq(lb__flock_dir_path(buf, sizeof(buf)), 0);
	ck_assert_int_eq(strncmp(buf, "/tmp/loopback-", 14), 0);
	ck_assert_int_eq(lb__flock_dir_path(buf, 8), LB_ENOSPC);
	unsetenv("TMPDIR");
}
END_TEST

static Suite *flock_suite(void)
{
	Suite *s = suite_create("lease-flock");
	TCase *tc = tcase_create("flock");

	tcase_add_test(tc, test_take_release);
	tcase_add_test(tc, test_released_on_death);
	tcase_add_test(tc, test_unsafe_dirs);
	tcase_add_test(tc, test_dir_path);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(flock_suite)
