/* SPDX-License-Identifier: MIT */
/* lib/os/process.h on POSIX systems other than Linux (FreeBSD, macOS):
 * kill(pid, 0); no process names yet. */
#include <errno.h>
#include <signal.h>

#include "core/internal.h"
#include "os/process.h"

/* A zombie still answers kill(): no /proc to tell it apart here. */
int lb__process_alive(uint32_t pid)
{
	return kill((pid_t)pid, 0) < 0 && lb__errno_code(errno) == LB_ENOENT ? LB_ENOENT : 0;
}
