/* SPDX-License-Identifier: MIT */
/* Tests for lib/ports/pick*.c and lib/ports/port-set.c: pure parsers on
 * fixtures, then picking and lb_lease_listen() on real sockets (the leases
 * themselves: tests/ports/test-lease.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lb-test.h"
#include "os/linux/sysctl-parse.h"
#include "ports/pick-internal.h"
#include <loopback.h>

/* ---- pure parsers ---- */

START_TEST(test_reserved_parse)
{
	static uint8_t set[LB_PORT_SET_BYTES];
	const char *t = "8080,9000-9002,65535\n";

	memset(set, 0, sizeof(set));
	ck_assert_int_eq(lb__reserved_ports_parse(t, strlen(t), set), 0);
	ck_assert(lb__port_set_has(set, 8080));
	ck_assert(!lb__port_set_has(set, 8079));
	ck_assert(!lb__port_set_has(set, 8081));
	ck_assert(lb__port_set_has(set, 9000));
	ck_assert(lb__port_set_has(set, 9001));
	ck_assert(lb__port_set_has(set, 9002));
	ck_assert(!lb__port_set_has(set, 9003));
	ck_assert(lb__port_set_has(set, 65535));
	memset(set, 0, sizeof(set));
	ck_assert_int_eq(lb__reserved_ports_parse("\n", 1, set), 0);
	ck_assert_int_eq(lb__reserved_ports_parse("", 0, set), 0);
	ck_assert_int_eq(lb__reserved_ports_parse("0", 1, set), 0);
	ck_assert(lb__port_set_has(set, 0));
}
END_TEST

START_TEST(test_port_set_add_range)
{
	/* The same set as adding port by port, around byte boundaries and
	 * the ends of the port space. */
	static const unsigned long ends[] = { 0, 1, 6, 7, 8, 9, 15, 16, 17, 1023, 1024,
					      32768, 60999, 65527, 65528, 65534, 65535 };
	static uint8_t got[LB_PORT_SET_BYTES], want[LB_PORT_SET_BYTES];
	size_t i, j;
	unsigned long p;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		for (j = 0; j < sizeof(ends) / sizeof(ends[0]); j++) {
			memset(got, 0, sizeof(got));
			memset(want, 0, sizeof(want));
			for (p = ends[i]; p <= ends[j]; p++)
				lb__port_set_add(want, p);
			lb__port_set_add_range(got, ends[i], ends[j]);
			ck_assert_msg(memcmp(got, want, sizeof(got)) == 0, "range %lu-%lu",
				      ends[i], ends[j]);
		}
	}
}
END_TEST

START_TEST(test_reserved_parse_bad)
{
	static const char *const bad[] = {
		",", "8080,", ",8080", "80-", "-80", "90-80", "65536", "1-65536",
		"8080 9090", "a", "80,,81", "80-81-82", "8080\n9090",
	};
	static uint8_t set[LB_PORT_SET_BYTES];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(lb__reserved_ports_parse(bad[i], strlen(bad[i]), set) == LB_EBADDATA,
			      "accepted '%s'", bad[i]);
	ck_assert_int_eq(lb__reserved_ports_parse(NULL, 0, set), LB_EINVAL);
}
END_TEST

START_TEST(test_sysctl_uint_parse)
{
	unsigned long v = 7;

	ck_assert_int_eq(lb__sysctl_uint_parse("1024\n", 5, 65535, &v), 0);
	ck_assert_uint_eq(v, 1024);
	ck_assert_int_eq(lb__sysctl_uint_parse("0", 1, 65535, &v), 0);
	ck_assert_uint_eq(v, 0);
	v = 7;
	ck_assert_int_eq(lb__sysctl_uint_parse("65536\n", 6, 65535, &v), LB_EBADDATA);
	ck_assert_int_eq(lb__sysctl_uint_parse("", 0, 65535, &v), LB_EBADDATA);
	ck_assert_int_eq(lb__sysctl_uint_parse("-1", 2, 65535, &v), LB_EBADDATA);
	ck_assert_int_eq(lb__sysctl_uint_parse("10 20", 5, 65535, &v), LB_EBADDATA);
	ck_assert_uint_eq(v, 7);
	ck_assert_uint_eq(lb__pick_default_first(0), 1024);
	ck_assert_uint_eq(lb__pick_default_first(1024), 1024);
	ck_assert_uint_eq(lb__pick_default_first(2000), 2000);
	ck_assert_uint_eq(lb__pick_default_first(99999), 65535);
}
END_TEST

