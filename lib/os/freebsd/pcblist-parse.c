/* SPDX-License-Identifier: MIT */
/*
 * Pure parsers for FreeBSD's net.inet.{tcp,udp}.pcblist and kern.file:
 * bytes in, records out; no system calls, so they build and are tested on
 * any OS (tests/os/freebsd/test-freebsd-pcblist.c). The glue that asks the kernel is
 * sysctl.c, compiled on FreeBSD only.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "os/freebsd/sysctl.h"

/* The layouts, pinned: sizes and every offset read below. The offsets
 * of xso_so, the ports, the IPv4 local address, inp_vflag, t_state and
 * the xfile fields are those of FreeBSD 14 amd64 (offsetof on the real
 * headers); the rest follows from the field order of those headers. */
#define LB_FBSD_AT(type, field, off) \
	_Static_assert(offsetof(struct type, field) == (off), #type "." #field " at " #off)
_Static_assert(sizeof(struct lb__fbsd_xinpgen) == 64, "struct xinpgen is 64 bytes");
_Static_assert(sizeof(struct lb__fbsd_xsockbuf) == 36, "struct xsockbuf is 36 bytes");
_Static_assert(sizeof(struct lb__fbsd_xsocket) == 240, "struct xsocket is 240 bytes");
_Static_assert(sizeof(struct lb__fbsd_in_conninfo) == 44, "struct in_conninfo is 44 bytes");
_Static_assert(sizeof(struct lb__fbsd_xinpcb) == 400, "struct xinpcb is 400 bytes");
_Static_assert(sizeof(struct lb__fbsd_xtcpcb) == 744, "struct xtcpcb is 744 bytes");
_Static_assert(sizeof(struct lb__fbsd_xfile) == 128, "struct xfile is 128 bytes");
LB_FBSD_AT(lb__fbsd_xinpgen, xig_count, 8);
LB_FBSD_AT(lb__fbsd_xinpgen, xig_gen, 16);
LB_FBSD_AT(lb__fbsd_xsocket, so_qlen, 104);
LB_FBSD_AT(lb__fbsd_xsocket, so_uid, 120);
LB_FBSD_AT(lb__fbsd_xsocket, so_rcv, 168);
LB_FBSD_AT(lb__fbsd_xsocket, so_snd, 204);
LB_FBSD_AT(lb__fbsd_xinpcb, xi_socket.xso_so, 16);
LB_FBSD_AT(lb__fbsd_xinpcb, xi_socket.so_uid, 128);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_inc, 248);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_inc.ie_fport, 252);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_inc.ie_lport, 254);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_inc.ie_faddr, 256);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_inc.ie_laddr, 272);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_gencnt, 296);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_flags, 356);
LB_FBSD_AT(lb__fbsd_xinpcb, inp_vflag, 392);
LB_FBSD_AT(lb__fbsd_xtcpcb, xt_inp, 8);
LB_FBSD_AT(lb__fbsd_xtcpcb, t_state, 568);
LB_FBSD_AT(lb__fbsd_xfile, xf_pid, 8);
LB_FBSD_AT(lb__fbsd_xfile, xf_uid, 12);
LB_FBSD_AT(lb__fbsd_xfile, xf_fd, 16);
LB_FBSD_AT(lb__fbsd_xfile, xf_type, 32);
LB_FBSD_AT(lb__fbsd_xfile, xf_data, 56);

static uint16_t be16(uint16_t net)
{
	const uint8_t *b = (const uint8_t *)&net;

	return (uint16_t)(b[0] << 8 | b[1]);
}

