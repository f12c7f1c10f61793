/* SPDX-License-Identifier: MIT */
/* loopback ls: the socket table with owners. */
#include <getopt.h>
#ifndef _WIN32
#include <pwd.h>
#endif
#include <string.h>

#include "cli.h"

static void ls_usage(FILE *f)
{
	fputs("Usage: loopback ls [OPTIONS]\n"
	      "\n"
	      "List TCP and UDP sockets with the processes that hold them.\n"
	      "\n"
	      "  -l, --listening   only listeners (TCP LISTEN, unconnected UDP)\n"
	      "  -t, --tcp         only TCP\n"
	      "  -u, --udp         only UDP\n"
	      "  -4, -6            only IPv4 / only IPv6\n"
	      "      --pid PID     only the sockets process PID holds\n"
	      "      --children    with --pid: also its descendants' sockets\n"
	      "      --user USER   only sockets created by USER (name or uid)\n"
	      "      --netns NS    the network namespace of process NS, or the\n"
	      "                    namespace file NS (/var/run/netns/NAME); needs root\n"
	      "      --all-netns   every network namespace on the host (root)\n"
	      "      --all-owners  every process holding each socket (slower)\n"
	      "      --no-owners   do not look for owners (fastest)\n"
	      "      --json        one JSON array of socket objects (see loopback(1))\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 listed (possibly nothing), 2 usage error or failure.\n", f);
}

/* Fill @q from the options shared by ls and audit; returns 0, 1 for
 * --help, or -1 after printing a usage error. */
static int parse(int argc, char **argv, lb_query *q, bool *json, bool *listening)
{
	static const struct option opts[] = {
		{ "listening", no_argument, NULL, 'l' },
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "pid", required_argument, NULL, 'p' },
		{ "children", no_argument, NULL, 'c' },
		{ "user", required_argument, NULL, 'U' },
		{ "netns", required_argument, NULL, 'n' },
		{ "all-netns", no_argument, NULL, 'A' },
		{ "all-owners", no_argument, NULL, 'O' },
		{ "no-owners", no_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned protos = 0, fams = 0;
	uint32_t pid = 0, v;
	bool children = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+ltu46h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': *listening = true; break;
		case 't': protos |= LB_PROTO_TCP; break;
		case 'u': protos |= LB_PROTO_UDP; break;
		case '4': fams |= LB_FAMILY_INET; break;
		case '6': fams |= LB_FAMILY_INET6; break;
		case 'c': children = true; break;
		case 'A': lb_query_set_all_netns(q, 1); break;
		case 'O': lb_query_set_owners(q, LB_OWNERS_ALL); break;
		case 'N': lb_query_set_owners(q, LB_OWNERS_NONE); break;
		case 'j': *json = true; break;
		case 'h': return 1;
		case 'p':
			if (lb_cli_parse_u32(optarg, 0x7fffffff, &pid) < 0 || pid == 0) {
				lb_cli_error("--pid: '%s' is not a process id", optarg);
				return -1;
			}
			break;
		case 'U':
			if (lb_cli_parse_u32(optarg, UINT32_MAX - 1, &v) == 0) {
				lb_query_set_uid(q, v);
			} else {
#ifdef _WIN32
				lb_cli_error("--user: '%s': Windows has no numeric user ids", optarg);
				return -1;
#else
				struct passwd *pw = getpwnam(optarg);

				if (!pw) {
					lb_cli_error("--user: no such user '%s'", optarg);
					return -1;
				}
				lb_query_set_uid(q, pw->pw_uid);
#endif
			}
			break;
		case 'n':
			if (lb_cli_parse_u32(optarg, 0x7fffffff, &v) == 0 && v > 0)
				lb_query_set_netns_pid(q, v);
			else if (lb_query_set_netns_path(q, optarg) < 0) {
				lb_cli_error("--netns: '%s' is neither a pid nor a path", optarg);
				return -1;
			}
			break;
		default:
			lb_cli_error("%s: unknown option or missing argument (see --help)",
				     argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		lb_cli_error("unexpected argument '%s' (see --help)", argv[optind]);
		return -1;
	}
	if (children && !pid) {
		lb_cli_error("--children needs --pid");
		return -1;
	}
	if (protos)
		lb_query_set_protocols(q, protos);
	if (fams)
		lb_query_set_families(q, fams);
	if (pid)
		lb_query_set_pid(q, pid, children ? LB_PID_DESCENDANTS : 0);
	if (*listening)
		lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) | LB_STATE_BIT(LB_STATE_CLOSE));
	return 0;
}

int lb_cli_list_query(int argc, char **argv, lb_query **ret_q, bool *json, bool *listening,
		      void (*usage)(FILE *))
{
	lb_query *q;
	int r;

	if (lb_query_new(&q) < 0) {
		lb_cli_error("out of memory");
		return LB_EXIT_ERROR;
	}
	r = parse(argc, argv, q, json, listening);
	if (r != 0) {
		lb_query_free(q);
		if (r > 0) {
			usage(stdout);
			return LB_EXIT_OK;
		}
		return LB_EXIT_ERROR;
	}
	*ret_q = q;
	return -1;
}

int lb_cmd_ls(int argc, char **argv)
{
	lb_socket_list *l;
	lb_query *q;
	bool json = false, listening = false, first = true;
	size_t i;
	int r = lb_cli_list_query(argc, argv, &q, &json, &listening, ls_usage);

	if (r >= 0)
		return r;
	r = lb_socket_list_get(q, &l);
	lb_query_free(q);
	if (r < 0) {
		lb_cli_error("cannot list sockets: %s", lb_strerror(r));
		return LB_EXIT_ERROR;
	}
	if (json)
		fputc('[', stdout);
	else
		lb_cli_table_header(stdout);
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		if (listening && !lb_cli_is_listener(s))
			continue;
		if (json) {
			if (!first)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, s, NULL, 0);
		} else {
			lb_cli_table_row(stdout, s);
		}
		first = false;
	}
	if (json)
		fputs("]\n", stdout);
	lb_socket_list_free(l);
	return LB_EXIT_OK;
}
