/* SPDX-License-Identifier: MIT */
/* What only Linux has (tools/os.h): network namespaces, the abstract
 * lease backend, a parent-death signal. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"
#include "os.h"

int lb_cli_setns(const char *verb, const char *arg, const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), e;

	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		lb_cli_error("%s: --netns %s: %s%s", verb, lb_cli_q(arg), strerror(e),
			     e == EPERM ? " (entering a namespace needs CAP_SYS_ADMIN)"
			     : e == EINVAL ? " (not a network namespace)" : "");
		return -1;
	}
	close(fd);
	return 0;
}

const char *lb_cli_more_lease_backends(void)
{
	return " or abstract";
}

int lb_cli_die_with_parent(long parent)
{
	return prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != (pid_t)parent ? -1 : 0;
}
