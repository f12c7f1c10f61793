/* SPDX-License-Identifier: MIT */
/*
 * loopback pick / check / wait / run as Windows programs (under wine in
 * CI): loopback.exe is argv[1]. The commands that run starts are this
 * program again (see helper()).
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <stdlib.h>

#include "lb-test.h"
#include "win-util.h"
#include <loopback.h>

static const char *tool;
static char self[MAX_PATH];

static int run(const char *args, char *out, size_t size)
{
	return lb_win_run(tool, args, out, size);
}

START_TEST(test_pick)
{
	char out[4096], *end;
	unsigned long p;

	ck_assert_int_eq(run("pick", out, sizeof(out)), 0);
	p = strtoul(out, &end, 10);
	ck_assert_str_eq(end, "\r\n");
	/* Outside the dynamic range (read, or the default 49152-65535). */
	ck_assert_uint_ge(p, 1024);
	ck_assert_uint_lt(p, 49152);

	ck_assert_int_eq(run("pick --json -n 3 --tcp --udp --contiguous -4", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"protocols\":[\"tcp\",\"udp\"]"));
	ck_assert_ptr_nonnull(strstr(out, "\"ipv4_only\":false"));
	{
		const char *q = strstr(out, "\"ports\":[");
		unsigned long a, b, c;

		ck_assert_ptr_nonnull(q);
		ck_assert_int_eq(sscanf(q, "\"ports\":[%lu,%lu,%lu]", &a, &b, &c), 3);
		ck_assert_uint_eq(b, a + 1);
		ck_assert_uint_eq(c, a + 2);
	}
	ck_assert_int_eq(run("pick --range 50001-50001", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "50001\r\n");
	ck_assert_int_eq(run("pick --count 0", out, sizeof(out)), 2);
	ck_assert_int_eq(run("pick --range 9-1", out, sizeof(out)), 2);
	ck_assert_int_eq(run("pick --bogus", out, sizeof(out)), 2);
	ck_assert_int_eq(run("pick --help", out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: loopback pick"));
}
END_TEST

START_TEST(test_check)
{
	char out[4096], args[128];
	uint16_t p;
	SOCKET s = lb_win_listen(lb_win_free_port(LB_PICK_TCP), &p);

	ck_assert(s != INVALID_SOCKET);
	/* Held by this process's socket: loopback.exe is another process. */
	snprintf(args, sizeof(args), "check 127.0.0.1:%u", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 1);
	ck_assert_msg(strncmp(out, "in-use: TCP 127.0.0.1:", 22) == 0, "%s", out);
	snprintf(args, sizeof(args), "check --json 127.0.0.1:%u", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "\"reason\":\"in-use\""));
	ck_assert_ptr_nonnull(strstr(out, "\"bindable\":false"));
	closesocket(s);
	snprintf(args, sizeof(args), "check 127.0.0.1:%u", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	ck_assert_msg(strncmp(out, "bindable: TCP 127.0.0.1:", 24) == 0, "%s", out);
	/* A host name: localhost, each address. */
	snprintf(args, sizeof(args), "check --udp localhost:%u", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "bindable: UDP"));
	ck_assert_int_eq(run("check", out, sizeof(out)), 2);
	ck_assert_int_eq(run("check 127.0.0.1:0", out, sizeof(out)), 2);
	ck_assert_int_eq(run("check nonsense:port", out, sizeof(out)), 2);
	ck_assert_int_eq(run("check 127.0.0.1:80 --bogus", out, sizeof(out)), 2);
}
END_TEST

START_TEST(test_wait)
{
	char out[4096], args[512];
	uint16_t p;
	SOCKET s = lb_win_listen(lb_win_free_port(LB_PICK_TCP), &p);

	ck_assert(s != INVALID_SOCKET);
	snprintf(args, sizeof(args), "wait 127.0.0.1:%u -t 10", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "wait --free 127.0.0.1:%u -t 0.3", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 1);
	/* -- CMD: its exit status is ours. */
	snprintf(args, sizeof(args), "wait 127.0.0.1:%u -t 10 -- \"%s\" exit 7", (unsigned)p, self);
	ck_assert_int_eq(run(args, out, sizeof(out)), 7);
	closesocket(s);
	snprintf(args, sizeof(args), "wait --free 127.0.0.1:%u -t 10", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	snprintf(args, sizeof(args), "wait 127.0.0.1:%u -t 0.3", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 1);
	snprintf(args, sizeof(args), "wait --free 127.0.0.1:%u -t 5 -- no-such-program-lb", (unsigned)p);
	ck_assert_int_eq(run(args, out, sizeof(out)), 127);
	ck_assert_int_eq(run("wait 127.0.0.1:1 -t x", out, sizeof(out)), 2);
	ck_assert_int_eq(run("wait", out, sizeof(out)), 2);
}
END_TEST

START_TEST(test_run)
{
	char out[4096], args[512], *end;
	unsigned long p, a, b;
	int pid;

	/* $PORT in CMD's environment; CMD holds the lease (inherited). */
	snprintf(args, sizeof(args), "run -- \"%s\" leased", self);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	p = strtoul(out, &end, 10);
	ck_assert_msg(p >= 1024 && p < 49152 && strcmp(end, " leased\r\n") == 0, "%s", out);
	/* Gone with run and CMD. */
	ck_assert_int_eq(lb_lease_holders((uint16_t)p, LB_PICK_TCP, &pid, 1), LB_ENOENT);

	snprintf(args, sizeof(args), "run -e A -e B -- \"%s\" env A B PORTS", self);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	ck_assert_int_eq(sscanf(out, "%lu %lu", &a, &b), 2);
	{
		char want[64];

		snprintf(want, sizeof(want), "%lu %lu %lu %lu\r\n", a, b, a < b ? a : b, a < b ? b : a);
		ck_assert_str_eq(out, want);
	}
	/* Arguments with spaces, quotes and backslashes reach CMD intact. */
	snprintf(args, sizeof(args), "run -- \"%s\" args \"a b\" \"x\\\"y\" \"c:\\dir\\\\\" \"\"", self);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "[a b][x\"y][c:\\dir\\][]\r\n");
	/* CMD's exit status, and the errors. */
	snprintf(args, sizeof(args), "run -- \"%s\" exit 5", self);
	ck_assert_int_eq(run(args, out, sizeof(out)), 5);
	ck_assert_int_eq(run("run -- no-such-program-lb", out, sizeof(out)), 127);
	/* run's own failures, a usage error among them, are 125, never a
	 * status CMD could have. */
	snprintf(args, sizeof(args), "run --listen-fds -- \"%s\" exit 0", self);
	ck_assert_int_eq(run(args, out, sizeof(out)), 125);
	ck_assert_int_eq(run("run", out, sizeof(out)), 125);
	/* Options that parse but cannot be picked: run's own failure, 125. */
	ck_assert_int_eq(run("run --range 50001-50001 -n 2 -- x", out, sizeof(out)), 125);
}
END_TEST

/* run killed: CMD still holds the lease it inherited; killing CMD too
 * frees it at once. */
START_TEST(test_run_lease_outlives_run)
{
	PROCESS_INFORMATION pi;
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *l = NULL;
	HANDLE rd, cmd;
	char args[512], line[64];
	unsigned long p, pid;

	snprintf(args, sizeof(args), "run -- \"%s\" hold", self);
	lb_win_spawn(tool, args, &pi, &rd);
	lb_win_read_line(rd, line, sizeof(line));
	ck_assert_int_eq(sscanf(line, "%lu %lu", &p, &pid), 2);
	cmd = OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE, FALSE, (DWORD)pid);
	ck_assert_ptr_nonnull(cmd);
	o.first = (uint16_t)p;
	o.last = (uint16_t)p;
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	lb_win_kill(&pi, NULL);
	ck_assert_int_eq(lb_port_pick(&o, &l), LB_EEXHAUSTED);
	ck_assert(TerminateProcess(cmd, 9));
	ck_assert_uint_eq(WaitForSingleObject(cmd, 10000), WAIT_OBJECT_0);
	CloseHandle(cmd);
	CloseHandle(rd);
	ck_assert_int_eq(lb_port_pick(&o, &l), 0);
	lb_lease_release(l);
}
END_TEST

