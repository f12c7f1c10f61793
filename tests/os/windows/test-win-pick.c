/* SPDX-License-Identifier: MIT */
/*
 * The port-allocation API on Windows (under wine in CI), through the
 * public DLL: picking outside the dynamic range, SO_EXCLUSIVEADDRUSE,
 * leases held by other processes and freed when they die, concurrent
 * pickers, lb_check_bind and lb_wait on real sockets and processes.
 * The children are this program again (see main).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdlib.h>

#include "lb-test.h"
#include "win-util.h"
#include <loopback.h>

static char self[MAX_PATH];

/* A TCP or UDP bind of @port on the wildcard of @family with
 * SO_EXCLUSIVEADDRUSE: 0 or the WSA error. */
static int bind_exclusive(int family, int type, uint16_t port)
{
	struct sockaddr_storage ss;
	BOOL on = TRUE;
	DWORD v6only = 1;
	SOCKET s = socket(family, type, 0);
	int e = 0, len;

	ck_assert(s != INVALID_SOCKET);
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
		len = sizeof(struct sockaddr_in);
	} else {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
		len = sizeof(struct sockaddr_in6);
		ck_assert_int_eq(setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&v6only,
					    sizeof(v6only)), 0);
	}
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on,
				    sizeof(on)), 0);
	if (bind(s, (struct sockaddr *)&ss, len) != 0)
		e = WSAGetLastError();
	closesocket(s);
	return e;
}

/* @text (a literal address) as an lb_addr, through the public parser. */
static void addr(lb_addr *a, const char *text)
{
	ck_assert_int_eq(lb_addr_parse(text, strlen(text), a, NULL), 0);
}

/* One TCP port nobody leases or binds now (picked, then released). */
static uint16_t free_port(void)
{
	return lb_win_free_port(LB_PICK_TCP);
}

/* Must run first: nothing here has called WSAStartup() yet, and the
 * library must not need it. */
START_TEST(test_no_wsastartup_needed)
{
	lb_lease *l = NULL;
	lb_check *c = NULL;
	lb_addr a;
	int fd = -1;

	ck_assert_int_eq(lb_port_pick(NULL, &l), 0);
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, NULL, &fd), 0);
	ck_assert_int_gt(fd, 0);
	addr(&a, "127.0.0.1");
	ck_assert_int_eq(lb_check_bind(&a, lb_lease_port(l, 0), LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	lb_check_free(c);
	ck_assert_int_eq(lb_wait(&a, lb_lease_port(l, 0), LB_WAIT_ACCEPTING, 5000), 0);
	ck_assert_int_eq(closesocket((SOCKET)fd), 0);
	lb_lease_release(l);
}
END_TEST

START_TEST(test_pick_outside_dynamic_range)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	uint16_t first = 0, last = 0;
	size_t k;
	int r = lb_port_ephemeral_range(&first, &last);

	if (r == LB_ENOTSUP) {
		/* wine has no MSFT_NetTCPSetting: pick keeps out of the
		 * documented default instead. */
		printf("# note: dynamic range not readable (MSFT_NetTCPSetting missing): "
		       "the documented default 49152-65535 is kept out\n");
		first = 49152;
		last = 65535;
	} else {
		ck_assert_int_eq(r, 0);
		printf("# note: dynamic range %u-%u read from MSFT_NetTCPSetting\n",
		       (unsigned)first, (unsigned)last);
	}
	o.count = 20;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_count(l), 20);
	ck_assert_uint_eq(lb_lease_protocols(l), LB_PICK_TCP);
	for (k = 0; k < 20; k++) {
		uint16_t p = lb_lease_port(l, k);

		ck_assert_uint_ge(p, 1024);
		ck_assert_msg(p < first || p > last, "port %u in the dynamic range", (unsigned)p);
		if (k > 0)
			ck_assert_uint_gt(p, lb_lease_port(l, k - 1));
		ck_assert_int_eq(bind_exclusive(AF_INET, SOCK_STREAM, p), 0);
		if (!(lb_lease_flags(l) & LB_LEASE_IPV4_ONLY))
			ck_assert_int_eq(bind_exclusive(AF_INET6, SOCK_STREAM, p), 0);
	}
	lb_lease_release(l);

	/* TCP and UDP, a contiguous group. */
	o.count = 4;
	o.protocols = LB_PICK_TCP | LB_PICK_UDP;
	o.flags = LB_PICK_CONTIGUOUS;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	for (k = 0; k < 4; k++) {
		uint16_t p = lb_lease_port(l, k);

		ck_assert_uint_eq(p, lb_lease_port(l, 0) + k);
		ck_assert(p < first || p > last);
		ck_assert_int_eq(bind_exclusive(AF_INET, SOCK_STREAM, p), 0);
		ck_assert_int_eq(bind_exclusive(AF_INET, SOCK_DGRAM, p), 0);
		ck_assert_int_gt(lb_lease_fd(l, k, LB_PICK_UDP), 0);
	}
	lb_lease_release(l);

	/* A range of one's own is used as given. */
	o = (lb_pick_options)LB_PICK_OPTIONS_INIT;
	o.first = 50001;
	o.last = 50001;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_port(l, 0), 50001);
	lb_lease_release(l);
}
END_TEST

