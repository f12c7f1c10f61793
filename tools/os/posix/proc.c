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
#include "os.h"

static volatile sig_atomic_t child_pid;

int lb_cli_std_fds(void)
{
	int fd;

	/* A closed 0, 1 or 2 would be the next descriptor we open (a lease
	 * socket, a netlink socket) and CMD would take it for its standard
	 * input or output. Hold each closed one with /dev/null opened for
	 * the other direction: it is taken, yet reading or writing it still
	 * fails with EBADF as on the closed descriptor the caller gave us,
	 * so a write error is still reported. */
	for (fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY) | O_NOCTTY);
		if (nfd < 0)
			return -1;
		if (nfd != fd) { /* a lower one was open after all: cannot happen */
			close(nfd);
			return -1;
		}
	}
	return 0;
}

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

/* The signals run passes on to CMD. */
static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define N_FORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

/* Whether the signal handler passes on what the terminal sent too. */
static volatile sig_atomic_t forward_kernel;

static void forward(int sig, siginfo_t *si, void *ctx)
{
	int e = errno;

	(void)ctx;
	/* In the terminal's foreground group CMD shares our process group, so
	 * what the terminal sent (Ctrl-C: si_code > 0) reached it already. */
	if (child_pid > 0 && (forward_kernel || !si || si->si_code <= 0))
		kill((pid_t)child_pid, sig);
	errno = e;
}

/* Whether run is the foreground job of its terminal: then CMD stays in our
 * process group, so that Ctrl-C, Ctrl-Z and reading the terminal work as
 * for any foreground job. */
static bool foreground_job(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++)
		if (isatty(fd))
			return tcgetpgrp(fd) == getpgrp();
	return false;
}

/* Move @fds[0..n) to 3..3+n-1 without losing a descriptor that sits
 * there now (the inherited leases): each one in the way moves to the
 * lowest free number, so the highest number in use grows by one at most
 * (a limit of open files near what run holds still works). Runs in the
 * child. 0, or -1 with errno set. */
static int place_fds(int *fds, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		int target = 3 + i, fl;

		if (fds[i] == target) {
			if (fcntl(target, F_SETFD, 0) < 0) /* CMD inherits it */
				return -1;
			continue;
		}
		fl = fcntl(target, F_GETFD);
		if (fl >= 0) {
			/* Taken: by a later socket of ours or another descriptor
			 * (a lease). The lowest free number is above @target,
			 * since 0..target-1 are all in use. */
			int moved = fcntl(target, (fl & FD_CLOEXEC) ? F_DUPFD_CLOEXEC : F_DUPFD, 0);

			if (moved < 0)
				return -1;
			for (j = i + 1; j < n; j++)
				if (fds[j] == target)
					fds[j] = moved;
		}
		if (dup2(fds[i], target) < 0) /* closes what was there; clears close-on-exec */
			return -1;
		close(fds[i]);
		fds[i] = target;
	}
	return 0;
}

/* In the child: fds 3.. and the systemd socket-activation variables, the
 * names those of the exported ports (@names, one per port). 0, or -1 with
 * errno set. */
static int listen_fds_child(int *fds, int nfds, const lb_lease *lease, const char **names)
{
	char buf[24], *fdnames;
	size_t flen = 0, cap = 1;
	int i, both = lb_lease_protocols(lease) == (LB_PICK_TCP | LB_PICK_UDP);

	if (place_fds(fds, nfds) < 0)
		return -1;
	for (i = 0; i < nfds; i++)
		cap += strlen(names[both ? i / 2 : i]) + 1;
	fdnames = calloc(1, cap);
	if (!fdnames)
		return -1;
	/* One name per socket: its port's variable (TCP and UDP of one port
	 * share it). */
	for (i = 0; i < nfds; i++)
		flen += (size_t)snprintf(fdnames + flen, cap - flen, "%s%s", i ? ":" : "",
					 names[both ? i / 2 : i]);
	snprintf(buf, sizeof(buf), "%d", nfds);
	if (setenv("LISTEN_FDS", buf, 1) < 0 || setenv("LISTEN_FDNAMES", fdnames, 1) < 0)
		return -1;
	/* Our own pid: this is the process that execs CMD. */
	snprintf(buf, sizeof(buf), "%ld", (long)getpid());
	return setenv("LISTEN_PID", buf, 1);
}

/* The child, between fork and exec: never returns. */
static void child(char **argv, lb_lease *lease, int *fds, int nfds, const char **names,
		  const struct sigaction *old_sa, const sigset_t *old_mask, bool own_group,
		  pid_t parent)
{
	size_t i;

	if (own_group)
		setpgid(0, 0);
	/* Away from our process group, a killpg() of it no longer reaches CMD:
	 * so if run dies (of SIGKILL: it cannot pass that on), CMD does too,
	 * where the OS can say so (Linux). */
	if (own_group && lb_cli_die_with_parent((long)parent) < 0)
		_exit(LB_EXIT_RUN_FAILED);
	/* CMD starts with the mask and dispositions run was given (nohup's
	 * ignored SIGHUP stays ignored), except SIGINT and SIGQUIT: a shell
	 * ignores them in background jobs against the keyboard, but run
	 * passes them on, so they are reset for CMD to act on them. */
	for (i = 0; i < N_FORWARDED; i++) {
		if (forwarded[i] == SIGINT || forwarded[i] == SIGQUIT)
			signal(forwarded[i], SIG_DFL);
		else
			sigaction(forwarded[i], &old_sa[i], NULL);
	}
	sigprocmask(SIG_SETMASK, old_mask, NULL);
	if (fds) {
		if (listen_fds_child(fds, nfds, lease, names) < 0) {
			lb_cli_error("run: cannot pass the listening sockets to '%s': %s", argv[0],
				     strerror(errno));
			_exit(LB_EXIT_RUN_FAILED);
		}
	} else {
		unsetenv("LISTEN_FDS");
		unsetenv("LISTEN_PID");
		unsetenv("LISTEN_FDNAMES");
	}
	_exit(lb_cli_exec("run", argv));
}

int lb_cli_run_command(char **argv, lb_lease *lease, int *fds, int nfds, const char **names,
		       int nnames)
{
	struct sigaction sa, old_sa[N_FORWARDED];
	sigset_t block, old;
	bool own_group = !foreground_job();
	pid_t pid, self = getpid();
	int status;
	size_t i;

	(void)nnames;
	/*
	 * Signals reach CMD once. Not in the terminal's foreground, CMD gets
	 * a process group of its own, so a signal sent to our group (killpg,
	 * a supervisor stopping a group) reaches run only, and run passes it
	 * on, as it does a signal sent to run alone. As the foreground job,
	 * CMD shares our group and the terminal's signals reach it directly.
	 */
	forward_kernel = own_group;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	/* Hold the signals until child_pid is known. */
	sigemptyset(&block);
	for (i = 0; i < N_FORWARDED; i++) {
		sigaction(forwarded[i], &sa, &old_sa[i]);
		sigaddset(&block, forwarded[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &old);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		sigprocmask(SIG_SETMASK, &old, NULL);
		lb_cli_error("run: cannot start '%s': fork: %s", argv[0], strerror(e));
		return LB_EXIT_RUN_FAILED;
	}
	if (pid == 0)
		child(argv, lease, fds, nfds, names, old_sa, &old, own_group, self);
	if (own_group)
		setpgid(pid, pid); /* as the child does: whichever runs first */
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < (size_t)nfds; i++)
		close(fds[i]);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			lb_cli_error("run: waitpid: %s", strerror(errno));
			return LB_EXIT_RUN_FAILED;
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
