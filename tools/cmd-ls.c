/* SPDX-License-Identifier: MIT */
/* loopback ls: the socket table with owners. */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "os.h"

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
	      "      --all-netns   every network namespace on the host (root); the\n"
	      "                    table gains a NETNS column (the namespace's inode)\n"
	      "      --all-owners  every process holding each socket (slower)\n"
	      "      --no-owners   do not look for owners (fastest)\n"
	      "      --owner-scan=HOW  how owners are found: auto (the default: one\n"
	      "                    in-kernel BPF pass when root may, else /proc), proc, bpf\n"
	      "      --json        one JSON array of socket objects (see loopback(1))\n"
	      "      --color=WHEN  colour the table header: auto (on a terminal, the\n"
	      "                    default), always or never; NO_COLOR turns auto off\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 listed (possibly nothing), 2 usage error or failure.\n", f);
}

#define OPT_PID 0x100
#define OPT_CHILDREN 0x101
#define OPT_USER 0x102
#define OPT_NETNS 0x103
#define OPT_ALL_NETNS 0x104
#define OPT_ALL_OWNERS 0x105
#define OPT_NO_OWNERS 0x106
#define OPT_JSON 0x107
#define OPT_OWNER_SCAN 0x109
#define OPT_ALLOW 0x108

/* After the options: the operands checked and the selection into @q.
 * 0, or -1 with a->exit set (a usage error). */
static int apply(struct lb_cli_args *a, lb_query *q, const struct lb_cli_list_opts *lo,
		 unsigned protos, unsigned fams, uint32_t pid, bool children)
{
	if (a->noperands) {
		lb_cli_usage(a, "unexpected argument '%s'", lb_cli_q(a->operands[0]));
		return -1;
	}
	if (children && !pid) {
		lb_cli_usage(a, "--children needs --pid");
		return -1;
	}
	if (protos)
		lb_query_set_protocols(q, protos);
	if (fams)
		lb_query_set_families(q, fams);
	if (pid)
		lb_query_set_pid(q, pid, children ? LB_PID_DESCENDANTS : 0);
	if (lo->listening)
		lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) | LB_STATE_BIT(LB_STATE_CLOSE));
	return 0;
}

/* Fill @q from the options shared by ls and audit (audit: with --allow);
 * returns 0, or -1 with a->exit set (help printed, or a usage error). */