START_TEST(test_candidates)
{
	static uint8_t set[LB_PORT_SET_BYTES];
	uint16_t out[16];

	memset(set, 0, sizeof(set));
	lb__port_set_add(set, 101);
	lb__port_set_add(set, 103);
	ck_assert_uint_eq(lb__pick_candidates(100, 105, set, out), 4);
	ck_assert_uint_eq(out[0], 100);
	ck_assert_uint_eq(out[1], 102);
	ck_assert_uint_eq(out[2], 104);
	ck_assert_uint_eq(out[3], 105);
	ck_assert_uint_eq(lb__pick_candidates(65534, 65535, NULL, out), 2);
	ck_assert_uint_eq(out[1], 65535);
}
END_TEST

/* ---- picking on this host ---- */

static int binds(int family, int type, uint16_t port)
{
	struct sockaddr_storage ss;
	int fd = socket(family, type, 0), r, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	}
	r = bind(fd, (struct sockaddr *)&ss, family == AF_INET ? sizeof(struct sockaddr_in)
							    : sizeof(struct sockaddr_in6));
	close(fd);
	return r == 0;
}

START_TEST(test_pick_default)
{
	lb_lease *l = NULL;
	uint16_t ef, el, p;
	int fd;

	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	ck_assert_uint_eq(lb_lease_count(l), 1);
	ck_assert_uint_eq(lb_lease_protocols(l), LB_PICK_TCP);
	p = lb_lease_port(l, 0);
	ck_assert_uint_ge(p, 1024);
	ck_assert_int_eq(lb_port_ephemeral_range(&ef, &el), 0);
	ck_assert(p < ef || p > el);
	ck_assert(binds(AF_INET, SOCK_STREAM, p));
	ck_assert(binds(AF_INET6, SOCK_STREAM, p));
	ck_assert_uint_eq(lb_lease_port(l, 1), 0);
	fd = lb_lease_fd(l, 0, LB_PICK_TCP);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(lb_lease_fd(l, 0, LB_PICK_UDP), LB_EINVAL);
	ck_assert_int_eq(lb_lease_fd(l, 1, LB_PICK_TCP), LB_EINVAL);
	ck_assert_int_eq(lb_lease_set_inherit(l, 1), 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_int_eq(lb_lease_set_inherit(l, 0), 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	lb_lease_release(l);
	lb_lease_release(NULL);
	ck_assert_uint_eq(lb_lease_count(NULL), 0);
	ck_assert_uint_eq(lb_lease_port(NULL, 0), 0);
}
END_TEST

START_TEST(test_pick_bad_options)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = (lb_lease *)&o;

	ck_assert_int_eq(lb_port_pick(NULL, NULL), LB_EINVAL);
	o.size = 4;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	o.size = sizeof(o);
	o.protocols = 4;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	o.protocols = 0;
	o.flags = 2;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	o.flags = 0;
	o.family = 5;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	o.family = 0;
	o.first = 2000;
	o.last = 1999;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	o.last = 0;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	o.first = 30000;
	o.last = 30003;
	o.count = 5;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EINVAL);
	ck_assert_ptr_eq(l, (lb_lease *)&o); /* untouched on error */
}
END_TEST

