/* SPDX-License-Identifier: MIT */
/*
 * macOS backend: walk the processes (proc_listpids), their descriptors
 * (PROC_PIDLISTFDS) and each socket (PROC_PIDFDSOCKETINFO); records come
 * from libproc-parse.c. macOS shows a process's descriptors only to its
 * user (or root), so the sockets of other users' processes are added from
 * net.inet.{tcp,udp}.pcblist64, which lists every socket
 * (pcblist.c), marked owner-unknown (LB_EPERM). Owners are joined
 * on the socket's opaque handle (soi_so, kept in .inode) by a second walk,
 * as the backend interface resolves owners after enumeration.
 */
#ifdef __APPLE__
#include <errno.h>
#include <libproc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/proc_info.h>
#include <unistd.h>

#include "core/internal.h"
#include "os/macos/libproc.h"
#include "os/macos/pcblist.h"
#include "sockets/owner-join.h"
#include "os/bsd/sysctl.h"
#include "os/process.h"
#include "os/sockutil.h"
#include "os/user.h"

/* All pids (a snapshot). */
static int list_pids(pid_t **ret, size_t *ret_n)
{
	int i;

	for (i = 0; i < 4; i++) {
		int n = proc_listpids(PROC_ALL_PIDS, 0, NULL, 0);
		pid_t *v;
		int got;

		if (n <= 0)
			return LB_EIO;
		n += 64 * (int)sizeof(pid_t); /* room for new processes */
		v = malloc((size_t)n);
		if (!v)
			return LB_ENOMEM;
		got = proc_listpids(PROC_ALL_PIDS, 0, v, n);
		if (got > 0 && got < n) {
			*ret = v;
			*ret_n = (size_t)got / sizeof(pid_t);
			return 0;
		}
		free(v);
	}
	return LB_EIO;
}

/* The descriptors of @pid; LB_EPERM for another user's process, LB_ENOENT
 * if it is gone. */
static int list_fds(pid_t pid, struct proc_fdinfo **ret, size_t *ret_n)
{
	int i;

	for (i = 0; i < 4; i++) {
		int n = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, NULL, 0);
		struct proc_fdinfo *v;
		int got;

		if (n <= 0)
			return lb__errno_code(errno) == LB_EPERM ? LB_EPERM : LB_ENOENT;
		n += 16 * (int)sizeof(*v);
		v = malloc((size_t)n);
		if (!v)
			return LB_ENOMEM;
		got = proc_pidinfo(pid, PROC_PIDLISTFDS, 0, v, n);
		if (got >= 0 && got < n) {
			*ret = v;
			*ret_n = (size_t)got / sizeof(*v);
			return 0;
		}
		free(v);
		if (got < 0)
			return lb__errno_code(errno) == LB_EPERM ? LB_EPERM : LB_ENOENT;
	}
	return LB_EIO;
}

/* Call @fn for every TCP/UDP socket descriptor of every readable process. */
static int each_socket(int (*fn)(void *ctx, pid_t pid, const struct lb_socket *s), void *ctx)
{
	pid_t *pids;
	size_t n_pids, i;
	int r = list_pids(&pids, &n_pids);

	if (r < 0)
		return r;
	for (i = 0; i < n_pids && r >= 0; i++) {
		struct proc_fdinfo *fds;
		size_t n_fds, k;

		if (pids[i] <= 0)
			continue;
		r = list_fds(pids[i], &fds, &n_fds);
		if (r == LB_EPERM || r == LB_ENOENT) {
			r = 0; /* another user's process, or gone: not visible */
			continue;
		}
		if (r < 0)
			break;
		for (k = 0; k < n_fds && r >= 0; k++) {
			struct socket_fdinfo si;
			struct lb_socket s;

			if (fds[k].proc_fdtype != PROX_FDTYPE_SOCKET)
				continue;
			if (proc_pidfdinfo(pids[i], fds[k].proc_fd, PROC_PIDFDSOCKETINFO, &si,
					   (int)sizeof(si)) != (int)sizeof(si))
				continue; /* closed meanwhile */
			r = lb__libproc_socket(&si.psi, &s);
			if (r == 1)
				r = fn(ctx, pids[i], &s);
		}
		free(fds);
	}
	free(pids);
	return r < 0 ? r : 0;
}

static int libproc_probe(void)
{
	return 0;
}

static int push_socket(void *ctx, pid_t pid, const struct lb_socket *s)
{
	struct lb__sockvec *out = ctx;
	struct lb_socket *d;
	size_t i;

	(void)pid;
	/* A socket shared after fork shows once per holder: list it once. */
	for (i = 0; i < out->n; i++)
		if (out->v[i].inode == s->inode)
			return 0;
	d = lb__sockvec_push(out);
	if (!d)
		return LB_ENOMEM;
	*d = *s;
	return 0;
}

/* Add the sockets of the pcblist64 tables that libproc did not show (the
 * first @n_seen records of @out): other users' sockets, as owner-unknown
 * (pcblist.c). A macOS without these sysctls keeps libproc's. */
