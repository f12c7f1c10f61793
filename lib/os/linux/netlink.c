/* SPDX-License-Identifier: MIT */
/*
 * Linux netlink backend: NETLINK_SOCK_DIAG / inet_diag dumps, filtered in
 * the kernel with inet_diag bytecode (as ss does), so a one-port query
 * does not dump the whole table. lb__diag_bytecode() and lb__diag_parse()
 * are pure; the rest talks to the kernel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "sockets/backend.h"
#include "os/linux/netlink.h"
#include "core/internal.h"
#include "sockets/netns.h"
#include "os/linux/owner.h"
#include "os/linux/pidfd.h"
#include "os/linux/procfs.h"

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
static int errno_code(int e)
{
	return e == EOPNOTSUPP || e == EPROTONOSUPPORT || e == EAFNOSUPPORT ? LB_ENOENT :
	       lb__errno_code(e);
}

/* One message into @s, a record lb__sockvec_push() zeroed: only what the
 * message says is written (a record is 280 bytes; clearing it again and
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
			r = e.error == 0 ? LB_EBADDATA : errno_code(-e.error);
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

/* ---- talking to the kernel ---- */

static int open_diag(void *arg)
{
	int *fd = arg;

	*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	return *fd < 0 ? errno_code(errno) : 0;
}

static int netlink_probe(void)
{
	int fd, r = open_diag(&fd);

	if (r < 0)
		return LB_ENOBACKEND;
	close(fd);
	return 0;
}

/* The request of one dump: SOCK_DIAG_BY_FAMILY for one family, or, for
 * TCP in both families (@family LB_AF_NONE), the older TCPDIAG_GETSOCK,
 * whose dump walks the kernel's tables once for both where two
 * SOCK_DIAG_BY_FAMILY dumps walk them twice. The ports also go into the
 * request itself, a test the kernel makes before it runs the bytecode.
 * Returns the request's length. */
/* The states to ask the kernel for. A TCP socket in CLOSE is in none of
 * the tables sock_diag walks (it leaves them on entering that state), so
 * CLOSE is left out of a TCP request: asked with LISTEN (ls --listening
 * asks LISTEN and CLOSE, for unconnected UDP), it would make the kernel
 * walk every established connection for nothing. 0: nothing to ask. */
static uint32_t diag_states(const lb_query *q, int protocol)
{
	uint32_t states = (uint32_t)q->states;

	if (protocol == LB_PROTO_TCP)
		states &= ~(uint32_t)LB_STATE_BIT(LB_STATE_CLOSE);
	return states;
}

