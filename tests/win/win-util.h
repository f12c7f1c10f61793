/* SPDX-License-Identifier: MIT */
/* Helpers for the Windows-only suites. */
#ifndef LB_WIN_UTIL_H
#define LB_WIN_UTIL_H

#include <winsock2.h>
#include <windows.h>

#include <stdio.h>
#include <string.h>

#include <check.h>

/* Whether we run under wine (which exports wine_get_version from ntdll):
 * used only to skip the assertions wine cannot satisfy, never a suite. */
static inline int lb_win_is_wine(void)
{
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");

	return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/* Start "@prog" @args with its stdout on a pipe: *pi for the process,
 * *ret_out the read end (the caller closes both). */
static inline void lb_win_spawn(const char *prog, const char *args, PROCESS_INFORMATION *pi,
				HANDLE *ret_out)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	STARTUPINFOA si;
	HANDLE rd, wr;
	char cmd[2048];

	ck_assert(CreatePipe(&rd, &wr, &sa, 0));
	SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdOutput = wr;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
	snprintf(cmd, sizeof(cmd), "\"%s\" %s", prog, args);
	ck_assert_msg(CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi),
		      "cannot run %s", cmd);
	CloseHandle(wr);
	*ret_out = rd;
}

/* Read one byte from @h: the child's "ready" signal. */
static inline char lb_win_read_byte(HANDLE h)
{
	char c = 0;
	DWORD got = 0;

	ck_assert(ReadFile(h, &c, 1, &got, NULL) && got == 1);
	return c;
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
