/* SPDX-License-Identifier: MIT */
/* Tests for lib/ports/lease.c and lib/os/linux/lease-*.c: the lease name
 * and /proc/net/unix parsers on fixtures, then leases on real sockets and
 * processes (holders, inheritance, a killed holder, the lease directory). */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "os/linux/lease-parse.h"
#include <loopback.h>

/* ---- pure parsers ---- */

static const char unix_table[] =
	"Num       RefCount Protocol Flags    Type St Inode Path\n"
	"000000005846b8ef: 00000003 00000000 00000000 0001 03  1513\n"
	"00000000eb1df85d: 00000002 00000000 00000000 0001 01 135714 @loopback/lease/tcp/14173\n"
	"000000006d994b52: 00000002 00000000 00000000 0001 01 135717 @loopback/lease/tcp/141730\n"
	"000000006d994b53: 00000002 00000000 00010000 0001 01 99 /run/x @loopback/lease/udp/1\n"
	"000000006d994b54: 00000002 00000000 00000000 0002 01 18446744073709551615 @loopback/lease/udp/9\n";

START_TEST(test_unix_table_find)
{
	uint64_t ino = 1;

	ck_assert_int_eq(lb__unix_table_find(unix_table, strlen(unix_table),
					     "@loopback/lease/tcp/14173", &ino), 0);
	ck_assert_uint_eq(ino, 135714);
	ck_assert_int_eq(lb__unix_table_find(unix_table, strlen(unix_table),
					     "@loopback/lease/tcp/141730", &ino), 0);
	ck_assert_uint_eq(ino, 135717);
	ck_assert_int_eq(lb__unix_table_find(unix_table, strlen(unix_table),
					     "@loopback/lease/udp/9", &ino), 0);
	ck_assert(ino == UINT64_MAX);
	ino = 1;
	/* A path that only contains the name, or a prefix of one, is not it. */
	ck_assert_int_eq(lb__unix_table_find(unix_table, strlen(unix_table),
					     "@loopback/lease/udp/1", &ino), LB_ENOENT);
	ck_assert_int_eq(lb__unix_table_find(unix_table, strlen(unix_table),
					     "@loopback/lease/tcp/1417", &ino), LB_ENOENT);
	ck_assert_uint_eq(ino, 1);
}
END_TEST

START_TEST(test_unix_table_bad)
{
	static const char *const bad[] = {
		"", "garbage\n",
		"Num RefCount\n0000: 2 0 0 1 01\n",                /* six fields */
		"Num RefCount\n0000: 2 0 0 1 01 12x @a\n",          /* inode not a number */
		"Num RefCount\n0000: 2 0 0 1 01 99999999999999999999 @a\n",
	};
	size_t i;
	uint64_t ino;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(lb__unix_table_find(bad[i], strlen(bad[i]), "@a", &ino) ==
			      LB_EBADDATA, "accepted '%s'", bad[i]);
	ck_assert_int_eq(lb__unix_table_find("Num x\n", 6, "@a", &ino), LB_ENOENT);
	ck_assert_int_eq(lb__unix_table_find(NULL, 0, "@a", &ino), LB_EINVAL);
}
END_TEST

START_TEST(test_lease_name)
{
	char b[LB_LEASE_NAME_MAX];

	ck_assert_int_eq(lb__lease_name(b, sizeof(b), 62893, LB_PICK_TCP), 0);
	ck_assert_str_eq(b, "loopback/lease/tcp/62893");
	ck_assert_int_eq(lb__lease_name(b, sizeof(b), 65535, LB_PICK_UDP), 0);
	ck_assert_str_eq(b, "loopback/lease/udp/65535");
	ck_assert_int_eq(lb__lease_name(b, sizeof(b), 0, LB_PICK_UDP), LB_EINVAL);
	ck_assert_int_eq(lb__lease_name(b, sizeof(b), 1, 3), LB_EINVAL);
	ck_assert_int_eq(lb__lease_name(b, 5, 1, LB_PICK_TCP), LB_ENOSPC);
}
END_TEST

/* ---- leases on this host ---- */

/* lb_lease_flags(): 0 where IPv6 works; LB_LEASE_IPV4_ONLY from a network
 * namespace of its own with IPv6 disabled (a child reports the flags). */
