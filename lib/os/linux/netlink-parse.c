/* SPDX-License-Identifier: MIT */
/*
 * The pure half of the Linux netlink backend (netlink.c): the inet_diag
 * requests and their bytecode filter, built from a query, and the replies
 * parsed into records. Bytes in, bytes out; tested without a kernel
 * (tests/os/linux/test-socket-netlink.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "sockets/backend.h"
#include "os/linux/netlink.h"
#include "core/internal.h"

/* One host condition: op, hostcond, address. */
static int put_cond(uint8_t *buf, size_t size, size_t *off, int code, int has_addr,
		    const lb_addr *addr, uint16_t port)
{
	size_t alen = 0, len;
	struct inet_diag_bc_op op;
	struct inet_diag_hostcond hc;

	if (has_addr)
		alen = addr->family == LB_AF_INET ? 4 : 16;
	len = sizeof(op) + sizeof(hc) + alen;
	if (*off + len > size)
		return LB_ENOSPC;
	memset(&op, 0, sizeof(op));
	memset(&hc, 0, sizeof(hc));
	op.code = (unsigned char)code;
	op.yes = (unsigned char)len;
	op.no = 0; /* patched once the total length is known */
	hc.family = has_addr ? (addr->family == LB_AF_INET ? AF_INET : AF_INET6) : AF_UNSPEC;
	hc.prefix_len = (uint8_t)(alen * 8);
	hc.port = port ? port : -1;
	memcpy(buf + *off, &op, sizeof(op));
	memcpy(buf + *off + sizeof(op), &hc, sizeof(hc));
	if (alen)
		memcpy(buf + *off + sizeof(op) + sizeof(hc), addr->bytes, alen);
	*off += len;
	return 0;
}

int lb__diag_bytecode(const lb_query *q, int family, uint8_t *buf, size_t size,
		      size_t *ret_len)
{
	size_t off = 0, pos;
	int r;

	lb_return_if(!q || !buf || !ret_len, LB_EINVAL);
	lb_return_if(family != LB_AF_INET && family != LB_AF_INET6 && family != LB_AF_NONE,
		     LB_EINVAL);
	/* Both families in one dump: only port conditions fit both. */
	lb_return_if(family == LB_AF_NONE && (q->has_local_addr || q->has_remote_addr), LB_EINVAL);
	/* An IPv6 address never matches an IPv4 socket. */
	if ((q->has_local_addr && q->local_addr.family == LB_AF_INET6 && family == LB_AF_INET) ||
	    (q->has_remote_addr && q->remote_addr.family == LB_AF_INET6 && family == LB_AF_INET))
		return LB_ENOENT;
	if (q->has_local_addr || q->local_port) {
		r = put_cond(buf, size, &off, INET_DIAG_BC_S_COND, q->has_local_addr,
			     &q->local_addr, q->local_port);
		if (r < 0)
			return r;
	}
	if (q->has_remote_addr || q->remote_port) {
		r = put_cond(buf, size, &off, INET_DIAG_BC_D_COND, q->has_remote_addr,
			     &q->remote_addr, q->remote_port);
		if (r < 0)
			return r;
	}
	/* "no" jumps 4 bytes past the end: reject. */
	for (pos = 0; pos < off;) {
		struct inet_diag_bc_op op;

		memcpy(&op, buf + pos, sizeof(op));
		op.no = (unsigned short)(off - pos + 4);
		memcpy(buf + pos, &op, sizeof(op));
		pos += op.yes;
	}
	*ret_len = off;
	return 0;
}

/* sock_diag without this protocol or family (a module not loaded, IPv6
 * off) answers like a missing table: LB_ENOENT, as lb__errno_code() does
 * for ENOENT itself. */
int lb__diag_errno(int e)
{
	return e == EOPNOTSUPP || e == EPROTONOSUPPORT || e == EAFNOSUPPORT ? LB_ENOENT :
	       lb__errno_code(e);
}

/* One message into @s, a record lb__sockvec_push() zeroed: only what the
 * message says is written (a record is 272 bytes; clearing it again and
 * copying it in from the stack cost a tenth of a 26,000-socket parse). */
static int parse_one(const struct nlmsghdr *h, int protocol, struct lb_socket *s)
{
	struct inet_diag_msg m;
	size_t payload = h->nlmsg_len - NLMSG_HDRLEN, alen;
	const uint8_t *attrs;
	size_t left;

	if (payload < sizeof(m))
		return LB_EBADDATA;
	memcpy(&m, NLMSG_DATA(h), sizeof(m));
	if (m.idiag_family == AF_INET) {
		s->family = LB_AF_INET;
		alen = 4;
		s->v6only = 0;
	} else if (m.idiag_family == AF_INET6) {
		s->family = LB_AF_INET6;
		alen = 16;
		s->v6only = -1;
	} else {
		return LB_EBADDATA;
	}
	if (m.idiag_state == 0 || m.idiag_state > LB_STATE_CLOSING)
		return LB_EBADDATA;
	s->protocol = protocol;
	s->state = m.idiag_state;
	s->local.family = s->remote.family = s->family;
	memcpy(s->local.bytes, m.id.idiag_src, alen);
	memcpy(s->remote.bytes, m.id.idiag_dst, alen);
	s->local_port = ntohs(m.id.idiag_sport);
	s->remote_port = ntohs(m.id.idiag_dport);
	s->rx_queue = m.idiag_rqueue;
	s->tx_queue = m.idiag_wqueue;
	s->uid = m.idiag_uid;
	s->inode = m.idiag_inode;
	attrs = (const uint8_t *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(m));
	left = payload > NLMSG_ALIGN(sizeof(m)) ? payload - NLMSG_ALIGN(sizeof(m)) : 0;
	while (left >= sizeof(struct nlattr)) {
		struct nlattr a;

		memcpy(&a, attrs, sizeof(a));
		if (a.nla_len < sizeof(a) || a.nla_len > left)
			return LB_EBADDATA;
		if ((a.nla_type & NLA_TYPE_MASK) == INET_DIAG_SKV6ONLY) {
			if (a.nla_len < sizeof(a) + 1)
				return LB_EBADDATA;
			s->v6only = attrs[sizeof(a)] ? 1 : 0;
		}
		if ((size_t)NLA_ALIGN(a.nla_len) >= left)
			break;
		left -= NLA_ALIGN(a.nla_len);
		attrs += NLA_ALIGN(a.nla_len);
	}
	return 0;
}

