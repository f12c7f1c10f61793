/* SPDX-License-Identifier: MIT */
/* Helpers for the Windows-only suites. */
#ifndef LB_WIN_UTIL_H
#define LB_WIN_UTIL_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdint.h>

#include <stdio.h>
#include <string.h>

#include <check.h>
#include <loopback.h>

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

/* Run "@prog @args" to its end with its stdout collected into @out
 * (NUL-terminated, cut at @size - 1 bytes); returns its exit code. */
static inline int lb_win_run(const char *prog, const char *args, char *out, size_t size)
{
	PROCESS_INFORMATION pi;
	HANDLE rd;
	size_t n = 0;
	DWORD got, code = 255;

	lb_win_spawn(prog, args, &pi, &rd);
	while (n + 1 < size && ReadFile(rd, out + n, (DWORD)(size - 1 - n), &got, NULL) && got > 0)
		n += got;
	out[n] = '\0';
	CloseHandle(rd);
	ck_assert_uint_eq(WaitForSingleObject(pi.hProcess, 30000), WAIT_OBJECT_0);
	GetExitCodeProcess(pi.hProcess, &code);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	return (int)code;
}

/* Read one line (without its end, "\r\n" or "\n") from the pipe @h. */
static inline void lb_win_read_line(HANDLE h, char *buf, size_t size)
{
	size_t n = 0;
	char c;
	DWORD got;

	while (n + 1 < size && ReadFile(h, &c, 1, &got, NULL) && got == 1 && c != '\n')
		if (c != '\r')
			buf[n++] = c;
	buf[n] = '\0';
}

/* End a child started with lb_win_spawn() (and its pipe) at once. */
static inline void lb_win_kill(PROCESS_INFORMATION *pi, HANDLE rd)
{
	TerminateProcess(pi->hProcess, 9);
	ck_assert_uint_eq(WaitForSingleObject(pi->hProcess, 10000), WAIT_OBJECT_0);
	CloseHandle(pi->hProcess);
	CloseHandle(pi->hThread);
	if (rd)
		CloseHandle(rd);
}

/*
 * A port for a test's socket, from the library: outside the dynamic
 * range, free on @protocols (LB_PICK_TCP, LB_PICK_UDP or both; 0: both)
 * on IPv4 and IPv6 now, never port 0 (the dynamic range, where any
 * program's outgoing connections live) nor a fixed port (another run of
 * the suite takes it too). Its lease is released at once: on Windows a
 * lease has no visible holder, so even this process's own lease would
 * make lb_check_bind() say "leased" and keep `wait --free` waiting; only
 * another picker landing on this exact port before the test binds it
 * could take it.
 */
static inline uint16_t lb_win_free_port(unsigned protocols)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	uint16_t p;
	int r;

	o.protocols = protocols ? protocols : LB_PICK_TCP | LB_PICK_UDP;
	r = lb_port_pick(&o, &l);
	ck_assert_msg(r == 0, "no port for the test: %s", lb_strerror(r));
	p = lb_lease_port(l, 0);
	lb_lease_release(l);
	return p;
}

/* A TCP socket on 127.0.0.1:@port (0: one from lb_win_free_port()) with
 * SO_EXCLUSIVEADDRUSE, listening; *ret_port its port. INVALID_SOCKET if
 * it does not bind. */
static inline SOCKET lb_win_listen(uint16_t port, uint16_t *ret_port)
{
	struct sockaddr_in sa;
	int len = (int)sizeof(sa);
	BOOL on = TRUE;
	SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

	if (s == INVALID_SOCKET)
		return s;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port ? port : lb_win_free_port(LB_PICK_TCP));
	if (setsockopt(s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)) != 0 ||
	    bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(s, 8) != 0 ||
	    getsockname(s, (struct sockaddr *)&sa, &len) != 0) {
		closesocket(s);
		return INVALID_SOCKET;
	}
	*ret_port = ntohs(sa.sin_port);
	return s;
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
