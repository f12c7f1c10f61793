/* SPDX-License-Identifier: MIT */
/*
 * Starting commands on Windows: loopback run and wait -- CMD start CMD
 * with CreateProcess, wait for it and exit with its status. CMD inherits
 * the inheritable handles of this process: the standard handles and the
 * lease handles that lb_lease_set_inherit() marked (the library's sockets
 * are never inheritable), so a lease lives as long as CMD.
 */
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>
#include <windows.h>

#include "cli.h"

int lb_cli_std_fds(void)
{
	return 0; /* handles, not the lowest free number: nothing to hold */
}

int lb_cli_setenv(const char *name, const char *value)
{
	/* The process environment, which CreateProcess passes on, and the C
	 * library's copy (getenv). */
	if (!SetEnvironmentVariableA(name, value))
		return -1;
	return _putenv_s(name, value) == 0 ? 0 : -1;
}

/* Append @arg to @cmd quoted as the C runtime's and CommandLineToArgvW's
 * parsers read it back: inside quotes, backslashes are literal unless
 * they precede a quote. Returns the new length, or 0 when it does not fit. */
static size_t quote_arg(char *cmd, size_t len, size_t size, const char *arg)
{
	const char *p;

#define PUT(ch)                      \
	do {                         \
		if (len + 2 > size)  \
			return 0;    \
		cmd[len++] = (ch);   \
	} while (0)
	if (len > 0)
		PUT(' ');
	if (*arg && !strpbrk(arg, " \t\n\v\"")) {
		for (p = arg; *p; p++)
			PUT(*p);
		cmd[len] = '\0';
		return len;
	}
	PUT('"');
	for (p = arg;; p++) {
		size_t bs = 0, k;

		while (*p == '\\') {
			bs++;
			p++;
		}
		if (!*p) {
			for (k = 0; k < 2 * bs; k++) /* before the closing quote */
				PUT('\\');
			break;
		}
		if (*p == '"') {
			for (k = 0; k < 2 * bs + 1; k++)
				PUT('\\');
		} else {
			for (k = 0; k < bs; k++)
				PUT('\\');
		}
		PUT(*p);
	}
	PUT('"');
#undef PUT
	cmd[len] = '\0';
	return len;
}

/* Ctrl-C and Ctrl-Break reach CMD through the console; we only wait for
 * CMD's exit. A handler (not SetConsoleCtrlHandler(NULL, TRUE), whose
 * ignoring is inherited) keeps us alive without changing CMD. */
static BOOL WINAPI ignore_ctrl(DWORD type)
{
	return type == CTRL_C_EVENT || type == CTRL_BREAK_EVENT;
}

/* Start @argv with the inheritable handles, wait, return its status. */
static int spawn_wait(const char *verb, char **argv)
{
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	char *cmd;
	size_t len = 0, size = 32768; /* CreateProcess's limit */
	DWORD code = 0;
	int i;

	cmd = calloc(1, size);
	if (!cmd) {
		lb_cli_error("%s: out of memory", verb);
		return LB_EXIT_ERROR;
	}
	for (i = 0; argv[i]; i++) {
		len = quote_arg(cmd, len, size, argv[i]);
		if (len == 0) {
			lb_cli_error("%s: command line too long", verb);
			free(cmd);
			return LB_EXIT_ERROR;
		}
	}
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	fflush(NULL);
	SetConsoleCtrlHandler(ignore_ctrl, TRUE);
	if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
		DWORD e = GetLastError();

		free(cmd);
		lb_cli_error("%s: cannot execute '%s': Windows error %lu", verb, argv[0],
			     (unsigned long)e);
		return e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND ? 127 : 126;
	}
	free(cmd);
	CloseHandle(pi.hThread);
	if (WaitForSingleObject(pi.hProcess, INFINITE) != WAIT_OBJECT_0 ||
	    !GetExitCodeProcess(pi.hProcess, &code)) {
		lb_cli_error("%s: cannot wait for '%s'", verb, argv[0]);
		CloseHandle(pi.hProcess);
		return LB_EXIT_ERROR;
	}
	CloseHandle(pi.hProcess);
	return (int)code;
}

int lb_cli_exec(const char *verb, char **argv)
{
	return spawn_wait(verb, argv);
}

int lb_cli_run_command(char **argv, lb_lease *lease, int *fds, int nfds, const char **names,
		       int nnames)
{
	(void)lease;
	(void)names;
	(void)nnames;
	if (fds || nfds) { /* refused by lb_cmd_run before picking */
		lb_cli_error("run: --listen-fds is POSIX only");
		return LB_EXIT_ERROR;
	}
	return spawn_wait("run", argv);
}

void lb_cli_sock_close(int fd)
{
	closesocket((SOCKET)fd);
}