int lb__diag_parse(const void *buf, size_t len, int protocol, struct lb__sockvec *out,
		   int *ret_done)
{
	const uint8_t *p = buf;
	size_t n0;
	int r = 0;

	lb_return_if((!buf && len) || !out || !ret_done, LB_EINVAL);
	n0 = out->n;
	*ret_done = 0;
	while (len > 0) {
		struct nlmsghdr h;
		struct lb_socket *slot;

		if (len < sizeof(h)) {
			r = LB_EBADDATA;
			break;
		}
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len) {
			r = LB_EBADDATA;
			break;
		}
		if (h.nlmsg_flags & NLM_F_DUMP_INTR) {
			r = LB__DIAG_INTR;
			break;
		}
		if (h.nlmsg_type == NLMSG_DONE) {
			*ret_done = 1;
			break;
		}
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr e;

			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(e))) {
				r = LB_EBADDATA;
				break;
			}
			memcpy(&e, p + NLMSG_HDRLEN, sizeof(e));
			r = e.error == 0 ? LB_EBADDATA : lb__diag_errno(-e.error);
			break;
		}
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY ||
		    (h.nlmsg_type == TCPDIAG_GETSOCK && protocol == LB_PROTO_TCP)) {
			/* A private aligned copy: the buffer need not be aligned. */
			union {
				struct nlmsghdr h;
				uint8_t b[NLMSG_HDRLEN + 1024];
			} copy;
			size_t cl = h.nlmsg_len < sizeof(copy) ? h.nlmsg_len : sizeof(copy);

			memcpy(&copy, p, cl);
			copy.h.nlmsg_len = (uint32_t)cl;
			slot = lb__sockvec_push(out);
			if (!slot) {
				r = LB_ENOMEM;
				break;
			}
			r = parse_one(&copy.h, protocol, slot);
			if (r < 0) {
				out->n--;
				break;
			}
		} else if (h.nlmsg_type != NLMSG_NOOP) {
			r = LB_EBADDATA;
			break;
		}
		if ((size_t)NLMSG_ALIGN(h.nlmsg_len) >= len)
			break;
		len -= NLMSG_ALIGN(h.nlmsg_len);
		p += NLMSG_ALIGN(h.nlmsg_len);
	}
	if (r != 0)
		out->n = n0;
	return r;
}

/* The states to ask the kernel for. A TCP socket in CLOSE is in none of
 * the tables sock_diag walks (it leaves them on entering that state), so
 * CLOSE is left out of a TCP request: asked with LISTEN (ls --listening
 * asks LISTEN and CLOSE, for unconnected UDP), it would make the kernel
 * walk every established connection for nothing. 0: nothing to ask. */
uint32_t lb__diag_states(const lb_query *q, int protocol)
{
	uint32_t states = (uint32_t)q->states;

	if (protocol == LB_PROTO_TCP)
		states &= ~(uint32_t)LB_STATE_BIT(LB_STATE_CLOSE);
	return states;
}

size_t lb__diag_request(void *buf, const lb_query *q, int family, int protocol,
			const uint8_t *bc, size_t bc_len)
{
	struct nlmsghdr h;
	struct inet_diag_sockid id;
	struct nlattr a;
	size_t off;

	memset(&id, 0, sizeof(id));
	id.idiag_sport = htons(q->local_port);
	id.idiag_dport = htons(q->remote_port);
	memset(&h, 0, sizeof(h));
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h.nlmsg_seq = 1;
	if (family == LB_AF_NONE) {
		struct inet_diag_req r;

		memset(&r, 0, sizeof(r));
		r.idiag_family = AF_UNSPEC;
		r.id = id;
		r.idiag_states = lb__diag_states(q, protocol);
		h.nlmsg_type = TCPDIAG_GETSOCK;
		memcpy((uint8_t *)buf + NLMSG_HDRLEN, &r, sizeof(r));
		off = NLMSG_LENGTH(sizeof(r));
	} else {
		struct inet_diag_req_v2 r;

		memset(&r, 0, sizeof(r));
		r.sdiag_family = family == LB_AF_INET ? AF_INET : AF_INET6;
		r.sdiag_protocol = protocol == LB_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
		r.idiag_states = lb__diag_states(q, protocol);
		r.id = id;
		h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
		memcpy((uint8_t *)buf + NLMSG_HDRLEN, &r, sizeof(r));
		off = NLMSG_LENGTH(sizeof(r));
	}
	if (bc_len) {
		off = NLMSG_ALIGN(off);
		a.nla_type = INET_DIAG_REQ_BYTECODE;
		a.nla_len = (uint16_t)(sizeof(a) + bc_len);
		memcpy((uint8_t *)buf + off, &a, sizeof(a));
		memcpy((uint8_t *)buf + off + sizeof(a), bc, bc_len);
		off += sizeof(a) + bc_len;
	}
	h.nlmsg_len = (uint32_t)off;
	memcpy(buf, &h, sizeof(h));
	return off;
}
