/* SPDX-License-Identifier: MIT */
/*
 * Linux procfs backend: /proc/net/{tcp,tcp6,udp,udp6}. The fallback when
 * netlink sock_diag is unavailable. lb__procfs_parse() is pure (text in,
 * records out); the rest reads the files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/internal.h"
#include "sockets/backend.h"
#include "sockets/netns.h"
#include "os/linux/owner.h"
#include "os/linux/pidfd.h"
#include "os/linux/procfs.h"
#include "os/posix/read-file-at.h"

static void skip_ws(const char **pp, const char *end)
{
	while (*pp < end && (**pp == ' ' || **pp == '\t'))
		(*pp)++;
}

static int expect(const char **pp, const char *end, char c)
{
	if (*pp >= end || **pp != c)
		return LB_EBADDATA;
	(*pp)++;
	return 0;
}

static int field(const char **pp, const char *end, int base, uint64_t max, uint64_t *ret)
{
	skip_ws(pp, end);
	return lb__parse_uint(pp, end, base, max, ret);
}

/* "0100007F:0277": the address as the kernel's native 32-bit words in hex. */
static int parse_addr(const char **pp, const char *end, int family, lb_addr *addr,
		      uint16_t *port)
{
	int words = family == LB_AF_INET ? 1 : 4, i;
	uint64_t v;

	skip_ws(pp, end);
	memset(addr, 0, sizeof(*addr));
	addr->family = family;
	for (i = 0; i < words; i++) {
		const char *start = *pp;
		const char *wend = start + 8 <= end ? start + 8 : end;
		uint32_t w;

		if (lb__parse_uint(pp, wend, 16, UINT32_MAX, &v) < 0 || *pp != start + 8)
			return LB_EBADDATA;
		w = (uint32_t)v;
		memcpy(addr->bytes + 4 * i, &w, 4);
	}
	if (expect(pp, end, ':') < 0 || lb__parse_uint(pp, end, 16, 0xffff, &v) < 0)
		return LB_EBADDATA;
	*port = (uint16_t)v;
	return 0;
}

int lb__procfs_parse_line(const char *line, size_t len, int protocol, int family,
			  struct lb_socket *ret)
{
	const char *p = line, *end = line + len;
	struct lb_socket s;
	uint64_t v, tx, rx, uid, inode;

	lb_return_if(!line || !ret, LB_EINVAL);
	lb_return_if(family != LB_AF_INET && family != LB_AF_INET6, LB_EINVAL);
	lb_return_if(protocol != LB_PROTO_TCP && protocol != LB_PROTO_UDP, LB_EINVAL);
	memset(&s, 0, sizeof(s));
	s.protocol = protocol;
	s.family = family;
	s.v6only = family == LB_AF_INET ? 0 : -1;
	if (field(&p, end, 10, UINT64_MAX, &v) < 0 || expect(&p, end, ':') < 0 ||
	    parse_addr(&p, end, family, &s.local, &s.local_port) < 0 ||
	    parse_addr(&p, end, family, &s.remote, &s.remote_port) < 0 ||
	    field(&p, end, 16, 0xff, &v) < 0)
		return LB_EBADDATA;
	if (v == 0 || v > LB_STATE_CLOSING)
		return LB_EBADDATA;
	s.state = (int)v;
	if (field(&p, end, 16, UINT32_MAX, &tx) < 0 || expect(&p, end, ':') < 0 ||
	    lb__parse_uint(&p, end, 16, UINT32_MAX, &rx) < 0 ||
	    field(&p, end, 16, UINT64_MAX, &v) < 0 || expect(&p, end, ':') < 0 ||
	    lb__parse_uint(&p, end, 16, UINT64_MAX, &v) < 0 ||
	    field(&p, end, 16, UINT64_MAX, &v) < 0 ||
	    field(&p, end, 10, UINT32_MAX, &uid) < 0 ||
	    field(&p, end, 10, UINT64_MAX, &v) < 0 ||
	    field(&p, end, 10, UINT64_MAX, &inode) < 0)
		return LB_EBADDATA;
	if (p < end && *p != ' ' && *p != '\t' && *p != '\n')
		return LB_EBADDATA;
	s.tx_queue = (uint32_t)tx;
	s.rx_queue = (uint32_t)rx;
	s.uid = (uint32_t)uid;
	s.inode = inode;
	*ret = s;
	return 0;
}

struct ino_pos {
	uint64_t inode;
	size_t pos;
};

