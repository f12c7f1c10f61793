/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/os/freebsd/pcblist-parse.c on constructed bytes. The
 * fixtures are written at raw byte offsets of FreeBSD 14 amd64 (numbers
 * here, not the parser's structs), so a slip in either shows.
 */
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "os/freebsd/sysctl.h"
#include "fixture-bytes.h"
#include <loopback.h>

#define XINPGEN 64
#define XINPCB 400
#define XTCPCB 744
#define XFILE 128

/* Offsets inside struct xinpcb. */
#define O_XSO_LEN 8
static const struct lb_fx_inpcb_layout xinpcb = {
	.xso_so = 16, .so_qlen = 112, .so_qlimit = 120, .q_width = 4, .so_uid = 128,
	.rcv_cc = 176, .snd_cc = 212, .fport = 252, .lport = 254, .faddr = 256, .laddr = 272,
	.flags = 356, .vflag = 392,
	.v6_vflag = 0x2 | 0x4, /* INP_IPV6 | INP_IPV6PROTO */
};
/* Inside struct xtcpcb. */
#define O_XT_INP 8
#define O_T_STATE 568

static void fx_gen(struct lb_fx *f, uint32_t count, uint64_t gen)
{
	size_t o = lb_fx_add(f, XINPGEN);

	lb_fx_put(f->b, o, XINPGEN, 8);
	lb_fx_put(f->b, o + 8, count, 4);
	lb_fx_put(f->b, o + 16, gen, 8);
	lb_fx_put(f->b, o + 24, gen + 1000, 8);
}

static void fill_inpcb(uint8_t *p, const struct lb_fx_pcb *s)
{
	lb_fx_put(p, 0, XINPCB, 8);
	lb_fx_put(p, O_XSO_LEN, 240, 8);
	lb_fx_fill_inpcb(p, &xinpcb, s);
}

static void fx_tcp(struct lb_fx *f, const struct lb_fx_pcb *s)
{
	size_t o = lb_fx_add(f, XTCPCB);

	lb_fx_put(f->b, o, XTCPCB, 8);
	fill_inpcb(f->b + o + O_XT_INP, s);
	lb_fx_put(f->b, o + O_T_STATE, (uint32_t)s->t_state, 4);
}

static void fx_udp(struct lb_fx *f, const struct lb_fx_pcb *s)
{
	size_t o = lb_fx_add(f, XINPCB); /* reallocates f->b: first */

	fill_inpcb(f->b + o, s);
}

static const char LO6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
static const char ANY6[16] = { 0 };

static const struct lb_fx_pcb tcp_specs[] = {
	{ 0, "\x7f\x00\x00\x01", "\0\0\0\0", 8080, 0, 0xfffff80001234500ULL, 1001, 0, 1, 2, 128, 0, 0 },
	{ 1, LO6, LO6, 40000, 8080, 0xfffff80001234600ULL, 0, 1, 4, 0, 0, 10, 20 },
	{ 0, "\x0a\x00\x00\x02", "\xc0\xa8\x01\x09", 62893, 443, 0xfffff80001234700ULL, 65534, 0, 10, 0, 0, 0, 0 },
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

	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.gen_changed, 0);

	p = &l.v[0]; /* 127.0.0.1:8080 LISTEN */
	ck_assert_int_eq(p->ipproto, 6);
	ck_assert_int_eq(p->family, LB_AF_INET);
	ck_assert_int_eq(p->tcp_state, 1);
	ck_assert_mem_eq(p->laddr, "\x7f\x00\x00\x01", 4);
	ck_assert_uint_eq(p->lport, 8080);
	ck_assert_uint_eq(p->fport, 0);
	ck_assert_uint_eq(p->so, 0xfffff80001234500ULL);
	ck_assert_uint_eq(p->uid, 1001);
	ck_assert_uint_eq(p->rx_queue, 2); /* listener: accept queue */
	ck_assert_uint_eq(p->tx_queue, 128);
	ck_assert_int_eq(p->v6only, 0);

	p = &l.v[1]; /* [::1]:40000 -> [::1]:8080 ESTABLISHED, v6only */
	ck_assert_int_eq(p->family, LB_AF_INET6);
	ck_assert_int_eq(p->tcp_state, 4);
	ck_assert_mem_eq(p->laddr, LO6, 16);
	ck_assert_mem_eq(p->faddr, LO6, 16);
	ck_assert_uint_eq(p->lport, 40000);
	ck_assert_uint_eq(p->fport, 8080);
	ck_assert_uint_eq(p->rx_queue, 10);
	ck_assert_uint_eq(p->tx_queue, 20);
	ck_assert_int_eq(p->v6only, 1);

	p = &l.v[2]; /* 10.0.0.2:62893 -> 192.168.1.9:443 TIME_WAIT */
	ck_assert_int_eq(p->family, LB_AF_INET);
	ck_assert_int_eq(p->tcp_state, 10);
	ck_assert_mem_eq(p->laddr, "\x0a\x00\x00\x02", 4);
	ck_assert_mem_eq(p->faddr, "\xc0\xa8\x01\x09", 4);
	ck_assert_uint_eq(p->lport, 62893);
	ck_assert_uint_eq(p->fport, 443);
	ck_assert_uint_eq(p->uid, 65534);
	lb__fbsd_pcblist_clear(&l);
	ck_assert_ptr_null(l.v);
	free(f.b);
}
END_TEST

