/* SPDX-License-Identifier: MIT */
/*
 * Linux netlink backend: NETLINK_SOCK_DIAG / inet_diag dumps, filtered in
 * the kernel with inet_diag bytecode (as ss does), so a one-port query
 * does not dump the whole table. The requests and the parser are pure, in
 * netlink-parse.c; this file talks to the kernel.
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

/* ---- talking to the kernel ---- */

static int open_diag(void *arg)
{
	int *fd = arg;

	*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	return *fd < 0 ? lb__diag_errno(errno) : 0;
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
	uintptr_t from, to, page;

	if (lb__sockvec_reserve(out, out->n + n) < 0)
		return LB_ENOMEM;
	if (out->cap == old_cap || (out->cap - out->n) * sizeof(out->v[0]) < (1u << 20))
		return 0;
	page = (uintptr_t)sysconf(_SC_PAGESIZE);
	if (page == 0 || (page & (page - 1)))
		return 0;
	from = ((uintptr_t)(out->v + out->n) + page - 1) & ~(page - 1);
	to = (uintptr_t)(out->v + out->cap) & ~(page - 1);
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
	len = lb__diag_request(&req, q, family, protocol, bc, bc_len);
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	if (sendto(fd, &req, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return lb__diag_errno(errno);
	while (!done && r == 0) {
		ssize_t n = recv(fd, rbuf, rsize, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == ENOBUFS ? LB__DIAG_INTR : lb__diag_errno(errno);
		if (n == 0)
			return LB_EBADDATA;
		if (reserve(out, (size_t)n) < 0)
			return LB_ENOMEM;
		from = out->n;
		r = lb__diag_parse(rbuf, (size_t)n, protocol, out, &done);
		/* While these records are still in the cache: the namespace, and
		 * the query (what the kernel's filter cannot say: the uid, an
		 * IPv4-mapped address...), so that no pass over the whole list
		 * follows (enumerate_exact). */
		if (r != 0)
			break;
		for (k = from; k < out->n; k++)
			out->v[k].netns = netns;
		lb__sockvec_keep_matching(q, out, from);
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

	if (lb__diag_states(q, protocol) == 0)
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
	size_t k, start = out->n;

	if (!rbuf)
		return LB_ENOMEM;
	r = lb__netns_call(ns, open_diag, &fd);
	for (i = 0; i < 2 && r >= 0; i++)
		if (q->protocols & (unsigned)protos[i])
			r = dump_protocol(ns, &fd, q, protos[i], rbuf, rsize, out);
	if (fd >= 0)
		close(fd);
	free(rbuf);
	/* No diag module for a protocol (udp_diag not loaded): use procfs,
	 * for this namespace only (the records before @start are other
	 * namespaces'), filtered as ours are (enumerate_exact). */
	if (r == LB_ENOENT) {
		for (k = start; k < out->n; k++)
			free(out->v[k].owners);
		out->n = start;
		r = lb__backend_procfs.enumerate(q, ns, out);
		if (r == 0)
			lb__sockvec_keep_matching(q, out, start);
	}
	return r;
}

const struct lb__backend lb__backend_netlink = {
	.name = "netlink",
	.probe = netlink_probe,
	.enumerate = netlink_enumerate,
	.enumerate_exact = 1,       /* dump_once() applies lb__query_match() */
	.resolve_owners = lb__owner_resolve,  /* the /proc fd scan */
	.owners_start = lb__owner_early_start, /* or the BPF scan, begun early */
	.owners_stop = lb__owner_early_stop,
	.pid_sockets = lb__pidfd_list,        /* pidfd_getfd on the process */
	.process_info = lb__owner_info,       /* /proc/PID */
};
