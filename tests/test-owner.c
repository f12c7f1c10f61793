/* SPDX-License-Identifier: MIT */
/* Tests for lib/owner.c: the pure parsers on recorded text, and the
 * /proc scan on real sockets held by forked children. */
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "owner.h"

#define S(x) (x), strlen(x)

START_TEST(test_stat_parse)
{
	struct lb__proc_stat st;
	/* Recorded from a process named "a) b (c" to show the last-')' rule. */
	const char *t = "4242 (a) b (c) S 4100 4242 4100 34816 4242 4194304 95 0 0 0 0 0 0 0 20 0 1 0 987654 "
			"5771264 224 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

	ck_assert_int_eq(lb__proc_stat_parse(S(t), &st), 0);
	ck_assert_uint_eq(st.pid, 4242);
	ck_assert_str_eq(st.comm, "a) b (c");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_uint_eq(st.ppid, 4100);
	ck_assert_uint_eq(st.starttime, 987654);
	/* Negative fields (priority of a realtime task) are fine. */
	ck_assert_int_eq(lb__proc_stat_parse(S("7 (x) R 1 7 7 0 -1 4194560 0 0 0 0 0 0 0 0 -51 0 1 0 55 0 0\n"), &st), 0);
	ck_assert_uint_eq(st.starttime, 55);
	ck_assert_int_eq(lb__proc_stat_parse(S(""), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 x) S 1"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 (x S 1 2 3"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 (x) S 1 2 3"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 (x) S a 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("(x) S 1"), &st), LB_EBADDATA);
}
END_TEST

START_TEST(test_link_parse)
{
	uint64_t ino = 7;

	ck_assert_int_eq(lb__socket_link_inode(S("socket:[135973]"), &ino), 0);
	ck_assert_uint_eq(ino, 135973);
	ck_assert_int_eq(lb__socket_link_inode(S("/dev/null"), &ino), LB_ENOENT);
	ck_assert_int_eq(lb__socket_link_inode(S("pipe:[12]"), &ino), LB_ENOENT);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[]"), &ino), LB_EBADDATA);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[12"), &ino), LB_EBADDATA);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[12]x"), &ino), LB_EBADDATA);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[99999999999999999999]"), &ino), LB_EBADDATA);
	ck_assert_uint_eq(ino, 135973);
}
END_TEST

START_TEST(test_cmdline_btime)
{
	char *s = lb__cmdline_join("python3\0-m\0http.server\0", 23);
	uint64_t bt = 0;

	ck_assert_str_eq(s, "python3 -m http.server");
	free(s);
	s = lb__cmdline_join("", 0);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_int_eq(lb__proc_btime_parse(S("cpu  1 2 3\nintr 5\nbtime 1763880000\nprocesses 9\n"), &bt), 0);
	ck_assert_uint_eq(bt, 1763880000);
	ck_assert_int_eq(lb__proc_btime_parse(S("cpu 1\n"), &bt), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_btime_parse(S("btime x\n"), &bt), LB_EBADDATA);
}
END_TEST

/* A child that holds a listening socket (on a port leased for the test
 * in *@ret_lease, held by the test only), and forks a grandchild that
 * shares it. Returns the child's pid; *ret_inode the socket's inode. */
static pid_t spawn_holder(lb_lease **ret_lease, uint64_t *ret_inode, pid_t *ret_grandchild)
{
	int p[2], fd = -1;
	struct stat st;
	pid_t pid;
	int msg[2];

	ck_assert_int_eq(pipe(p), 0);
	*ret_lease = lb_test_lease(LB_PICK_TCP, LB_PICK_FAMILY_IPV4, 1);
	ck_assert_int_eq(lb_lease_listen(*ret_lease, 0, LB_PICK_TCP, NULL, &fd), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	*ret_inode = (uint64_t)st.st_ino;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t g;

		lb_lease_release(*ret_lease);
		g = fork();

		if (g == 0) {
			prctl(PR_SET_NAME, "lbt-grandchild");
			close(p[0]);
			close(p[1]);
			alarm(30);
			pause();
			_exit(0);
		}
		msg[0] = g;
		if (write(p[1], msg, sizeof(msg[0])) < 0)
			_exit(1);
		alarm(30);
		pause();
		_exit(0);
	}
	close(fd);
	close(p[1]);
	ck_assert_int_eq(read(p[0], msg, sizeof(msg[0])), (ssize_t)sizeof(msg[0]));
	close(p[0]);
	*ret_grandchild = msg[0];
	return pid;
}