int lb__bsd_pcb_convert(const struct lb__bsd_pcb_raw *x, int ipproto, struct lb__fbsd_pcb *p)
{
	memset(p, 0, sizeof(*p));
	p->ipproto = ipproto;
	/* As sockstat, netstat and lsof: INP_IPV4 first (an IPv6 socket
	 * connected to a mapped IPv4 address turns into IPv4), then INP_IPV6. */
	if (x->vflag & LB_FBSD_INP_IPV4) {
		p->family = LB_AF_INET;
		memcpy(p->laddr, x->laddr + 12, 4);
		memcpy(p->faddr, x->faddr + 12, 4);
	} else if (x->vflag & LB_FBSD_INP_IPV6) {
		p->family = LB_AF_INET6;
		memcpy(p->laddr, x->laddr, 16);
		memcpy(p->faddr, x->faddr, 16);
		p->v6only = (x->inp_flags & LB_FBSD_IN6P_IPV6_V6ONLY) != 0;
	} else {
		return LB_EBADDATA;
	}
	p->lport = be16(x->lport_net);
	p->fport = be16(x->fport_net);
	p->so = x->so;
	p->uid = x->uid;
	if (ipproto == LB_FBSD_IPPROTO_TCP) {
		if (x->t_state < 0 || x->t_state > LB_FBSD_TCPS_TIME_WAIT)
			return LB_EBADDATA;
		p->tcp_state = x->t_state;
	} else {
		p->tcp_state = -1;
	}
	if (ipproto == LB_FBSD_IPPROTO_TCP && x->t_state == 1 /* TCPS_LISTEN */) {
		p->rx_queue = x->qlen;
		p->tx_queue = x->qlimit;
	} else {
		p->rx_queue = x->rcv_cc;
		p->tx_queue = x->snd_cc;
	}
	return 0;
}

