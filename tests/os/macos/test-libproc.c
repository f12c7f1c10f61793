/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/os/macos/libproc-parse.c: constructed struct socket_info
 * (the SDK's own) into records. macOS only: CI compiles and links this
 * for x86_64 and aarch64 macOS (scripts/test.d/cross-macos.sh); it runs
 * where macOS does.
 */
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "lb-test.h"
#include "os/macos/libproc.h"
#include <loopback.h>

static void tcp4(struct socket_info *si, int state, uint16_t lport, uint16_t fport)
{
	struct in_sockinfo *in = &si->soi_proto.pri_tcp.tcpsi_ini;

	memset(si, 0, sizeof(*si));
	si->soi_family = AF_INET;
	si->soi_protocol = IPPROTO_TCP;
	si->soi_kind = SOCKINFO_TCP;
	si->soi_so = 0x1234abcdULL;
	si->soi_stat.vst_uid = 501;
	si->soi_proto.pri_tcp.tcpsi_state = state;
	in->insi_vflag = INI_IPV4;
	in->insi_lport = htons(lport);
	in->insi_fport = htons(fport);
	in->insi_laddr.ina_46.i46a_addr4.s_addr = htonl(0x7f000001);
	in->insi_faddr.ina_46.i46a_addr4.s_addr = htonl(0x7f000002);
}

START_TEST(test_tcp4_listen)
{
	struct socket_info si;
	struct lb_socket s;

	tcp4(&si, TSI_S_LISTEN, 8080, 0);
	si.soi_qlen = 3;
	si.soi_qlimit = 128;
	ck_assert_int_eq(lb__libproc_socket(&si, &s), 1);
	ck_assert_int_eq(s.protocol, LB_PROTO_TCP);
	ck_assert_int_eq(s.family, LB_AF_INET);
	ck_assert_int_eq(s.state, LB_STATE_LISTEN);
	ck_assert_uint_eq(s.local_port, 8080);
	ck_assert_uint_eq(s.remote_port, 0);
	ck_assert_mem_eq(s.local.bytes, "\x7f\x00\x00\x01", 4);
	ck_assert_uint_eq(s.uid, 501);
	ck_assert_uint_eq(s.inode, 0x1234abcdULL);
	ck_assert_uint_eq(s.rx_queue, 3);
	ck_assert_uint_eq(s.tx_queue, 128);
}
END_TEST

START_TEST(test_tcp6_and_udp)
{
	struct socket_info si;
	struct lb_socket s;
	struct in_sockinfo *in;

	tcp4(&si, TSI_S_ESTABLISHED, 50000, 443);
	in = &si.soi_proto.pri_tcp.tcpsi_ini;
	in->insi_vflag = INI_IPV6;
	memset(&in->insi_laddr, 0, sizeof(in->insi_laddr));
	in->insi_laddr.ina_6.s6_addr[0] = 0xfe;
	in->insi_laddr.ina_6.s6_addr[1] = 0x80;
	in->insi_laddr.ina_6.s6_addr[15] = 1;
	in->insi_v6.in6_ifindex = 4;
	in->insi_flags = 0x8000;
	ck_assert_int_eq(lb__libproc_socket(&si, &s), 1);
	ck_assert_int_eq(s.family, LB_AF_INET6);
	ck_assert_int_eq(s.state, LB_STATE_ESTABLISHED);
	ck_assert_uint_eq(s.local.scope_id, 4);
	ck_assert_int_eq(s.v6only, 1);
	ck_assert_uint_eq(s.remote_port, 443);

	memset(&si, 0, sizeof(si));
	si.soi_family = AF_INET;
	si.soi_protocol = IPPROTO_UDP;
	si.soi_kind = SOCKINFO_IN;
	si.soi_proto.pri_in.insi_vflag = INI_IPV4;
	si.soi_proto.pri_in.insi_lport = htons(5353);
	ck_assert_int_eq(lb__libproc_socket(&si, &s), 1);
	ck_assert_int_eq(s.protocol, LB_PROTO_UDP);
	ck_assert_int_eq(s.state, LB_STATE_CLOSE);
	ck_assert_uint_eq(s.local_port, 5353);
}
END_TEST

START_TEST(test_other_and_bad)
{
	struct socket_info si;
	struct lb_socket s;

	memset(&si, 0, sizeof(si));
	si.soi_family = AF_UNIX;
	si.soi_kind = SOCKINFO_UN;
	ck_assert_int_eq(lb__libproc_socket(&si, &s), 0);
	tcp4(&si, 11 /* TSI_S_RESERVED */, 1, 2);
	ck_assert_int_eq(lb__libproc_socket(&si, &s), LB_EBADDATA);
	tcp4(&si, TSI_S_TIME_WAIT, 1, 2);
	si.soi_proto.pri_tcp.tcpsi_ini.insi_vflag = 0;
	ck_assert_int_eq(lb__libproc_socket(&si, &s), LB_EBADDATA);
	ck_assert_int_eq(lb__libproc_socket(NULL, &s), LB_EINVAL);
	ck_assert_int_eq(lb__libproc_tcp_state(TSI_S__CLOSE_WAIT), LB_STATE_CLOSE_WAIT);
	ck_assert_int_eq(lb__libproc_tcp_state(TSI_S_FIN_WAIT_2), LB_STATE_FIN_WAIT2);
	ck_assert_int_eq(lb__libproc_tcp_state(-1), -1);
}
END_TEST

static Suite *libproc_suite(void)
{
	Suite *s = suite_create("libproc");
	TCase *tc = tcase_create("socket_info");

	tcase_add_test(tc, test_tcp4_listen);
	tcase_add_test(tc, test_tcp6_and_udp);
	tcase_add_test(tc, test_other_and_bad);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(libproc_suite)
