/* SPDX-License-Identifier: MIT */
/* loopback pick: print free ports outside the ephemeral range. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_u16(const char *s, unsigned long min, unsigned long max, unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*ret = v;
	return 0;
}

int lb_cli_pick_option(lb_pick_options *o, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	unsigned long v, w;

	if (strcmp(a, "--count") == 0 || strcmp(a, "-n") == 0) {
		if (*i + 1 >= argc || parse_u16(argv[*i + 1], 1, 1000, &v) < 0) {
			lb_cli_error("%s needs a number from 1 to 1000", a);
			return -1;
		}
		o->count = (uint32_t)v;
		(*i)++;
	} else if (strcmp(a, "--udp") == 0 || strcmp(a, "-u") == 0) {
		o->protocols |= LB_PICK_UDP;
	} else if (strcmp(a, "--tcp") == 0 || strcmp(a, "-t") == 0) {
		o->protocols |= LB_PICK_TCP;
	} else if (strcmp(a, "-4") == 0) {
		o->family = LB_PICK_FAMILY_IPV4;
	} else if (strcmp(a, "-6") == 0) {
		o->family = LB_PICK_FAMILY_IPV6;
	} else if (strcmp(a, "--contiguous") == 0) {
		o->flags |= LB_PICK_CONTIGUOUS;
	} else if (strcmp(a, "--range") == 0) {
		char buf[32], *dash;

		if (*i + 1 >= argc || strlen(argv[*i + 1]) >= sizeof(buf)) {
			lb_cli_error("--range needs FIRST-LAST");
			return -1;
		}
		strcpy(buf, argv[*i + 1]);
		dash = strchr(buf, '-');
		if (dash)
			*dash = '\0';
		if (!dash || parse_u16(buf, 1, 65535, &v) < 0 ||
		    parse_u16(dash + 1, 1, 65535, &w) < 0 || v > w) {
			lb_cli_error("bad --range '%s': want FIRST-LAST, 1 <= FIRST <= LAST <= 65535",
				     argv[*i + 1]);
			return -1;
		}
		o->first = (uint16_t)v;
		o->last = (uint16_t)w;
		(*i)++;
	} else {
		return 0;
	}
	return 1;
}

static void help(FILE *f)
{
	fputs("Usage: loopback pick [--count N] [--contiguous] [--tcp] [--udp] [-4|-6]\n"
	      "                     [--range FIRST-LAST] [--json]\n"
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
	      "\n"
	      "Exit status: 0 ports printed, 1 no free port in the range, 2 error.\n", f);
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
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease *lease = NULL;
	bool json = false;
	size_t k;
	int i, r;

	for (i = 1; i < argc; i++) {
		r = lb_cli_pick_option(&o, argc, argv, &i);
		if (r < 0)
			return LB_EXIT_ERROR;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help(stdout);
			return LB_EXIT_OK;
		} else {
			lb_cli_error("pick: unknown argument '%s' (see loopback pick --help)", argv[i]);
			return LB_EXIT_ERROR;
		}
	}
	r = lb_port_pick(&o, &lease);
	if (r == LB_EEXHAUSTED) {
		lb_cli_error("pick: no free port in the range: %s", lb_strerror(r));
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