static Suite *win_cli_ports_suite(void)
{
	Suite *s = suite_create("win-cli-ports");
	TCase *tc = tcase_create("verbs");

	tcase_add_checked_fixture(tc, lb_win_wsa_setup, lb_win_wsa_teardown);
	tcase_add_test(tc, test_pick);
	tcase_add_test(tc, test_check);
	tcase_add_test(tc, test_wait);
	tcase_add_test(tc, test_run);
	tcase_add_test(tc, test_run_lease_outlives_run);
	suite_add_tcase(s, tc);
	return s;
}

/* The commands loopback run and wait start. */
static int helper(int argc, char **argv)
{
	const char *v = getenv("PORT");
	int i;

	if (strcmp(argv[1], "exit") == 0 && argc == 3)
		return atoi(argv[2]);
	if (strcmp(argv[1], "env") == 0) {
		for (i = 2; i < argc; i++)
			printf("%s%s", i > 2 ? " " : "", getenv(argv[i]) ? getenv(argv[i]) : "-");
		printf("\n");
		return 0;
	}
	if (strcmp(argv[1], "args") == 0) {
		for (i = 2; i < argc; i++)
			printf("[%s]", argv[i]);
		printf("\n");
		return 0;
	}
	if (!v)
		return 3;
	if (strcmp(argv[1], "leased") == 0) {
		/* The lease of $PORT is held (by run and by us): not pickable. */
		lb_pick_options o = LB_PICK_OPTIONS_INIT;
		lb_lease *l = NULL;

		o.first = o.last = (uint16_t)atoi(v);
		if (lb_port_pick(&o, &l) != LB_EEXHAUSTED ||
		    lb_lease_holders(o.first, LB_PICK_TCP, NULL, 0) != 0)
			return 4;
		printf("%s leased\n", v);
		return 0;
	}
	if (strcmp(argv[1], "hold") == 0) {
		printf("%s %lu\n", v, (unsigned long)GetCurrentProcessId());
		fflush(stdout);
		Sleep(60000);
		return 0;
	}
	return 2;
}

int main(int argc, char **argv)
{
	static const char *const helpers[] = { "exit", "env", "args", "leased", "hold" };
	size_t k;

	for (k = 0; argc >= 2 && k < sizeof(helpers) / sizeof(helpers[0]); k++)
		if (strcmp(argv[1], helpers[k]) == 0)
			return helper(argc, argv);
	ck_assert(argc == 2);
	tool = argv[1];
	ck_assert(GetModuleFileNameA(NULL, self, sizeof(self)) > 0);
	return lb_test_main(win_cli_ports_suite(), argv[0]);
}