static int add_unseen(const lb_query *q, struct lb__sockvec *out, size_t n_seen)
{
	static const int protos[2] = { LB_FBSD_IPPROTO_TCP, LB_FBSD_IPPROTO_UDP };
	static const char *const names[2] = { "net.inet.tcp.pcblist64", "net.inet.udp.pcblist64" };
	/* Owner-unknown only when owners were asked for and we are not root. */
	int no_mark = geteuid() == 0 || q->owners == LB_OWNERS_NONE, k, r = 0;

	for (k = 0; k < 2 && r >= 0; k++) {
		struct lb__fbsd_pcblist l;
		char *unseen = NULL;
		size_t i;

		if (!(q->protocols & (k == 0 ? LB_PROTO_TCP : LB_PROTO_UDP)))
			continue;
		r = lb__sysctl_read_pcblist(names[k], lb__darwin_pcblist_parse, protos[k], &l);
		if (r == LB_ENOTSUP) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		if (l.n > 0 && !(unseen = malloc(l.n)))
			r = LB_ENOMEM;
		if (r >= 0)
			r = lb__darwin_mark_unseen(&l, out->v, n_seen, unseen);
		for (i = 0; i < l.n && r >= 0; i++) {
			struct lb_socket *s;

			if (!unseen[i])
				continue;
			s = lb__sockvec_push(out);
			r = s ? lb__darwin_unseen_socket(&l.v[i], no_mark, s) : LB_ENOMEM;
			if (r < 0 && s)
				out->n--;
		}
		free(unseen);
		lb__fbsd_pcblist_clear(&l);
	}
	return r < 0 ? r : 0;
}

static int libproc_enumerate(const lb_query *q, const struct lb__nsctx *ns,
			     struct lb__sockvec *out)
{
	int r;

	(void)ns; /* lib/sockets/socket.c applies the rest of the query to the records */
	r = each_socket(push_socket, out);
	return r < 0 ? r : add_unseen(q, out, out->n);
}

/* ---- owners ---- */

static struct lb_owner *owner_new(pid_t pid)
{
	struct lb_owner *o = calloc(1, sizeof(*o));
	struct proc_bsdinfo bi;
	char path[PROC_PIDPATHINFO_MAXSIZE];

	if (!o)
		return NULL;
	o->pid = (uint32_t)pid;
	if (proc_pidinfo(pid, PROC_PIDTBSDINFO, 0, &bi, (int)sizeof(bi)) == (int)sizeof(bi)) {
		o->ppid = bi.pbi_ppid;
		o->uid = bi.pbi_uid;
		o->start_time = (uint64_t)bi.pbi_start_tvsec * 1000 + bi.pbi_start_tvusec / 1000;
		o->name = strdup(bi.pbi_name[0] ? bi.pbi_name : bi.pbi_comm);
	} else {
		o->error = LB_EPERM;
	}
	if (proc_pidpath(pid, path, sizeof(path)) > 0)
		o->exe = strdup(path);
	if (!o->name)
		o->name = strdup("?");
	o->user = lb__user_name(o->uid, NULL);
	if (!o->name || !o->user) {
		lb__owner_free(o);
		return NULL;
	}
	return o;
}

static int ppid_of(void *ctx, uint32_t pid, uint32_t *ret)
{
	struct proc_bsdshortinfo bi;

	(void)ctx;
	if (proc_pidinfo((pid_t)pid, PROC_PIDT_SHORTBSDINFO, 0, &bi, (int)sizeof(bi)) != (int)sizeof(bi))
		return LB_ENOENT;
	*ret = bi.pbsi_ppid;
	return 0;
}

static struct lb_owner *make_owner(void *ctx, uint32_t pid)
{
	(void)ctx;
	return owner_new((pid_t)pid);
}

static int join_socket(void *ctx, pid_t pid, const struct lb_socket *s)
{
	struct lb__owner_join *j = ctx;
	struct lb__sockvec *sv = &j->list->socks;
	size_t i;
	int r = 0;

	for (i = 0; i < sv->n && r >= 0; i++)
		if (sv->v[i].inode == s->inode)
			r = lb__owner_join(j, i, (uint32_t)pid);
	return r;
}

static int libproc_resolve_owners(const lb_query *q, lb_socket_list *list)
{
	struct lb__owner_join j = { .make = make_owner, .ppid = ppid_of };
	int r;

	if (list->socks.n == 0)
		return 0;
	r = lb__owner_join_begin(&j, q, list);
	if (r < 0)
		return r;
	return lb__owner_join_end(&j, each_socket(join_socket, &j));
}

/* One process, described as the owners of sockets are. */
static int libproc_process_info(uint32_t pid, struct lb_owner **ret)
{
	struct lb_owner *o;

	if (pid > INT32_MAX || lb__process_alive(pid) == LB_ENOENT)
		return LB_ENOENT;
	o = owner_new((pid_t)pid);
	if (!o)
		return LB_ENOMEM;
	*ret = o;
	return 0;
}

const struct lb__backend lb__backend_libproc = {
	.name = "libproc",
	.probe = libproc_probe,
	.enumerate = libproc_enumerate,
	.resolve_owners = libproc_resolve_owners,
	.pid_sockets = NULL,  /* enumerate + owners: libproc walks every process anyway */
	.process_info = libproc_process_info,
};
#endif /* __APPLE__ */
