/* SPDX-License-Identifier: MIT */
/* Tests for lib/ports/wait.c on real sockets and real processes: the exact
 * deadline, and lb_wait_held() against descendants, stale servers of
 * other processes, processes that exit while waited on, and bad pids. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lb-test.h"
#include <loopback.h>

static lb_lease *lease;

static void setup(void)
{
	ck_assert_int_eq(lb_port_pick(NULL, &lease), 0);
}

static void teardown(void)
{
	lb_lease_release(lease);
	lease = NULL;
}

static uint16_t test_port(void)
{
	return lb_lease_port(lease, 0);
}

static lb_addr addr_of(const char *text)
{
	lb_addr a;

	ck_assert_int_eq(lb_addr_parse(text, strlen(text), &a, NULL), 0);
	return a;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A TCP listener on @text:@port; @v6only for IPv6 (-1: leave the
 * default). -1 and errno on failure (children report it by exit status).
 * Nobody accepts, so every connect() of a wait stays queued: the backlog
 * is large enough for the polls of a test (a full queue drops the SYN and
 * the port no longer accepts). */
static int try_listen(const char *text, uint16_t port, int v6only)
{
	struct sockaddr_storage ss;
	lb_addr a;
	int len, fd, one = 1;

	if (lb_addr_parse(text, strlen(text), &a, NULL) < 0)
		return -1;
	len = lb_addr_to_sockaddr(&a, port, sizeof(ss), (struct sockaddr *)&ss);
	if (len < 0)
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (ss.ss_family == AF_INET6 && v6only >= 0 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0) ||
	    bind(fd, (struct sockaddr *)&ss, (socklen_t)len) < 0 || listen(fd, 128) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

static int listen_on(const char *text, uint16_t port, int v6only)
{
	int fd = try_listen(text, port, v6only);

	ck_assert_msg(fd >= 0, "listen on %s port %u: %s", text, port, strerror(errno));
	return fd;
}

/* A child that sleeps @ms and exits; it is not reaped here. */
static pid_t sleeper(int ms)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		usleep((useconds_t)ms * 1000);
		_exit(0);
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}

/* A child that forks a grandchild; the grandchild listens on
 * @text:@port after @delay_ms, writes a byte to @notify (unless -1) and
 * lives 5 s at most. The child waits for it. */
static pid_t grandparent_of_listener(const char *text, uint16_t port, int delay_ms, int notify)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t g = fork();

		if (g < 0)
			_exit(1);
		if (g == 0) {
			usleep((useconds_t)delay_ms * 1000);
			if (try_listen(text, port, -1) < 0)
				_exit(2);
			if (notify >= 0 && write(notify, "x", 1) != 1)
				_exit(3);
			sleep(5);
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	return pid;
}

/* The bug this catches: the deadline was kept in whole milliseconds, so
 * the wait could give up up to 1 ms early. */
START_TEST(test_timeout_lower_bound)
{
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	int i;

	for (i = 0; i < 3; i++) {
		int64_t t0 = now_ns();

		ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 300), LB_ETIMEDOUT);
		ck_assert_int_ge(now_ns() - t0, INT64_C(300000000));
		t0 = now_ns();
		ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)getpid(), 0, 300), LB_ETIMEDOUT);
		ck_assert_int_ge(now_ns() - t0, INT64_C(300000000));
	}
	/* A free port is never "free" late: at once, even with a timeout. */
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_FREE, 300), 0);
}
END_TEST

START_TEST(test_held_args)
{
	lb_addr a = addr_of("127.0.0.1"), bad;
	uint16_t port = test_port();
	uint32_t me = (uint32_t)getpid();

	memset(&bad, 0, sizeof(bad));
	ck_assert_int_eq(lb_wait_held(NULL, port, me, 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&bad, port, me, 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&a, 0, me, 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&a, port, 0, 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&a, port, UINT32_C(0x80000000), 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&a, port, UINT32_MAX, 0, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&a, port, me, 0x2, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait_held(&a, port, me, ~0u, 0), LB_EINVAL);
}
END_TEST

START_TEST(test_held_self)
{
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	int fd = listen_on("127.0.0.1", port, -1);

	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)getpid(), 0, 0), 0);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)getpid(), LB_PID_DESCENDANTS, 0), 0);
	close(fd);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)getpid(), 0, 0), LB_ETIMEDOUT);
}
END_TEST

