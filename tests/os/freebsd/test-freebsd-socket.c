/* SPDX-License-Identifier: MIT */
/* Tests for lib/os/freebsd/socket.c: pcb records as sockets. */
#include <string.h>

#include "lb-test.h"
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"
#include <loopback.h>

START_TEST(test_states)
{
	static const int want[] = {
		LB_STATE_CLOSE, LB_STATE_LISTEN, LB_STATE_SYN_SENT, LB_STATE_SYN_RECV,
		LB_STATE_ESTABLISHED, LB_STATE_CLOSE_WAIT, LB_STATE_FIN_WAIT1, LB_STATE_CLOSING,
		LB_STATE_LAST_ACK, LB_STATE_FIN_WAIT2, LB_STATE_TIME_WAIT,
	};
	int i;

	for (i = 0; i <= 10; i++)
		ck_assert_int_eq(lb__fbsd_tcp_state(i), want[i]);
	ck_assert_int_eq(lb__fbsd_tcp_state(-1), -1);
	ck_assert_int_eq(lb__fbsd_tcp_state(11), -1);
}
END_TEST

START_TEST(test_to_socket)
{
	struct lb__fbsd_pcb p;
	struct lb_socket s;

	memset(&p, 0, sizeof(p));
	p.ipproto = LB_FBSD_IPPROTO_TCP;
	p.family = LB_AF_INET6;
	p.tcp_state = 1;
	p.laddr[15] = 1;
	p.lport = 8080;
	p.so = 0xfffff80001234500ULL;
	p.uid = 1001;
	p.v6only = 1;
	p.rx_queue = 2;
	p.tx_queue = 128;
	ck_assert_int_eq(lb__fbsd_to_socket(&p, &s), 0);
	ck_assert_int_eq(s.protocol, LB_PROTO_TCP);
	ck_assert_int_eq(s.family, LB_AF_INET6);
	ck_assert_int_eq(s.local.family, LB_AF_INET6);
	ck_assert_int_eq(s.state, LB_STATE_LISTEN);
	ck_assert_uint_eq(s.local.bytes[15], 1);
	ck_assert_uint_eq(s.local_port, 8080);
	ck_assert_uint_eq(s.inode, 0xfffff80001234500ULL);
	ck_assert_uint_eq(s.uid, 1001);
	ck_assert_int_eq(s.v6only, 1);
	ck_assert_uint_eq(s.rx_queue, 2);

	p.ipproto = LB_FBSD_IPPROTO_UDP;
	p.family = LB_AF_INET;
	p.tcp_state = -1;
	memcpy(p.laddr, "\x7f\0\0\x01", 4);
	p.fport = 53;
	ck_assert_int_eq(lb__fbsd_to_socket(&p, &s), 0);
	ck_assert_int_eq(s.protocol, LB_PROTO_UDP);
	ck_assert_int_eq(s.state, LB_STATE_ESTABLISHED); /* connected UDP */
	ck_assert_mem_eq(s.local.bytes, "\x7f\0\0\x01", 4);
	p.fport = 0;
	ck_assert_int_eq(lb__fbsd_to_socket(&p, &s), 0);
	ck_assert_int_eq(s.state, LB_STATE_CLOSE);

	p.ipproto = LB_FBSD_IPPROTO_TCP;
	p.tcp_state = 12;
	s.uid = 77;
	ck_assert_int_eq(lb__fbsd_to_socket(&p, &s), LB_EBADDATA);
	ck_assert_uint_eq(s.uid, 77);
}
END_TEST

static Suite *freebsd_socket_suite(void)
{
	Suite *s = suite_create("freebsd-socket");
	TCase *tc = tcase_create("records");

	tcase_add_test(tc, test_states);
	tcase_add_test(tc, test_to_socket);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(freebsd_socket_suite)
