/* SPDX-License-Identifier: MIT */
/* loopback wait HOST:PORT: until it accepts connections, or is free. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
	fputs("Usage: loopback wait HOST:PORT [--timeout S] [--free] [--pid P] [--connect] [-- CMD [ARGS...]]\n"
	      "\n"
	      "Wait until HOST:PORT accepts TCP connections (or, with --free, until it\n"
	      "can be bound), checking every 50 ms. For an address of this host a\n"
	      "listener that takes connections to it, in the socket table, is enough:\n"
	      "wait does not connect, so the server sees no probe. For another host it\n"
	      "connects. With -- CMD, run CMD once the condition holds (its exit status\n"
	      "becomes ours). A host name waits on its first address.\n"
	      "\n"
	      "  -t, --timeout S  give up after S seconds (default 30; decimals allowed)\n"
	      "      --free       wait until the port is free instead\n"
	      "      --connect    also for this host, wait until a TCP connect succeeds\n"
	      "                   (the server sees each probe, closed with a reset)\n"
	      "  -p, --pid P      also require that the listener is held by process P or\n"
	      "                   one of its descendants (not a stale server); if P does\n"
	      "                   not exist or exits while waiting, stop at once (exit 1)\n"
	      "\n"
	      "With --pid, a listener the caller cannot see (another PID namespace, or\n"
	      "another user's process when not root) is never matched; if P's own\n"
	      "sockets are hidden, wait fails (exit 2) once the port accepts.\n"
	      "\n"
	      "Exit status: 0 the condition holds (or CMD's status), 1 timed out or\n"
	      "P is gone, 2 usage error or failure.\n", f);
}

int lb_cmd_wait(int argc, char **argv)
{
	const char *target = NULL, *pid_arg = NULL;
	unsigned long pid = 0;
	double timeout = 30;
	int cond = LB_WAIT_ACCEPTING, cmd = -1, i, r;
	bool connect = false;
	lb_endpoint ep;
	lb_addr a;
	lb_addr_list *list = NULL;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			cmd = i + 1;
			break;
		} else if (strcmp(argv[i], "--timeout") == 0 || strcmp(argv[i], "-t") == 0) {
			char *end;

			if (i + 1 >= argc) {
				lb_cli_error("wait: --timeout needs seconds");
				return LB_EXIT_ERROR;
			}
			errno = 0;
			timeout = strtod(argv[++i], &end);
			if (errno || *end || end == argv[i] || !(timeout >= 0 && timeout <= 86400)) {
				lb_cli_error("wait: bad --timeout '%s': seconds from 0 to 86400", argv[i]);
				return LB_EXIT_ERROR;
			}
		} else if (strcmp(argv[i], "--free") == 0) {
			cond = LB_WAIT_FREE;
		} else if (strcmp(argv[i], "--connect") == 0) {
			connect = true;
		} else if (strcmp(argv[i], "--pid") == 0 || strcmp(argv[i], "-p") == 0) {
			uint32_t v = 0;

			if (i + 1 >= argc) {
				lb_cli_error("wait: --pid needs a process id");
				return LB_EXIT_ERROR;
			}
			pid_arg = argv[++i];
			/* Digits only: no sign, no space, no 0x. */
			if (lb_cli_parse_u32(pid_arg, 2147483647u, &v) < 0 || v == 0) {
				lb_cli_error("wait: bad --pid '%s': a process id from 1 to 2147483647",
					     pid_arg);
				return LB_EXIT_ERROR;
			}
			pid = v;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help(stdout);
			return LB_EXIT_OK;
		} else if (argv[i][0] == '-' || target) {
			lb_cli_error("wait: unexpected argument '%s' (see loopback wait --help)", argv[i]);
			return LB_EXIT_ERROR;
		} else {
			target = argv[i];
		}
	}
	if (!target || (cmd >= 0 && cmd >= argc)) {
		lb_cli_error("wait: usage: loopback wait HOST:PORT [--timeout S] [--free] [--pid P] [--connect] [-- CMD]");
		return LB_EXIT_ERROR;
	}
	if (connect && cond == LB_WAIT_FREE) {
		lb_cli_error("wait: --free and --connect do not go together (nothing to connect to)");
		return LB_EXIT_ERROR;
	}
	if (pid_arg && cond == LB_WAIT_FREE) {
		lb_cli_error("wait: --free and --pid do not go together (a free port has no holder)");
		return LB_EXIT_ERROR;
	}
	r = lb_endpoint_parse(target, strlen(target), &ep, NULL);
	if (r < 0 || ep.port == 0) {
		lb_cli_error("wait: '%s' is not HOST:PORT with a port from 1 to 65535", target);
		return LB_EXIT_ERROR;
	}
	a = ep.addr;
	if (ep.kind == LB_HOST_NAME) {
		r = lb_resolve(ep.name, strlen(ep.name), LB_AF_NONE, &list);
		if (r == 0)
			r = lb_addr_list_addr(list, 0, &a);
		lb_addr_list_free(list);
		if (r < 0) {
			lb_cli_error("wait: cannot resolve '%s': %s", ep.name, lb_strerror(r));
			return LB_EXIT_ERROR;
		}
	}
	if (pid_arg)
		r = lb_wait_held(&a, ep.port, (uint32_t)pid,
				 LB_PID_DESCENDANTS | (connect ? LB_WAIT_CONNECT : 0),
				 (uint32_t)(timeout * 1000));
	else
		r = lb_wait(&a, ep.port, cond | (connect ? LB_WAIT_CONNECT : 0),
			    (uint32_t)(timeout * 1000));
	if (r == LB_ETIMEDOUT) {
		if (pid_arg)
			lb_cli_error("wait: %s: not accepting from a listener of process %lu "
				     "or its descendants after %g s", target, pid, timeout);
		else
			lb_cli_error("wait: %s: %s after %g s", target,
				     cond == LB_WAIT_FREE ? "still in use" : "not accepting", timeout);
		return LB_EXIT_NO;
	}
	if (r == LB_ENOENT && pid_arg) {
		lb_cli_error("wait: process %lu does not exist (it exited, or never ran)", pid);
		return LB_EXIT_NO;
	}
	if (r == LB_EPERM && pid_arg) {
		lb_cli_error("wait: %s accepts, but the sockets of process %lu cannot be read "
			     "(permission; run as its user or as root)", target, pid);
		return LB_EXIT_ERROR;
	}
	if (r < 0) {
		lb_cli_error("wait: %s", lb_strerror(r));
		return LB_EXIT_ERROR;
	}
	if (cmd >= 0)
		return lb_cli_exec("wait", argv + cmd);
	return LB_EXIT_OK;
}