static int flags_in_ns_without_ipv6(int family)
{
	int p[2], st, v = -1;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		lb_pick_options o = LB_PICK_OPTIONS_INIT;
		lb_lease *l = NULL;
		int fd, r = -2;

		close(p[0]);
		o.family = family;
		if (unshare(CLONE_NEWNET) == 0 &&
		    (fd = open("/proc/sys/net/ipv6/conf/all/disable_ipv6", O_WRONLY)) >= 0) {
			r = write(fd, "1", 1) == 1 ? 0 : -3;
			close(fd);
		}
		if (r == 0 && (fd = open("/proc/sys/net/ipv6/conf/lo/disable_ipv6", O_WRONLY)) >= 0) {
			r = write(fd, "1", 1) == 1 ? 0 : -3;
			close(fd);
		}
		if (r == 0)
			r = lb_port_pick(&o, &l) == 0 ? (int)lb_lease_flags(l) : -4;
		lb_lease_release(l);
		if (write(p[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &v, sizeof(v)), (ssize_t)sizeof(v));
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return v;
}

START_TEST(test_lease_flags)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;

	ck_assert_uint_eq(lb_lease_flags(NULL), 0);
	if (access("/proc/sys/net/ipv6/conf/lo/disable_ipv6", F_OK) < 0) {
		fprintf(stderr, "# skipped: no IPv6 on this host\n");
		return;
	}
	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	ck_assert_uint_eq(lb_lease_flags(l), 0); /* IPv6 works here */
	lb_lease_release(l);
	o.family = LB_PICK_FAMILY_IPV4;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_flags(l), 0); /* IPv4 asked for: nothing given up */
	lb_lease_release(l);
	if (geteuid() != 0) {
		fprintf(stderr, "# skipped: a network namespace needs root\n");
		return;
	}
	ck_assert_int_eq(flags_in_ns_without_ipv6(LB_PICK_FAMILY_BOTH), LB_LEASE_IPV4_ONLY);
	ck_assert_int_eq(flags_in_ns_without_ipv6(LB_PICK_FAMILY_IPV6), LB_LEASE_IPV4_ONLY);
	ck_assert_int_eq(flags_in_ns_without_ipv6(LB_PICK_FAMILY_IPV4), 0);
}
END_TEST

START_TEST(test_lease_holders_self)
{
	lb_lease *l = NULL;
	int pids[4] = { 0, 0, 0, 0 };
	uint16_t p;

	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	p = lb_lease_port(l, 0);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 4), 1);
	ck_assert_int_eq(pids[0], getpid());
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, NULL, 0), 1);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_UDP, pids, 4), LB_ENOENT);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, NULL, 1), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(0, LB_PICK_TCP, pids, 4), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(p, 0, pids, 4), LB_EINVAL);
	lb_lease_release(l);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 4), LB_ENOENT);
}
END_TEST

/* A holder killed with SIGKILL: its lease is free at once. */
START_TEST(test_lease_sigkill)
{
	int pfd[2], status, pids[2];
	uint16_t p = 0;
	pid_t child;
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;

	ck_assert_int_eq(pipe(pfd), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		lb_lease *cl;

		if (lb_port_pick(NULL, &cl) < 0)
			_exit(1);
		p = lb_lease_port(cl, 0);
		if (write(pfd[1], &p, sizeof(p)) != sizeof(p))
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &p, sizeof(p)), sizeof(p));
	close(pfd[0]);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 2), 1);
	ck_assert_int_eq(pids[0], child);
	o.first = o.last = p;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	ck_assert_int_eq(kill(child, SIGKILL), 0);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	/* No wait, no retry: free the moment the holder is reaped. */
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 2), LB_ENOENT);
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_port(l, 0), p);
	lb_lease_release(l);
}
END_TEST

/* An inherited lease is held by parent and child; it lasts until both close. */
START_TEST(test_lease_inherit_exec)
{
	lb_lease *l = NULL;
	int pids[4], status;
	pid_t child;
	uint16_t p;

	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	p = lb_lease_port(l, 0);
	ck_assert_int_eq(lb_lease_set_inherit(l, 1), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		execl("/bin/sh", "sh", "-c", "exec sleep 5", (char *)NULL);
		_exit(127);
	}
	/* Wait (bounded) until the child has exec'd sleep with the fd. */
	{
		int t, n = 0;

		for (t = 0; t < 200 && n != 2; t++) {
			n = lb_lease_holders(p, LB_PICK_TCP, pids, 4);
			if (n != 2)
				usleep(10000);
		}
		ck_assert_int_eq(n, 2);
	}
	ck_assert(pids[0] == getpid() || pids[1] == getpid());
	ck_assert(pids[0] == child || pids[1] == child);
	lb_lease_release(l);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 4), 1);
	ck_assert_int_eq(pids[0], child);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 4), LB_ENOENT);
}
END_TEST

