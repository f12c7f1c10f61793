/* SPDX-License-Identifier: MIT */
/*
 * Building kernel-data fixtures byte by byte at raw offsets, for the
 * parser tests of other OSes' tables (tests/os/freebsd/test-freebsd-*.c,
 * tests/os/macos/test-libproc-pcblist.c). Include after lb-test.h.
 */
#ifndef LB_FIXTURE_BYTES_H
#define LB_FIXTURE_BYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <loopback.h>

/* @n bytes of @v at @b + @off, little-endian (amd64, arm64). */
static inline void lb_fx_put(uint8_t *b, size_t off, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

/* A port in network byte order. */
static inline void lb_fx_put_port(uint8_t *b, size_t off, uint16_t port)
{
	b[off] = (uint8_t)(port >> 8);
	b[off + 1] = (uint8_t)port;
}

/* A growing buffer; free .b when done. */
struct lb_fx {
	uint8_t *b;
	size_t len;
};

/* Append @n zero bytes; returns their offset. */
static inline size_t lb_fx_add(struct lb_fx *f, size_t n)
{
	size_t off = f->len;

	f->b = realloc(f->b, f->len + n);
	ck_assert_ptr_nonnull(f->b);
	memset(f->b + off, 0, n);
	f->len += n;
	return off;
}

/* One socket of a BSD pcblist fixture (FreeBSD's xinpcb, macOS's
 * xinpcb64 with its xsocket64). */
struct lb_fx_pcb {
	int v6;
	const char *laddr; /* 4 or 16 raw bytes */
	const char *faddr;
	uint16_t lport, fport;
	uint64_t so;
	uint32_t uid;
	int v6only;
	int32_t t_state;
	uint32_t qlen, qlimit, rcv, snd;
};

/* Where a layout keeps those fields, from the start of the inpcb: the
 * tests give their own raw numbers, not the parser's. */
struct lb_fx_inpcb_layout {
	size_t xso_so, so_qlen, so_qlimit, q_width, so_uid, rcv_cc, snd_cc;
	size_t fport, lport, faddr, laddr, flags, vflag;
	uint8_t v6_vflag;  /* what the kernel sets in inp_vflag for IPv6 */
};

/* Write @s into the inpcb at @p (its length fields are the caller's). */
static inline void lb_fx_fill_inpcb(uint8_t *p, const struct lb_fx_inpcb_layout *o,
				    const struct lb_fx_pcb *s)
{
	lb_fx_put(p, o->xso_so, s->so, 8);
	lb_fx_put(p, o->so_qlen, s->qlen, o->q_width);
	lb_fx_put(p, o->so_qlimit, s->qlimit, o->q_width);
	lb_fx_put(p, o->so_uid, s->uid, 4);
	lb_fx_put(p, o->rcv_cc, s->rcv, 4);
	lb_fx_put(p, o->snd_cc, s->snd, 4);
	lb_fx_put_port(p, o->fport, s->fport);
	lb_fx_put_port(p, o->lport, s->lport);
	if (s->v6) {
		memcpy(p + o->laddr, s->laddr, 16);
		memcpy(p + o->faddr, s->faddr, 16);
		p[o->vflag] = o->v6_vflag;
		if (s->v6only)
			lb_fx_put(p, o->flags, 0x8000, 4); /* IN6P_IPV6_V6ONLY */
	} else {
		memcpy(p + o->laddr + 12, s->laddr, 4);
		memcpy(p + o->faddr + 12, s->faddr, 4);
		p[o->vflag] = 0x1; /* INP_IPV4 */
	}
}

#ifdef LB_SYSCTL_FREEBSD_H
/* The parsed record @p says exactly what the fixture @s wrote. */
static inline void lb_fx_check_pcb(const struct lb__fbsd_pcb *p, const struct lb_fx_pcb *s,
				   int ipproto)
{
	size_t alen = s->v6 ? 16 : 4;
	int listener = ipproto == LB_FBSD_IPPROTO_TCP && s->t_state == 1;

	ck_assert_int_eq(p->ipproto, ipproto);
	ck_assert_int_eq(p->family, s->v6 ? LB_AF_INET6 : LB_AF_INET);
	ck_assert_int_eq(p->tcp_state, ipproto == LB_FBSD_IPPROTO_TCP ? s->t_state : -1);
	ck_assert_mem_eq(p->laddr, s->laddr, alen);
	ck_assert_mem_eq(p->faddr, s->faddr, alen);
	ck_assert_uint_eq(p->lport, s->lport);
	ck_assert_uint_eq(p->fport, s->fport);
	ck_assert_uint_eq(p->so, s->so);
	ck_assert_uint_eq(p->uid, s->uid);
	ck_assert_uint_eq(p->rx_queue, listener ? s->qlen : s->rcv);
	ck_assert_uint_eq(p->tx_queue, listener ? s->qlimit : s->snd);
	ck_assert_int_eq(p->v6only, s->v6 && s->v6only);
}
#endif

#endif