static size_t build_request(void *buf, const lb_query *q, int family, int protocol,
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
		r.idiag_states = diag_states(q, protocol);
		h.nlmsg_type = TCPDIAG_GETSOCK;
		memcpy((uint8_t *)buf + NLMSG_HDRLEN, &r, sizeof(r));
		off = NLMSG_LENGTH(sizeof(r));
	} else {
		struct inet_diag_req_v2 r;

		memset(&r, 0, sizeof(r));
		r.sdiag_family = family == LB_AF_INET ? AF_INET : AF_INET6;
		r.sdiag_protocol = protocol == LB_PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
		r.idiag_states = diag_states(q, protocol);
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

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Room in @out for the sockets of a reply of @bytes, each at least a
 * header and an inet_diag_msg. A growth past 1 MiB is made present at
 * once (MADV_POPULATE_WRITE, Linux 5.14): 26,000 sockets are 7 MB, and a
 * page fault for each of its 1,800 pages cost 6 ms of a 55 ms listing on
 * the bench VM. Older kernels say EINVAL and the pages fault in as used. */
static int reserve(struct lb__sockvec *out, size_t bytes)
{
	size_t old_cap = out->cap, n = bytes / (NLMSG_HDRLEN + sizeof(struct inet_diag_msg));
	uintptr_t from, to;

	if (lb__sockvec_reserve(out, out->n + n) < 0)
		return LB_ENOMEM;
	if (out->cap == old_cap || (out->cap - out->n) * sizeof(out->v[0]) < (1u << 20))
		return 0;
	from = ((uintptr_t)(out->v + out->n) + 4095) & ~(uintptr_t)4095;
	to = (uintptr_t)(out->v + out->cap) & ~(uintptr_t)4095;
	if (to > from)
		(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
	return 0;
}

/* One dump of (family, protocol) into @out. */
static int dump_once(int fd, const lb_query *q, int family, int protocol,
		     const uint8_t *bc, size_t bc_len, uint8_t *rbuf, size_t rsize,
		     uint64_t netns, struct lb__sockvec *out)
{
	size_t from, k;
	union {
		struct nlmsghdr h;
		uint8_t b[NLMSG_HDRLEN + 128 + NLA_HDRLEN + 256];
	} req;
	struct sockaddr_nl sa;
	size_t len;
	int done = 0, r = 0;

	memset(&req, 0, sizeof(req));
	len = build_request(&req, q, family, protocol, bc, bc_len);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return errno_code(errno);
	while (!done && r == 0) {
		ssize_t n = recv(fd, rbuf, rsize, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ENOBUFS ? LB__DIAG_INTR : errno_code(errno);
		if (n == 0)
			return LB_EBADDATA;
		if (reserve(out, (size_t)n) < 0)
			return LB_ENOMEM;
		from = out->n;
		r = lb__diag_parse(rbuf, (size_t)n, protocol, out, &done);
		/* While these records are still in the cache. */
		for (k = from; r == 0 && k < out->n; k++)
			out->v[k].netns = netns;
	}
	return r;
}

/* The dumps of one (protocol, family) into @out, again from the start
 * on a fresh socket when the kernel flags one as inconsistent. LB_ENOENT
 * when this protocol or family has no table here. */
static int dump_table(const struct lb__nsctx *ns, int *fd, const lb_query *q, int family,
		      int protocol, uint8_t *rbuf, size_t rsize, struct lb__sockvec *out)
{
	uint8_t bc[256];
	size_t bc_len = 0, from = out->n;
	int attempt, r;

	if (diag_states(q, protocol) == 0)
		return 0; /* no state this protocol's tables hold: no dump */
	r = lb__diag_bytecode(q, family, bc, sizeof(bc), &bc_len);
	if (r == LB_ENOENT)
		return 0; /* nothing of @family can match: no dump */
	if (r < 0)
		return r;
	for (attempt = 0; attempt < 8; attempt++) {
		r = dump_once(*fd, q, family, protocol, bc, bc_len, rbuf, rsize, ns->netns_ino, out);
		if (r != LB__DIAG_INTR)
			break;
		/* Inconsistent or overrun: drop it, start over on a fresh socket. */
		out->n = from;
		close(*fd);
		*fd = -1;
		r = lb__netns_call(ns, open_diag, fd);
		if (r < 0)
			return r;
	}
	if (r == LB__DIAG_INTR)
		return LB_EIO;
	if (r < 0)
		out->n = from;
	return r;
}

/* The dumps of @protocol in the families @q asks for. */
static int dump_protocol(const struct lb__nsctx *ns, int *fd, const lb_query *q, int protocol,
			 uint8_t *rbuf, size_t rsize, struct lb__sockvec *out)
{
	static const int fams[2] = { LB_AF_INET, LB_AF_INET6 };
	int r, j;

	/* TCP in both families, ports only: one walk of the tables. A kernel
	 * without the older request (EINVAL, EOPNOTSUPP) gets one per family. */
	if (protocol == LB_PROTO_TCP && (q->families & LB_FAMILY_ALL) == LB_FAMILY_ALL &&
	    !q->has_local_addr && !q->has_remote_addr) {
		r = dump_table(ns, fd, q, LB_AF_NONE, protocol, rbuf, rsize, out);
		if (r != LB_EINVAL && r != LB_ENOENT && r != LB_ENOTSUP)
			return r;
	}
	for (j = 0; j < 2; j++) {
		unsigned fbit = fams[j] == LB_AF_INET ? LB_FAMILY_INET : LB_FAMILY_INET6;

		if (!(q->families & fbit))
			continue;
		r = dump_table(ns, fd, q, fams[j], protocol, rbuf, rsize, out);
		if (r == LB_ENOENT && fams[j] == LB_AF_INET6)
			continue; /* IPv6 disabled */
		if (r < 0)
			return r;
	}
	return 0;
}

static int netlink_enumerate(const lb_query *q, const struct lb__nsctx *ns,
			     struct lb__sockvec *out)
{
	static const int protos[2] = { LB_PROTO_TCP, LB_PROTO_UDP };
	const size_t rsize = 1 << 16;
	uint8_t *rbuf = malloc(rsize);
	int fd = -1, r = 0, i;
	size_t k;

	if (!rbuf)
		return LB_ENOMEM;
	r = lb__netns_call(ns, open_diag, &fd);
	for (i = 0; i < 2 && r >= 0; i++)
		if (q->protocols & (unsigned)protos[i])
			r = dump_protocol(ns, &fd, q, protos[i], rbuf, rsize, out);
	if (fd >= 0)
		close(fd);
	free(rbuf);
	/* No diag module for a protocol (udp_diag not loaded): use procfs. */
	if (r == LB_ENOENT) {
		for (k = 0; k < out->n; k++)
			free(out->v[k].owners);
		out->n = 0;
		return lb__backend_procfs.enumerate(q, ns, out);
	}
	return r;
}

const struct lb__backend lb__backend_netlink = {
	.name = "netlink",
	.probe = netlink_probe,
	.enumerate = netlink_enumerate,
	.resolve_owners = lb__owner_resolve,  /* the /proc fd scan */
	.owners_start = lb__owner_early_start, /* or the BPF scan, begun early */
	.owners_stop = lb__owner_early_stop,
	.pid_sockets = lb__pidfd_list,        /* pidfd_getfd on the process */
	.process_info = lb__owner_info,       /* /proc/PID */
};
