/* SPDX-License-Identifier: MIT */
/*
 * Windows leases (named kernel objects) and bind probes
 * (lib/backend/port-windows.c), with real processes and sockets.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "lb-test.h"
#include "backend/port-windows.h"
#include "win-util.h"
#include <loopback.h>

static const char *self;

START_TEST(test_lease_take_release)
{
	HANDLE h, h2 = NULL, hu;

	ck_assert_int_eq(lb__win_lease_take(61001, LB_WIN_LEASE_TCP, &h), 0);
	ck_assert_int_eq(lb__win_lease_take(61001, LB_WIN_LEASE_TCP, &h2), LB_ELEASED);
	ck_assert_ptr_null(h2);
	ck_assert_int_eq(lb__win_lease_take(61001, LB_WIN_LEASE_UDP, &hu), 0);
	CloseHandle(hu);
	CloseHandle(h);
	/* Gone with its last handle. */
	ck_assert_int_eq(lb__win_lease_take(61001, LB_WIN_LEASE_TCP, &h), 0);
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

	lb_win_spawn(self, "hold 61002", &pi, &rd);
	ck_assert_int_eq(lb_win_read_byte(rd), 'L');
	ck_assert_int_eq(lb__win_lease_take(61002, LB_WIN_LEASE_TCP, &h), LB_ELEASED);
	ck_assert(TerminateProcess(pi.hProcess, 9));
	ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 10000), WAIT_OBJECT_0);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	CloseHandle(rd);
	ck_assert_int_eq(lb__win_lease_take(61002, LB_WIN_LEASE_TCP, &h), 0);
	CloseHandle(h);
}
END_TEST

START_TEST(test_bind_error_map)
{
	ck_assert_int_eq(lb__win_bind_error(WSAEADDRINUSE), LB_EADDRINUSE);
	ck_assert_int_eq(lb__win_bind_error(WSAEACCES), LB_EACCES);
	ck_assert_int_eq(lb__win_bind_error(WSAEADDRNOTAVAIL), LB_EADDRNOTAVAIL);
	ck_assert_int_eq(lb__win_bind_error(WSAEAFNOSUPPORT), LB_EAFNOSUPPORT);
	ck_assert_int_eq(lb__win_bind_error(WSAENOBUFS), LB_EIO);
}
END_TEST

START_TEST(test_bind_probe)
{
	struct sockaddr_in sa;
	int len = (int)sizeof(sa);
	SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	BOOL on = TRUE;
	uint16_t port;

	ck_assert(s != INVALID_SOCKET);
	ck_assert_int_eq(setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(s, 1), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	sa.sin_port = 0;
	ck_assert_int_eq(lb__win_bind_probe(&sa, sizeof(sa), SOCK_STREAM, port), LB_EADDRINUSE);
	/* The probe's own socket is gone: the port is still the listener's
	 * and, once that closes, free. */
	closesocket(s);
	ck_assert_int_eq(lb__win_bind_probe(&sa, sizeof(sa), SOCK_STREAM, port), 0);
	ck_assert_int_eq(lb__win_bind_probe(&sa, sizeof(sa), SOCK_DGRAM, port), 0);
	sa.sin_family = AF_UNSPEC;
	ck_assert_int_eq(lb__win_bind_probe(&sa, sizeof(sa), SOCK_STREAM, port), LB_EINVAL);
}
END_TEST

static Suite *win_lease_suite(void)
{
	Suite *s = suite_create("win-lease");
	TCase *tc = tcase_create("lease");

	tcase_add_test(tc, test_lease_take_release);
	tcase_add_test(tc, test_lease_released_on_death);
	suite_add_tcase(s, tc);
	tc = tcase_create("bind");
	tcase_add_checked_fixture(tc, lb_win_wsa_setup, lb_win_wsa_teardown);
	tcase_add_test(tc, test_bind_error_map);
	tcase_add_test(tc, test_bind_probe);
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
