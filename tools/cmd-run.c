/* SPDX-License-Identifier: MIT */
/* loopback run: pick and lease ports, run a command that holds them. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define MAX_ENV 64

static volatile sig_atomic_t child_pid;

static void help(FILE *f)
{
	fputs("Usage: loopback run [--env NAME]... [--count N] [--listen-fds] [--tcp] [--udp]\n"
	      "                    [-4|-6] [--contiguous] [--range FIRST-LAST] -- CMD [ARGS...]\n"
	      "\n"
	      "Pick and lease free ports (as loopback pick does), export them to CMD and\n"
	      "run it. CMD inherits the leases, so no other libloopback picker is given\n"
	      "those ports for as long as CMD (or anything it passed them on to) runs.\n"
	      "\n"
	      "  -e, --env NAME    export the next port as $NAME (repeatable; default PORT)\n"
	      "  -n, --count N     how many ports (default: the number of --env names, or 1)\n"
	      "      --listen-fds  pass listening sockets bound to 127.0.0.1 instead, as\n"
	      "                    systemd socket activation does: fds 3.., LISTEN_FDS,\n"
	      "                    LISTEN_PID (CMD's pid), LISTEN_FDNAMES (the env names);\n"
	      "                    TCP listening sockets, or bound UDP sockets with --udp\n"
	      "  -t, -u, -4, -6, --contiguous, --range   as for loopback pick\n"
	      "\n"
	      "CMD also gets $PORTS, all ports separated by spaces. SIGINT, SIGTERM,\n"
	      "SIGHUP and SIGQUIT sent to run are passed on to CMD.\n"
	      "\n"
	      "Exit status: CMD's exit status, or 128+N when CMD died of signal N;\n"
	      "1 when no free port was found; 2 on a usage error or failure; 127 when\n"
	      "CMD could not be executed.\n", f);
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

int lb_cmd_run(int argc, char **argv)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	const char *names[MAX_ENV];
	int nnames = 0, listen_fds = 0, cmd = -1, i, r, status;
	int fds[MAX_ENV * 2];
	int nfds = 0;
	lb_lease *lease = NULL;
	struct sigaction sa;
	sigset_t block, old;
	pid_t pid;
	size_t k;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			cmd = i + 1;
			break;
		}
		r = lb_cli_pick_option(&o, argc, argv, &i);
		if (r < 0)
			return LB_EXIT_ERROR;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--env") == 0 || strcmp(argv[i], "-e") == 0) {
			const char *n = i + 1 < argc ? argv[i + 1] : NULL;
			const char *c;

			if (!n || !*n || (*n >= '0' && *n <= '9')) {
				lb_cli_error("run: --env needs a variable name");
				return LB_EXIT_ERROR;
			}
			for (c = n; *c; c++)
				if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
				      (*c >= '0' && *c <= '9') || *c == '_')) {
					lb_cli_error("run: bad variable name '%s'", n);
					return LB_EXIT_ERROR;
				}
			if (nnames == MAX_ENV) {
				lb_cli_error("run: at most %d --env names", MAX_ENV);
				return LB_EXIT_ERROR;
			}
			names[nnames++] = n;
			i++;
		} else if (strcmp(argv[i], "--listen-fds") == 0) {
			listen_fds = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help(stdout);
			return LB_EXIT_OK;
		} else {
			lb_cli_error("run: unknown argument '%s' (see loopback run --help)", argv[i]);
			return LB_EXIT_ERROR;
		}
	}
	if (cmd < 0 || cmd >= argc) {
		lb_cli_error("run: no command: loopback run [OPTIONS] -- CMD [ARGS...]");
		return LB_EXIT_ERROR;
	}
	if (o.count == 0)
		o.count = nnames ? (uint32_t)nnames : 1;
	if ((int)o.count < nnames) {
		lb_cli_error("run: %d --env names but --count %u", nnames, (unsigned)o.count);
		return LB_EXIT_ERROR;
	}
	if (listen_fds && o.count > MAX_ENV) {
		lb_cli_error("run: --listen-fds passes at most %d ports", MAX_ENV);
		return LB_EXIT_ERROR;
	}
	if (nnames == 0)
		names[nnames++] = "PORT";

	r = lb_port_pick(&o, &lease);
	if (r < 0) {
		lb_cli_error("run: %s", lb_strerror(r));
		return r == LB_EEXHAUSTED ? LB_EXIT_NO : LB_EXIT_ERROR;
	}
	if (listen_fds) {
		unsigned protos = lb_lease_protocols(lease), p;

		for (k = 0; k < lb_lease_count(lease); k++)
			for (p = LB_PICK_TCP; p <= LB_PICK_UDP; p <<= 1) {
				if (!(protos & p))
					continue;
				r = lb_lease_listen(lease, k, p, NULL, &fds[nfds]);
				if (r < 0) {
					lb_cli_error("run: cannot bind port %u: %s",
						     (unsigned)lb_lease_port(lease, k), lb_strerror(r));
					goto fail;
				}
				nfds++;
			}
	}
	r = lb_lease_set_inherit(lease, 1);
	if (r < 0) {
		lb_cli_error("run: %s", lb_strerror(r));
		goto fail;
	}

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
		goto fail;
	}
	if (pid == 0) {
		char buf[16], *all;
		size_t len = 0, cap = 8 * lb_lease_count(lease) + 1;

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		all = calloc(1, cap);
		if (!all)
			_exit(LB_EXIT_ERROR);
		for (k = 0; k < lb_lease_count(lease); k++) {
			snprintf(buf, sizeof(buf), "%u", (unsigned)lb_lease_port(lease, k));
			if ((int)k < nnames && setenv(names[k], buf, 1) < 0)
				_exit(LB_EXIT_ERROR);
			len += (size_t)snprintf(all + len, cap - len, "%s%s", k ? " " : "", buf);
		}
		if (setenv("PORTS", all, 1) < 0)
			_exit(LB_EXIT_ERROR);
		if (listen_fds) {
			char *fdnames = calloc(1, (size_t)nfds * 256 + 1);
			size_t flen = 0;

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
		} else {
			unsetenv("LISTEN_FDS");
			unsetenv("LISTEN_PID");
			unsetenv("LISTEN_FDNAMES");
		}
		execvp(argv[cmd], argv + cmd);
		lb_cli_error("run: cannot execute '%s': %s", argv[cmd], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	nfds = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			lb_cli_error("run: waitpid: %s", strerror(errno));
			lb_lease_release(lease);
			return LB_EXIT_ERROR;
		}
	}
	lb_lease_release(lease);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);

fail:
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	lb_lease_release(lease);
	return LB_EXIT_ERROR;
}
