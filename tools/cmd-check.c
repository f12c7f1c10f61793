/* SPDX-License-Identifier: MIT */
/* loopback check HOST:PORT: can it be bound, and if not why and who. */
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
	fputs("Usage: loopback check HOST:PORT [--udp] [--json]\n"
	      "\n"
	      "Say whether HOST:PORT can be bound now (TCP, or UDP with --udp), and if\n"
	      "not exactly why: in use on that address, blocked by a 0.0.0.0 or a\n"
	      "dual-stack [::] socket, only TIME_WAIT leftovers (binds with SO_REUSEADDR),\n"
	      "a privileged port, an address not on this host, or leased by another\n"
	      "process (named). A host name is checked on each of its addresses.\n"
	      "Ports in the ephemeral range or reserved are warned about.\n"
	      "\n"
	      "  -u, --udp   check UDP instead of TCP\n"
	      "      --json  [{\"address\", \"port\", \"protocol\", \"bindable\", \"reason\",\n"
	      "              \"explanation\", \"suggestion\", \"warnings\": [...],\n"
	      "              \"lease_holders\": [pid, ...]}, ...]\n"
	      "\n"
	      "Exit status: 0 bindable, 1 not (a port leased by another process is not),\n"
	      "2 usage error or failure.\n", f);
}

static void print_one(const lb_check *c, const char *astr, uint16_t port, unsigned proto,
		      bool json, bool first)
{
	unsigned w = lb_check_warnings(c);
	int pids[16], n = lb_check_lease_holders(c, pids, 16), k;

	if (!json) {
		printf("%s: %s\n", lb_check_reason_name(lb_check_reason(c)), lb_check_explanation(c));
		if (*lb_check_suggestion(c))
			printf("  fix: %s\n", lb_check_suggestion(c));
		if (w & LB_CHECK_WARN_EPHEMERAL)
			printf("  warning: port %u is in the ephemeral range: outgoing connections may take it\n",
			       (unsigned)port);
		if (w & LB_CHECK_WARN_RESERVED)
			printf("  warning: port %u is in net.ipv4.ip_local_reserved_ports\n", (unsigned)port);
		return;
	}
	{
		bool f = true;

		fputs(first ? "{" : ",{", stdout);
		lb_json_key(stdout, &f, "address");
		lb_json_string(stdout, astr);
		lb_json_key(stdout, &f, "port");
		printf("%u", (unsigned)port);
		lb_json_key(stdout, &f, "protocol");
		lb_json_string(stdout, proto == LB_PICK_TCP ? "tcp" : "udp");
		lb_json_key(stdout, &f, "bindable");
		fputs(lb_check_reason(c) == LB_CHECK_BINDABLE ? "true" : "false", stdout);
		lb_json_key(stdout, &f, "reason");
		lb_json_string(stdout, lb_check_reason_name(lb_check_reason(c)));
		lb_json_key(stdout, &f, "explanation");
		lb_json_string(stdout, lb_check_explanation(c));
		lb_json_key(stdout, &f, "suggestion");
		lb_json_string(stdout, lb_check_suggestion(c));
		lb_json_key(stdout, &f, "warnings");
		printf("[%s%s%s]", w & LB_CHECK_WARN_EPHEMERAL ? "\"ephemeral\"" : "",
		       (w & LB_CHECK_WARN_EPHEMERAL) && (w & LB_CHECK_WARN_RESERVED) ? "," : "",
		       w & LB_CHECK_WARN_RESERVED ? "\"reserved\"" : "");
		lb_json_key(stdout, &f, "lease_holders");
		fputc('[', stdout);
		for (k = 0; k < n && k < 16; k++)
			printf("%s%d", k ? "," : "", pids[k]);
		fputs("]}", stdout);
	}
}

int lb_cmd_check(int argc, char **argv)
{
	const char *target = NULL;
	unsigned proto = LB_PICK_TCP;
	bool json = false, all_ok = true;
	lb_endpoint ep;
	lb_parse_error perr;
	lb_addr_list *list = NULL;
	size_t k;
	int i, r;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--udp") == 0 || strcmp(argv[i], "-u") == 0)
			proto = LB_PICK_UDP;
		else if (strcmp(argv[i], "--tcp") == 0 || strcmp(argv[i], "-t") == 0)
			proto = LB_PICK_TCP;
		else if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help(stdout);
			return LB_EXIT_OK;
		} else if (argv[i][0] == '-' || target) {
			lb_cli_error("check: unexpected argument '%s' (see loopback check --help)", argv[i]);
			return LB_EXIT_ERROR;
		} else
			target = argv[i];
	}
	if (!target) {
		lb_cli_error("check: which HOST:PORT? (see loopback check --help)");
		return LB_EXIT_ERROR;
	}
	r = lb_endpoint_parse(target, strlen(target), &ep, &perr);
	if (r < 0) {
		lb_cli_error("check: '%s' is not HOST:PORT: %s", target, lb_strerror(r));
		return LB_EXIT_ERROR;
	}
	if (ep.port == 0) {
		lb_cli_error("check: port 0 is not a port one binds: the kernel picks one");
		return LB_EXIT_ERROR;
	}
	r = lb_resolve(ep.kind == LB_HOST_NAME ? ep.name : target,
		       ep.kind == LB_HOST_NAME ? strlen(ep.name) : 0, LB_AF_NONE, &list);
	if (ep.kind == LB_HOST_ADDR) {
		lb_addr_list_free(list);
		list = NULL;
		r = 0;
	}
	if (r < 0) {
		lb_cli_error("check: cannot resolve '%s': %s", ep.name, lb_strerror(r));
		return LB_EXIT_ERROR;
	}
	if (json)
		fputc('[', stdout);
	for (k = 0; k < (list ? lb_addr_list_count(list) : 1); k++) {
		lb_addr a = ep.addr;
		char astr[LB_ADDR_STRLEN];
		lb_check *c = NULL;

		if (list)
			lb_addr_list_addr(list, k, &a);
		lb_addr_format(&a, astr, sizeof(astr));
		r = lb_check_bind(&a, ep.port, proto, &c);
		if (r < 0) {
			lb_cli_error("check: %s: %s", astr, lb_strerror(r));
			lb_addr_list_free(list);
			return LB_EXIT_ERROR;
		}
		if (lb_check_reason(c) != LB_CHECK_BINDABLE)
			all_ok = false;
		print_one(c, astr, ep.port, proto, json, k == 0);
		lb_check_free(c);
	}
	if (json)
		fputs("]\n", stdout);
	lb_addr_list_free(list);
	return all_ok ? LB_EXIT_OK : LB_EXIT_NO;
}