/* The socket handed out: SO_EXCLUSIVEADDRUSE, so nobody binds over it. */
START_TEST(test_lease_listen)
{
	lb_lease *l = NULL;
	int fd = -1, u = -1;
	DWORD flags = 0;
	uint16_t port;
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	struct sockaddr_in sa;
	SOCKET c, s;
	BOOL on = TRUE;
	char b = 'x';

	o.protocols = LB_PICK_TCP | LB_PICK_UDP;
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	port = lb_lease_port(l, 0);
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_TCP, NULL, &fd), 0);
	ck_assert_int_eq(lb_lease_listen(l, 0, LB_PICK_UDP, NULL, &u), 0);
	ck_assert_int_eq(lb_lease_listen(l, 1, LB_PICK_TCP, NULL, &fd), LB_EINVAL);
	/* Another socket, even with SO_REUSEADDR, cannot take it. */
	ck_assert_int_eq(bind_exclusive(AF_INET, SOCK_STREAM, port), WSAEADDRINUSE);
	s = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof(on)), 0);
	ck_assert_int_ne(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	closesocket(s);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_REUSEADDR, (const char *)&on, sizeof(on)), 0);
	ck_assert_int_ne(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	closesocket(s);
	/* It listens on 127.0.0.1. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	s = accept((SOCKET)fd, NULL, NULL);
	ck_assert(s != INVALID_SOCKET);
	ck_assert_int_eq(send(c, &b, 1, 0), 1);
	ck_assert_int_eq(recv(s, &b, 1, 0), 1);
	closesocket(s);
	closesocket(c);
	/* Not inherited by the programs we start. */
	ck_assert(GetHandleInformation((HANDLE)(intptr_t)fd, &flags));
	ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, 0);
	closesocket((SOCKET)fd);
	closesocket((SOCKET)u);

	/* The lease handles: not inherited until asked. */
	fd = lb_lease_fd(l, 0, LB_PICK_TCP);
	ck_assert_int_gt(fd, 0);
	ck_assert(GetHandleInformation((HANDLE)(intptr_t)fd, &flags));
	ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, 0);
	ck_assert_int_eq(lb_lease_set_inherit(l, 1), 0);
	ck_assert(GetHandleInformation((HANDLE)(intptr_t)fd, &flags));
	ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
	ck_assert(GetHandleInformation((HANDLE)(intptr_t)lb_lease_fd(l, 0, LB_PICK_UDP), &flags));
	ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
	ck_assert_int_eq(lb_lease_set_inherit(l, 0), 0);
	ck_assert(GetHandleInformation((HANDLE)(intptr_t)fd, &flags));
	ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, 0);
	lb_lease_release(l);
}
END_TEST