START_TEST(test_held_descendant)
{
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	pid_t kid;
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	kid = grandparent_of_listener("127.0.0.1", port, 0, p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 0), 0);
	/* Only the grandchild listens: without LB_PID_DESCENDANTS the child
	 * itself never holds it. */
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, 0, 300), LB_ETIMEDOUT);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, LB_PID_DESCENDANTS, 0), 0);
	/* Our own tree contains it too. */
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)getpid(), LB_PID_DESCENDANTS, 0), 0);
	reap(kid);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_held_descendant_waits)
{
	/* The wait itself spans the delay: met only once the grandchild listens. */
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	int64_t t0 = now_ns();
	pid_t kid = grandparent_of_listener("127.0.0.1", port, 300, -1);

	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, LB_PID_DESCENDANTS, 10000), 0);
	ck_assert_int_ge(now_ns() - t0, INT64_C(300000000));
	reap(kid);
}
END_TEST

START_TEST(test_held_stale_server)
{
	/* Another process (this one) accepts on the port; the awaited
	 * process never listens: the port accepts, but the wait times out. */
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	pid_t kid = sleeper(5000); /* first: it must not inherit the listener */
	int fd = listen_on("127.0.0.1", port, -1);
	int64_t t0 = now_ns();

	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING, 0), 0);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, LB_PID_DESCENDANTS, 400),
			 LB_ETIMEDOUT);
	ck_assert_int_ge(now_ns() - t0, INT64_C(400000000));
	reap(kid);
	close(fd);
}
END_TEST

START_TEST(test_held_exits_while_waiting)
{
	/* The process exits after 200 ms and is left a zombie (not reaped):
	 * the wait stops then, long before its 20 s timeout; with nothing on
	 * the port (_i == 0) and with a stale server accepting on it (1). */
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	pid_t kid = sleeper(200); /* first: it must not inherit the listener */
	int fd = _i ? listen_on("127.0.0.1", port, -1) : -1;
	int64_t t0 = now_ns(), took;

	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, LB_PID_DESCENDANTS, 20000),
			 LB_ENOENT);
	took = now_ns() - t0;
	ck_assert_int_ge(took, INT64_C(150000000));
	ck_assert_msg(took < INT64_C(5000000000), "took %lld ns", (long long)took);
	/* Reaped: gone for good, at once. */
	reap(kid);
	t0 = now_ns();
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, 0, 20000), LB_ENOENT);
	ck_assert(now_ns() - t0 < INT64_C(5000000000));
	if (fd >= 0)
		close(fd);
}
END_TEST

START_TEST(test_held_nonexistent)
{
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	pid_t kid = sleeper(0);

	reap(kid);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, LB_PID_DESCENDANTS, 0), LB_ENOENT);
	/* Above pid_max (at most 2^22 on Linux) but a valid pid_t. */
	ck_assert_int_eq(lb_wait_held(&a, port, UINT32_C(0x7fffffff), 0, 20000), LB_ENOENT);
}
END_TEST

/* Which listeners take connections to which address. */
START_TEST(test_held_cover)
{
	static const struct {
		const char *listen;
		int v6only;
		const char *wait;
		int met;
	} cases[] = {
		{ "127.0.0.1", -1, "127.0.0.1", 1 },
		{ "0.0.0.0", -1, "127.0.0.1", 1 },
		{ "::1", 1, "::1", 1 },
		{ "::", 1, "::1", 1 },
		{ "::", 0, "127.0.0.1", 1 },  /* dual-stack */
		{ "::", 0, "::1", 1 },
		{ "::ffff:127.0.0.1", 0, "127.0.0.1", 1 },
		{ "127.0.0.2", -1, "127.0.0.1", 0 }, /* refused: nothing accepts */
		{ "::", 1, "127.0.0.1", 0 },  /* IPv6 only */
		{ "0.0.0.0", -1, "::1", 0 },
		{ "::1", 1, "127.0.0.1", 0 },
	};
	uint16_t port = test_port();
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		lb_addr a = addr_of(cases[i].wait);
		int fd = listen_on(cases[i].listen, port, cases[i].v6only);
		int r = lb_wait_held(&a, port, (uint32_t)getpid(), 0, 0);

		ck_assert_msg(r == (cases[i].met ? 0 : LB_ETIMEDOUT), "listen %s wait %s: %s",
			      cases[i].listen, cases[i].wait, lb_error_name(r));
		close(fd);
	}
}
END_TEST

START_TEST(test_held_not_covering_with_stale)
{
	/* The awaited process holds an IPv6-only [::] listener; a stale
	 * server of another process holds 127.0.0.1. A connect to 127.0.0.1
	 * succeeds (the stale one), but the awaited listener does not take
	 * it: not met. */
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();
	int stale = listen_on("127.0.0.1", port, -1);
	pid_t kid;
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ge(kid = fork(), 0);
	if (kid == 0) {
		close(stale);
		if (try_listen("::", port, 1) < 0 || write(p[1], "x", 1) != 1)
			_exit(2);
		sleep(5);
		_exit(0);
	}
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, 0, 300), LB_ETIMEDOUT);
	a = addr_of("::1");
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)kid, 0, 0), 0);
	reap(kid);
	close(stale);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* A server that records whether any connection reached it: it listens on
 * @text:@port after @delay_ms and watches the listening socket (readable
 * as soon as a connection is queued) until @ctl reaches end of file, then
 * writes 'y' (a connection arrived) or 'n' to @report. */