START_TEST(test_generation_changed)
{
	struct lb_fx f = tcp_fixture(7, 8);
	struct lb__fbsd_pcblist l;

	/* The table changed while the kernel copied it: parsed, but flagged
	 * so the glue asks again. */
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), 0);
	ck_assert_uint_eq(l.n, 3);
	ck_assert_int_eq(l.gen_changed, 1);
	lb__fbsd_pcblist_clear(&l);
	free(f.b);
}
END_TEST

START_TEST(test_udp_parse)
{
	static const struct lb_fx_pcb udp[] = {
		{ 1, ANY6, ANY6, 5353, 0, 0xfffff80000000100ULL, 0, 0, 0, 0, 0, 0, 0 },
		{ 0, "\x7f\x00\x00\x01", "\x7f\x00\x00\x01", 51000, 53, 0xfffff80000000200ULL, 1000, 0, 0, 0, 0, 96, 0 },
	};
	struct lb_fx f = { NULL, 0 };
	struct lb__fbsd_pcblist l;

	fx_gen(&f, 2, 42);
	fx_udp(&f, &udp[0]);
	fx_udp(&f, &udp[1]);
	fx_gen(&f, 2, 42);
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_UDP, &l), 0);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].ipproto, 17);
	ck_assert_int_eq(l.v[0].family, LB_AF_INET6);
	ck_assert_int_eq(l.v[0].tcp_state, -1);
	ck_assert_int_eq(l.v[0].v6only, 0); /* dual-stack */
	ck_assert_mem_eq(l.v[0].laddr, ANY6, 16);
	ck_assert_uint_eq(l.v[0].lport, 5353);
	ck_assert_uint_eq(l.v[0].fport, 0);
	ck_assert_int_eq(l.v[1].family, LB_AF_INET);
	ck_assert_uint_eq(l.v[1].lport, 51000);
	ck_assert_uint_eq(l.v[1].fport, 53);
	ck_assert_uint_eq(l.v[1].rx_queue, 96);
	ck_assert_uint_eq(l.v[1].uid, 1000);
	ck_assert_uint_eq(l.v[1].so, 0xfffff80000000200ULL);
	lb__fbsd_pcblist_clear(&l);
	/* A UDP table is not a TCP table: the record sizes differ. */
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
	free(f.b);
}
END_TEST

