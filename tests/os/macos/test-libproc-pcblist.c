/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/os/macos/pcblist.c (macOS net.inet.{tcp,udp}.
 * pcblist64) on constructed bytes, and for the merge with libproc's
 * records. The fixtures are written at raw byte offsets of the macOS SDK
 * on x86_64/arm64 (numbers here, not the parser's structs or macros), so
 * a slip in either shows.
 */
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "core/internal.h"
#include "sockets/backend.h"
#include "os/macos/pcblist.h"
#include "fixture-bytes.h"
#include <loopback.h>

#define XINPGEN 24
#define XINPCB64 260
#define XTCPCB64 472

/* Offsets inside struct xinpcb64 (the UDP record). */
#define O_XI_LEN 0
#define O_VFLAG 92
#define O_XSO_LEN 144
static const struct lb_fx_inpcb_layout xinpcb64 = {
	.xso_so = 148, .so_qlen = 180, .so_qlimit = 184, .q_width = 2, .so_uid = 248,
	.rcv_cc = 200, .snd_cc = 224, .fport = 16, .lport = 18, .faddr = 96, .laddr = 112,
	.flags = 84, .vflag = O_VFLAG,
	.v6_vflag = 0x2, /* INP_IPV6 */
};
/* Inside struct xtcpcb64: the xinpcb64 at 4, t_state at 292. */
#define O_XT_INPCB 4
#define O_T_STATE 292

static void fx_gen(struct lb_fx *f, uint32_t count, uint64_t gen)
{
	size_t o = lb_fx_add(f, XINPGEN);

	lb_fx_put(f->b, o, XINPGEN, 4);
	lb_fx_put(f->b, o + 4, count, 4);
	lb_fx_put(f->b, o + 8, gen, 8);
	lb_fx_put(f->b, o + 16, gen + 1000, 8);
}

static void fill_inpcb(uint8_t *p, const struct lb_fx_pcb *s, uint64_t xi_len)
{
	lb_fx_put(p, O_XI_LEN, xi_len, 8);
	lb_fx_put(p, O_XSO_LEN, 108, 4);
	lb_fx_fill_inpcb(p, &xinpcb64, s);
}

/* A TCP record; @xi_len is the inner xinpcb64's (tcp_pcblist64 leaves 0). */
static size_t fx_tcp(struct lb_fx *f, const struct lb_fx_pcb *s, uint64_t xi_len)
{
	size_t o = lb_fx_add(f, XTCPCB64);

	lb_fx_put(f->b, o, XTCPCB64, 4);
	fill_inpcb(f->b + o + O_XT_INPCB, s, xi_len);
	lb_fx_put(f->b, o + O_T_STATE, (uint32_t)s->t_state, 4);
	return o;
}

static size_t fx_udp(struct lb_fx *f, const struct lb_fx_pcb *s)
{
	size_t o = lb_fx_add(f, XINPCB64);

	fill_inpcb(f->b + o, s, XINPCB64);
	return o;
}

static const char LO6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static const struct lb_fx_pcb tcp_specs[] = {
	/* 127.0.0.1:8080 LISTEN, uid 501, accept queue 2 of 128 */
	{ 0, "\x7f\x00\x00\x01", "\0\0\0\0", 8080, 0, 0x1234500ULL, 501, 0, 1, 2, 128, 0, 0 },
	/* [::1]:40000 -> [::1]:8080 ESTABLISHED, v6only, uid 0 */
	{ 1, LO6, LO6, 40000, 8080, 0x1234600ULL, 0, 1, 4, 0, 0, 10, 20 },
	/* 10.0.0.2:62893 -> 192.168.1.9:443 TIME_WAIT */
	{ 0, "\x0a\x00\x00\x02", "\xc0\xa8\x01\x09", 62893, 443, 0x1234700ULL, 502, 0, 10, 0, 0, 0, 0 },
};

/* A TCP table: head, the three sockets above, tail. */
static struct lb_fx tcp_fixture(uint64_t head_gen, uint64_t tail_gen)
{
	struct lb_fx f = { NULL, 0 };
	size_t i;

	fx_gen(&f, 3, head_gen);
	/* The second record's inner xi_len filled, the others left 0. */
	for (i = 0; i < 3; i++)
		fx_tcp(&f, &tcp_specs[i], i == 1 ? XINPCB64 : 0);
	fx_gen(&f, 3, tail_gen);
	return f;
}

START_TEST(test_tcp_parse)
{
	struct lb_fx f = tcp_fixture(7, 7);
	struct lb__fbsd_pcblist l;
	size_t i;

	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.gen_changed, 0);
	for (i = 0; i < 3; i++)
		lb_fx_check_pcb(&l.v[i], &tcp_specs[i], LB_FBSD_IPPROTO_TCP);
	/* Spot checks in plain numbers. */
	ck_assert_uint_eq(l.v[0].lport, 8080);
	ck_assert_uint_eq(l.v[0].rx_queue, 2); /* listener: accept queue */
	ck_assert_uint_eq(l.v[0].tx_queue, 128);
	ck_assert_uint_eq(l.v[1].tx_queue, 20);
	ck_assert_int_eq(l.v[1].v6only, 1);
	ck_assert_int_eq(l.v[2].tcp_state, 10);
	ck_assert_uint_eq(l.v[2].uid, 502);
	lb__fbsd_pcblist_clear(&l);
	free(f.b);

	/* The table changed while it was copied. */
	f = tcp_fixture(7, 8);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_int_eq(l.gen_changed, 1);
	ck_assert_uint_eq(l.n, 3);
	lb__fbsd_pcblist_clear(&l);
	free(f.b);
}
END_TEST

