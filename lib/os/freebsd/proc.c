/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD: what a process is, for the owners of sockets: kern.proc.pid
 * (struct kinfo_proc), kern.proc.args and kern.proc.pathname. The bytes
 * are parsed by proc-parse.c with its own layout, so this
 * needs no <sys/user.h> and also compiles freestanding
 * (scripts/test.d/cross-freebsd.sh). Built on FreeBSD only.
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
#include "os/user.h"

#ifdef KERN_PROC_PATHNAME
/* With FreeBSD's own <sys/sysctl.h>: its numbers are ours. */
_Static_assert(CTL_KERN == LB_FBSD_CTL_KERN && KERN_PROC == LB_FBSD_KERN_PROC &&
		       KERN_PROC_PID == LB_FBSD_KERN_PROC_PID &&
		       KERN_PROC_ARGS == LB_FBSD_KERN_PROC_ARGS &&
		       KERN_PROC_PATHNAME == LB_FBSD_KERN_PROC_PATHNAME,
	       "kern.proc MIB numbers");
#endif

/* kern.proc.@what.@pid, whole. */
static int proc_read(uint32_t pid, int what, void **ret_buf, size_t *ret_len)
{
	int mib[4] = { LB_FBSD_CTL_KERN, LB_FBSD_KERN_PROC, what, (int)pid };

	return lb__sysctl_fetch(mib, 4, ret_buf, ret_len);
}

static int proc_facts(uint32_t pid, struct lb__fbsd_proc *ret)
{
	void *buf;
	size_t len;
	int r = proc_read(pid, LB_FBSD_KERN_PROC_PID, &buf, &len);

	if (r < 0)
		return r;
	r = lb__fbsd_kinfo_proc_parse(buf, len, pid, ret);
	free(buf);
	return r;
}

/* The command line or the executable of @o: absent (a kernel process, an
 * unresolvable path) or unreadable leaves it NULL, hidden marks @o
 * LB_EPERM; only memory and data that do not parse are errors. */
static int proc_string(struct lb_owner *o, int what,
		       int (*parse)(const void *buf, size_t len, char **ret), char **ret)
{
	void *buf;
	size_t len;
	int r = proc_read(o->pid, what, &buf, &len);

	if (r == 0) {
		r = parse(buf, len, ret);
		free(buf);
	}
	if (r == LB_EPERM)
		o->error = LB_EPERM;
	return r == LB_ENOMEM || r == LB_EBADDATA ? r : 0;
}

/* The argument vector of @o (kern.proc.args), as proc_string() reads a
 * string: checked by the parser, kept as a vector. */
static int proc_args(struct lb_owner *o)
{
	char *joined = NULL;
	void *buf;
	size_t len;
	int r = proc_read(o->pid, LB_FBSD_KERN_PROC_ARGS, &buf, &len);

	if (r == 0) {
		r = lb__fbsd_args_parse(buf, len, &joined);
		free(joined);
		if (r == 0)
			r = lb__owner_set_args(o, buf, len);
		free(buf);
	}
	if (r == LB_EPERM)
		o->error = LB_EPERM;
	return r == LB_ENOMEM || r == LB_EBADDATA ? r : 0;
}

int lb__fbsd_owner_new(uint32_t pid, struct lb_owner **ret)
{
	struct lb_owner *o;
	struct lb__fbsd_proc p;
	int r;

	lb_return_if(!ret || pid == 0 || pid > INT32_MAX, LB_EINVAL);
	o = calloc(1, sizeof(*o));
	if (!o)
		return LB_ENOMEM;
	o->pid = pid;
	r = proc_facts(pid, &p);
	if (r == 0) {
		o->ppid = p.ppid;
		o->uid = p.uid;
		o->start_time = p.start_time;
		o->name = strdup(p.comm);
		if (!o->name)
			r = LB_ENOMEM;
	} else if (r == LB_ENOENT || r == LB_EPERM || r == LB_EIO) {
		/* Hidden from us (ESRCH: see_other_uids, jails), or gone
		 * since kern.file listed it: an owner we cannot describe. */
		o->error = LB_EPERM;
		r = 0;
	}
	if (r == 0 && !o->error)
		r = proc_args(o);
	if (r == 0 && !o->error)
		r = proc_string(o, LB_FBSD_KERN_PROC_PATHNAME, lb__fbsd_pathname_parse, &o->exe);
	if (r == 0 && !o->name && !(o->name = strdup("?")))
		r = LB_ENOMEM;
	if (r == 0 && !(o->user = lb__user_name(o->uid, NULL)))
		r = LB_ENOMEM;
	if (r < 0) {
		lb__owner_free(o);
		return r;
	}
	*ret = o;
	return 0;
}

int lb__fbsd_ppid(uint32_t pid, uint32_t *ret_ppid)
{
	struct lb__fbsd_proc p;

	if (pid == 0 || pid > INT32_MAX || proc_facts(pid, &p) < 0)
		return LB_ENOENT;
	*ret_ppid = p.ppid;
	return 0;
}
#endif /* __FreeBSD__ */