void lb__fbsd_pcblist_clear(struct lb__fbsd_pcblist *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int lb__bsd_pcblist_parse(const struct lb__bsd_pcblist_layout *lay, const void *buf, size_t len,
			  int ipproto, struct lb__fbsd_pcblist *ret)
{
	const uint8_t *b = buf;
	struct lb__fbsd_pcblist l = { NULL, 0, 0 };
	size_t gen = lay->gen_size, rec, off, n, i;
	uint64_t head_gen, tail_gen;
	uint32_t count;

	lb_return_if(!buf || !ret, LB_EINVAL);
	lb_return_if(ipproto != LB_FBSD_IPPROTO_TCP && ipproto != LB_FBSD_IPPROTO_UDP, LB_EINVAL);
	rec = lay->rec_size[ipproto == LB_FBSD_IPPROTO_UDP];
	if (len < gen || lay->gen(b, &head_gen, &count) < 0)
		return LB_EBADDATA;
	/* No socket at all: a kernel may write the head alone. */
	if (len == gen) {
		if (count != 0)
			return LB_EBADDATA;
		*ret = l;
		return 0;
	}
	/* Otherwise head, N records of exactly @rec bytes, tail: nothing else. */
	if (len < 2 * gen || (len - 2 * gen) % rec != 0 ||
	    lay->gen(b + len - gen, &tail_gen, &count) < 0)
		return LB_EBADDATA;
	n = (len - 2 * gen) / rec;
	if (n > 0) {
		l.v = calloc(n, sizeof(*l.v));
		if (!l.v)
			return LB_ENOMEM;
	}
	for (i = 0, off = gen; i < n; i++, off += rec) {
		struct lb__bsd_pcb_raw x;
		int r = lay->record(b + off, ipproto, &x);

		if (r == 0)
			r = lb__bsd_pcb_convert(&x, ipproto, &l.v[i]);
		if (r < 0) {
			free(l.v);
			return r;
		}
	}
	l.n = n;
	/* The head's and the tail's generation counts differ: the table
	 * changed while the kernel copied it. */
	l.gen_changed = head_gen != tail_gen;
	*ret = l;
	return 0;
}

/* ---- FreeBSD's layout ---- */

static int fbsd_gen(const uint8_t *b, uint64_t *ret_gen, uint32_t *ret_count)
{
	struct lb__fbsd_xinpgen g;

	memcpy(&g, b, sizeof(g));
	if (g.xig_len != sizeof(g))
		return LB_EBADDATA;
	*ret_gen = g.xig_gen;
	*ret_count = g.xig_count;
	return 0;
}

/* One record: an xtcpcb (TCP) or an xinpcb (UDP), every length checked. */
static int fbsd_record(const uint8_t *b, int ipproto, struct lb__bsd_pcb_raw *ret)
{
	struct lb__fbsd_xinpcb x;
	uint64_t reclen;
	int32_t t_state = -1;

	memcpy(&reclen, b, sizeof(reclen));
	if (ipproto == LB_FBSD_IPPROTO_TCP) {
		if (reclen != sizeof(struct lb__fbsd_xtcpcb))
			return LB_EBADDATA;
		memcpy(&x, b + offsetof(struct lb__fbsd_xtcpcb, xt_inp), sizeof(x));
		memcpy(&t_state, b + offsetof(struct lb__fbsd_xtcpcb, t_state), sizeof(t_state));
	} else {
		memcpy(&x, b, sizeof(x));
	}
	if (x.xi_len != sizeof(x) || x.xi_socket.xso_len != sizeof(struct lb__fbsd_xsocket))
		return LB_EBADDATA;
	ret->vflag = x.inp_vflag;
	ret->inp_flags = x.inp_flags;
	memcpy(ret->laddr, x.inp_inc.ie_laddr, 16);
	memcpy(ret->faddr, x.inp_inc.ie_faddr, 16);
	ret->lport_net = x.inp_inc.ie_lport;
	ret->fport_net = x.inp_inc.ie_fport;
	ret->so = x.xi_socket.xso_so;
	ret->uid = x.xi_socket.so_uid;
	ret->t_state = t_state;
	ret->qlen = x.xi_socket.so_qlen;
	ret->qlimit = x.xi_socket.so_qlimit;
	ret->rcv_cc = x.xi_socket.so_rcv.sb_cc;
	ret->snd_cc = x.xi_socket.so_snd.sb_cc;
	return 0;
}

static const struct lb__bsd_pcblist_layout fbsd_layout = {
	sizeof(struct lb__fbsd_xinpgen),
	{ sizeof(struct lb__fbsd_xtcpcb), sizeof(struct lb__fbsd_xinpcb) },
	fbsd_gen,
	fbsd_record,
};

int lb__fbsd_pcblist_parse(const void *buf, size_t len, int ipproto,
			   struct lb__fbsd_pcblist *ret)
{
	return lb__bsd_pcblist_parse(&fbsd_layout, buf, len, ipproto, ret);
}

static int file_cmp(const void *a, const void *b)
{
	const struct lb__fbsd_file *x = a, *y = b;

	if (x->data != y->data)
		return x->data < y->data ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

void lb__fbsd_filelist_clear(struct lb__fbsd_filelist *l)
{
	if (!l)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int lb__fbsd_filelist_parse(const void *buf, size_t len, struct lb__fbsd_filelist *ret)
{
	const uint8_t *b = buf;
	struct lb__fbsd_filelist l = { NULL, 0 };
	size_t n, i;

	lb_return_if(!buf || !ret, LB_EINVAL);
	if (len % sizeof(struct lb__fbsd_xfile) != 0)
		return LB_EBADDATA;
	n = len / sizeof(struct lb__fbsd_xfile);
	if (n > 0) {
		l.v = calloc(n, sizeof(*l.v));
		if (!l.v)
			return LB_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct lb__fbsd_xfile x;

		memcpy(&x, b + i * sizeof(x), sizeof(x));
		if (x.xf_size != sizeof(x) || x.xf_pid < 0) {
			free(l.v);
			return LB_EBADDATA;
		}
		if (x.xf_type != LB_FBSD_DTYPE_SOCKET || x.xf_data == 0)
			continue;
		l.v[l.n].data = x.xf_data;
		l.v[l.n].pid = (uint32_t)x.xf_pid;
		l.v[l.n].uid = x.xf_uid;
		l.v[l.n].fd = x.xf_fd;
		l.n++;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), file_cmp);
	*ret = l;
	return 0;
}

size_t lb__fbsd_files_of(const struct lb__fbsd_filelist *l, uint64_t so, size_t *ret_first)
{
	size_t lo = 0, hi, end;

	if (!l || !ret_first || so == 0)
		return 0;
	hi = l->n;
	while (lo < hi) { /* the first entry with data >= so */
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].data < so)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (end = lo; end < l->n && l->v[end].data == so; end++)
		;
	*ret_first = lo;
	return end - lo;
}
