/* SPDX-License-Identifier: MIT */
/* loopback pick: print free ports outside the ephemeral range. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int lb_cli_pick_option(const char *verb, lb_pick_options *o, int c, const char *arg)
{
	uint32_t v;

	switch (c) {
	case 'n':
		if (lb_cli_opt_u32(verb, "--count", arg, 1, 1000, &v) < 0)
			return -1;
		o->count = v;
		return 1;
	case 'u': o->protocols |= LB_PICK_UDP; return 1;
	case 't': o->protocols |= LB_PICK_TCP; return 1;
	case '4': o->family = LB_PICK_FAMILY_IPV4; return 1;
	case '6': o->family = LB_PICK_FAMILY_IPV6; return 1;
	case LB_CLI_OPT_CONTIGUOUS: o->flags |= LB_PICK_CONTIGUOUS; return 1;
	case LB_CLI_OPT_RANGE:
		if (lb_cli_parse_port_range(arg, &o->first, &o->last) < 0) {
			lb_cli_error("%s: --range needs FIRST-LAST with 1 <= FIRST <= LAST <= 65535, "
				     "not '%s'", verb, lb_cli_q(arg));
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int lb_cli_pick_fits(const char *verb, const lb_pick_options *o)
{
	uint32_t size = o->first ? (uint32_t)(o->last - o->first + 1) : 0;

	/* The library calls this EINVAL; for the user it is the answer
	 * "no free group in that range", as for a range that is full. */
	if (size && o->count > size) {
		lb_cli_error("%s: no free group of %lu ports in %u-%u: the range has %lu", verb,
			     (unsigned long)o->count, (unsigned)o->first, (unsigned)o->last,
			     (unsigned long)size);
		return 1;
	}
	return 0;
}

static void help(FILE *f)
{
	fputs("Usage: loopback pick [--count N] [--contiguous] [--tcp] [--udp] [-4|-6]\n"
	      "                     [--range FIRST-LAST] [--json] [--color=WHEN]\n"
	      "\n"
	      "Print free ports, one per line, picked outside the kernel's ephemeral\n"
	      "range and reserved ports, at or above 1024 and the unprivileged start.\n"
	      "Each port was free when printed: it was leased (so no other libloopback\n"
	      "picker got it) and it bound on every asked protocol and family (TCP by\n"
	      "default; IPv4 and IPv6 unless -4 or -6). The lease ends when pick exits,\n"
	      "so another program may still take the port before you bind it: use\n"
	      "'loopback run' to hold the lease for as long as your command runs.\n"
	      "\n"
	      "  -n, --count N     pick N ports (1..1000), all or none\n"
	      "      --contiguous  N consecutive ports\n"
	      "  -t, --tcp         free on TCP (the default)\n"
	      "  -u, --udp         free on UDP (with --tcp: on both)\n"
	      "  -4, -6            free on IPv4 only / IPv6 only (default: both)\n"
	      "      --range A-B   pick from A..B instead (reserved ports still skipped)\n"
	      "      --json        {\"ports\": [...], \"protocols\": [...], \"ipv4_only\": bool}\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 ports printed, 1 no free port (or group of N) in the range\n"
	      "(also when N is larger than the range), 2 usage error or failure.\n", f);
}

void lb_cli_print_protocols_json(FILE *f, unsigned protocols)
{
	fputc('[', f);
	if (protocols & LB_PICK_TCP)
		fputs("\"tcp\"", f);
	if (protocols & LB_PICK_UDP)
		fputs((protocols & LB_PICK_TCP) ? ",\"udp\"" : "\"udp\"", f);
	fputc(']', f);
}

int lb_cmd_pick(int argc, char **argv)
{
	static const struct option opts[] = {
		LB_CLI_PICK_LONG,
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	struct lb_cli_args a;
	lb_lease *lease = NULL;
	bool json = false;
	size_t k;
	int c, r;

	lb_cli_args_init(&a, "pick", argc, argv, LB_CLI_PICK_SHORT, opts, help, 0);
	while ((c = lb_cli_next(&a)) > 0) {
		if (c == 'j') {
			json = true;
			continue;
		}
		if (lb_cli_pick_option("pick", &o, c, optarg) <= 0)
			return LB_EXIT_ERROR;
	}
	if (c < 0)
		return a.exit;
	if (a.noperands)
		return lb_cli_usage(&a, "unexpected argument '%s'", lb_cli_q(a.operands[0]));
	if (lb_cli_pick_fits("pick", &o))
		return LB_EXIT_NO;
	r = lb_port_pick(&o, &lease);
	if (r == LB_EEXHAUSTED) {
		lb_cli_error("pick: no free port left in the range");
		return LB_EXIT_NO;
	}
	if (r < 0) {
		lb_cli_pick_error("pick", r);
		return LB_EXIT_ERROR;
	}
	if (json) {
		bool first = true;

		fputc('{', stdout);
		lb_json_key(stdout, &first, "ports");
		fputc('[', stdout);
		for (k = 0; k < lb_lease_count(lease); k++)
			printf("%s%u", k ? "," : "", (unsigned)lb_lease_port(lease, k));
		fputc(']', stdout);
		lb_json_key(stdout, &first, "protocols");
		lb_cli_print_protocols_json(stdout, lb_lease_protocols(lease));
		lb_json_key(stdout, &first, "ipv4_only");
		fputs(lb_lease_flags(lease) & LB_LEASE_IPV4_ONLY ? "true" : "false", stdout);
		fputs("}\n", stdout);
	} else {
		for (k = 0; k < lb_lease_count(lease); k++)
			printf("%u\n", (unsigned)lb_lease_port(lease, k));
		if (lb_lease_flags(lease) & LB_LEASE_IPV4_ONLY)
			lb_cli_error("pick: IPv6 is disabled here: checked on IPv4 only");
	}
	/* The lease must outlive the output: flush before releasing it (a
	 * write error is reported at exit, with every verb's). */
	lb_cli_flush_stdout();
	lb_lease_release(lease);
	return LB_EXIT_OK;
}