START_TEST(test_empty_table)
{
	struct lb_fx f = { NULL, 0 };
	struct lb__fbsd_pcblist l;

	fx_gen(&f, 0, 1);
	fx_gen(&f, 0, 1);
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_UDP, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
	ck_assert_int_eq(l.gen_changed, 0);
	free(f.b);
}
END_TEST

/* Each corruption of a good TCP table, by byte offset from the start of
 * the first record (after the 64-byte head), or of the whole. */
START_TEST(test_bad_tables)
{
	struct lb__fbsd_pcblist l = { (void *)&l, 77, 5 };
	struct lb_fx f;
	size_t r1 = XINPGEN; /* the first record */
	int i;

	for (i = 0; i < 11; i++) {
		size_t len;

		f = tcp_fixture(3, 3);
		len = f.len;
		switch (i) {
		case 0: len -= 1; break;                                    /* truncated */
		case 1: len = XINPGEN; break;                               /* head only */
		case 2: lb_fx_put(f.b, 0, 60, 8); break;                          /* head length */
		case 3: lb_fx_put(f.b, f.len - XINPGEN, 65, 8); break;            /* tail length */
		case 4: lb_fx_put(f.b, r1, 700, 8); break;                        /* xt_len */
		case 5: lb_fx_put(f.b, r1 + O_XT_INP, 392, 8); break;             /* xi_len */
		case 6: lb_fx_put(f.b, r1 + O_XT_INP + O_XSO_LEN, 232, 8); break; /* xso_len */
		case 7: lb_fx_put(f.b, r1 + O_T_STATE, 11, 4); break;             /* no such state */
		case 8: lb_fx_put(f.b, r1 + O_T_STATE, 0xffffffff, 4); break;     /* negative state */
		case 9: f.b[r1 + O_XT_INP + xinpcb.vflag] = 0x4; break;    /* neither v4 nor v6 */
		case 10: len = 0; break;
		}
		ck_assert_msg(lb__fbsd_pcblist_parse(f.b, len, LB_FBSD_IPPROTO_TCP, &l) == LB_EBADDATA,
			      "corruption %d accepted", i);
		/* The out-parameter is untouched on error. */
		ck_assert_ptr_eq(l.v, (void *)&l);
		ck_assert_uint_eq(l.n, 77);
		free(f.b);
	}
	f = tcp_fixture(3, 3);
	/* A trailing byte after the tail. */
	lb_fx_add(&f, 1);
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, &l), LB_EBADDATA);
	ck_assert_int_eq(lb__fbsd_pcblist_parse(NULL, 0, LB_FBSD_IPPROTO_TCP, &l), LB_EINVAL);
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, LB_FBSD_IPPROTO_TCP, NULL), LB_EINVAL);
	ck_assert_int_eq(lb__fbsd_pcblist_parse(f.b, f.len, 1, &l), LB_EINVAL);
	free(f.b);
}
END_TEST

static void fx_file(struct lb_fx *f, int32_t pid, uint32_t uid, int32_t fd, int16_t type, uint64_t data)
{
	size_t o = lb_fx_add(f, XFILE);

	lb_fx_put(f->b, o, XFILE, 8);
	lb_fx_put(f->b, o + 8, (uint32_t)pid, 4);
	lb_fx_put(f->b, o + 12, uid, 4);
	lb_fx_put(f->b, o + 16, (uint32_t)fd, 4);
	lb_fx_put(f->b, o + 24, 0xfffff80077770000ULL + (uint64_t)o, 8); /* xf_file */
	lb_fx_put(f->b, o + 32, (uint16_t)type, 2);
	lb_fx_put(f->b, o + 36, 1, 4);
	lb_fx_put(f->b, o + 56, data, 8);
}

static struct lb_fx file_fixture(void)
{
	struct lb_fx f = { NULL, 0 };