/* A child leases the one port of [p, p]: we cannot pick it, and its
 * lease is free the moment the child is killed. */
START_TEST(test_child_lease_blocks_then_dies)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	PROCESS_INFORMATION pi;
	lb_lease *l = NULL;
	lb_check *c = NULL;
	lb_addr a;
	HANDLE rd;
	char args[64], line[64];
	uint16_t p = free_port();
	int pid;

	snprintf(args, sizeof(args), "pick-range %u %u", (unsigned)p, (unsigned)p);
	lb_win_spawn(self, args, &pi, &rd);
	lb_win_read_line(rd, line, sizeof(line));
	ck_assert_uint_eq(strtoul(line, NULL, 10), p);
	o.first = p;
	o.last = p;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	/* Leased; who holds it cannot be seen on Windows. */
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, &pid, 1), 0);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_UDP, &pid, 1), LB_ENOENT);
	addr(&a, "127.0.0.1");
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_LEASED);
	ck_assert_int_eq(lb_check_lease_holders(c, &pid, 1), 0);
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c), "cannot see"));
	lb_check_free(c);

	lb_win_kill(&pi, rd);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, &pid, 1), LB_ENOENT);
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	ck_assert_uint_eq(lb_lease_port(l, 0), p);
	lb_lease_release(l);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, NULL, 0), LB_ENOENT);
	ck_assert_int_eq(lb_lease_holders(0, LB_PICK_TCP, NULL, 0), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(p, 4, NULL, 0), LB_EINVAL);
	ck_assert_int_eq(lb_lease_holders(p, LB_PICK_TCP, NULL, 1), LB_EINVAL);
}
END_TEST

#define PICKERS 2
#define PER_PICKER 150
#define SPAN 400

/* Two processes pick PER_PICKER ports each, one at a time, from the same
 * SPAN ports at once, holding every lease: never the same port twice. */
START_TEST(test_concurrent_pickers)
{
	PROCESS_INFORMATION pi[PICKERS];
	HANDLE rd[PICKERS];
	static uint8_t seen[65536];
	char args[64], line[64];
	uint16_t base = 0;
	int i, k, total = 0;

	/* A span below the dynamic range that nothing else uses now. */
	for (base = 20000; base < 40000; base += SPAN) {
		lb_pick_options o = LB_PICK_OPTIONS_INIT;
		lb_lease *l = NULL;

		o.first = base;
		o.last = (uint16_t)(base + SPAN - 1);
		o.count = SPAN;
		if (lb_port_pick(&o, &l) == 0) {
			lb_lease_release(l);
			break;
		}
	}
	ck_assert_uint_lt(base, 40000);
	snprintf(args, sizeof(args), "pick-many %u %u %d", (unsigned)base,
		 (unsigned)(base + SPAN - 1), PER_PICKER);
	for (i = 0; i < PICKERS; i++)
		lb_win_spawn(self, args, &pi[i], &rd[i]);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < PICKERS; i++) {
		for (k = 0; k < PER_PICKER; k++) {
			unsigned long p;

			lb_win_read_line(rd[i], line, sizeof(line));
			p = strtoul(line, NULL, 10);
			ck_assert_msg(p >= base && p < (unsigned long)base + SPAN,
				      "picker %d, port %d: '%s'", i, k, line);
			ck_assert_msg(!seen[p], "port %lu picked twice", p);
			seen[p] = 1;
			total++;
		}
		lb_win_read_line(rd[i], line, sizeof(line));
		ck_assert_str_eq(line, "done");
	}
	ck_assert_int_eq(total, PICKERS * PER_PICKER);
	for (i = 0; i < PICKERS; i++)
		lb_win_kill(&pi[i], rd[i]);
}
END_TEST

