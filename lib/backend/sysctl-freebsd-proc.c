/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD: what a process is (kern.proc.pid: struct kinfo_proc), for the
 * owners of sockets. Built on FreeBSD only; needs its real headers.
 */
#ifdef __FreeBSD__
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/sysctl.h>
#include <sys/user.h>

#include "internal.h"
#include "backend.h"
#include "sysctl-freebsd.h"

struct lb_owner *lb__fbsd_owner_new(uint32_t pid)
{
	struct lb_owner *o = calloc(1, sizeof(*o));
	int mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid };
	struct kinfo_proc kp;
	size_t len = sizeof(kp);

	if (!o)
		return NULL;
	o->pid = pid;
	if (sysctl(mib, 4, &kp, &len, NULL, 0) == 0 && len == sizeof(kp)) {
		struct passwd pw, *res = NULL;
		char buf[1024];

		o->ppid = (uint32_t)kp.ki_ppid;
		o->uid = kp.ki_uid;
		o->start_time = (uint64_t)kp.ki_start.tv_sec * 1000 + (uint64_t)kp.ki_start.tv_usec / 1000;
		o->name = strdup(kp.ki_comm);
		if (getpwuid_r(kp.ki_uid, &pw, buf, sizeof(buf), &res) == 0 && res)
			o->user = strdup(pw.pw_name);
	} else {
		o->error = LB_EPERM;
	}
	if (!o->name)
		o->name = strdup("?");
	if (!o->user) {
		char num[16];

		snprintf(num, sizeof(num), "%u", (unsigned)o->uid);
		o->user = strdup(num);
	}
	if (!o->name || !o->user) {
		lb__owner_free(o);
		return NULL;
	}
	return o;
}

int lb__fbsd_ppid(uint32_t pid, uint32_t *ret_ppid)
{
	int mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_PID, (int)pid };
	struct kinfo_proc kp;
	size_t len = sizeof(kp);

	if (sysctl(mib, 4, &kp, &len, NULL, 0) < 0 || len != sizeof(kp))
		return LB_ENOENT;
	*ret_ppid = (uint32_t)kp.ki_ppid;
	return 0;
}
#endif /* __FreeBSD__ */