START_TEST(test_udp_parse)
{
	static const struct lb_fx_pcb udp[] = {
		{ 0, "\0\0\0\0", "\0\0\0\0", 5353, 0, 0xabc00ULL, 65, 0, -1, 0, 0, 3, 0 },
		{ 1, LO6, LO6, 50000, 53, 0xabd00ULL, 501, 0, -1, 0, 0, 0, 7 },
	};
	struct lb_fx f = { NULL, 0 };
	struct lb__fbsd_pcblist l;

	fx_gen(&f, 2, 3);
	fx_udp(&f, &udp[0]);
	fx_udp(&f, &udp[1]);
	fx_gen(&f, 2, 3);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_UDP, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	lb_fx_check_pcb(&l.v[0], &udp[0], LB_FBSD_IPPROTO_UDP);
	lb_fx_check_pcb(&l.v[1], &udp[1], LB_FBSD_IPPROTO_UDP);
	ck_assert_uint_eq(l.v[0].lport, 5353);
	ck_assert_uint_eq(l.v[1].tx_queue, 7);
	lb__fbsd_pcblist_clear(&l);

	/* A UDP record must carry its length: the walk needs it. */
	lb_fx_put(f.b, XINPGEN + O_XI_LEN, 0, 8);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_UDP, &l), LB_EBADDATA);
	/* UDP bytes read as TCP: the sizes do not fit. */
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
	free(f.b);
}
END_TEST

START_TEST(test_empty)
{
	struct lb_fx f = { NULL, 0 };
	struct lb__fbsd_pcblist l;

	/* No socket: the kernel writes the head alone. */
	fx_gen(&f, 0, 1);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
	/* A head alone that claims sockets was cut. */
	lb_fx_put(f.b, 4, 3, 4);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
	/* Head and tail, nothing between. */
	lb_fx_put(f.b, 4, 0, 4);
	fx_gen(&f, 0, 1);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_UDP, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	free(f.b);
}
END_TEST

/* Each corruption of a good TCP table is refused, and the output is left
 * as it was. */
START_TEST(test_bad_lengths)
{
	static const struct { size_t off; uint64_t v; size_t n; } bad[] = {
		{ 0, 16, 4 },                                    /* head's xig_len */
		{ XINPGEN, 480, 4 },                             /* xt_len */
		{ XINPGEN + O_XT_INPCB + O_XI_LEN, 300, 8 },     /* inner xi_len */
		{ XINPGEN + O_XT_INPCB + O_XSO_LEN, 104, 4 },    /* xso_len */
		{ XINPGEN + 2 * XTCPCB64 + O_T_STATE, 11, 4 },   /* t_state past TIME_WAIT */
		{ XINPGEN + O_T_STATE, (uint32_t)-1, 4 },
		{ XINPGEN + 3 * XTCPCB64, 0, 4 },                /* tail's xig_len */
	};
	size_t i;

	for (i = 0; i < LB_ARRAY_SIZE(bad); i++) {
		struct lb_fx f = tcp_fixture(1, 1);
		struct lb__fbsd_pcblist l = { (void *)&l, 99, 5 };

		lb_fx_put(f.b, bad[i].off, bad[i].v, bad[i].n);
		ck_assert_msg(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l) == LB_EBADDATA,
			      "case %zu", i);
		ck_assert_uint_eq(l.n, 99);
		free(f.b);
	}
	{
		struct lb_fx f = tcp_fixture(1, 1);
		struct lb__fbsd_pcblist l;

		/* Neither IPv4 nor IPv6. */
		f.b[XINPGEN + O_XT_INPCB + O_VFLAG] = 0;
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
		f.b[XINPGEN + O_XT_INPCB + O_VFLAG] = 1;
		/* Cut by one byte, by the tail, by 3 bytes of the head. */
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len - 1, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len - XINPGEN, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, XINPGEN - 3, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
		lb__fbsd_pcblist_clear(&l);
		ck_assert_int_eq(lb__darwin_pcblist_parse(NULL, f.len, LB_FBSD_IPPROTO_TCP, &l), LB_EINVAL);
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, 1, &l), LB_EINVAL);
		ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, NULL), LB_EINVAL);
		free(f.b);
	}
}
END_TEST

