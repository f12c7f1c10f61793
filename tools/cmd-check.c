/* SPDX-License-Identifier: MIT */
/* loopback check HOST:PORT: can it be bound, and if not why and who. */
#include <inttypes.h>
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
	      "When the bind fails because of other sockets, the blockers are listed\n"
	      "from the socket table: state, address, process name, pid and user\n"
	      "(\"owner unknown: permission denied\" for a process this user may not\n"
	      "inspect; none for TIME-WAIT leftovers). When the table shows nothing\n"
	      "(another network namespace) the reason is inferred from trial binds.\n"
	      "\n"
	      "  -u, --udp   check UDP instead of TCP\n"
	      "      --json  [{\"address\", \"port\", \"protocol\", \"bindable\", \"reason\",\n"
	      "              \"explanation\", \"suggestion\", \"warnings\": [...],\n"
	      "              \"lease_holders\": [pid, ...], \"blockers\": [socket, ...]},\n"
	      "              ...]; each blocker is a socket object as in who --json\n"
	      "\n"
	      "Exit status: 0 bindable, 1 not (a port leased by another process is not),\n"
	      "2 usage error or failure.\n", f);
}

#define MAX_BLOCKER_LINES 10

/* "  blocker: LISTEN 127.0.0.1:8080 python3 (pid 4242, user alice)" */
static void print_blocker(const lb_socket *s)
{
	char local[LB_ENDPOINT_STRLEN], remote[LB_ENDPOINT_STRLEN];
	const lb_owner *o = lb_socket_owner_at(s, 0);
	size_t n = lb_socket_owner_count(s);

	lb_cli_endpoint_text(lb_socket_local_addr(s), lb_socket_local_port(s), 0, local,
			     sizeof(local));
	printf("  blocker: %s %s", lb_state_name(lb_socket_protocol(s), lb_socket_state(s)), local);
	if (!lb_cli_is_listener(s)) {
		lb_cli_endpoint_text(lb_socket_remote_addr(s), lb_socket_remote_port(s), 1, remote,
				     sizeof(remote));
		printf(" -> %s", remote);
	}
	if (o) {
		fputc(' ', stdout);
		lb_cli_print_text(stdout, lb_owner_name(o));
		printf(" (pid %" PRIu32 ", user ", lb_owner_pid(o));
		lb_cli_print_text(stdout, lb_owner_user(o));
		fputc(')', stdout);
		if (n > 1)
			printf(" and %zu more processes", n - 1);
	} else if (lb_socket_owner_error(s)) {
		printf(" owner unknown: %s (socket uid %" PRIu32 ")",
		       lb_cli_owner_error_text(lb_socket_owner_error(s)), lb_socket_uid(s));
	} else {
		fputs(" no process", stdout);
	}
	fputc('\n', stdout);
}

static void print_one(const lb_check *c, const char *astr, uint16_t port, unsigned proto,
		      bool json, bool first)
{
	unsigned w = lb_check_warnings(c);
	int pids[16], n = lb_check_lease_holders(c, pids, 16), k;
	const lb_socket_list *bl = lb_check_blockers(c);
	size_t i, nb = lb_socket_list_count(bl);

	if (!json) {
		/* The explanation quotes the blocker's process name. */
		printf("%s: ", lb_check_reason_name(lb_check_reason(c)));
		lb_cli_print_text(stdout, lb_check_explanation(c));
		fputc('\n', stdout);
		for (i = 0; i < nb && i < MAX_BLOCKER_LINES; i++)
			print_blocker(lb_socket_list_at(bl, i));
		if (nb > MAX_BLOCKER_LINES)
			printf("  ... and %zu more blockers (loopback who %u)\n", nb - MAX_BLOCKER_LINES,
			       (unsigned)port);
		if (*lb_check_suggestion(c)) {
			fputs("  fix: ", stdout);
			lb_cli_print_text(stdout, lb_check_suggestion(c));
			fputc('\n', stdout);
		}
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
		fputc(']', stdout);
		lb_json_key(stdout, &f, "blockers");
		fputc('[', stdout);
		for (i = 0; i < nb; i++) {
			if (i)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, lb_socket_list_at(bl, i), NULL, 0);
		}
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
	/* A name is checked on each of its addresses, a literal on itself. */
	r = ep.kind == LB_HOST_NAME ? lb_resolve(ep.name, strlen(ep.name), LB_AF_NONE, &list) : 0;
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
		lb_cli_addr_text(&a, astr, sizeof(astr));
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
