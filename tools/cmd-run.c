/* SPDX-License-Identifier: MIT */
/* loopback run: pick and lease ports, run a command that holds them.
 * Starting the command is tools/proc-posix.c's or proc-windows.c's. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ENV 64

static void help(FILE *f)
{
	fputs("Usage: loopback run [--env NAME]... [--count N] [--listen-fds] [--tcp] [--udp]\n"
	      "                    [-4|-6] [--contiguous] [--range FIRST-LAST] -- CMD [ARGS...]\n"
	      "\n"
	      "Pick and lease free ports (as loopback pick does), export them to CMD and\n"
	      "run it. CMD inherits the leases, so no other libloopback picker is given\n"
	      "those ports for as long as CMD (or anything it passed them on to) runs.\n"
	      "\n"
	      "  -e, --env NAME    export the next port as $NAME (repeatable)\n"
	      "  -n, --count N     how many ports (default: the number of --env names, or 1)\n"
	      "      --listen-fds  pass listening sockets bound to 127.0.0.1 instead, as\n"
	      "                    systemd socket activation does: fds 3.., LISTEN_FDS,\n"
	      "                    LISTEN_PID (CMD's pid), LISTEN_FDNAMES (the names of the\n"
	      "                    ports' variables, TCP then UDP for each port);\n"
	      "                    TCP listening sockets, or bound UDP sockets with --udp\n"
	      "                    (POSIX only: an error on Windows)\n"
	      "  -t, -u, -4, -6, --contiguous, --range   as for loopback pick\n"
	      "\n"
	      "Port K (from 0) is exported as the K-th --env name, else as $PORT (the\n"
	      "first) or $PORT<K> ($PORT1, $PORT2, ...); $PORTS lists all, separated by\n"
	      "spaces. SIGINT, SIGTERM, SIGHUP and SIGQUIT reach CMD once: unless run is\n"
	      "the foreground job of a terminal, CMD has a process group of its own and\n"
	      "run passes on what it gets, whether sent to run or to its group (Linux:\n"
	      "CMD is killed if run is); as the foreground job, CMD shares run's group, gets\n"
	      "the terminal's signals directly, and run passes on the ones sent to it\n"
	      "by kill(1). On Windows CMD inherits the lease handles; Ctrl-C reaches it\n"
	      "through the console.\n"
	      "\n"
	      "Exit status: CMD's exit status, or 128+N when CMD died of signal N;\n"
	      "125 when run itself failed (no free port, a lease or socket that could\n"
	      "not be made or passed on); 126 when CMD cannot be executed; 127 when\n"
	      "CMD is not found; 2 on a usage error.\n", f);
}

/*
 * The one list of names: port k is exported as the k-th --env name, else
 * as PORT (the first port) or PORT<k>; LISTEN_FDNAMES uses the same names.
 * Fills @all[0..count) (names past @nnames are written into @buf, 32
 * bytes each).
 */
static void port_names(const char **names, int nnames, size_t count, const char **all,
		       char (*buf)[32])
{
	size_t k;

	for (k = 0; k < count; k++) {
		if ((int)k < nnames) {
			all[k] = names[k];
			continue;
		}
		if (k == 0)
			snprintf(buf[k], sizeof(buf[k]), "PORT");
		else
			snprintf(buf[k], sizeof(buf[k]), "PORT%zu", k);
		all[k] = buf[k];
	}
}

/* $NAME for each port, and $PORTS: all ports separated by spaces. */
static int export_ports(const lb_lease *lease, const char **names)
{
	char buf[16], *all;
	size_t k, len = 0, cap = 8 * lb_lease_count(lease) + 1;
	int r = 0;

	all = calloc(1, cap);
	if (!all) {
		lb_cli_error("run: out of memory");
		return -1;
	}
	for (k = 0; k < lb_lease_count(lease) && r == 0; k++) {
		snprintf(buf, sizeof(buf), "%u", (unsigned)lb_lease_port(lease, k));
		r = lb_cli_setenv(names[k], buf);
		len += (size_t)snprintf(all + len, cap - len, "%s%s", k ? " " : "", buf);
	}
	if (r == 0)
		r = lb_cli_setenv("PORTS", all);
	free(all);
	if (r < 0)
		lb_cli_error("run: cannot set the environment");
	return r;
}

/* What run does once the options are read: pick, lease, pass on, wait.
 * Its own failures exit LB_EXIT_RUN_ERROR (125), so that they never look
 * like a status of CMD. */
static int run(char **cmd, lb_pick_options *o, const char **names, int nnames, bool listen_fds)
{
	int fds[MAX_ENV * 2];
	int nfds = 0, i, r;
	const char **all = NULL;
	char (*buf)[32] = NULL;
	lb_lease *lease = NULL;
	size_t k;

	r = lb_port_pick(o, &lease);
	if (r == LB_EEXHAUSTED) {
		lb_cli_error("run: no free port in the range");
		return LB_EXIT_RUN_ERROR;
	}
	if (r < 0) {
		lb_cli_pick_error("run", r);
		return LB_EXIT_RUN_ERROR;
	}
	all = calloc(lb_lease_count(lease), sizeof(*all));
	buf = calloc(lb_lease_count(lease), sizeof(*buf));
	if (!all || !buf) {
		lb_cli_error("run: out of memory");
		goto fail;
	}
	port_names(names, nnames, lb_lease_count(lease), all, buf);
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
		lb_cli_error("run: cannot pass the lease on: %s", lb_strerror(r));
		goto fail;
	}
	if (export_ports(lease, all) < 0)
		goto fail;
	r = lb_cli_run_command(cmd, lease, listen_fds ? fds : NULL, nfds, all,
			       (int)lb_lease_count(lease));
	lb_lease_release(lease);
	free(all);
	free(buf);
	return r;

fail:
	for (i = 0; i < nfds; i++)
		lb_cli_sock_close(fds[i]);
	lb_lease_release(lease);
	free(all);
	free(buf);
	return LB_EXIT_RUN_ERROR;
}

int lb_cmd_run(int argc, char **argv)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	const char *names[MAX_ENV];
	int nnames = 0, listen_fds = 0, cmd = -1, i, r;

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
#ifdef _WIN32
	if (listen_fds) {
		lb_cli_error("run: --listen-fds is POSIX only (the systemd convention of fds 3 and up; "
			     "Windows programs have none): use $PORT");
		return LB_EXIT_ERROR;
	}
#endif
	return run(argv + cmd, &o, names, nnames, listen_fds != 0);
}