/* A range of one port, already listened on: exhausted, no lease left. */
START_TEST(test_pick_skips_busy_port)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *tcp = NULL, *udp = NULL, *l = NULL, *l2 = NULL;
	int fd = -1;
	uint16_t p;

	/* The port from the library, never port 0 (the ephemeral range):
	 * its UDP side stays leased by us, so no other picker takes it while
	 * the test runs; its TCP side is bound, then its lease released, so
	 * the port is busy but not leased. */
	udp = lb_test_lease(LB_PICK_UDP, 0, 1);
	p = lb_lease_port(udp, 0);
	o.first = o.last = p;
	ck_assert_int_eq(lb_port_pick(&o, &tcp), 0);
	ck_assert_int_eq(lb_lease_listen(tcp, 0, LB_PICK_TCP, NULL, &fd), 0);
	lb_lease_release(tcp);
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, NULL, 0), LB_ENOENT);
	/* The same port on UDP only is free once our lease is gone. */
	o.protocols = LB_PICK_UDP;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	lb_lease_release(udp);
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_port(l, 0), p);
	/* Leased now: another pick of it is exhausted too. */
	ck_assert_int_eq(lb_port_pick(&o, &l2), LB_EEXHAUSTED);
	lb_lease_release(l);
	ck_assert_int_eq(lb_port_pick(&o, &l2), 0);
	lb_lease_release(l2);
	close(fd);
}
END_TEST

START_TEST(test_pick_group)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	size_t i;

	o.count = 10;
	o.flags = LB_PICK_CONTIGUOUS;
	o.protocols = LB_PICK_TCP | LB_PICK_UDP;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_count(l), 10);
	ck_assert_uint_eq(lb_lease_protocols(l), LB_PICK_TCP | LB_PICK_UDP);
	for (i = 0; i < 10; i++) {
		uint16_t p = lb_lease_port(l, i);

		if (i)
			ck_assert_uint_eq(p, lb_lease_port(l, i - 1) + 1);
		ck_assert_int_ge(lb_lease_fd(l, i, LB_PICK_TCP), 0);
		ck_assert_int_ge(lb_lease_fd(l, i, LB_PICK_UDP), 0);
		ck_assert(binds(AF_INET, SOCK_DGRAM, p));
	}
	lb_lease_release(l);

	o.flags = 0;
	o.count = 20;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_count(l), 20);
	for (i = 1; i < 20; i++)
		ck_assert_uint_gt(lb_lease_port(l, i), lb_lease_port(l, i - 1));
	lb_lease_release(l);
}
END_TEST

/* A group larger than what is free in the range: none is kept. */
START_TEST(test_pick_group_all_or_none)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *hold = NULL, *l = NULL;
	uint16_t p, base;
	int k;

	/* Ten consecutive ports that were free a moment ago (a fixed range
	 * could be held by other tests running at the same time). */
	o.count = 10;
	o.flags = LB_PICK_CONTIGUOUS;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	base = lb_lease_port(l, 0);
	lb_lease_release(l);
	l = NULL;
	o.flags = 0;
	o.first = base;
	o.last = (uint16_t)(base + 9);
	o.count = 1;
	ck_assert_int_eq(lb_port_pick(&o, &hold), 0);
	p = lb_lease_port(hold, 0);
	o.count = 10;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	for (k = base; k <= base + 9; k++)
		if (k != p)
			ck_assert_int_eq(lb_lease_holders((uint16_t)k, LB_PICK_TCP, NULL, 0),
					 LB_ENOENT);
	o.count = 9;
	o.flags = LB_PICK_CONTIGUOUS;
	ck_assert_int_eq(lb_port_pick(&o, &l), p == base || p == base + 9 ? 0 : LB_EEXHAUSTED);
	lb_lease_release(l);
	l = NULL;
	o.flags = 0;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_count(l), 9);
	lb_lease_release(l);
	/* Bounded attempts: one try on a range where the only port is leased. */
	o.first = o.last = p;
	o.count = 1;
	o.max_attempts = 1;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	lb_lease_release(hold);
}
END_TEST

