/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD: ask the kernel for net.inet.{tcp,udp}.pcblist and kern.file;
 * the bytes are parsed by pcblist-parse.c. Built on FreeBSD only.
 */
#ifdef __FreeBSD__
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/sysctl.h>

#include "core/internal.h"
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"
#include "sockets/owner-join.h"
#include "os/bsd/sysctl.h"


int lb__fbsd_read_pcblist(int ipproto, struct lb__fbsd_pcblist *ret)
{
	return lb__sysctl_read_pcblist(ipproto == LB_FBSD_IPPROTO_TCP ? "net.inet.tcp.pcblist"
								 : "net.inet.udp.pcblist",
				       lb__fbsd_pcblist_parse, ipproto, ret);
}

int lb__fbsd_read_files(struct lb__fbsd_filelist *ret)
{
	void *buf;
	size_t len;
	int r = lb__sysctl_fetch_name("kern.file", &buf, &len);

	if (r < 0)
		return r;
	r = lb__fbsd_filelist_parse(buf, len, ret);
	free(buf);
	return r;
}
/* ---- the backend ---- */

static int fbsd_probe(void)
{
	size_t len = 0;

	return sysctlbyname("net.inet.tcp.pcblist", NULL, &len, NULL, 0) == 0 ? 0 : LB_ENOBACKEND;
}

static int fbsd_enumerate(const lb_query *q, const struct lb__nsctx *ns, struct lb__sockvec *out)
{
	static const int protos[2] = { LB_FBSD_IPPROTO_TCP, LB_FBSD_IPPROTO_UDP };
	int k, r = 0;

	(void)ns;
	for (k = 0; k < 2 && r >= 0; k++) {
		struct lb__fbsd_pcblist l;
		size_t i;

		if (!(q->protocols & (k == 0 ? LB_PROTO_TCP : LB_PROTO_UDP)))
			continue;
		r = lb__fbsd_read_pcblist(protos[k], &l);
		if (r < 0)
			break;
		for (i = 0; i < l.n && r >= 0; i++) {
			struct lb_socket *s = lb__sockvec_push(out);

			r = s ? lb__fbsd_to_socket(&l.v[i], s) : LB_ENOMEM;
			if (r < 0 && s)
				out->n--;
		}
		lb__fbsd_pcblist_clear(&l);
	}
	return r < 0 ? r : 0;
}

/* An owner from proc.c; its error (LB_EBADDATA for a
 * kinfo_proc that does not fit) is kept in the context, as the pool's
 * callback can only say NULL. */
static struct lb_owner *make_owner(void *ctx, uint32_t pid)
{
	struct lb_owner *o = NULL;
	int r = lb__fbsd_owner_new(pid, &o);

	if (r < 0)
		*(int *)ctx = r;
	return o;
}

static int ppid_of(void *ctx, uint32_t pid, uint32_t *ret)
{
	(void)ctx;
	return lb__fbsd_ppid(pid, ret); /* proc.c */
}

/* Owners as sockstat finds them: the kern.file entries whose xf_data is
 * the socket's xso_so. kern.file lists only what the caller may see. */
static int fbsd_resolve_owners(const lb_query *q, lb_socket_list *list)
{
	struct lb__fbsd_filelist files = { NULL, 0 }; /* set only when the read succeeds */
	struct lb__sockvec *sv = &list->socks;
	int make_err = 0, r;
	struct lb__owner_join j = { .make = make_owner, .make_ctx = &make_err, .ppid = ppid_of };
	size_t i;

	if (sv->n == 0)
		return 0;
	r = lb__owner_join_begin(&j, q, list);
	if (r < 0)
		return r;
	r = lb__fbsd_read_files(&files);
	for (i = 0; r >= 0 && i < sv->n; i++) {
		size_t first, n = lb__fbsd_files_of(&files, sv->v[i].inode, &first), k;

		for (k = first; k < first + n && r >= 0; k++) {
			r = lb__owner_join(&j, i, files.v[k].pid);
			if (r == LB_ENOMEM && make_err < 0)
				r = make_err;
		}
	}
	lb__fbsd_filelist_clear(&files);
	return lb__owner_join_end(&j, r);
}

/* One process, described as the owners of sockets are; one kern.proc
 * hides from us (see_other_uids, jails) is no process to us. */
static int fbsd_process_info(uint32_t pid, struct lb_owner **ret)
{
	uint32_t ppid;

	if (lb__fbsd_ppid(pid, &ppid) < 0)
		return LB_ENOENT;
	return lb__fbsd_owner_new(pid, ret);
}

const struct lb__backend lb__backend_sysctl = {
	.name = "sysctl",
	.probe = fbsd_probe,
	.enumerate = fbsd_enumerate,
	.resolve_owners = fbsd_resolve_owners,
	.pid_sockets = NULL,  /* enumerate + owners: kern.file lists every holder at once */
	.process_info = fbsd_process_info,
};
#endif /* __FreeBSD__ */
