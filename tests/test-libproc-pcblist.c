/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/backend/libproc-pcblist.c (macOS net.inet.{tcp,udp}.
 * pcblist64) on constructed bytes, and for the merge with libproc's
 * records. The fixtures are written at raw byte offsets of the macOS SDK
 * on x86_64/arm64 (numbers here, not the parser's structs or macros), so
 * a slip in either shows.
 */
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "internal.h"
#include "backend.h"
#include "backend/libproc-pcblist.h"
#include "fixture-bytes.h"
#include <loopback.h>

#define XINPGEN 24
#define XINPCB64 260
#define XTCPCB64 472

/* Offsets inside struct xinpcb64 (the UDP record). */
#define O_XI_LEN 0
#define O_FPORT 16
#define O_LPORT 18
#define O_FLAGS 84
#define O_VFLAG 92
#define O_FADDR 96
#define O_LADDR 112
#define O_XSO_LEN 144
#define O_XSO_SO 148
#define O_SO_QLEN 180
#define O_SO_QLIMIT 184
#define O_RCV_CC 200
#define O_SND_CC 224
#define O_SO_UID 248
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

struct pcb_spec {
	int v6;
	const char *laddr; /* 4 or 16 raw bytes */
	const char *faddr;
	uint16_t lport, fport;
	uint64_t so;
	uint32_t uid;
	int v6only;
	int32_t t_state;
	uint16_t qlen, qlimit;
	uint32_t rcv, snd;
	uint64_t xi_len;
};

static void fill_inpcb(uint8_t *p, const struct pcb_spec *s)
{
	lb_fx_put(p, O_XI_LEN, s->xi_len, 8);
	lb_fx_put(p, O_XSO_LEN, 108, 4);
	lb_fx_put(p, O_XSO_SO, s->so, 8);
	lb_fx_put(p, O_SO_QLEN, s->qlen, 2);
	lb_fx_put(p, O_SO_QLIMIT, s->qlimit, 2);
	lb_fx_put(p, O_SO_UID, s->uid, 4);
	lb_fx_put(p, O_RCV_CC, s->rcv, 4);
	lb_fx_put(p, O_SND_CC, s->snd, 4);
	lb_fx_put_port(p, O_FPORT, s->fport);
	lb_fx_put_port(p, O_LPORT, s->lport);
	if (s->v6) {
		memcpy(p + O_LADDR, s->laddr, 16);
		memcpy(p + O_FADDR, s->faddr, 16);
		p[O_VFLAG] = 0x2; /* INP_IPV6 */
		if (s->v6only)
			lb_fx_put(p, O_FLAGS, 0x8000, 4);
	} else {
		memcpy(p + O_LADDR + 12, s->laddr, 4);
		memcpy(p + O_FADDR + 12, s->faddr, 4);
		p[O_VFLAG] = 0x1; /* INP_IPV4 */
	}
}

static size_t fx_tcp(struct lb_fx *f, const struct pcb_spec *s)
{
	size_t o = lb_fx_add(f, XTCPCB64);

	lb_fx_put(f->b, o, XTCPCB64, 4);
	fill_inpcb(f->b + o + O_XT_INPCB, s);
	lb_fx_put(f->b, o + O_T_STATE, (uint32_t)s->t_state, 4);
	return o;
}

static size_t fx_udp(struct lb_fx *f, const struct pcb_spec *s)
{
	size_t o = lb_fx_add(f, XINPCB64);

	fill_inpcb(f->b + o, s);
	return o;
}

static const char LO6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static const struct pcb_spec tcp_specs[] = {
	/* 127.0.0.1:8080 LISTEN, uid 501, accept queue 2 of 128; xi_len 0 as
	 * tcp_pcblist64 leaves it */
	{ 0, "\x7f\x00\x00\x01", "\0\0\0\0", 8080, 0, 0x1234500ULL, 501, 0, 1, 2, 128, 0, 0, 0 },
	/* [::1]:40000 -> [::1]:8080 ESTABLISHED, v6only, uid 0; xi_len filled */
	{ 1, LO6, LO6, 40000, 8080, 0x1234600ULL, 0, 1, 4, 0, 0, 10, 20, XINPCB64 },
	/* 10.0.0.2:62893 -> 192.168.1.9:443 TIME_WAIT */
	{ 0, "\x0a\x00\x00\x02", "\xc0\xa8\x01\x09", 62893, 443, 0x1234700ULL, 502, 0, 10, 0, 0, 0, 0, 0 },
};

/* A TCP table: head, the three sockets above, tail. */
static struct lb_fx tcp_fixture(uint64_t head_gen, uint64_t tail_gen)
{
	struct lb_fx f = { NULL, 0 };
	size_t i;

	fx_gen(&f, 3, head_gen);
	for (i = 0; i < 3; i++)
		fx_tcp(&f, &tcp_specs[i]);
	fx_gen(&f, 3, tail_gen);
	return f;
}

START_TEST(test_tcp_parse)
{
	struct lb_fx f = tcp_fixture(7, 7);
	struct lb__fbsd_pcblist l;
	const struct lb__fbsd_pcb *p;

	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.gen_changed, 0);

	p = &l.v[0];
	ck_assert_int_eq(p->ipproto, 6);
	ck_assert_int_eq(p->family, LB_AF_INET);
	ck_assert_int_eq(p->tcp_state, 1);
	ck_assert_mem_eq(p->laddr, "\x7f\x00\x00\x01", 4);
	ck_assert_uint_eq(p->lport, 8080);
	ck_assert_uint_eq(p->fport, 0);
	ck_assert_uint_eq(p->so, 0x1234500ULL);
	ck_assert_uint_eq(p->uid, 501);
	ck_assert_uint_eq(p->rx_queue, 2); /* listener: accept queue */
	ck_assert_uint_eq(p->tx_queue, 128);
	ck_assert_int_eq(p->v6only, 0);

	p = &l.v[1];
	ck_assert_int_eq(p->family, LB_AF_INET6);
	ck_assert_int_eq(p->tcp_state, 4);
	ck_assert_mem_eq(p->laddr, LO6, 16);
	ck_assert_mem_eq(p->faddr, LO6, 16);
	ck_assert_uint_eq(p->lport, 40000);
	ck_assert_uint_eq(p->fport, 8080);
	ck_assert_uint_eq(p->uid, 0);
	ck_assert_uint_eq(p->rx_queue, 10);
	ck_assert_uint_eq(p->tx_queue, 20);
	ck_assert_int_eq(p->v6only, 1);

	p = &l.v[2];
	ck_assert_int_eq(p->tcp_state, 10);
	ck_assert_mem_eq(p->laddr, "\x0a\x00\x00\x02", 4);
	ck_assert_mem_eq(p->faddr, "\xc0\xa8\x01\x09", 4);
	ck_assert_uint_eq(p->lport, 62893);
	ck_assert_uint_eq(p->fport, 443);
	ck_assert_uint_eq(p->uid, 502);
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
	static const struct pcb_spec udp[] = {
		{ 0, "\0\0\0\0", "\0\0\0\0", 5353, 0, 0xabc00ULL, 65, 0, -1, 0, 0, 3, 0, XINPCB64 },
		{ 1, LO6, LO6, 50000, 53, 0xabd00ULL, 501, 0, -1, 0, 0, 0, 7, XINPCB64 },
	};
	struct lb_fx f = { NULL, 0 };
	struct lb__fbsd_pcblist l;

	fx_gen(&f, 2, 3);
	fx_udp(&f, &udp[0]);
	fx_udp(&f, &udp[1]);
	fx_gen(&f, 2, 3);
	ck_assert_int_eq(lb__darwin_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_UDP, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].ipproto, 17);
	ck_assert_int_eq(l.v[0].tcp_state, -1);
	ck_assert_int_eq(l.v[0].family, LB_AF_INET);
	ck_assert_uint_eq(l.v[0].lport, 5353);
	ck_assert_uint_eq(l.v[0].uid, 65);
	ck_assert_uint_eq(l.v[0].rx_queue, 3);
	ck_assert_uint_eq(l.v[0].so, 0xabc00ULL);
	ck_assert_int_eq(l.v[1].family, LB_AF_INET6);
	ck_assert_uint_eq(l.v[1].fport, 53);
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
	/* As root every process was readable: no holder, not hidden. */
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
