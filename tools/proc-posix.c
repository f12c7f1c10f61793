/* SPDX-License-Identifier: MIT */
/* Starting commands on POSIX: loopback run (fork, signals passed on,
 * --listen-fds) and wait -- CMD (exec). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t child_pid;

int lb_cli_setenv(const char *name, const char *value)
{
	return setenv(name, value, 1);
}

int lb_cli_exec(const char *verb, char **argv)
{
	int e;

	fflush(NULL);
	execvp(argv[0], argv);
	e = errno; /* before printing, which may change it */
	lb_cli_error("%s: cannot execute '%s': %s", verb, argv[0], strerror(e));
	return e == ENOENT ? 127 : 126;
}

static void forward(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	/* A signal from the terminal reached CMD through the process group
	 * already; only pass on what was sent to us alone (kill(2)). */
	if (child_pid > 0 && si && si->si_code <= 0)
		kill((pid_t)child_pid, sig);
}

/* Move @fds[0..n) to 3..3+n-1 without losing any descriptor that sits
 * there now (the leases are inherited too). Runs in the child. */
static int place_fds(int *fds, int n, const lb_lease *lease)
{
	int i, top = 3 + n;
	size_t k;
	unsigned p;

	/* First move every inherited lease descriptor out of the way. */
	for (k = 0; k < lb_lease_count(lease); k++)
		for (p = LB_PICK_TCP; p <= LB_PICK_UDP; p <<= 1) {
			int fd = lb_lease_fd(lease, k, p);

			if (fd >= 0 && fd < top && fcntl(fd, F_DUPFD, top) < 0)
				return -1;
		}
	for (i = 0; i < n; i++) {
		int hi = fcntl(fds[i], F_DUPFD_CLOEXEC, top);

		if (hi < 0)
			return -1;
		fds[i] = hi;
	}
	for (i = 0; i < n; i++)
		if (dup2(fds[i], 3 + i) < 0) /* dup2 clears close-on-exec */
			return -1;
	return 0;
}

/* In the child: the systemd socket-activation variables and fds 3... */
static void listen_fds_child(int *fds, int nfds, const lb_lease *lease, const char **names,
			     int nnames)
{
	char buf[16], *fdnames = calloc(1, (size_t)nfds * 256 + 1);
	size_t flen = 0;
	int i;

	if (!fdnames || place_fds(fds, nfds, lease) < 0)
		_exit(LB_EXIT_ERROR);
	for (i = 0; i < nfds; i++) {
		/* One name per socket: the port's env name (or PORT<i>). */
		size_t port_index = lb_lease_protocols(lease) == (LB_PICK_TCP | LB_PICK_UDP)
					    ? (size_t)i / 2 : (size_t)i;
		if ((int)port_index < nnames)
			flen += (size_t)snprintf(fdnames + flen, 256, "%s%s",
						 i ? ":" : "", names[port_index]);
		else
			flen += (size_t)snprintf(fdnames + flen, 256, "%sPORT%zu",
						 i ? ":" : "", port_index);
	}
	snprintf(buf, sizeof(buf), "%d", nfds);
	setenv("LISTEN_FDS", buf, 1);
	/* Our own pid: this is the process that execs CMD. */
	snprintf(buf, sizeof(buf), "%ld", (long)getpid());
	setenv("LISTEN_PID", buf, 1);
	setenv("LISTEN_FDNAMES", fdnames, 1);
}

int lb_cli_run_command(char **argv, lb_lease *lease, int *fds, int nfds, const char **names,
		       int nnames)
{
	struct sigaction sa;
	sigset_t block, old;
	pid_t pid;
	int i, status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	/* Hold the signals until child_pid is known. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		lb_cli_error("run: fork: %s", strerror(errno));
		return LB_EXIT_ERROR;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (fds) {
			listen_fds_child(fds, nfds, lease, names, nnames);
		} else {
			unsetenv("LISTEN_FDS");
			unsetenv("LISTEN_PID");
			unsetenv("LISTEN_FDNAMES");
		}
		_exit(lb_cli_exec("run", argv));
	}
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			lb_cli_error("run: waitpid: %s", strerror(errno));
			return LB_EXIT_ERROR;
		}
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void lb_cli_sock_close(int fd)
{
	close(fd);
}