START_TEST(test_check)
{
	PROCESS_INFORMATION pi;
	lb_check *c = NULL;
	lb_addr a, v6;
	HANDLE rd;
	char line[64];
	uint16_t p;
	int pid;

	/* Held by another process's socket (SO_EXCLUSIVEADDRUSE). */
	char args[32];

	snprintf(args, sizeof(args), "listen %u", (unsigned)lb_win_free_port(0));
	lb_win_spawn(self, args, &pi, &rd);
	lb_win_read_line(rd, line, sizeof(line));
	p = (uint16_t)strtoul(line, NULL, 10);
	ck_assert_uint_gt(p, 0);
	addr(&a, "127.0.0.1");
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_IN_USE);
	ck_assert_str_eq(lb_check_reason_name(lb_check_reason(c)), "in-use");
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c), "in use"));
	ck_assert_int_eq(lb_check_lease_holders(c, &pid, 1), 0);
	lb_check_free(c);
	/* 0.0.0.0 covers 127.0.0.1: it does not bind either. */
	addr(&a, "0.0.0.0");
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), 0);
	ck_assert_int_ne(lb_check_reason(c), LB_CHECK_BINDABLE);
	lb_check_free(c);
	lb_win_kill(&pi, rd);
	addr(&a, "127.0.0.1");
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BINDABLE);
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c), "free to bind"));
	ck_assert_str_eq(lb_check_suggestion(c), "");
	lb_check_free(c);
	/* UDP and IPv6 on a free port. */
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_UDP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BINDABLE);
	lb_check_free(c);
	addr(&v6, "::1");
	ck_assert_int_eq(lb_check_bind(&v6, p, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_BINDABLE);
	lb_check_free(c);
	/* Not an address of this host. */
	addr(&a, "192.0.2.1");
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), 0);
	ck_assert_int_eq(lb_check_reason(c), LB_CHECK_NOT_LOCAL);
	lb_check_free(c);
	/* Bad input. */
	addr(&a, "127.0.0.1");
	c = NULL;
	ck_assert_int_eq(lb_check_bind(NULL, p, LB_PICK_TCP, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, 0, LB_PICK_TCP, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, p, 3, &c), LB_EINVAL);
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, NULL), LB_EINVAL);
	a.family = 0;
	ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), LB_EINVAL);
	ck_assert_ptr_null(c);
}
END_TEST

/* WSAEACCES is an excluded port range on Windows, never "privileged". */
START_TEST(test_check_excluded_range)
{
	lb_check *c = NULL;
	lb_addr a;
	uint16_t p;

	addr(&a, "127.0.0.1");
	/* Windows refuses no port below 1024; an excluded range (Hyper-V,
	 * WinNAT) or, under wine, the Linux host's privileged ports do. */
	for (p = 1; p < 1024; p++) {
		ck_assert_int_eq(lb_check_bind(&a, p, LB_PICK_TCP, &c), 0);
		if (lb_check_reason(c) == LB_CHECK_PRIVILEGED)
			break;
		lb_check_free(c);
		c = NULL;
	}
	if (!c)
		lb_ck_skip("no bind here is refused with WSAEACCES (wine runs as root, "
			   "so the host's privileged ports bind; no excluded port range)");
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c), "reserved by Windows"));
	ck_assert_ptr_nonnull(strstr(lb_check_explanation(c),
				     "netsh int ipv4 show excludedportrange protocol=tcp"));
	lb_check_free(c);
}
END_TEST

