/* SPDX-License-Identifier: MIT */
/* Helpers for the Windows-only suites. */
#ifndef LB_WIN_UTIL_H
#define LB_WIN_UTIL_H

#include <winsock2.h>
#include <windows.h>

#include <check.h>

/* Whether we run under wine (which exports wine_get_version from ntdll):
 * used only to skip the assertions wine cannot satisfy, never a suite. */
static inline int lb_win_is_wine(void)
{
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");

	return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/* Checked fixture of the suites that use sockets. */
static inline void lb_win_wsa_setup(void)
{
	WSADATA w;

	ck_assert_int_eq(WSAStartup(MAKEWORD(2, 2), &w), 0);
}

static inline void lb_win_wsa_teardown(void)
{
	WSACleanup();
}

#endif
