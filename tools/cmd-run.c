/* SPDX-License-Identifier: MIT */
/* loopback run: pick and lease ports, run a command that holds them.
 * Starting the command is tools/os/posix/proc.c's or os/windows/proc.c's. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "os.h"

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
	      "  -e, --env NAME    export the next port as $NAME (repeatable, each name\n"
	      "                    once, not PORTS; default PORT)\n"
	      "  -n, --count N     how many ports (default: the number of --env names, or 1)\n"
	      "      --listen-fds  pass listening sockets bound to 127.0.0.1 instead, as\n"
	      "                    systemd socket activation does: fds 3.., LISTEN_FDS,\n"
	      "                    LISTEN_PID (CMD's pid), LISTEN_FDNAMES (the names of the\n"
	      "                    ports' variables, TCP then UDP for each port);\n"
	      "                    TCP listening sockets, or bound UDP sockets with --udp\n"
	      "                    (POSIX only: an error on Windows)\n"
	      "  -t, -u, -4, -6, --contiguous, --range   as for loopback pick\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Options end at --; everything after it is CMD and its arguments.\n"
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
	      "125 when run itself fails (usage error, no free port, lease failure),\n"
	      "126 when CMD was found but could not be executed, 127 when it was not\n"
	      "found (as env(1) and timeout(1)).\n", f);
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

static bool valid_name(const char *n)
{
	const char *c;

	if (!*n || (*n >= '0' && *n <= '9'))
		return false;
	for (c = n; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			return false;
	return true;
}

/* What run does once the options are read: pick, lease, pass on, wait.
 * Its own failures exit LB_EXIT_RUN_FAILED (125), so that they never look
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
		lb_cli_error("run: no free port left in the range");
		return LB_EXIT_RUN_FAILED;
	}
	if (r < 0) {
		lb_cli_pick_error("run", r);
		return LB_EXIT_RUN_FAILED;
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
	return LB_EXIT_RUN_FAILED;
}

int lb_cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		LB_CLI_PICK_LONG,
		{ "env", required_argument, NULL, 'e' },
		{ "listen-fds", no_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 },
	};
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	const char *names[MAX_ENV];
	int nnames = 0, listen_fds = 0, c, i;
	struct lb_cli_args a;

	/* run's own failures exit 125 (LB_EXIT_RUN_FAILED), never a status
	 * CMD could return. */
	lb_cli_args_init(&a, "run", argc, argv, LB_CLI_PICK_SHORT "e:", opts, help,
			 LB_CLI_ARGS_COMMAND | LB_CLI_ARGS_RUN);
	while ((c = lb_cli_next(&a)) > 0) {
		if (c == 'L') {
			listen_fds = 1;
		} else if (c == 'e') {
			if (!valid_name(optarg))
				return lb_cli_usage(&a, "--env needs a variable name (letters, digits, _; "
						    "not a digit first), not '%s'", lb_cli_q(optarg));
			if (strcmp(optarg, "PORTS") == 0)
				return lb_cli_usage(&a, "--env PORTS: run sets $PORTS itself (all the ports)");
			for (i = 0; i < nnames; i++)
				if (strcmp(names[i], optarg) == 0)
					return lb_cli_usage(&a, "--env %s given twice", lb_cli_q(optarg));
			if (nnames == MAX_ENV)
				return lb_cli_usage(&a, "at most %d --env names", MAX_ENV);
			names[nnames++] = optarg;
		} else if (lb_cli_pick_option("run", &o, c, optarg) <= 0) {
			return LB_EXIT_RUN_FAILED;
		}
	}
	if (c < 0)
		return a.exit;
	if (a.noperands)
		return lb_cli_usage(&a, "'%s' before --: the command goes after --: "
				    "loopback run [OPTIONS] -- CMD [ARGS...]", lb_cli_q(a.operands[0]));
	if (!a.command || a.ncommand == 0)
		return lb_cli_usage(&a, "no command: loopback run [OPTIONS] -- CMD [ARGS...]");
	if (o.count == 0)
		o.count = nnames ? (uint32_t)nnames : 1;
	if ((int)o.count < nnames)
		return lb_cli_usage(&a, "%d --env names but --count %u", nnames, (unsigned)o.count);
	if (listen_fds && o.count > MAX_ENV)
		return lb_cli_usage(&a, "--listen-fds passes at most %d ports", MAX_ENV);
	if (listen_fds && !lb_cli_listen_fds_supported())
		return LB_EXIT_RUN_FAILED;
	if (lb_cli_pick_fits("run", &o))
		return LB_EXIT_RUN_FAILED;
	return run(a.command, &o, names, nnames, listen_fds != 0);
}
