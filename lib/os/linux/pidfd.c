/* SPDX-License-Identifier: MIT */
/*
 * Linux fast path for "the ports of a process": the process's socket
 * descriptors, each duplicated with pidfd_getfd(2) (ptrace access is
 * required, as for reading /proc/PID/fd) and described by the socket
 * itself. Each record holds exactly what sock_diag reports for it:
 * addresses, TCP state (TCP_INFO), queues (listener backlog from TCP_INFO,
 * SIOCINQ/SIOCOUTQ for TCP, SO_MEMINFO for UDP), uid, IPV6_V6ONLY and the
 * namespace (SIOCGSKNS). Sockets the kernel tables do not list (unbound,
 * closed, other protocols, another namespace) are skipped, as the table
 * dump would skip them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/sock_diag.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/internal.h"
#include "sockets/backend.h"
#include "os/linux/owner.h"
#include "os/linux/pidfd.h"

#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)

static void from_sockaddr(const struct sockaddr_storage *ss, lb_addr *a, uint16_t *port)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		a->family = LB_AF_INET;
		memcpy(a->bytes, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

		a->family = LB_AF_INET6;
		memcpy(a->bytes, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
	}
}

static int opt_int(int fd, int level, int name, int *ret)
{
	socklen_t l = sizeof(*ret);

	return getsockopt(fd, level, name, ret, &l);
}

/* 1 and *s filled when @fd is a socket the table lists, 0 when not,
 * LB_ENOTSUP when this path cannot tell (the socket's namespace needs
 * CAP_NET_ADMIN to read: an unprivileged caller uses the table instead). */
static int describe(int fd, uint64_t inode, uint64_t netns, struct lb_socket *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct stat st;
	int dom, proto, nsfd, v;

	memset(s, 0, sizeof(*s));
	if (opt_int(fd, SOL_SOCKET, SO_DOMAIN, &dom) < 0 ||
	    opt_int(fd, SOL_SOCKET, SO_PROTOCOL, &proto) < 0)
		return 0;
	if ((dom != AF_INET && dom != AF_INET6) || (proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return 0;
	nsfd = ioctl(fd, SIOCGSKNS);
	if (nsfd < 0)
		return errno == EPERM || errno == EACCES ? LB_ENOTSUP : 0;
	v = fstat(nsfd, &st);
	close(nsfd);
	if (v < 0 || (uint64_t)st.st_ino != netns)
		return 0;
	s->netns = netns;
	s->protocol = proto == IPPROTO_TCP ? LB_PROTO_TCP : LB_PROTO_UDP;
	s->family = dom == AF_INET ? LB_AF_INET : LB_AF_INET6;
	s->inode = inode;
	sl = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) < 0)
		return 0;
	ss.ss_family = (sa_family_t)dom;
	from_sockaddr(&ss, &s->local, &s->local_port);
	sl = sizeof(ss);
	memset(&ss, 0, sizeof(ss));
	if (getpeername(fd, (struct sockaddr *)&ss, &sl) < 0)
		memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)dom;
	from_sockaddr(&ss, &s->remote, &s->remote_port);
	if (fstat(fd, &st) < 0)
		return 0;
	s->uid = (uint32_t)st.st_uid;
	s->v6only = 0;
	if (dom == AF_INET6 && opt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v) == 0)
		s->v6only = v != 0;
	if (proto == IPPROTO_TCP) {
		struct tcp_info ti;
		socklen_t tl = sizeof(ti);
		int inq = 0, outq = 0;

		memset(&ti, 0, sizeof(ti));
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) < 0)
			return 0;
		s->state = ti.tcpi_state;
		if (s->state == LB_STATE_CLOSE || s->state <= 0 || s->state > LB_STATE_CLOSING)
			return 0; /* closed or not yet listening: not in the table */
		if (s->state == LB_STATE_LISTEN) {
			s->rx_queue = ti.tcpi_unacked;   /* the accept backlog */
			s->tx_queue = ti.tcpi_sacked;    /* its limit */
		} else {
			if (ioctl(fd, SIOCINQ, &inq) == 0 && inq > 0)
				s->rx_queue = (uint32_t)inq;
			if (ioctl(fd, SIOCOUTQ, &outq) == 0 && outq > 0)
				s->tx_queue = (uint32_t)outq;
		}
	} else {
		uint32_t mem[SK_MEMINFO_VARS];
		socklen_t ml = sizeof(mem);

		if (s->local_port == 0)
			return 0; /* unbound: not in the table */
		s->state = s->remote_port ? LB_STATE_ESTABLISHED : LB_STATE_CLOSE;
		memset(mem, 0, sizeof(mem));
		if (getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mem, &ml) == 0) {
			s->rx_queue = mem[SK_MEMINFO_RMEM_ALLOC];
			s->tx_queue = mem[SK_MEMINFO_WMEM_ALLOC];
		}
	}
	return 1;
}

struct links {
	struct lb__owner_scan scan;
	size_t cap;
};