static size_t count_pid(const struct lb__owner_scan *sc, uint64_t ino, uint32_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < sc->n_links; i++)
		if (sc->links[i].inode == ino && (pid == 0 || sc->links[i].pid == pid))
			n++;
	return n;
}

START_TEST(test_scan_shared_by_fork)
{
	struct lb__owner_scan *sc = NULL;
	struct lb_owner *o = NULL;
	uint64_t ino, bogus[2];
	lb_lease *lease;
	pid_t g, c = spawn_holder(&lease, &ino, &g);
	int modes[2] = { LB_OWNERS_DEFAULT, LB_OWNERS_ALL }, m;

	for (m = 0; m < 2; m++) {
		ck_assert_int_eq(lb__owners_of_inodes(&ino, 1, modes[m], &sc), 0);
		ck_assert_uint_eq(count_pid(sc, ino, 0), 2); /* exactly child and grandchild */
		ck_assert_uint_eq(count_pid(sc, ino, (uint32_t)c), 1);
		ck_assert_uint_eq(count_pid(sc, ino, (uint32_t)g), 1);
		lb__owner_scan_free(sc);
	}
	ck_assert_int_eq(lb__owners_of_pid((uint32_t)c, 0, &sc), 0);
	ck_assert_uint_eq(count_pid(sc, ino, 0), 1);
	lb__owner_scan_free(sc);
	ck_assert_int_eq(lb__owners_of_pid((uint32_t)c, 1, &sc), 0);
	ck_assert_uint_eq(count_pid(sc, ino, 0), 2);
	lb__owner_scan_free(sc);
	ck_assert_int_eq(lb__owner_info((uint32_t)g, &o), 0);
	ck_assert_uint_eq(o->pid, (uint32_t)g);
	ck_assert_uint_eq(o->ppid, (uint32_t)c);
	ck_assert_str_eq(o->name, "lbt-grandchild");
	ck_assert_uint_eq(o->uid, (uint32_t)geteuid());
	ck_assert_ptr_nonnull(o->exe);
	/* Our executable, or valgrind's when run under it. */
	ck_assert_msg(strstr(o->exe, "test-owner") || strstr(o->exe, "valgrind"), "exe %s", o->exe);
	ck_assert_ptr_nonnull(strstr(o->cmdline, "test-owner"));
	ck_assert_uint_gt(o->start_time, 1600000000000ULL);
	lb__owner_free(o);
	/* An inode nobody holds: a full scan, nothing found. */
	bogus[0] = 1;
	bogus[1] = 0;
	ck_assert_int_eq(lb__owners_of_inodes(bogus, 2, LB_OWNERS_DEFAULT, &sc), 0);
	ck_assert_uint_eq(sc->n_links, 0);
	lb__owner_scan_free(sc);
	kill(g, SIGKILL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	/* The grandchild is reparented; wait until it is gone from /proc. */
	for (m = 0; m < 200 && lb__owner_info((uint32_t)g, &o) == 0; m++) {
		lb__owner_free(o);
		usleep(10000);
	}
	ck_assert_int_eq(lb__owner_info((uint32_t)g, &o), LB_ENOENT);
	ck_assert_int_eq(lb__owners_of_pid((uint32_t)g, 0, &sc), LB_ENOENT);
	ck_assert_int_eq(lb__owners_of_inodes(&ino, 1, 7, &sc), LB_EINVAL);
	ck_assert_int_eq(lb__owners_of_inodes(NULL, 1, LB_OWNERS_ALL, &sc), LB_EINVAL);
	lb_lease_release(lease);
}
END_TEST

static Suite *owner_suite(void)
{
	Suite *s = suite_create("owner");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_stat_parse);
	tcase_add_test(tc, test_link_parse);
	tcase_add_test(tc, test_cmdline_btime);
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_add_test(tc, test_scan_shared_by_fork);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(owner_suite)
