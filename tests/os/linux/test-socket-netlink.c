/* SPDX-License-Identifier: MIT */
/* Tests for the pure parts of lib/os/linux/netlink.c: the reply parser on
 * a recorded dump and on constructed messages, and the bytecode filter. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "lb-test.h"
#include "sockets/backend.h"
#include "os/linux/netlink.h"

START_TEST(test_recorded_dump)
{
	/* Recorded: [::]:41020 dual-stack (backlog 5) and [::1]:41021 IPv6-only
	 * (backlog 7), both listening, then NLMSG_DONE. */
	struct lb__sockvec sv = { 0 };
	uint8_t buf[4096];
	char path[4096];
	struct in6_addr lo;
	size_t len;
	int done = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sock-diag-tcp6-listen.bin", LB_TEST_DATA);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_uint_eq(len, 284);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), 0);
	ck_assert_int_eq(done, 1);
	ck_assert_uint_eq(sv.n, 2);
	inet_pton(AF_INET6, "::1", &lo);
	ck_assert_uint_eq(sv.v[0].local_port, 41020);
	ck_assert_int_eq(sv.v[0].family, LB_AF_INET6);
	ck_assert_int_eq(sv.v[0].v6only, 0);
	ck_assert_uint_eq(sv.v[0].inode, 498291);
	ck_assert_int_eq(sv.v[0].state, LB_STATE_LISTEN);
	ck_assert_uint_eq(sv.v[0].tx_queue, 5);
	ck_assert_uint_eq(sv.v[1].local_port, 41021);
	ck_assert_int_eq(sv.v[1].v6only, 1);
	ck_assert_uint_eq(sv.v[1].inode, 498292);
	ck_assert_uint_eq(sv.v[1].tx_queue, 7);
	ck_assert_mem_eq(sv.v[1].local.bytes, &lo, 16);
	/* Every truncation of the dump is rejected or ends early, never misread. */
	for (len = 1; len < 284; len++) {
		size_t before = sv.n;
		int r = lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done);

		ck_assert_msg(r == LB_EBADDATA || (r == 0 && !done), "len %zu: r=%d", len, r);
		if (r < 0)
			ck_assert_uint_eq(sv.n, before);
	}
	lb__sockvec_clear(&sv);
}
END_TEST

/* Build one SOCK_DIAG_BY_FAMILY message for an IPv4 socket. */
static size_t make_msg(uint8_t *buf, uint16_t type, uint16_t flags, int family, int state)
{
	struct nlmsghdr h;
	struct inet_diag_msg m;

	memset(&h, 0, sizeof(h));
	memset(&m, 0, sizeof(m));
	h.nlmsg_len = NLMSG_LENGTH(sizeof(m));
	h.nlmsg_type = type;
	h.nlmsg_flags = flags;
	m.idiag_family = (uint8_t)family;
	m.idiag_state = (uint8_t)state;
	m.id.idiag_sport = htons(8080);
	m.id.idiag_dport = htons(443);
	m.id.idiag_src[0] = htonl(0x7f000001);
	m.id.idiag_dst[0] = htonl(0x0a000002);
	m.idiag_uid = 1000;
	m.idiag_inode = 4242;
	m.idiag_rqueue = 3;
	m.idiag_wqueue = 9;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &m, sizeof(m));
	return NLMSG_ALIGN(h.nlmsg_len);
}

static size_t make_error(uint8_t *buf, int err)
{
	struct nlmsghdr h;
	struct nlmsgerr e;

	memset(&h, 0, sizeof(h));
	memset(&e, 0, sizeof(e));
	h.nlmsg_len = NLMSG_LENGTH(sizeof(e));
	h.nlmsg_type = NLMSG_ERROR;
	e.error = -err;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &e, sizeof(e));
	return NLMSG_ALIGN(h.nlmsg_len);
}

