/* SPDX-License-Identifier: MIT */
/*
 * Pure parser for macOS's net.inet.{tcp,udp}.pcblist64 and the merge of
 * its records with libproc's; see pcblist.h for the layouts and
 * their sources. No system calls: built and tested on any OS.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "sockets/backend.h"
#include "os/macos/pcblist.h"

/* The SDK's structures, field by field, at #pragma pack(4). */
#pragma pack(push, 4)
struct lb__darwin_xinpgen {
	uint32_t xig_len;
	uint32_t xig_count;
	uint64_t xig_gen;
	uint64_t xig_sogen;
};

struct lb__darwin_xsockbuf {
	uint32_t sb_cc;
	uint32_t sb_hiwat;
	uint32_t sb_mbcnt;
	uint32_t sb_mbmax;
	int32_t sb_lowat;
	int16_t sb_flags;
	int16_t sb_timeo;
};

struct lb__darwin_xsocket64 {
	uint32_t xso_len;
	uint64_t xso_so;
	int16_t so_type;
	int16_t so_options;
	int16_t so_linger;
	int16_t so_state;
	uint64_t so_pcb;
	int32_t xso_protocol;
	int32_t xso_family;
	int16_t so_qlen;
	int16_t so_incqlen;
	int16_t so_qlimit;
	int16_t so_timeo;
	uint16_t so_error;
	int32_t so_pgid;
	uint32_t so_oobmark;
	struct lb__darwin_xsockbuf so_rcv;
	struct lb__darwin_xsockbuf so_snd;
	uint32_t so_uid;
};

struct lb__darwin_inp_depend6 {
	uint8_t inp6_hlim;
	int32_t inp6_cksum;
	uint16_t inp6_ifindex;
	int16_t inp6_hops;
};

struct lb__darwin_xinpcb64 {
	uint64_t xi_len;
	uint64_t xi_inpp;
	uint16_t inp_fport;
	uint16_t inp_lport;
	uint64_t inp_list[2];
	uint64_t inp_ppcb;
	uint64_t inp_pcbinfo;
	uint64_t inp_portlist[2];
	uint64_t inp_phd;
	uint64_t inp_gencnt;
	int32_t inp_flags;
	uint32_t inp_flow;
	uint8_t inp_vflag;
	uint8_t inp_ip_ttl;
	uint8_t inp_ip_p;
	uint32_t inp_dependfaddr[4]; /* union in_addr_4in6 / in6_addr: 4-aligned */
	uint32_t inp_dependladdr[4];
	uint8_t inp4_ip_tos;         /* struct inp_depend4 */
	struct lb__darwin_inp_depend6 inp_depend6;
	struct lb__darwin_xsocket64 xi_socket;
	uint64_t xi_alignment_hack;
};

struct lb__darwin_xtcpcb64 {
	uint32_t xt_len;
	struct lb__darwin_xinpcb64 xt_inpcb;
	uint64_t t_segq;
	int32_t t_dupacks;
	int32_t t_timer[4];          /* TCPT_NTIMERS_EXT */
	int32_t t_state;
	uint8_t rest[176];           /* t_flags .. xt_alignment_hack */
};
#pragma pack(pop)

#define LB_DARWIN_AT(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " at " #off)
_Static_assert(sizeof(struct lb__darwin_xinpgen) == LB_DARWIN_XINPGEN_SIZE, "xinpgen is 24 bytes");
_Static_assert(sizeof(struct lb__darwin_xsockbuf) == 24, "xsockbuf is 24 bytes");
_Static_assert(sizeof(struct lb__darwin_xsocket64) == LB_DARWIN_XSOCKET64_SIZE, "xsocket64 is 108 bytes");
_Static_assert(sizeof(struct lb__darwin_xinpcb64) == LB_DARWIN_XINPCB64_SIZE, "xinpcb64 is 260 bytes");
_Static_assert(sizeof(struct lb__darwin_xtcpcb64) == LB_DARWIN_XTCPCB64_SIZE, "xtcpcb64 is 472 bytes");
LB_DARWIN_AT(lb__darwin_xinpgen, xig_count, LB_DARWIN_XIG_COUNT);
LB_DARWIN_AT(lb__darwin_xinpgen, xig_gen, LB_DARWIN_XIG_GEN);
LB_DARWIN_AT(lb__darwin_xsocket64, xso_so, LB_DARWIN_XSO_SO);
LB_DARWIN_AT(lb__darwin_xsocket64, so_pcb, 20);
LB_DARWIN_AT(lb__darwin_xsocket64, so_qlen, LB_DARWIN_SO_QLEN);
LB_DARWIN_AT(lb__darwin_xsocket64, so_qlimit, LB_DARWIN_SO_QLIMIT);
LB_DARWIN_AT(lb__darwin_xsocket64, so_pgid, 48);
LB_DARWIN_AT(lb__darwin_xsocket64, so_rcv.sb_cc, LB_DARWIN_SO_RCV_CC);
LB_DARWIN_AT(lb__darwin_xsocket64, so_snd.sb_cc, LB_DARWIN_SO_SND_CC);
LB_DARWIN_AT(lb__darwin_xsocket64, so_uid, LB_DARWIN_SO_UID);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_fport, LB_DARWIN_INP_FPORT);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_lport, LB_DARWIN_INP_LPORT);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_flags, LB_DARWIN_INP_FLAGS);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_vflag, LB_DARWIN_INP_VFLAG);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_dependfaddr, LB_DARWIN_INP_FADDR);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_dependladdr, LB_DARWIN_INP_LADDR);
LB_DARWIN_AT(lb__darwin_xinpcb64, inp_depend6, 132);
LB_DARWIN_AT(lb__darwin_xinpcb64, xi_socket, LB_DARWIN_XI_SOCKET);
LB_DARWIN_AT(lb__darwin_xtcpcb64, xt_inpcb, LB_DARWIN_XT_INPCB);
LB_DARWIN_AT(lb__darwin_xtcpcb64, xt_inpcb.inp_lport, 22);
LB_DARWIN_AT(lb__darwin_xtcpcb64, xt_inpcb.xi_socket.so_uid, 252);
LB_DARWIN_AT(lb__darwin_xtcpcb64, t_state, LB_DARWIN_T_STATE);