static int add_link(struct links *l, uint64_t inode, uint32_t pid)
{
	struct lb__owner_link *v = lb__grow(l->scan.links, &l->cap, l->scan.n_links + 1, sizeof(*v), 64);

	if (!v)
		return LB_ENOMEM;
	l->scan.links = v;
	l->scan.links[l->scan.n_links].inode = inode;
	l->scan.links[l->scan.n_links++].pid = pid;
	return 0;
}

/* The table sockets of one process into @out, and its links. */
static int one_pid(int procfd, uint32_t pid, uint64_t netns, struct lb__sockvec *out,
		   struct links *links)
{
	char path[32], buf[16384], link[64];
	int pidfd, dfd, r = 0;

	/* Here every failure but "no such process" means "this fast path is
	 * unavailable" (ENOSYS: an older kernel; EPERM/EACCES: no ptrace
	 * access; anything else: let the table answer), not an error of the
	 * query: LB_ENOTSUP sends lb_socket_list_get() to the backend. */
	pidfd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (pidfd < 0)
		return lb__errno_code(errno) == LB_ENOENT ? LB_ENOENT : LB_ENOTSUP;
	snprintf(path, sizeof(path), "%u/fd", (unsigned)pid);
	dfd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		close(pidfd);
		return lb__errno_code(errno) == LB_ENOENT ? LB_ENOENT : LB_ENOTSUP; /* as above */
	}
	for (;;) {
		long n = r < 0 ? 0 : syscall(SYS_getdents64, dfd, buf, sizeof(buf)), off;

		if (n <= 0)
			break;
		for (off = 0; off < n && r == 0;) {
			struct lb__dirent64 *de = (struct lb__dirent64 *)(buf + off);
			ssize_t ll;
			uint64_t ino, fdnum;
			const char *p = de->d_name;
			struct lb_socket s, *slot;
			int fd;

			off += de->d_reclen;
			if (de->d_name[0] == '.')
				continue;
			ll = readlinkat(dfd, de->d_name, link, sizeof(link));
			if (ll < 8 || lb__socket_link_inode(link, (size_t)ll, &ino) < 0 ||
			    lb__parse_uint(&p, p + strlen(p), 10, 0x7fffffff, &fdnum) < 0)
				continue;
			fd = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fdnum, 0);
			if (fd < 0) {
				/* No pidfd_getfd, or no ptrace access: the fast
				 * path is unavailable (as above). */
				if (errno == EPERM || errno == EACCES || errno == ENOSYS)
					r = LB_ENOTSUP;
				continue; /* closed meanwhile */
			}
			r = describe(fd, ino, netns, &s);
			if (r > 0) {
				slot = lb__sockvec_push(out);
				r = slot ? 0 : LB_ENOMEM;
				if (slot)
					*slot = s;
			}
			close(fd);
			if (r == 0)
				r = add_link(links, ino, pid);
		}
	}
	close(dfd);
	close(pidfd);
	return r;
}

static int cmp_inode(const void *a, const void *b)
{
	const struct lb_socket *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

int lb__pidfd_list(const lb_query *q, lb_socket_list *list)
{
	struct links links;
	struct stat st;
	uint32_t *pids = NULL;
	size_t n_pids = 0, i, j;
	struct lb__sockvec *sv = &list->socks;
	int procfd, r;

	if (!q->pid || q->netns_path || q->netns_pid || q->all_netns || q->owners == LB_OWNERS_ALL)
		return LB_ENOTSUP;
	if (stat("/proc/thread-self/ns/net", &st) < 0)
		return LB_ENOTSUP;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return LB_ENOTSUP;
	memset(&links, 0, sizeof(links));
	r = one_pid(procfd, q->pid, (uint64_t)st.st_ino, sv, &links);
	if (r == 0 && (q->pid_flags & LB_PID_DESCENDANTS))
		r = lb__descendants_of(procfd, q->pid, &pids, &n_pids);
	for (i = 0; i < n_pids && r == 0; i++) {
		r = one_pid(procfd, pids[i], (uint64_t)st.st_ino, sv, &links);
		if (r == LB_ENOENT)
			r = 0; /* a descendant that exited */
	}
	free(pids);
	close(procfd);
	if (r == 0) {
		/* One record per socket (several fds or processes share one),
		 * the query applied, owners attached. */
		if (sv->n)
			qsort(sv->v, sv->n, sizeof(sv->v[0]), cmp_inode);
		for (i = 0, j = 0; i < sv->n; i++)
			if ((j == 0 || sv->v[j - 1].inode != sv->v[i].inode) && lb__query_match(q, &sv->v[i]))
				sv->v[j++] = sv->v[i];
		sv->n = j;
		/* lb__owner_attach wants links grouped by pid: they are, one
		 * process after the other. */
		if (q->owners != LB_OWNERS_NONE)
			r = lb__owner_attach(list, &links.scan);
	}
	free(links.scan.links);
	if (r < 0)
		sv->n = 0;
	else
		list->backend = "pidfd"; /* the path that answered, for the caller to see */
	return r;
}
#else
int lb__pidfd_list(const lb_query *q, lb_socket_list *list)
{
	(void)q;
	(void)list;
	return LB_ENOTSUP;
}
#endif