START_TEST(test_wait)
{
	PROCESS_INFORMATION pi;
	HANDLE rd;
	lb_addr a;
	char args[64], line[64];
	uint16_t p = free_port();
	DWORD t0;

	addr(&a, "127.0.0.1");
	ck_assert_int_eq(lb_wait(&a, p, LB_WAIT_ACCEPTING, 300), LB_ETIMEDOUT);
	ck_assert_int_eq(lb_wait(&a, p, LB_WAIT_FREE, 300), 0);
	/* A server that listens after 500 ms. */
	snprintf(args, sizeof(args), "listen %u 500", (unsigned)p);
	lb_win_spawn(self, args, &pi, &rd);
	t0 = GetTickCount();
	ck_assert_int_eq(lb_wait(&a, p, LB_WAIT_ACCEPTING, 20000), 0);
	ck_assert_uint_ge(GetTickCount() - t0, 400);
	lb_win_read_line(rd, line, sizeof(line));
	ck_assert_uint_eq(strtoul(line, NULL, 10), p);
	ck_assert_int_eq(lb_wait(&a, p, LB_WAIT_FREE, 300), LB_ETIMEDOUT);
	lb_win_kill(&pi, rd);
	ck_assert_int_eq(lb_wait(&a, p, LB_WAIT_FREE, 5000), 0);
	ck_assert_int_eq(lb_wait(NULL, p, LB_WAIT_FREE, 10), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, 0, LB_WAIT_FREE, 10), LB_EINVAL);
	ck_assert_int_eq(lb_wait(&a, p, 42, 10), LB_EINVAL);
}
END_TEST

static Suite *win_pick_suite(void)
{
	Suite *s = suite_create("win-pick");
	TCase *tc = tcase_create("nowsa");

	tcase_add_test(tc, test_no_wsastartup_needed);
	suite_add_tcase(s, tc);
	tc = tcase_create("pick");
	tcase_add_checked_fixture(tc, lb_win_wsa_setup, lb_win_wsa_teardown);
	tcase_add_test(tc, test_pick_outside_dynamic_range);
	tcase_add_test(tc, test_lease_listen);
	tcase_add_test(tc, test_child_lease_blocks_then_dies);
	tcase_add_test(tc, test_concurrent_pickers);
	suite_add_tcase(s, tc);
	tc = tcase_create("check");
	tcase_add_checked_fixture(tc, lb_win_wsa_setup, lb_win_wsa_teardown);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_check_excluded_range);
	tcase_add_test(tc, test_wait);
	suite_add_tcase(s, tc);
	return s;
}

/* The children: print what they hold, one line each, then wait to be
 * killed (bounded: 60 s). */
static int child(int argc, char **argv)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	WSADATA w;
	int k;

	if (strcmp(argv[1], "pick-range") == 0 && argc == 4) {
		o.first = (uint16_t)atoi(argv[2]);
		o.last = (uint16_t)atoi(argv[3]);
		if (lb_port_pick(&o, &l) != 0)
			return 1;
		printf("%u\n", (unsigned)lb_lease_port(l, 0));
	} else if (strcmp(argv[1], "pick-many") == 0 && argc == 5) {
		o.first = (uint16_t)atoi(argv[2]);
		o.last = (uint16_t)atoi(argv[3]);
		for (k = 0; k < atoi(argv[4]); k++) {
			/* Each lease kept (never released) until we are killed. */
			if (lb_port_pick(&o, &l) != 0) {
				printf("error\n");
				break;
			}
			printf("%u\n", (unsigned)lb_lease_port(l, 0));
			fflush(stdout);
		}
		printf("done\n");
	} else if (strcmp(argv[1], "listen") == 0 && (argc == 3 || argc == 4)) {
		uint16_t p;

		if (argc == 4)
			Sleep((DWORD)atoi(argv[3]));
		if (WSAStartup(MAKEWORD(2, 2), &w) != 0 ||
		    lb_win_listen((uint16_t)atoi(argv[2]), &p) == INVALID_SOCKET)
			return 1;
		printf("%u\n", (unsigned)p);
	} else {
		return 2;
	}
	fflush(stdout);
	Sleep(60000);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2)
		return child(argc, argv);
	ck_assert(GetModuleFileNameA(NULL, self, sizeof(self)) > 0);
	return lb_test_main(win_pick_suite(), argv[0]);
}