static uint32_t nonneg(int16_t v)
{
	return v > 0 ? (uint32_t)v : 0;
}

static int darwin_gen(const uint8_t *b, uint64_t *ret_gen, uint32_t *ret_count)
{
	struct lb__darwin_xinpgen g;

	memcpy(&g, b, sizeof(g));
	if (g.xig_len != sizeof(g))
		return LB_EBADDATA;
	*ret_gen = g.xig_gen;
	*ret_count = g.xig_count;
	return 0;
}

/* One record: an xtcpcb64 (TCP) or an xinpcb64 (UDP), every length
 * checked. tcp_pcblist64 leaves the inner xi_len 0; a kernel that fills
 * it must fill it with the size here. */
static int darwin_record(const uint8_t *b, int ipproto, struct lb__bsd_pcb_raw *ret)
{
	struct lb__darwin_xinpcb64 x;
	const struct lb__darwin_xsocket64 *so = &x.xi_socket;
	int32_t t_state = -1;

	if (ipproto == LB_FBSD_IPPROTO_TCP) {
		struct lb__darwin_xtcpcb64 t;

		memcpy(&t, b, sizeof(t));
		if (t.xt_len != sizeof(t) || (t.xt_inpcb.xi_len != 0 && t.xt_inpcb.xi_len != sizeof(x)))
			return LB_EBADDATA;
		x = t.xt_inpcb;
		t_state = t.t_state;
	} else {
		memcpy(&x, b, sizeof(x));
		if (x.xi_len != sizeof(x)) /* the walk's only length: required */
			return LB_EBADDATA;
	}
	if (so->xso_len != sizeof(*so))
		return LB_EBADDATA;
	ret->vflag = x.inp_vflag;
	ret->inp_flags = x.inp_flags;
	memcpy(ret->laddr, x.inp_dependladdr, 16);
	memcpy(ret->faddr, x.inp_dependfaddr, 16);
	ret->lport_net = x.inp_lport;
	ret->fport_net = x.inp_fport;
	ret->so = so->xso_so;
	ret->uid = so->so_uid;
	ret->t_state = t_state;
	ret->qlen = nonneg(so->so_qlen);
	ret->qlimit = nonneg(so->so_qlimit);
	ret->rcv_cc = so->so_rcv.sb_cc;
	ret->snd_cc = so->so_snd.sb_cc;
	return 0;
}

static const struct lb__bsd_pcblist_layout darwin_layout = {
	sizeof(struct lb__darwin_xinpgen),
	{ sizeof(struct lb__darwin_xtcpcb64), sizeof(struct lb__darwin_xinpcb64) },
	darwin_gen,
	darwin_record,
};

int lb__darwin_pcblist_parse(const void *buf, size_t len, int ipproto,
			     struct lb__fbsd_pcblist *ret)
{
	return lb__bsd_pcblist_parse(&darwin_layout, buf, len, ipproto, ret);
}

static int twins(const struct lb__fbsd_pcb *p, const struct lb_socket *s)
{
	size_t alen = p->family == LB_AF_INET ? 4 : 16;

	return s->protocol == (p->ipproto == LB_FBSD_IPPROTO_TCP ? LB_PROTO_TCP : LB_PROTO_UDP) &&
	       s->family == p->family && s->local_port == p->lport &&
	       s->remote_port == p->fport && memcmp(s->local.bytes, p->laddr, alen) == 0 &&
	       memcmp(s->remote.bytes, p->faddr, alen) == 0;
}

int lb__darwin_mark_unseen(const struct lb__fbsd_pcblist *l, const struct lb_socket *seen,
			   size_t n_seen, char *ret_unseen)
{
	char *used = NULL;
	size_t i, k;

	lb_return_if(!l || (!seen && n_seen) || (!ret_unseen && l->n), LB_EINVAL);
	if (n_seen > 0 && !(used = calloc(n_seen, 1)))
		return LB_ENOMEM;
	for (i = 0; i < l->n; i++) {
		ret_unseen[i] = 1;
		for (k = 0; k < n_seen; k++) {
			if (used[k] || !twins(&l->v[i], &seen[k]))
				continue;
			ret_unseen[i] = 0;
			used[k] = 1;
			break;
		}
	}
	free(used);
	return 0;
}

int lb__darwin_unseen_socket(const struct lb__fbsd_pcb *p, int no_mark, struct lb_socket *ret)
{
	struct lb_socket s;
	int r = lb__fbsd_to_socket(p, &s);

	if (r < 0)
		return r;
	s.inode = 0;
	s.owner_error = no_mark || s.state == LB_STATE_TIME_WAIT ? 0 : LB_EPERM;
	*ret = s;
	return 0;
}