START_TEST(test_lease_listen)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	struct sockaddr_in in;
	lb_addr a;
	int fd, c, u, type;
	socklen_t len = sizeof(type);

	o.protocols = LB_PICK_TCP | LB_PICK_UDP;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, NULL, &fd), 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(lb_lease_port(l, 0));
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&in, sizeof(in)), 0);
	close(c);
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_UDP, NULL, &u), 0);
	ck_assert_int_eq(getsockopt(u, SOL_SOCKET, SO_TYPE, &type, &len), 0);
	ck_assert_int_eq(type, SOCK_DGRAM);
	c = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(sendto(c, "x", 1, 0, (struct sockaddr *)&in, sizeof(in)), 1);
	{
		char b[4];

		ck_assert_int_eq(recv(u, b, sizeof(b), 0), 1);
	}
	close(c);
	close(u);
	/* Bound already: a second TCP listener on the same address fails. */
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, NULL, &c), LB_EADDRINUSE);
	/* ::1 as an explicit address. */
	memset(&a, 0, sizeof(a));
	a.family = LB_AF_INET6;
	a.bytes[15] = 1;
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, &a, &c), 0);
	close(c);
	a.family = 5;
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, &a, &c), LB_EINVAL);
	ck_assert_int_eq(lb_lease_listen(l, 1, LB_PICK_TCP, NULL, &c), LB_EINVAL);
	ck_assert_int_eq(lb_lease_listen(l, 0, 3, NULL, &c), LB_EINVAL);
	ck_assert_int_eq(lb_lease_listen(NULL, 0, LB_PICK_TCP, NULL, &c), LB_EINVAL);
	close(fd);
	lb_lease_release(l);
}
END_TEST

/* With no descriptor left, picking, binding and listing say so: LB_EMFILE
 * (they said LB_ENOMEM, "Out of memory", or LB_EIO). */
START_TEST(test_pick_emfile)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	struct rlimit old, low;
	lb_lease *l = NULL, *l2 = NULL;
	lb_socket_list *sl = NULL;
	int fd, c = -1, r1, r2, r3;

	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	/* The lowest free number becomes the limit: nothing more opens. */
	fd = open("/dev/null", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = old;
	low.rlim_cur = (rlim_t)fd;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &low), 0);
	r1 = lb_port_pick(&o, &l2);
	r2 = lb_lease_listen(l, 0, LB_PICK_TCP, NULL, &c);
	r3 = lb_socket_list_get(NULL, &sl);
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &old), 0);
	ck_assert_int_eq(r1, LB_EMFILE);
	ck_assert_int_eq(r2, LB_EMFILE);
	ck_assert_int_eq(r3, LB_EMFILE);
	ck_assert_str_eq(lb_strerror(r1), "Too many open files");
	lb_lease_release(l);
}
END_TEST

static Suite *pick_suite(void)
{
	Suite *s = suite_create("pick");
	TCase *tc = tcase_create("parse");
	TCase *th = tcase_create("host");

	tcase_add_test(tc, test_reserved_parse);
	tcase_add_test(tc, test_reserved_parse_bad);
	tcase_add_test(tc, test_port_set_add_range);
	tcase_add_test(tc, test_sysctl_uint_parse);
	tcase_add_test(tc, test_candidates);
	suite_add_tcase(s, tc);
	tcase_add_test(th, test_pick_default);
	tcase_add_test(th, test_pick_bad_options);
	tcase_add_test(th, test_pick_skips_busy_port);
	tcase_add_test(th, test_pick_group);
	tcase_add_test(th, test_pick_group_all_or_none);
	tcase_add_test(th, test_lease_listen);
	tcase_add_test(th, test_pick_emfile);
	tcase_set_timeout(th, 30);
	suite_add_tcase(s, th);
	return s;
}

LB_TEST_MAIN(pick_suite)
