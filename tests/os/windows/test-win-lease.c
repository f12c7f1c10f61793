/* SPDX-License-Identifier: MIT */
/*
 * Windows leases (named kernel objects, lib/os/windows/lease.c) and
 * the Windows socket layer (lib/os/windows/sockutil.c: SO_EXCLUSIVEADDRUSE
 * probes, Winsock errors), with real processes and sockets.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "lb-test.h"
#include <errno.h>

#include "os/windows/lease.h"
#include "os/process.h"
#include "os/sockutil.h"
#include "win-util.h"
#include <loopback.h>

static const char *self;

/* The lease names below are those of a port from the library (picked,
 * then released: lb_win_free_port()), never a fixed one that another run
 * of the suite on this host (or sharing this wineserver) takes too. */

START_TEST(test_lease_take_release)
{
	HANDLE h, h2 = NULL, hu;
	uint16_t p = lb_win_free_port(0);

	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h), 0);
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h2), LB_ELEASED);
	ck_assert_ptr_null(h2);
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_UDP, &hu), 0);
	CloseHandle(hu);
	CloseHandle(h);
	/* Gone with its last handle. */
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h), 0);
	CloseHandle(h);
	ck_assert_int_eq(lb__win_lease_take(0, LB_WIN_LEASE_TCP, &h), LB_EINVAL);
	ck_assert_int_eq(lb__win_lease_take(1, 5, &h), LB_EINVAL);
}
END_TEST

/* A child (this program with "hold PORT") takes the lease, says so on
 * its stdout, and waits; killing it must release the lease. */
START_TEST(test_lease_released_on_death)
{
	PROCESS_INFORMATION pi;
	HANDLE rd, h;
	uint16_t p = lb_win_free_port(0);
	char args[32];

	snprintf(args, sizeof(args), "hold %u", (unsigned)p);
	lb_win_spawn(self, args, &pi, &rd);
	ck_assert_int_eq(lb_win_read_byte(rd), 'L');
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h), LB_ELEASED);
	ck_assert(TerminateProcess(pi.hProcess, 9));
	ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	CloseHandle(rd);
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h), 0);
	CloseHandle(h);
}
END_TEST

START_TEST(test_lease_exists)
{
	HANDLE h;
	uint16_t p = lb_win_free_port(0);

	ck_assert_int_eq(lb__win_lease_exists(p, LB_WIN_LEASE_TCP), 0);
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h), 0);
	ck_assert_int_eq(lb__win_lease_exists(p, LB_WIN_LEASE_TCP), 1);
	ck_assert_int_eq(lb__win_lease_exists(p, LB_WIN_LEASE_UDP), 0);
	/* Looking did not take it over: gone with the holder's handle. */
	CloseHandle(h);
	ck_assert_int_eq(lb__win_lease_exists(p, LB_WIN_LEASE_TCP), 0);
	ck_assert_int_eq(lb__win_lease_exists(0, LB_WIN_LEASE_TCP), LB_EINVAL);
	ck_assert_int_eq(lb__win_lease_exists(p, 7), LB_EINVAL);
}
END_TEST

/* Another kind of object squatting a lease name: not ours to take. */
START_TEST(test_lease_name_squatted)
{
	uint16_t p = lb_win_free_port(0);
	wchar_t name[64];
	HANDLE m, h = NULL;

	swprintf(name, sizeof(name) / sizeof(name[0]), L"Global\\loopback-lease-tcp-%u", (unsigned)p);
	m = CreateMutexW(NULL, FALSE, name);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(lb__win_lease_take(p, LB_WIN_LEASE_TCP, &h), LB_ELEASED);
	ck_assert_ptr_null(h);
	ck_assert_int_eq(lb__win_lease_exists(p, LB_WIN_LEASE_TCP), 1);
	CloseHandle(m);
	ck_assert_int_eq(lb__win_lease_exists(p, LB_WIN_LEASE_TCP), 0);
}
END_TEST

START_TEST(test_sock_errno_map)
{
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEADDRINUSE), EADDRINUSE);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEACCES), EACCES);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEADDRNOTAVAIL), EADDRNOTAVAIL);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEAFNOSUPPORT), EAFNOSUPPORT);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEPROTONOSUPPORT), EAFNOSUPPORT);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEWOULDBLOCK), EINPROGRESS);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEINVAL), EINVAL);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAENOBUFS), ENOBUFS);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEMFILE), EMFILE);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAECONNREFUSED), ECONNREFUSED);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAEOPNOTSUPP), EOPNOTSUPP);
	ck_assert_int_eq(lb__sock_errno_from_wsa(WSAENETDOWN), EIO);
	ck_assert_int_eq(lb__sock_errno_from_wsa(0), EIO);
}
END_TEST