START_TEST(test_constructed)
{
	struct lb__sockvec sv = { 0 };
	uint8_t buf[1024];
	size_t len;
	int done = 7;

	len = make_msg(buf, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, AF_INET, 1);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_UDP, &sv, &done), 0);
	ck_assert_int_eq(done, 0);
	ck_assert_uint_eq(sv.n, 1);
	ck_assert_int_eq(sv.v[0].protocol, LB_PROTO_UDP);
	ck_assert_int_eq(sv.v[0].state, LB_STATE_ESTABLISHED);
	ck_assert_uint_eq(sv.v[0].local_port, 8080);
	ck_assert_uint_eq(sv.v[0].remote_port, 443);
	ck_assert_uint_eq(sv.v[0].local.bytes[0], 127);
	ck_assert_uint_eq(sv.v[0].local.bytes[3], 1);
	ck_assert_uint_eq(sv.v[0].remote.bytes[0], 10);
	ck_assert_uint_eq(sv.v[0].uid, 1000);
	ck_assert_uint_eq(sv.v[0].inode, 4242);
	ck_assert_uint_eq(sv.v[0].rx_queue, 3);
	ck_assert_uint_eq(sv.v[0].tx_queue, 9);
	ck_assert_int_eq(sv.v[0].v6only, 0);
	sv.n = 0;

	/* NLM_F_DUMP_INTR: start over; nothing kept from this buffer. */
	len = make_msg(buf, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, AF_INET, 10);
	len += make_msg(buf + len, SOCK_DIAG_BY_FAMILY, NLM_F_MULTI | NLM_F_DUMP_INTR, AF_INET, 10);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), LB__DIAG_INTR);
	ck_assert_uint_eq(sv.n, 0);

	/* TCPDIAG_GETSOCK replies (the one dump of TCP in both families) are
	 * TCP's; for UDP they are someone else's messages. */
	len = make_msg(buf, TCPDIAG_GETSOCK, NLM_F_MULTI, AF_INET6, 10);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), 0);
	ck_assert_uint_eq(sv.n, 1);
	ck_assert_int_eq(sv.v[0].family, LB_AF_INET6);
	ck_assert_int_eq(sv.v[0].state, LB_STATE_LISTEN);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_UDP, &sv, &done), LB_EBADDATA);
	ck_assert_uint_eq(sv.n, 1);
	sv.n = 0;

	/* Errors from the kernel. */
	len = make_error(buf, ENOENT);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_UDP, &sv, &done), LB_ENOENT);
	len = make_error(buf, EPERM);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_UDP, &sv, &done), LB_EPERM);
	len = make_error(buf, EINVAL);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_UDP, &sv, &done), LB_EIO);

	/* Malformed: unknown family, state 0 or past CLOSING, unknown type,
	 * a length beyond the buffer. */
	len = make_msg(buf, SOCK_DIAG_BY_FAMILY, 0, AF_UNIX, 10);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), LB_EBADDATA);
	len = make_msg(buf, SOCK_DIAG_BY_FAMILY, 0, AF_INET, 0);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), LB_EBADDATA);
	len = make_msg(buf, SOCK_DIAG_BY_FAMILY, 0, AF_INET, 13);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), LB_EBADDATA);
	len = make_msg(buf, 99, 0, AF_INET, 10);
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), LB_EBADDATA);
	len = make_msg(buf, SOCK_DIAG_BY_FAMILY, 0, AF_INET, 10);
	buf[0] += 64; /* nlmsg_len now past the end */
	ck_assert_int_eq(lb__diag_parse(buf, len, LB_PROTO_TCP, &sv, &done), LB_EBADDATA);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_int_eq(lb__diag_parse(NULL, 4, LB_PROTO_TCP, &sv, &done), LB_EINVAL);
	lb__sockvec_clear(&sv);
}
END_TEST

START_TEST(test_bytecode)
{
	lb_query *q;
	uint8_t bc[256];
	size_t len = 99;
	struct inet_diag_bc_op op;
	struct inet_diag_hostcond hc;
	lb_addr a6;

	ck_assert_int_eq(lb_query_new(&q), 0);
	/* No address or port: no filter. */
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_INET, bc, sizeof(bc), &len), 0);
	ck_assert_uint_eq(len, 0);
	/* A port: one S_COND, any family, "no" rejects (end + 4). */
	lb_query_set_local_port(q, 8080);
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_INET, bc, sizeof(bc), &len), 0);
	ck_assert_uint_eq(len, sizeof(op) + sizeof(hc));
	memcpy(&op, bc, sizeof(op));
	memcpy(&hc, bc + sizeof(op), sizeof(hc));
	ck_assert_int_eq(op.code, INET_DIAG_BC_S_COND);
	ck_assert_uint_eq(op.yes, len);
	ck_assert_uint_eq(op.no, len + 4);
	ck_assert_int_eq(hc.family, AF_UNSPEC);
	ck_assert_int_eq(hc.prefix_len, 0);
	ck_assert_int_eq(hc.port, 8080);
	/* Plus a remote IPv6 address: a D_COND with a /128 follows. */
	memset(&a6, 0, sizeof(a6));
	a6.family = LB_AF_INET6;
	a6.bytes[15] = 1;
	lb_query_set_remote(q, &a6, 0);
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_INET6, bc, sizeof(bc), &len), 0);
	ck_assert_uint_eq(len, 2 * (sizeof(op) + sizeof(hc)) + 16);
	memcpy(&op, bc, sizeof(op));
	ck_assert_uint_eq(op.no, len + 4);
	memcpy(&op, bc + op.yes, sizeof(op));
	ck_assert_int_eq(op.code, INET_DIAG_BC_D_COND);
	ck_assert_uint_eq(op.no, len - (sizeof(op) + sizeof(hc)) + 4);
	memcpy(&hc, bc + sizeof(op) + sizeof(hc) + sizeof(op), sizeof(hc));
	ck_assert_int_eq(hc.family, AF_INET6);
	ck_assert_int_eq(hc.prefix_len, 128);
	ck_assert_int_eq(hc.port, -1);
	ck_assert_uint_eq(bc[len - 1], 1);
	/* An IPv6 address cannot match IPv4 sockets: skip that dump. */
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_INET, bc, sizeof(bc), &len), LB_ENOENT);
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_INET6, bc, 8, &len), LB_ENOSPC);
	ck_assert_int_eq(lb__diag_bytecode(q, 5, bc, sizeof(bc), &len), LB_EINVAL);
	/* Both families in one dump (LB_AF_NONE): ports only. */
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_NONE, bc, sizeof(bc), &len), LB_EINVAL);
	lb_query_free(q);
	ck_assert_int_eq(lb_query_new(&q), 0);
	lb_query_set_local_port(q, 8080);
	ck_assert_int_eq(lb__diag_bytecode(q, LB_AF_NONE, bc, sizeof(bc), &len), 0);
	ck_assert_uint_eq(len, sizeof(op) + sizeof(hc));
	memcpy(&hc, bc + sizeof(op), sizeof(hc));
	ck_assert_int_eq(hc.family, AF_UNSPEC);
	ck_assert_int_eq(hc.port, 8080);
	lb_query_free(q);
}
END_TEST