static int cmp_ino_pos(const void *a, const void *b)
{
	const struct ino_pos *x = a, *y = b;

	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A table read while sockets come and go can list one socket twice: the
 * kernel resumes each chunk of the file at a bucket and an offset in it,
 * which shift as sockets of that bucket close. Keep the first line of
 * each inode in v->v[from..]; inode 0 (TIME-WAIT, a closing socket) names
 * no socket and is kept. */
static int drop_duplicates(struct lb__sockvec *v, size_t from)
{
	size_t n = v->n - from, i, w;
	struct ino_pos *ix;
	unsigned char *drop;

	if (n < 2)
		return 0;
	ix = malloc(n * sizeof(*ix));
	drop = calloc(n, 1);
	if (!ix || !drop) {
		free(ix);
		free(drop);
		return LB_ENOMEM;
	}
	for (i = 0; i < n; i++) {
		ix[i].inode = v->v[from + i].inode;
		ix[i].pos = i;
	}
	qsort(ix, n, sizeof(*ix), cmp_ino_pos);
	for (i = 1; i < n; i++)
		if (ix[i].inode != 0 && ix[i].inode == ix[i - 1].inode)
			drop[ix[i].pos] = 1;
	for (i = 0, w = 0; i < n; i++)
		if (!drop[i])
			v->v[from + w++] = v->v[from + i];
	v->n = from + w;
	free(ix);
	free(drop);
	return 0;
}

int lb__procfs_parse(const char *text, size_t len, int protocol, int family,
		     struct lb__sockvec *out)
{
	const char *p = text, *end = text + len;
	size_t n0;
	int header = 1;

	lb_return_if(!text || !out, LB_EINVAL);
	n0 = out->n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (header) {
			/* The first line names the columns. */
			const char *q = p;

			skip_ws(&q, le);
			if (le - q < 2 || q[0] != 's' || q[1] != 'l')
				goto bad;
			header = 0;
		} else if (le > p) {
			struct lb_socket s, *slot;

			if (lb__procfs_parse_line(p, (size_t)(le - p), protocol, family, &s) < 0)
				goto bad;
			slot = lb__sockvec_push(out);
			if (!slot) {
				out->n = n0;
				return LB_ENOMEM;
			}
			*slot = s;
		}
		p = nl ? nl + 1 : end;
	}
	if (header)
		goto bad;
	if (drop_duplicates(out, n0) < 0) {
		out->n = n0;
		return LB_ENOMEM;
	}
	return 0;
bad:
	out->n = n0;
	return LB_EBADDATA;
}

static int procfs_probe(void)
{
	return access("/proc/net/tcp", R_OK) == 0 ? 0 : LB_ENOBACKEND;
}

struct procfs_args {
	const lb_query *q;
	const struct lb__nsctx *ns;
	struct lb__sockvec *out;
};

/* Read and parse the tables the query needs; runs inside the namespace. */
static int procfs_read_tables(void *arg)
{
	static const struct {
		int proto, family;
		const char *name;
	} tables[] = {
		{ LB_PROTO_TCP, LB_AF_INET, "tcp" },
		{ LB_PROTO_TCP, LB_AF_INET6, "tcp6" },
		{ LB_PROTO_UDP, LB_AF_INET, "udp" },
		{ LB_PROTO_UDP, LB_AF_INET6, "udp6" },
	};
	const struct procfs_args *a = arg;
	size_t i;
	int dirfd, r = 0;

	dirfd = open("/proc/thread-self/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	/* No /proc/net here (no procfs mounted in this namespace, or one
	 * without it) means this backend cannot work, not a read error. */
	if (dirfd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return LB_ENOBACKEND;
	if (dirfd < 0)
		return lb__errno_code(errno);
	for (i = 0; i < LB_ARRAY_SIZE(tables); i++) {
		unsigned fam = tables[i].family == LB_AF_INET ? LB_FAMILY_INET : LB_FAMILY_INET6;
		size_t from = a->out->n, j;
		char *buf;
		size_t len;

		if (!(a->q->protocols & (unsigned)tables[i].proto) || !(a->q->families & fam))
			continue;
		r = lb__read_file_at(dirfd, tables[i].name, &buf, &len);
		if (r == LB_ENOENT) {
			r = 0; /* IPv6 disabled: no table */
			continue;
		}
		if (r < 0)
			break;
		r = lb__procfs_parse(buf, len, tables[i].proto, tables[i].family, a->out);
		free(buf);
		if (r < 0)
			break;
		for (j = from; j < a->out->n; j++)
			a->out->v[j].netns = a->ns->netns_ino;
	}
	close(dirfd);
	return r;
}

static int procfs_enumerate(const lb_query *q, const struct lb__nsctx *ns,
			    struct lb__sockvec *out)
{
	struct procfs_args a = { q, ns, out };

	return lb__netns_call(ns, procfs_read_tables, &a);
}

const struct lb__backend lb__backend_procfs = {
	.name = "procfs",
	.probe = procfs_probe,
	.enumerate = procfs_enumerate,
	.resolve_owners = lb__owner_resolve,  /* the /proc fd scan */
	.owners_start = lb__owner_early_start, /* or the BPF scan, begun early */
	.owners_stop = lb__owner_early_stop,
	.pid_sockets = lb__pidfd_list,        /* pidfd_getfd on the process */
	.process_info = lb__owner_info,       /* /proc/PID */
};
