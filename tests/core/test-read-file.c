/* SPDX-License-Identifier: MIT */
/* Tests for lib/core/read-file.c: the one reader of small files, on real files
 * in a private temporary directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lb-test.h"
#include "core/read-file.h"
#include <loopback.h>

static char dir[64];

static void setup(void)
{
	strcpy(dir, "/tmp/lb-read-file-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Write @len bytes of a known pattern to @name in the test directory. */
static const char *make_file(const char *name, size_t len)
{
	static char path[128];
	char *data = malloc(len + 1);
	size_t i;
	int fd;

	ck_assert_ptr_nonnull(data);
	for (i = 0; i < len; i++)
		data[i] = (char)('a' + i % 26);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
	return path;
}

static void assert_pattern(const char *buf, size_t len)
{
	char *want = malloc(len + 1);
	size_t i;

	ck_assert_ptr_nonnull(want);
	for (i = 0; i < len; i++)
		want[i] = (char)('a' + i % 26);
	/* One comparison, not one assertion per byte (slow under sanitizers). */
	ck_assert_msg(memcmp(buf, want, len) == 0, "content of %zu bytes differs", len);
	ck_assert_int_eq(buf[len], '\0');
	free(want);
}

START_TEST(test_small_missing)
{
	char buf[16], path[128];
	size_t len = 99;

	snprintf(path, sizeof(path), "%s/none", dir);
	ck_assert_int_eq(lb__read_small(path, buf, sizeof(buf), &len), LB_ENOENT);
	ck_assert_uint_eq(len, 99); /* untouched on failure */
	/* A path through a regular file is just as missing (ENOTDIR). */
	snprintf(path, sizeof(path), "%s/file/none", dir);
	make_file("file", 3);
	ck_assert_int_eq(lb__read_small(path, buf, sizeof(buf), &len), LB_ENOENT);
}
END_TEST