/* The requests: TCP of both families as one TCPDIAG_GETSOCK dump, one
 * family as SOCK_DIAG_BY_FAMILY; the ports in the request's socket id;
 * CLOSE never asked of TCP; the bytecode attached after the request. */
START_TEST(test_request)
{
	union {
		struct nlmsghdr h;
		uint8_t b[NLMSG_HDRLEN + 128 + NLA_HDRLEN + 256];
	} buf;
	struct inet_diag_req old;
	struct inet_diag_req_v2 v2;
	struct nlattr a;
	const uint8_t bc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	lb_query *q;
	size_t len;

	ck_assert_int_eq(lb_query_new(&q), 0);
	lb_query_set_local_port(q, 8080);
	lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) | LB_STATE_BIT(LB_STATE_CLOSE));
	memset(&buf, 0, sizeof(buf));
	len = lb__diag_request(&buf, q, LB_AF_NONE, LB_PROTO_TCP, NULL, 0);
	ck_assert_uint_eq(len, NLMSG_LENGTH(sizeof(old)));
	ck_assert_uint_eq(buf.h.nlmsg_len, len);
	ck_assert_uint_eq(buf.h.nlmsg_type, TCPDIAG_GETSOCK);
	ck_assert_uint_eq(buf.h.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	memcpy(&old, buf.b + NLMSG_HDRLEN, sizeof(old));
	ck_assert_uint_eq(old.idiag_family, AF_UNSPEC);
	ck_assert_uint_eq(ntohs(old.id.idiag_sport), 8080);
	ck_assert_uint_eq(old.id.idiag_dport, 0);
	ck_assert_uint_eq(old.idiag_states, 1u << LB_STATE_LISTEN);
	/* One family, UDP, with bytecode: CLOSE kept (unconnected UDP). */
	memset(&buf, 0, sizeof(buf));
	len = lb__diag_request(&buf, q, LB_AF_INET6, LB_PROTO_UDP, bc, sizeof(bc));
	ck_assert_uint_eq(buf.h.nlmsg_type, SOCK_DIAG_BY_FAMILY);
	memcpy(&v2, buf.b + NLMSG_HDRLEN, sizeof(v2));
	ck_assert_uint_eq(v2.sdiag_family, AF_INET6);
	ck_assert_uint_eq(v2.sdiag_protocol, IPPROTO_UDP);
	ck_assert_uint_eq(v2.idiag_states, (1u << LB_STATE_LISTEN) | (1u << LB_STATE_CLOSE));
	ck_assert_uint_eq(ntohs(v2.id.idiag_sport), 8080);
	ck_assert_uint_eq(len, NLMSG_ALIGN(NLMSG_LENGTH(sizeof(v2))) + sizeof(a) + sizeof(bc));
	memcpy(&a, buf.b + NLMSG_ALIGN(NLMSG_LENGTH(sizeof(v2))), sizeof(a));
	ck_assert_uint_eq(a.nla_type, INET_DIAG_REQ_BYTECODE);
	ck_assert_uint_eq(a.nla_len, sizeof(a) + sizeof(bc));
	ck_assert_mem_eq(buf.b + len - sizeof(bc), bc, sizeof(bc));
	/* TCP asked for CLOSE alone: nothing to ask. */
	lb_query_set_states(q, LB_STATE_BIT(LB_STATE_CLOSE));
	ck_assert_uint_eq(lb__diag_states(q, LB_PROTO_TCP), 0);
	ck_assert_uint_eq(lb__diag_states(q, LB_PROTO_UDP), 1u << LB_STATE_CLOSE);
	/* sock_diag's errors. */
	ck_assert_int_eq(lb__diag_errno(EOPNOTSUPP), LB_ENOENT);
	ck_assert_int_eq(lb__diag_errno(EAFNOSUPPORT), LB_ENOENT);
	ck_assert_int_eq(lb__diag_errno(EPERM), LB_EPERM);
	lb_query_free(q);
}
END_TEST

static Suite *netlink_suite(void)
{
	Suite *s = suite_create("socket-netlink");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_recorded_dump);
	tcase_add_test(tc, test_constructed);
	tcase_add_test(tc, test_bytecode);
	tcase_add_test(tc, test_request);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(netlink_suite)