static pid_t watching_server(const char *text, uint16_t port, int delay_ms, int ctl[2], int report[2])
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct pollfd pf[2];
		int fd, seen = 0;

		close(ctl[1]);
		close(report[0]);
		usleep((useconds_t)delay_ms * 1000);
		fd = try_listen(text, port, 0);
		if (fd < 0)
			_exit(2);
		alarm(20);
		pf[0].fd = fd;
		pf[0].events = POLLIN;
		pf[1].fd = ctl[0];
		pf[1].events = POLLIN;
		for (;;) {
			if (poll(pf, 2, 1000) < 0)
				_exit(3);
			if (pf[0].revents & POLLIN) {
				int c = accept(fd, NULL, NULL);

				seen = 1;
				if (c >= 0)
					close(c);
			}
			if (pf[1].revents)
				break;
		}
		if (write(report[1], seen ? "y" : "n", 1) != 1)
			_exit(4);
		_exit(0);
	}
	return pid;
}

/* wait decides from the socket table for an address of this host: the
 * server it waits for sees no connection (python -m http.server logged a
 * ConnectionResetError for every probe). LB_WAIT_CONNECT connects. */
START_TEST(test_wait_does_not_connect)
{
	static const struct {
		const char *listen, *wait;
		int held, connect;
	} cases[] = {
		{ "127.0.0.1", "127.0.0.1", 0, 0 },
		{ "127.0.0.1", "127.0.0.1", 1, 0 },
		{ "::", "127.0.0.1", 0, 0 },   /* dual-stack [::] covers IPv4 */
		{ "0.0.0.0", "127.0.0.1", 1, 0 },
		{ "::1", "::1", 0, 0 },
		{ "127.0.0.1", "127.0.0.1", 0, 1 },
		{ "127.0.0.1", "127.0.0.1", 1, 1 },
	};
	lb_addr a = addr_of(cases[_i].wait);
	uint16_t port = test_port();
	int ctl[2], rep[2], st;
	pid_t srv;
	char seen = '?';

	ck_assert_int_eq(pipe(ctl), 0);
	ck_assert_int_eq(pipe(rep), 0);
	srv = watching_server(cases[_i].listen, port, 200, ctl, rep);
	close(ctl[0]);
	close(rep[1]);
	if (cases[_i].held)
		ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)srv,
					      cases[_i].connect ? LB_WAIT_CONNECT : 0, 5000), 0);
	else
		ck_assert_int_eq(lb_wait(&a, port,
					 LB_WAIT_ACCEPTING | (cases[_i].connect ? LB_WAIT_CONNECT : 0), 5000), 0);
	close(ctl[1]);
	ck_assert_int_eq(read(rep[0], &seen, 1), 1);
	close(rep[0]);
	ck_assert_int_eq(waitpid(srv, &st, 0), srv);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "server status %d", st);
	ck_assert_msg(seen == (cases[_i].connect ? 'y' : 'n'), "case %d: connection seen: %c", _i, seen);
}
END_TEST

START_TEST(test_wait_connect_args)
{
	lb_addr a = addr_of("127.0.0.1");
	uint16_t port = test_port();

	/* LB_WAIT_CONNECT goes with waiting for a listener only. */
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_FREE | LB_WAIT_CONNECT, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_CONNECT | 0x200, 0), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, port, LB_WAIT_ACCEPTING | LB_WAIT_CONNECT, 0), LB_ETIMEDOUT);
	ck_assert_int_eq(lb_wait_held(&a, port, (uint32_t)getpid(), LB_WAIT_CONNECT | LB_PID_DESCENDANTS, 0),
			 LB_ETIMEDOUT);
}
END_TEST

static Suite *wait_suite(void)
{
	Suite *s = suite_create("wait");
	TCase *tc = tcase_create("wait");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_timeout_lower_bound);
	tcase_add_test(tc, test_held_args);
	tcase_add_test(tc, test_held_self);
	tcase_add_test(tc, test_held_descendant);
	tcase_add_test(tc, test_held_descendant_waits);
	tcase_add_test(tc, test_held_stale_server);
	tcase_add_loop_test(tc, test_held_exits_while_waiting, 0, 2);
	tcase_add_test(tc, test_held_nonexistent);
	tcase_add_test(tc, test_held_cover);
	tcase_add_test(tc, test_held_not_covering_with_stale);
	tcase_add_loop_test(tc, test_wait_does_not_connect, 0, 7);
	tcase_add_test(tc, test_wait_connect_args);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(wait_suite)