/* A trial bind as pick.c and check.c do it, through lib/sockutil.h. */
static int probe(const struct sockaddr_in *sa, int type)
{
	int fd = lb__socket(AF_INET, type, 0, 0), e = 0;

	ck_assert_int_ge(fd, 0);
	if (lb__sock_probe_opts(fd, 0) < 0 ||
	    bind((SOCKET)fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0)
		e = lb__sock_errno();
	lb__sock_close(fd);
	return e;
}

START_TEST(test_sock_probe)
{
	struct sockaddr_in sa;
	int len = (int)sizeof(sa), fd;
	SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	BOOL on = TRUE;
	DWORD flags = 1;

	ck_assert(s != INVALID_SOCKET || lb__wsa_init() == 0); /* for our own socket() */
	if (s == INVALID_SOCKET)
		s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert(s != INVALID_SOCKET);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(lb_win_free_port(0));
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(s, 1), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	ck_assert_int_eq(probe(&sa, SOCK_STREAM), EADDRINUSE);
	/* The probe's own socket is gone: once the listener closes, free. */
	closesocket(s);
	ck_assert_int_eq(probe(&sa, SOCK_STREAM), 0);
	ck_assert_int_eq(probe(&sa, SOCK_DGRAM), 0);

	/* SO_REUSEADDR probes are refused on Windows (they would bind over a
	 * live socket); the library's sockets are not inheritable. */
	fd = lb__socket(AF_INET, SOCK_STREAM, 0, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lb__sock_probe_opts(fd, 1), -1);
	ck_assert_int_eq(lb__sock_errno(), EOPNOTSUPP);
	ck_assert_int_eq(lb__sock_server_opts(fd, SOCK_STREAM), 0);
	ck_assert(GetHandleInformation((HANDLE)(intptr_t)fd, &flags));
	ck_assert_uint_eq(flags & HANDLE_FLAG_INHERIT, 0);
	lb__sock_close(fd);
	fd = lb__socket(AF_INET6, SOCK_DGRAM, 0, 1);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lb__sock_v6only(fd, 1), 0);
	ck_assert_int_eq(lb__sock_v6only(fd, 0), 0);
	lb__sock_close(fd);
	ck_assert_int_eq(lb__socket(AF_INET, 12345, 0, 0), -1);
}
END_TEST

START_TEST(test_process_alive)
{
	PROCESS_INFORMATION pi;
	HANDLE rd;
	DWORD pid;
	char args[32];

	ck_assert_int_eq(lb__process_alive(GetCurrentProcessId()), 0);
	snprintf(args, sizeof(args), "hold %u", (unsigned)lb_win_free_port(0));
	lb_win_spawn(self, args, &pi, &rd);
	ck_assert_int_eq(lb_win_read_byte(rd), 'L');
	pid = pi.dwProcessId;
	ck_assert_int_eq(lb__process_alive(pid), 0);
	ck_assert(TerminateProcess(pi.hProcess, 9));
	ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
	/* Exited, though our handle keeps its object (and pid) alive. */
	ck_assert_int_eq(lb__process_alive(pid), LB_ENOENT);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	CloseHandle(rd);
	/* Pids are multiples of 4 on Windows: 3 never exists. */
	ck_assert_int_eq(lb__process_alive(3), LB_ENOENT);
}
END_TEST

static Suite *win_lease_suite(void)
{
	Suite *s = suite_create("win-lease");
	TCase *tc = tcase_create("lease");

	tcase_add_test(tc, test_lease_take_release);
	tcase_add_test(tc, test_lease_released_on_death);
	tcase_add_test(tc, test_lease_exists);
	tcase_add_test(tc, test_lease_name_squatted);
	tcase_add_test(tc, test_process_alive);
	suite_add_tcase(s, tc);
	tc = tcase_create("sockutil");
	tcase_add_test(tc, test_sock_errno_map);
	tcase_add_test(tc, test_sock_probe);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "hold") == 0) {
		HANDLE h;

		if (lb__win_lease_take((uint16_t)atoi(argv[2]), LB_WIN_LEASE_TCP, &h) != 0)
			return 1;
		fputc('L', stdout);
		fflush(stdout);
		Sleep(60000);
		return 0;
	}
	self = argv[0];
	return lb_test_main(win_lease_suite(), argv[0]);
}