/* libproc showed the listener and the established socket (its own
 * processes): only the TIME_WAIT pcb is unseen. Twins are matched one to
 * one: two equal UDP pcbs (SO_REUSEPORT) and one seen socket leave one
 * unseen. */
START_TEST(test_mark_unseen)
{
	struct lb_fx f = tcp_fixture(1, 1);
	struct lb__fbsd_pcblist l;
	struct lb_socket seen[3];
	char unseen[3];

	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_int_eq(lb__fbsd_to_socket(&l.v[1], &seen[0]), 0);
	ck_assert_int_eq(lb__fbsd_to_socket(&l.v[0], &seen[1]), 0);
	/* A UDP socket on the listener's address and port is no twin. */
	ck_assert_int_eq(lb__fbsd_to_socket(&l.v[0], &seen[2]), 0);
	seen[2].protocol = LB_PROTO_UDP;
	ck_assert_int_eq(lb__darwin_mark_unseen(&l, seen, 3, unseen), 0);
	ck_assert_mem_eq(unseen, "\0\0\1", 3);
	/* Another remote port: not the same connection. */
	seen[0].remote_port++;
	ck_assert_int_eq(lb__darwin_mark_unseen(&l, seen, 3, unseen), 0);
	ck_assert_mem_eq(unseen, "\0\1\1", 3);
	/* Nothing seen. */
	ck_assert_int_eq(lb__darwin_mark_unseen(&l, NULL, 0, unseen), 0);
	ck_assert_mem_eq(unseen, "\1\1\1", 3);
	ck_assert_int_eq(lb__darwin_mark_unseen(&l, NULL, 2, unseen), LB_EINVAL);

	/* The same pcb twice, seen once. */
	l.v[2] = l.v[0];
	seen[0] = seen[1];
	ck_assert_int_eq(lb__darwin_mark_unseen(&l, seen, 1, unseen), 0);
	ck_assert_mem_eq(unseen, "\0\1\1", 3);
	lb__fbsd_pcblist_clear(&l);
	free(f.b);
}
END_TEST

START_TEST(test_unseen_socket)
{
	struct lb_fx f = tcp_fixture(1, 1);
	struct lb__fbsd_pcblist l;
	struct lb_socket s;

	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	/* Another user's listener: listed, owner unknown, nothing to join. */
	ck_assert_int_eq(lb__darwin_unseen_socket(&l.v[0], 0, &s), 0);
	ck_assert_int_eq(s.owner_error, LB_EPERM);
	ck_assert_uint_eq(s.inode, 0);
	ck_assert_int_eq(s.state, LB_STATE_LISTEN);
	ck_assert_uint_eq(s.local_port, 8080);
	ck_assert_uint_eq(s.uid, 501);
	ck_assert_uint_eq(s.n_owners, 0);
	/* As root every process was readable: no holder, not hidden; and
	 * owners not asked for are not unknown. */
	ck_assert_int_eq(lb__darwin_unseen_socket(&l.v[0], 1, &s), 0);
	ck_assert_int_eq(s.owner_error, 0);
	/* TIME_WAIT has no holder by nature. */
	ck_assert_int_eq(lb__darwin_unseen_socket(&l.v[2], 0, &s), 0);
	ck_assert_int_eq(s.state, LB_STATE_TIME_WAIT);
	ck_assert_int_eq(s.owner_error, 0);
	/* A state out of range is refused, the output untouched. */
	l.v[1].tcp_state = 12;
	s.uid = 77;
	ck_assert_int_eq(lb__darwin_unseen_socket(&l.v[1], 0, &s), LB_EBADDATA);
	ck_assert_uint_eq(s.uid, 77);
	lb__fbsd_pcblist_clear(&l);
	free(f.b);
}
END_TEST

static Suite *libproc_pcblist_suite(void)
{
	Suite *s = suite_create("libproc-pcblist");
	TCase *tc = tcase_create("parse");
	TCase *tm = tcase_create("merge");

	tcase_add_test(tc, test_tcp_parse);
	tcase_add_test(tc, test_udp_parse);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_bad_lengths);
	suite_add_tcase(s, tc);
	tcase_add_test(tm, test_mark_unseen);
	tcase_add_test(tm, test_unseen_socket);
	suite_add_tcase(s, tm);
	return s;
}

LB_TEST_MAIN(libproc_pcblist_suite)
