/* SPDX-License-Identifier: MIT */
/* The Linux side of lib/os/process.h: kill(pid, 0) and /proc/PID. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/read-file.h"
#include "os/process.h"

int lb__process_alive(uint32_t pid)
{
	char path[32], buf[512];
	const char *p;
	size_t len;
	int r;

	if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
		return LB_ENOENT;
	/* The state is the field after the name in parentheses. */
	snprintf(path, sizeof(path), "/proc/%u/stat", (unsigned)pid);
	r = lb__read_small(path, buf, sizeof(buf), &len);
	if (r == LB_ENOENT) /* gone between kill() and here, or no /proc mounted */
		return kill((pid_t)pid, 0) < 0 && lb__errno_code(errno) == LB_ENOENT ? LB_ENOENT : 0;
	if (r < 0)
		return 0; /* unreadable: kill() said it exists */
	p = strrchr(buf, ')');
	if (p && (p[1] == ' ') && (p[2] == 'Z' || p[2] == 'X'))
		return LB_ENOENT;
	return 0;
}
