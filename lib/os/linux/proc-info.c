/* SPDX-License-Identifier: MIT */
/*
 * One process's details on Linux, from /proc/PID/{stat,cmdline,exe} and
 * the boot time: lb__owner_info(), the process_info hook of the netlink
 * and procfs backends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "os/linux/fd-scan.h"
#include "os/posix/read-file-at.h"

int lb__proc_read_stat(int procfd, uint32_t pid, struct lb__proc_stat *ret)
{
	char path[32];
	char *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%u/stat", (unsigned)pid);
	r = lb__read_file_at(procfd, path, &buf, &len);
	if (r < 0)
		return r;
	r = lb__proc_stat_parse(buf, len, ret);
	free(buf);
	return r;
}

uint64_t lb__proc_boot_time(int procfd)
{
	char *buf;
	size_t len;
	uint64_t bt = 0;

	if (lb__read_file_at(procfd, "stat", &buf, &len) == 0) {
		if (lb__proc_btime_parse(buf, len, &bt) < 0)
			bt = 0;
		free(buf);
	}
	return bt;
}

int lb__proc_owner_at(int procfd, uint32_t pid, uint64_t btime, struct lb__user_cache *uc,
		      struct lb_owner **ret)
{
	struct lb__proc_stat st;
	struct lb_owner *o;
	struct stat sb;
	char path[32], link[4096];
	char *buf;
	size_t len;
	ssize_t ll;
	long hz = sysconf(_SC_CLK_TCK);
	int r;

	snprintf(path, sizeof(path), "%u", (unsigned)pid);
	if (fstatat(procfd, path, &sb, 0) < 0)
		return LB_ENOENT;
	r = lb__proc_read_stat(procfd, pid, &st);
	if (r < 0)
		return r == LB_EBADDATA ? r : LB_ENOENT;
	o = calloc(1, sizeof(*o));
	if (!o)
		return LB_ENOMEM;
	o->pid = pid;
	o->ppid = st.ppid;
	o->uid = (uint32_t)sb.st_uid;
	if (btime && hz > 0)
		o->start_time = btime * 1000 + st.starttime * 1000 / (uint64_t)hz;
	o->name = strdup(st.comm);
	o->user = lb__user_name(o->uid, uc);
	snprintf(path, sizeof(path), "%u/cmdline", (unsigned)pid);
	r = lb__read_file_at(procfd, path, &buf, &len);
	if (r == 0) {
		r = lb__owner_set_args(o, buf, len);
		free(buf);
		if (r < 0) {
			lb__owner_free(o);
			return r;
		}
	} else if (r == LB_EPERM) {
		o->error = LB_EPERM;
	}
	snprintf(path, sizeof(path), "%u/exe", (unsigned)pid);
	ll = readlinkat(procfd, path, link, sizeof(link) - 1);
	if (ll >= 0) {
		link[ll] = '\0';
		o->exe = strdup(link);
	} else if (lb__errno_code(errno) == LB_EPERM) {
		o->error = LB_EPERM;
	}
	if (!o->name || !o->user || (r == 0 && !o->cmdline) || (ll >= 0 && !o->exe)) {
		lb__owner_free(o);
		return LB_ENOMEM;
	}
	*ret = o;
	return 0;
}

int lb__owner_info(uint32_t pid, struct lb_owner **ret_owner)
{
	int procfd, r;

	lb_return_if(pid == 0 || !ret_owner, LB_EINVAL);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return LB_EIO;
	r = lb__proc_owner_at(procfd, pid, lb__proc_boot_time(procfd), NULL, ret_owner);
	close(procfd);
	return r;
}
