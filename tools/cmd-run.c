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
	      "  -e, --env NAME    export the next port as $NAME (repeatable; default PORT)\n"
	      "  -n, --count N     how many ports (default: the number of --env names, or 1)\n"
	      "      --listen-fds  pass listening sockets bound to 127.0.0.1 instead, as\n"
	      "                    systemd socket activation does: fds 3.., LISTEN_FDS,\n"
	      "                    LISTEN_PID (CMD's pid), LISTEN_FDNAMES (the env names);\n"
	      "                    TCP listening sockets, or bound UDP sockets with --udp\n"
	      "                    (POSIX only: an error on Windows)\n"
	      "  -t, -u, -4, -6, --contiguous, --range   as for loopback pick\n"
	      "\n"
	      "CMD also gets $PORTS, all ports separated by spaces. SIGINT, SIGTERM,\n"
	      "SIGHUP and SIGQUIT sent to run are passed on to CMD. On Windows CMD\n"
	      "inherits the lease handles; Ctrl-C reaches it through the console.\n"
	      "\n"
	      "Exit status: CMD's exit status, or 128+N when CMD died of signal N;\n"
	      "1 when no free port was found; 2 on a usage error or failure; 127 when\n"
	      "CMD could not be executed.\n", f);
}

/* $NAME for each name, and $PORTS: all ports separated by spaces. */
static int export_ports(const lb_lease *lease, const char **names, int nnames)
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
		if ((int)k < nnames)
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

int lb_cmd_run(int argc, char **argv)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	const char *names[MAX_ENV];
	int nnames = 0, listen_fds = 0, cmd = -1, i, r;
	int fds[MAX_ENV * 2];
	int nfds = 0;
	lb_lease *lease = NULL;
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
#ifdef _WIN32
	if (listen_fds) {
		lb_cli_error("run: --listen-fds is POSIX only (the systemd convention of fds 3 and up; "
			     "Windows programs have none): use $PORT");
		return LB_EXIT_ERROR;
	}
#endif
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
	r = export_ports(lease, names, nnames);
	if (r < 0)
		goto fail;
	r = lb_cli_run_command(argv + cmd, lease, listen_fds ? fds : NULL, nfds, names, nnames);
	lb_lease_release(lease);
	return r;

fail:
	for (i = 0; i < nfds; i++)
		lb_cli_sock_close(fds[i]);
	lb_lease_release(lease);
	return LB_EXIT_ERROR;
}