	/* pid 200 inherited the listener of pid 100 (fork); pid 300 holds the
	 * connection; a vnode whose data equals a socket address is no socket. */
	fx_file(&f, 200, 1001, 3, 2, tcp_specs[0].so);
	fx_file(&f, 100, 1001, 5, 2, tcp_specs[0].so);
	fx_file(&f, 300, 0, 7, 1 /* DTYPE_VNODE */, tcp_specs[1].so);
	fx_file(&f, 300, 0, 8, 2, tcp_specs[1].so);
	fx_file(&f, 400, 0, 9, 2, 0xfffff800deadbeefULL);
	return f;
}

START_TEST(test_files_parse)
{
	struct lb_fx f = file_fixture();
	struct lb__fbsd_filelist l;
	size_t first = 99;

	ck_assert_int_eq(lb__fbsd_filelist_parse(f.b, f.len, &l), 0);
	ck_assert_uint_eq(l.n, 4); /* the vnode is dropped */
	/* Sorted by data, then pid. */
	ck_assert_uint_eq(lb__fbsd_files_of(&l, tcp_specs[0].so, &first), 2);
	ck_assert_uint_eq(l.v[first].pid, 100);
	ck_assert_int_eq(l.v[first].fd, 5);
	ck_assert_uint_eq(l.v[first + 1].pid, 200);
	ck_assert_int_eq(l.v[first + 1].fd, 3);
	ck_assert_uint_eq(l.v[first + 1].uid, 1001);
	ck_assert_uint_eq(lb__fbsd_files_of(&l, tcp_specs[1].so, &first), 1);
	ck_assert_uint_eq(l.v[first].pid, 300);
	ck_assert_int_eq(l.v[first].fd, 8);
	/* TIME-WAIT: nobody holds it. */
	ck_assert_uint_eq(lb__fbsd_files_of(&l, tcp_specs[2].so, &first), 0);
	ck_assert_uint_eq(lb__fbsd_files_of(&l, 0, &first), 0);
	ck_assert_uint_eq(lb__fbsd_files_of(NULL, 1, &first), 0);
	lb__fbsd_filelist_clear(&l);
	free(f.b);
}
END_TEST

START_TEST(test_files_bad)
{
	struct lb__fbsd_filelist l = { (void *)&l, 55 };
	struct lb_fx f;
	int i;

	for (i = 0; i < 3; i++) {
		size_t len;

		f = file_fixture();
		len = f.len;
		switch (i) {
		case 0: len -= 8; break;                        /* not whole records */
		case 1: lb_fx_put(f.b, 2 * XFILE, 136, 8); break;     /* xf_size of the third */
		case 2: lb_fx_put(f.b, XFILE + 8, 0xffffffff, 4); break; /* negative pid */
		}
		ck_assert_msg(lb__fbsd_filelist_parse(f.b, len, &l) == LB_EBADDATA,
			      "corruption %d accepted", i);
		ck_assert_ptr_eq(l.v, (void *)&l);
		ck_assert_uint_eq(l.n, 55);
		free(f.b);
	}
	ck_assert_int_eq(lb__fbsd_filelist_parse(NULL, 0, &l), LB_EINVAL);
	/* An empty kern.file is fine. */
	ck_assert_int_eq(lb__fbsd_filelist_parse("", 0, &l), 0);
	ck_assert_uint_eq(l.n, 0);
	lb__fbsd_filelist_clear(&l);
	lb__fbsd_filelist_clear(NULL);
	lb__fbsd_pcblist_clear(NULL);
}
END_TEST

static Suite *freebsd_suite(void)
{
	Suite *s = suite_create("freebsd-pcblist");
	TCase *tc = tcase_create("pcblist");

	tcase_add_test(tc, test_tcp_parse);
	tcase_add_test(tc, test_generation_changed);
	tcase_add_test(tc, test_udp_parse);
	tcase_add_test(tc, test_empty_table);
	tcase_add_test(tc, test_bad_tables);
	suite_add_tcase(s, tc);
	tc = tcase_create("kern.file");
	tcase_add_test(tc, test_files_parse);
	tcase_add_test(tc, test_files_bad);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(freebsd_suite)