/* Where leases are files, lb_lease_dir() names their directory; a bad
 * LOOPBACK_LEASE_BACKEND is an error, never a silent choice. */
START_TEST(test_lease_dir)
{
	char buf[4096], small[8];
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;

	unsetenv("LOOPBACK_LEASE_BACKEND");
	ck_assert_int_eq(lb_lease_dir(buf, sizeof(buf)), LB_ENOTSUP); /* abstract sockets */
	ck_assert_int_eq(lb_lease_dir(NULL, sizeof(buf)), LB_EINVAL);
	ck_assert_int_eq(lb_lease_dir(buf, 0), LB_EINVAL);
	setenv("LOOPBACK_LEASE_BACKEND", "flock", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/12345", 1);
	ck_assert_int_eq(lb_lease_dir(buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "/run/user/12345/loopback-leases");
	ck_assert_int_eq(lb_lease_dir(small, sizeof(small)), LB_ENOSPC);
	unsetenv("XDG_RUNTIME_DIR");
	ck_assert_int_eq(lb_lease_dir(buf, sizeof(buf)), 0);
	ck_assert_int_eq(strncmp(buf, "/tmp/loopback-leases-", 21), 0);
	setenv("LOOPBACK_LEASE_BACKEND", "bogus", 1);
	ck_assert_int_eq(lb_lease_dir(buf, sizeof(buf)), LB_EINVAL);
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(1, LB_PICK_TCP, NULL, 0), LB_EINVAL);
	setenv("LOOPBACK_LEASE_BACKEND", "abstract", 1);
	ck_assert_int_eq(lb_lease_dir(buf, sizeof(buf)), LB_ENOTSUP);
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	lb_lease_release(l);
	unsetenv("LOOPBACK_LEASE_BACKEND");
}
END_TEST


/* Every port of a group, on both protocols, is held by this process until
 * lb_lease_release(); then no holder is left on any of them. */
START_TEST(test_lease_release_frees_all)
{
	lb_lease *l = lb_test_lease(LB_PICK_TCP | LB_PICK_UDP, 0, 3);
	uint16_t ports[3];
	int pids[2];
	size_t i;

	ck_assert_uint_eq(lb_lease_count(l), 3);
	for (i = 0; i < 3; i++) {
		ports[i] = lb_lease_port(l, i);
		ck_assert_uint_ne(ports[i], 0);
		ck_assert_int_eq(lb_lease_holders(ports[i], LB_PICK_TCP, pids, 2), 1);
		ck_assert_int_eq(pids[0], getpid());
		ck_assert_int_eq(lb_lease_holders(ports[i], LB_PICK_UDP, pids, 2), 1);
		ck_assert_int_eq(pids[0], getpid());
	}
	lb_lease_release(l);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(lb_lease_holders(ports[i], LB_PICK_TCP, pids, 2), LB_ENOENT);
		ck_assert_int_eq(lb_lease_holders(ports[i], LB_PICK_UDP, NULL, 0), LB_ENOENT);
	}
	/* A port leased on UDP only: nobody leased it on TCP. */
	l = lb_test_lease(LB_PICK_UDP, 0, 1);
	ck_assert_int_eq(lb_lease_holders(lb_lease_port(l, 0), LB_PICK_TCP, pids, 2), LB_ENOENT);
	ck_assert_int_eq(lb_lease_holders(lb_lease_port(l, 0), LB_PICK_UDP, pids, 2), 1);
	lb_lease_release(l);
}
END_TEST

/* Bad arguments of the lease accessors: LB_EINVAL (or 0), no crash, and
 * the lease still held afterwards. */
