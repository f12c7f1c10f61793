/* SPDX-License-Identifier: MIT */
/*
 * Pure parsers for FreeBSD's kern.proc.pid (struct kinfo_proc),
 * kern.proc.args and kern.proc.pathname: bytes in, records out; no system
 * calls, so they build and are tested on any OS (tests/os/freebsd/test-freebsd-proc.c).
 * The glue that asks the kernel is proc.c (FreeBSD only).
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"

/* The layout, pinned (see sysctl.h for its sources): the size and
 * every offset read, plus the fields around them that place ki_comm. */
#define LB_FBSD_KP_AT(field, off)                                            \
	_Static_assert(offsetof(struct lb__fbsd_kinfo_proc, field) == (off), \
		       "kinfo_proc." #field " at " #off)
_Static_assert(sizeof(struct lb__fbsd_kinfo_proc) == LB_FBSD_KINFO_PROC_SIZE,
	       "struct kinfo_proc is 1088 bytes");
LB_FBSD_KP_AT(ki_structsize, 0);
LB_FBSD_KP_AT(ki_wchan, 64);
LB_FBSD_KP_AT(ki_pid, 72);
LB_FBSD_KP_AT(ki_ppid, 76);
LB_FBSD_KP_AT(ki_siglist, 104);
LB_FBSD_KP_AT(ki_uid, 168);
LB_FBSD_KP_AT(ki_ruid, 172);
LB_FBSD_KP_AT(ki_groups, 192);
LB_FBSD_KP_AT(ki_size, 256);
LB_FBSD_KP_AT(ki_runtime, 328);
LB_FBSD_KP_AT(ki_start_sec, 336);
LB_FBSD_KP_AT(ki_start_usec, 344);
LB_FBSD_KP_AT(ki_flag, 368);
LB_FBSD_KP_AT(ki_stat, 388);
LB_FBSD_KP_AT(ki_tdname, 394);
LB_FBSD_KP_AT(ki_login, 420);
LB_FBSD_KP_AT(ki_comm, 447);
LB_FBSD_KP_AT(rest, 467);

int lb__fbsd_kinfo_proc_parse(const void *buf, size_t len, uint32_t pid,
			      struct lb__fbsd_proc *ret)
{
	struct lb__fbsd_kinfo_proc kp;
	struct lb__fbsd_proc p;
	int32_t structsize;

	lb_return_if(!buf || !ret, LB_EINVAL);
	/* ki_structsize first: it says which layout the rest is in. */
	if (len < sizeof(structsize))
		return LB_EBADDATA;
	memcpy(&structsize, buf, sizeof(structsize));
	if (structsize != LB_FBSD_KINFO_PROC_SIZE || len != sizeof(kp))
		return LB_EBADDATA;
	memcpy(&kp, buf, sizeof(kp));
	if (kp.ki_pid <= 0 || (uint32_t)kp.ki_pid != pid || kp.ki_ppid < 0)
		return LB_EBADDATA;
	if (!memchr(kp.ki_comm, '\0', sizeof(kp.ki_comm)))
		return LB_EBADDATA;
	if (kp.ki_start_sec < 0 || (uint64_t)kp.ki_start_sec > UINT64_MAX / 1000 - 1 ||
	    kp.ki_start_usec < 0 || kp.ki_start_usec >= 1000000)
		return LB_EBADDATA;
	memset(&p, 0, sizeof(p));
	p.pid = pid;
	p.ppid = (uint32_t)kp.ki_ppid;
	p.uid = kp.ki_uid;
	p.ruid = kp.ki_ruid;
	p.start_time = (uint64_t)kp.ki_start_sec * 1000 + (uint64_t)kp.ki_start_usec / 1000;
	memcpy(p.comm, kp.ki_comm, sizeof(p.comm));
	*ret = p;
	return 0;
}

int lb__fbsd_args_parse(const void *buf, size_t len, char **ret_cmdline)
{
	char *s;

	lb_return_if((!buf && len > 0) || !ret_cmdline, LB_EINVAL);
	if (len == 0)
		return LB_ENOENT;
	/* Each argument ends with a NUL: a last byte that is not one means
	 * the copy was cut. */
	if (((const char *)buf)[len - 1] != '\0')
		return LB_EBADDATA;
	s = lb__cmdline_join(buf, len);
	if (!s)
		return LB_ENOMEM;
	*ret_cmdline = s;
	return 0;
}

int lb__fbsd_pathname_parse(const void *buf, size_t len, char **ret_path)
{
	const char *b = buf;
	char *s;

	lb_return_if((!buf && len > 0) || !ret_path, LB_EINVAL);
	if (len == 0 || (len == 1 && b[0] == '\0'))
		return LB_ENOENT;
	/* One string: its only NUL is the last byte. */
	if (memchr(b, '\0', len) != b + len - 1)
		return LB_EBADDATA;
	s = malloc(len);
	if (!s)
		return LB_ENOMEM;
	memcpy(s, b, len);
	*ret_path = s;
	return 0;
}