START_TEST(test_small_empty)
{
	char buf[16];
	size_t len = 99;

	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(lb__read_small(make_file("empty", 0), buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(buf[0], '\0');
}
END_TEST

START_TEST(test_small_sizes)
{
	char buf[16];
	size_t len, n;

	/* Up to size - 1 bytes fit and are NUL-terminated. */
	for (n = 1; n < sizeof(buf); n++) {
		len = 99;
		ck_assert_int_eq(lb__read_small(make_file("f", n), buf, sizeof(buf), &len), 0);
		ck_assert_uint_eq(len, n);
		assert_pattern(buf, n);
	}
	/* Exactly the buffer's size: more may follow, so it is bad data. */
	len = 99;
	ck_assert_int_eq(lb__read_small(make_file("f", sizeof(buf)), buf, sizeof(buf), &len),
			 LB_EBADDATA);
	ck_assert_uint_eq(len, 99);
	/* Far too big. */
	ck_assert_int_eq(lb__read_small(make_file("f", 100000), buf, sizeof(buf), &len),
			 LB_EBADDATA);
	ck_assert_uint_eq(len, 99);
	/* A one-byte buffer holds only the empty file. */
	ck_assert_int_eq(lb__read_small(make_file("f", 0), buf, 1, &len), 0);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(lb__read_small(make_file("f", 1), buf, 1, &len), LB_EBADDATA);
}
END_TEST

START_TEST(test_small_directory)
{
	char buf[16];
	size_t len = 99;

	ck_assert_int_eq(lb__read_small(dir, buf, sizeof(buf), &len), LB_EIO);
	ck_assert_uint_eq(len, 99);
}
END_TEST

START_TEST(test_small_unreadable)
{
	char buf[16];
	size_t len = 99;
	const char *path = make_file("secret", 4);
	pid_t pid;
	int status;

	ck_assert_int_eq(chmod(path, 0), 0);
	if (geteuid() != 0) {
		ck_assert_int_eq(lb__read_small(path, buf, sizeof(buf), &len), LB_EPERM);
		ck_assert_uint_eq(len, 99);
		return;
	}
	/* Root reads anything: drop to nobody in a child to be refused. */
	ck_assert_int_eq(chmod(dir, 0711), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(3);
		_exit(lb__read_small(path, buf, sizeof(buf), &len) == LB_EPERM && len == 99 ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_small_proc)
{
	/* /proc files report size 0 but have content: read like any other. */
	char buf[4096];
	size_t len = 0;
	char want[32];

	if (access("/proc/self/stat", R_OK) != 0)
		return;
	ck_assert_int_eq(lb__read_small("/proc/self/stat", buf, sizeof(buf), &len), 0);
	snprintf(want, sizeof(want), "%d (", (int)getpid());
	ck_assert_uint_gt(len, strlen(want));
	ck_assert_int_eq(strncmp(buf, want, strlen(want)), 0);
	ck_assert_uint_eq(strlen(buf), len);
}
END_TEST

START_TEST(test_small_args)
{
	char buf[4];
	size_t len;

	ck_assert_int_eq(lb__read_small(NULL, buf, sizeof(buf), &len), LB_EINVAL);
	ck_assert_int_eq(lb__read_small(dir, NULL, sizeof(buf), &len), LB_EINVAL);
	ck_assert_int_eq(lb__read_small(dir, buf, 0, &len), LB_EINVAL);
	ck_assert_int_eq(lb__read_small(dir, buf, sizeof(buf), NULL), LB_EINVAL);
}
END_TEST

START_TEST(test_all_sizes)
{
	/* Around the first allocation (16384) and its growth step (4096). */
	static const size_t sizes[] = { 0, 1, 12287, 12288, 12289, 16383, 16384, 16385,
					28671, 28672, 28673, 65536, 300001 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *buf = NULL;
		size_t len = 99;

		ck_assert_int_eq(lb__read_all(make_file("f", sizes[i]), &buf, &len), 0);
		ck_assert_ptr_nonnull(buf);
		ck_assert_uint_eq(len, sizes[i]);
		assert_pattern(buf, len);
		free(buf);
	}
}
END_TEST

START_TEST(test_all_errors)
{
	char path[128], *buf = (char *)"untouched";
	size_t len = 99;

	snprintf(path, sizeof(path), "%s/none", dir);
	ck_assert_int_eq(lb__read_all(path, &buf, &len), LB_ENOENT);
	ck_assert_int_eq(lb__read_all(dir, &buf, &len), LB_EIO);
	ck_assert_str_eq(buf, "untouched");
	ck_assert_uint_eq(len, 99);
	ck_assert_int_eq(lb__read_all(NULL, &buf, &len), LB_EINVAL);
	ck_assert_int_eq(lb__read_all(path, NULL, &len), LB_EINVAL);
	ck_assert_int_eq(lb__read_all(path, &buf, NULL), LB_EINVAL);
}
END_TEST

START_TEST(test_all_proc)
{
	char *buf = NULL;
	size_t len = 0;

	if (access("/proc/net/unix", R_OK) != 0)
		return;
	ck_assert_int_eq(lb__read_all("/proc/net/unix", &buf, &len), 0);
	ck_assert_int_eq(strncmp(buf, "Num ", 4), 0);
	ck_assert_uint_eq(strlen(buf), len);
	free(buf);
}
END_TEST

/* Neither reader hangs on a FIFO (nobody writes to it) or balloons on
 * /dev/zero, nor follows a symbolic link: each is LB_EIO at once. The
 * test case timeout (2 s) catches a hang; the time is checked too. */
START_TEST(test_not_regular)
{
	char fifo[128], link[128], buf[64], *all = NULL;
	struct timespec t0, t1;
	size_t len = 0;
	double secs;

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	snprintf(link, sizeof(link), "%s/link", dir);
	make_file("target", 10);
	ck_assert_int_eq(symlink("target", link), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(lb__read_small(fifo, buf, sizeof(buf), &len), LB_EIO);
	ck_assert_int_eq(lb__read_all(fifo, &all, &len), LB_EIO);
	ck_assert_int_eq(lb__read_small("/dev/zero", buf, sizeof(buf), &len), LB_EIO);
	ck_assert_int_eq(lb__read_all("/dev/zero", &all, &len), LB_EIO);
	ck_assert_int_eq(lb__read_all("/dev/null", &all, &len), LB_EIO);
	ck_assert_int_eq(lb__read_small(link, buf, sizeof(buf), &len), LB_EIO);
	ck_assert_int_eq(lb__read_all(link, &all, &len), LB_EIO);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs < 1.0, "took %.3f s", secs);
	ck_assert_ptr_null(all);
	/* The symlink's target itself reads fine. */
	snprintf(link, sizeof(link), "%s/target", dir);
	ck_assert_int_eq(lb__read_small(link, buf, sizeof(buf), &len), 0);
	ck_assert_uint_eq(len, 10);
}
END_TEST

static Suite *read_file_suite(void)
{
	Suite *s = suite_create("read-file");
	TCase *tc = tcase_create("small");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_small_missing);
	tcase_add_test(tc, test_small_empty);
	tcase_add_test(tc, test_small_sizes);
	tcase_add_test(tc, test_small_directory);
	tcase_add_test(tc, test_small_unreadable);
	tcase_add_test(tc, test_small_proc);
	tcase_add_test(tc, test_small_args);
	suite_add_tcase(s, tc);
	tc = tcase_create("all");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_all_sizes);
	tcase_add_test(tc, test_all_errors);
	tcase_add_test(tc, test_all_proc);
	tcase_add_test(tc, test_not_regular);
	tcase_set_timeout(tc, 2);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(read_file_suite)
