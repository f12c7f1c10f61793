/* SPDX-License-Identifier: MIT */
/*
 * loopback who / ls as Windows programs on real sockets (the iphlpapi
 * backend through the CLI): loopback.exe is argv[1].
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "lb-test.h"
#include "win-util.h"
#include <loopback.h>

static const char *tool;

static int run(const char *args, char *out, size_t size)
{
	return lb_win_run(tool, args, out, size);
}

/* A listener on 127.0.0.1 and a connection to it, with I/O. */
static void open_pair(SOCKET *lst, SOCKET *cli, SOCKET *srv, uint16_t *port)
{
	struct sockaddr_in sa;
	int len = (int)sizeof(sa);
	BOOL on = TRUE;
	char b = 'x';

	*lst = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert(*lst != INVALID_SOCKET);
	ck_assert_int_eq(setsockopt(*lst, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, (const char *)&on, sizeof(on)), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(lb_win_free_port(LB_PICK_TCP));
	ck_assert_int_eq(bind(*lst, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(*lst, 2), 0);
	ck_assert_int_eq(getsockname(*lst, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	*cli = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	ck_assert_int_eq(connect(*cli, (struct sockaddr *)&sa, sizeof(sa)), 0);
	*srv = accept(*lst, NULL, NULL);
	ck_assert(*srv != INVALID_SOCKET);
	ck_assert_int_eq(send(*cli, &b, 1, 0), 1);
	ck_assert_int_eq(recv(*srv, &b, 1, 0), 1);
}

START_TEST(test_who_port)
{
	SOCKET lst, cli, srv;
	uint16_t port;
	char args[64], want[128], out[16384];

	open_pair(&lst, &cli, &srv, &port);
	snprintf(args, sizeof(args), "who --json %u", (unsigned)port);
	ck_assert_int_eq(run(args, out, sizeof(out)), 0);
	snprintf(want, sizeof(want),
		 "\"state\":\"LISTEN\",\"local\":{\"address\":\"127.0.0.1\",\"port\":%u}",
		 (unsigned)port);
	ck_assert_msg(strstr(out, want) != NULL, "no '%s' in '%s'", want, out);
	closesocket(cli);
	closesocket(srv);
	closesocket(lst);
	/* Nobody there any more. */
	ck_assert_int_eq(run(args, out, sizeof(out)), 1);
}
END_TEST

START_TEST(test_ls_owner)
{
	SOCKET lst, cli, srv;
	uint16_t port;
	char want[160], out[262144], *p;

	open_pair(&lst, &cli, &srv, &port);
	ck_assert_int_eq(run("ls --json -t", out, sizeof(out)), 0);
	/* The client end is named with this process (wine knows it). */
	snprintf(want, sizeof(want), "\"remote\":{\"address\":\"127.0.0.1\",\"port\":%u}",
		 (unsigned)port);
	p = strstr(out, want);
	ck_assert_msg(p != NULL, "no '%s'", want);
	snprintf(want, sizeof(want), "\"owners\":[{\"pid\":%lu,\"name\":\"test-win-cli-who.exe\"",
		 (unsigned long)GetCurrentProcessId());
	ck_assert_msg(strstr(p, want) != NULL, "no '%s' after the socket", want);
	closesocket(cli);
	closesocket(srv);
	closesocket(lst);
}
END_TEST

static Suite *win_cli_who_suite(void)
{
	Suite *s = suite_create("win-cli-who");
	TCase *tc = tcase_create("who-ls");

	tcase_add_checked_fixture(tc, lb_win_wsa_setup, lb_win_wsa_teardown);
	tcase_add_test(tc, test_who_port);
	tcase_add_test(tc, test_ls_owner);
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s PATH-TO-loopback.exe\n", argv[0]);
		return 2;
	}
	tool = argv[1];
	return lb_test_main(win_cli_who_suite(), argv[0]);
}