START_TEST(test_lease_bad_args)
{
	lb_lease *l = lb_test_lease(LB_PICK_TCP, 0, 1);
	uint16_t p = lb_lease_port(l, 0);
	int pids[2];

	ck_assert_uint_eq(lb_lease_port(l, 1), 0);
	ck_assert_uint_eq(lb_lease_port(l, (size_t)-1), 0);
	ck_assert_uint_eq(lb_lease_protocols(NULL), 0);
	ck_assert_uint_eq(lb_lease_protocols(l), LB_PICK_TCP);
	ck_assert_int_eq(lb_lease_fd(NULL, 0, LB_PICK_TCP), LB_EINVAL);
	ck_assert_int_eq(lb_lease_fd(l, 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_lease_fd(l, 0, LB_PICK_TCP | LB_PICK_UDP), LB_EINVAL);
	ck_assert_int_eq(lb_lease_fd(l, 0, 4), LB_EINVAL);
	ck_assert_int_eq(lb_lease_fd(l, 0, LB_PICK_UDP), LB_EINVAL); /* not leased on UDP */
	ck_assert_int_eq(lb_lease_fd(l, (size_t)-1, LB_PICK_TCP), LB_EINVAL);
	ck_assert_int_eq(lb_lease_set_inherit(NULL, 1), LB_EINVAL);
	ck_assert_int_eq(lb_lease_set_inherit(NULL, 0), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP | LB_PICK_UDP, pids, 2), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(p, 4, pids, 2), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, NULL, 2), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(0, LB_PICK_UDP, NULL, 0), LB_EINVAL);
	/* None of that disturbed the lease. */
	ck_assert_int_ge(lb_lease_fd(l, 0, LB_PICK_TCP), 0);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 2), 1);
	ck_assert_int_eq(pids[0], getpid());
	lb_lease_release(l);
}
END_TEST

/* Another process picking exactly a port this one has leased is refused
 * while the lease is held, and given the port once it is released. */
START_TEST(test_lease_refused_in_child)
{
	lb_lease *l = lb_test_lease(LB_PICK_TCP, 0, 1);
	uint16_t p = lb_lease_port(l, 0);
	int res[2], go[2], r = 1, status;
	char c = 'g';
	pid_t child;

	ck_assert_int_eq(pipe(res), 0);
	ck_assert_int_eq(pipe(go), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		lb_pick_options o = LB_PICK_OPTIONS_INIT;
		lb_lease *cl = NULL;
		char g;

		close(res[0]);
		close(go[1]);
		/* Its copy of the parent's lease closed: the parent alone holds it. */
		lb_lease_release(l);
		o.first = o.last = p;
		r = lb_port_pick(&o, &cl);
		if (write(res[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		lb_lease_release(cl);
		cl = NULL;
		if (read(go[0], &g, 1) != 1)
			_exit(1);
		r = lb_port_pick(&o, &cl);
		if (r == 0 && lb_lease_port(cl, 0) != p)
			r = -1000;
		if (write(res[1], &r, sizeof(r)) != (ssize_t)sizeof(r))
			_exit(1);
		lb_lease_release(cl);
		_exit(0);
	}
	close(res[1]);
	close(go[0]);
	ck_assert_int_eq(read(res[0], &r, sizeof(r)), (ssize_t)sizeof(r));
	ck_assert_int_eq(r, LB_EEXHAUSTED);
	{
		int pids[2];

		ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, pids, 2), 1);
		ck_assert_int_eq(pids[0], getpid());
	}
	lb_lease_release(l);
	ck_assert_int_eq(write(go[1], &c, 1), 1);
	r = 1;
	ck_assert_int_eq(read(res[0], &r, sizeof(r)), (ssize_t)sizeof(r));
	close(res[0]);
	close(go[1]);
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(r, 0);
}
END_TEST

static Suite *lease_suite(void)
{
	Suite *s = suite_create("lease");
	TCase *tc = tcase_create("parse");
	TCase *th = tcase_create("host");

	tcase_add_test(tc, test_unix_table_find);
	tcase_add_test(tc, test_unix_table_bad);
	tcase_add_test(tc, test_lease_name);
	suite_add_tcase(s, tc);
	tcase_add_test(th, test_lease_flags);
	tcase_add_test(th, test_lease_holders_self);
	tcase_add_test(th, test_lease_sigkill);
	tcase_add_test(th, test_lease_inherit_exec);
	tcase_add_test(th, test_lease_dir);
	tcase_add_test(th, test_lease_release_frees_all);
	tcase_add_test(th, test_lease_bad_args);
	tcase_add_test(th, test_lease_refused_in_child);
	tcase_set_timeout(th, 30);
	suite_add_tcase(s, th);
	return s;
}

LB_TEST_MAIN(lease_suite)