static int parse(struct lb_cli_args *a, lb_query *q, struct lb_cli_list_opts *lo)
{
	static const struct option opts[] = {
		{ "listening", no_argument, NULL, 'l' },
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "pid", required_argument, NULL, OPT_PID },
		{ "children", no_argument, NULL, OPT_CHILDREN },
		{ "user", required_argument, NULL, OPT_USER },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
		{ "all-owners", no_argument, NULL, OPT_ALL_OWNERS },
		{ "no-owners", no_argument, NULL, OPT_NO_OWNERS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "owner-scan", required_argument, NULL, OPT_OWNER_SCAN },
		{ "allow", required_argument, NULL, OPT_ALLOW }, /* audit only: last */
		{ NULL, 0, NULL, 0 },
	};
	struct option ls_opts[sizeof(opts) / sizeof(opts[0])];
	const char *verb = a->verb;
	bool audit = strcmp(verb, "audit") == 0;
	unsigned protos = 0, fams = 0;
	uint32_t pid = 0, v;
	bool children = false;
	int c;

	memcpy(ls_opts, opts, sizeof(opts));
	memset(&ls_opts[sizeof(opts) / sizeof(opts[0]) - 2], 0, sizeof(ls_opts[0]));
	lb_cli_args_init(a, verb, a->argc, a->argv, "ltu46", audit ? opts : ls_opts, a->help, 0);
	while ((c = lb_cli_next(a)) > 0) {
		switch (c) {
		case 'l': lo->listening = true; break;
		case 't': protos |= LB_PROTO_TCP; break;
		case 'u': protos |= LB_PROTO_UDP; break;
		case '4': fams |= LB_FAMILY_INET; break;
		case '6': fams |= LB_FAMILY_INET6; break;
		case OPT_CHILDREN: children = true; break;
		case OPT_ALL_NETNS: lb_query_set_all_netns(q, 1); lo->all_netns = true; break;
		case OPT_ALL_OWNERS: lb_query_set_owners(q, LB_OWNERS_ALL); break;
		case OPT_NO_OWNERS: lb_query_set_owners(q, LB_OWNERS_NONE); break;
		case OPT_JSON: lo->json = true; break;
		case OPT_ALLOW:
			lo->allow[lo->nallow++] = optarg;
			break;
		case OPT_PID:
			if (lb_cli_opt_u32(verb, "--pid", optarg, 1, 0x7fffffff, &pid) < 0) {
				a->exit = LB_EXIT_ERROR;
				return -1;
			}
			break;
		case OPT_USER:
			if (lb_cli_parse_u32(optarg, UINT32_MAX - 1, &v) < 0 &&
			    lb_cli_user_uid(verb, optarg, &v) < 0) {
				a->exit = LB_EXIT_ERROR;
				return -1;
			}
			lb_query_set_uid(q, v);
			break;
		case OPT_OWNER_SCAN:
			if (lb_cli_owner_scan_query(verb, q, optarg) < 0) {
				a->exit = LB_EXIT_ERROR;
				return -1;
			}
			break;
		case OPT_NETNS:
			if (lb_cli_netns_query(verb, q, optarg) < 0) {
				a->exit = LB_EXIT_ERROR;
				return -1;
			}
			break;
		default:
			lb_cli_usage(a, "unexpected option");
			return -1;
		}
	}
	if (c < 0)
		return -1;
	return apply(a, q, lo, protos, fams, pid, children);
}

int lb_cli_list_query(const char *verb, int argc, char **argv, lb_query **ret_q,
		      struct lb_cli_list_opts *lo, void (*usage)(FILE *))
{
	struct lb_cli_args a;
	lb_query *q;

	if (lb_query_new(&q) < 0) {
		lb_cli_error("%s: out of memory", verb);
		return LB_EXIT_ERROR;
	}
	a.verb = verb;
	a.argc = argc;
	a.argv = argv;
	a.help = usage;
	if (parse(&a, q, lo) < 0) {
		lb_query_free(q);
		return a.exit;
	}
	lb_cli_listing_buffer(stdout);
	*ret_q = q;
	return -1;
}

int lb_cmd_ls(int argc, char **argv)
{
	struct lb_cli_list_opts lo = { 0 };
	lb_socket_list *l;
	lb_query *q;
	bool first = true;
	size_t i;
	int r = lb_cli_list_query("ls", argc, argv, &q, &lo, ls_usage);

	if (r >= 0)
		return r;
	r = lb_socket_list_get(q, &l);
	if (r < 0)
		lb_cli_list_error(NULL, q, r);
	lb_query_free(q);
	if (r < 0)
		return LB_EXIT_ERROR;
	if (lo.json) {
		fputc('[', stdout);
	} else {
		if (lo.all_netns)
			printf("%s%-10s%s ", lb_cli_sgr(LB_SGR_BOLD), "NETNS", lb_cli_sgr(LB_SGR_RESET));
		lb_cli_table_header(stdout);
	}
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		if (lo.listening && !lb_cli_is_listener(s))
			continue;
		if (lo.json) {
			if (!first)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, s, lb_socket_list_owner_scan(l), NULL, 0);
		} else {
			if (lo.all_netns) /* which namespace, as the netns field says */
				printf("%-10" PRIu64 " ", lb_socket_netns(s));
			lb_cli_table_row(stdout, s);
		}
		first = false;
	}
	if (lo.json)
		fputs("]\n", stdout);
	lb_socket_list_free(l);
	return LB_EXIT_OK;
}
