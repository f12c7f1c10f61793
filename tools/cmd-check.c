/* SPDX-License-Identifier: MIT */
/* loopback check HOST:PORT: can it be bound, and if not why and who. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
	fputs("Usage: loopback check [OPTIONS] TARGET...\n"
	      "\n"
	      "Say whether each TARGET can be bound now (TCP, or UDP with --udp), and\n"
	      "if not exactly why: in use on that address, blocked by a 0.0.0.0 or a\n"
	      "dual-stack [::] socket, only TIME_WAIT leftovers (binds with SO_REUSEADDR),\n"
	      "a privileged port, an address not on this host, or leased by another\n"
	      "process (named). TARGET is HOST:PORT (a host name is checked on each of\n"
	      "its addresses), or PORT or :PORT, checked on the wildcard addresses\n"
	      "0.0.0.0 and [::] (a server binding every address; the output says so).\n"
	      "Ports in the ephemeral range or reserved are warned about.\n"
	      "\n"
	      "When the bind fails because of other sockets, the blockers are listed\n"
	      "from the socket table: state, address, process name, pid and user\n"
	      "(\"owner unknown: permission denied\" for a process this user may not\n"
	      "inspect; none for TIME-WAIT leftovers). When the table shows nothing\n"
	      "(another network namespace) the reason is inferred from trial binds.\n"
	      "\n"
	      "  -t, --tcp         check TCP (the default)\n"
	      "  -u, --udp         check UDP instead of TCP\n"
	      "      --netns NS    check in the network namespace of process NS, or of\n"
	      "                    the namespace file NS (/var/run/netns/NAME); root\n"
	      "      --json        [{\"address\", \"port\", \"protocol\", \"bindable\", \"reason\",\n"
	      "                    \"explanation\", \"suggestion\", \"warnings\": [...],\n"
	      "                    \"lease_holders\": [pid, ...], \"blockers\": [socket, ...]},\n"
	      "                    ...]: one object per address checked, for every\n"
	      "                    TARGET in order; each blocker is a socket object as\n"
	      "                    in who --json\n"
	      "      --color=WHEN  auto (the default: on a terminal), always or never\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 every address is bindable, 1 some is not (a port leased\n"
	      "by another process is not), 2 usage error or failure.\n", f);
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
		printf("%s%s%s: ",
		       lb_cli_sgr(lb_check_reason(c) == LB_CHECK_BINDABLE ? LB_SGR_GREEN : LB_SGR_RED),
		       lb_check_reason_name(lb_check_reason(c)), lb_cli_sgr(LB_SGR_RESET));
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
			lb_cli_socket_json(stdout, lb_socket_list_at(bl, i), lb_socket_list_owner_scan(bl), NULL, 0);
		}
		fputs("]}", stdout);
	}
}

#define OPT_JSON 0x100
#define OPT_NETNS 0x101

struct target {
	uint16_t port;
	lb_addr *addrs;
	size_t n;
	bool bare;  /* PORT or :PORT: 0.0.0.0 and [::] */
};

/* The addresses of one TARGET: HOST:PORT (a name: each of its
 * addresses), or a bare PORT / :PORT (0.0.0.0 and [::]). 0, or -1 after
 * printing an error. */
static int target_addrs(const char *arg, uint16_t *port, lb_addr **ret, size_t *n, bool *bare)
{
	lb_endpoint ep;
	lb_addr_list *list = NULL;
	uint32_t v;
	size_t k;
	int r;

	*bare = false;
	if (lb_cli_parse_u32(arg[0] == ':' ? arg + 1 : arg, 65535, &v) == 0) {
		*bare = true;
		*port = (uint16_t)v;
		*ret = calloc(2, sizeof(**ret));
		if (!*ret)
			return -1;
		lb_addr_parse("0.0.0.0", 7, &(*ret)[0], NULL);
		lb_addr_parse("::", 2, &(*ret)[1], NULL);
		*n = 2;
		return 0;
	}
	r = lb_endpoint_parse(arg, strlen(arg), &ep, NULL);
	if (r < 0) {
		lb_cli_error("check: '%s' is not HOST:PORT, PORT or :PORT: %s", lb_cli_q(arg),
			     lb_strerror(r));
		return -1;
	}
	*port = ep.port;
	/* A name is checked on each of its addresses, a literal on itself. */
	if (ep.kind == LB_HOST_NAME) {
		r = lb_resolve(ep.name, strlen(ep.name), LB_AF_NONE, &list);
		if (r < 0) {
			lb_cli_error("check: cannot resolve '%s': %s", lb_cli_q(ep.name),
				     lb_strerror(r));
			return -1;
		}
	}
	*n = list ? lb_addr_list_count(list) : 1;
	*ret = calloc(*n ? *n : 1, sizeof(**ret));
	if (!*ret) {
		lb_addr_list_free(list);
		return -1;
	}
	(*ret)[0] = ep.addr;
	for (k = 0; list && k < *n; k++)
		lb_addr_list_addr(list, k, &(*ret)[k]);
	lb_addr_list_free(list);
	return 0;
}

/* The operands into @t, every one valid (and resolved) before any is
 * checked: 0, or -1 after an error line (*@nt: how many targets hold
 * something to free). */
static int check_targets(const struct lb_cli_args *a, struct target *t, int *nt)
{
	int j;

	for (j = 0; j < a->noperands; j++, (*nt)++) {
		if (target_addrs(a->operands[j], &t[j].port, &t[j].addrs, &t[j].n, &t[j].bare) < 0)
			return -1;
		if (t[j].port == 0) {
			lb_cli_error("check: '%s': port 0 is not a port one binds: the kernel picks one",
				     lb_cli_q(a->operands[j]));
			(*nt)++;
			return -1;
		}
	}
	return 0;
}

/* Check and print every address of target @t; *@all_ok becomes false
 * when one is not bindable. 0, or -1 after an error line (and the JSON
 * array closed). */
static int check_addrs(const struct target *t, unsigned proto, bool json, bool *first,
		       bool *all_ok)
{
	const lb_addr *addrs = t->addrs;
	uint16_t port = t->port;
	size_t k;
	int r;

	for (k = 0; k < t->n; k++) {
		char astr[LB_ADDR_STRLEN];
		lb_check *ck = NULL;

		lb_cli_addr_text(&addrs[k], astr, sizeof(astr));
		r = lb_check_bind(&addrs[k], port, proto, &ck);
		if (r < 0) {
			lb_cli_error("check: %s: %s", astr, lb_strerror(r));
			if (json)
				fputs("]\n", stdout);
			return -1;
		}
		if (t->bare && addrs[k].family == LB_AF_INET6 &&
		    lb_check_reason(ck) == LB_CHECK_NOT_LOCAL) {
			/* A host without IPv6: [::] is no address of it. */
			if (!json)
				printf("[%s]: not checked: IPv6 is not available here\n", astr);
			lb_check_free(ck);
			continue;
		}
		if (lb_check_reason(ck) != LB_CHECK_BINDABLE)
			*all_ok = false;
		if (!json && t->n > 1)
			printf(addrs[k].family == LB_AF_INET6 ? "[%s]: " : "%s: ", astr);
		print_one(ck, astr, port, proto, json, *first);
		*first = false;
		lb_check_free(ck);
	}
	return 0;
}

int lb_cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct lb_cli_args a;
	struct target *t = NULL;
	unsigned proto = LB_PICK_TCP;
	bool json = false, all_ok = true, first = true;
	const char *netns = NULL;
	int c, j, nt = 0, code = LB_EXIT_ERROR;

	lb_cli_args_init(&a, "check", argc, argv, "tu", opts, help, 0);
	while ((c = lb_cli_next(&a)) > 0) {
		switch (c) {
		case 't': proto = LB_PICK_TCP; break;
		case 'u': proto = LB_PICK_UDP; break;
		case OPT_JSON: json = true; break;
		case OPT_NETNS: netns = optarg; break;
		default: return lb_cli_usage(&a, "unexpected option");
		}
	}
	if (c < 0)
		return a.exit;
	if (a.noperands == 0)
		return lb_cli_usage(&a, "usage: loopback check [OPTIONS] TARGET... "
				    "(HOST:PORT, PORT or :PORT)");
	/* Every TARGET is valid (and resolved) before any is checked. */
	t = calloc((size_t)a.noperands, sizeof(*t));
	if (!t) {
		lb_cli_error("check: out of memory");
		return LB_EXIT_ERROR;
	}
	if (check_targets(&a, t, &nt) < 0)
		goto out;
	if (netns && lb_cli_enter_netns("check", netns) < 0)
		goto out;
	if (json)
		fputc('[', stdout);
	for (j = 0; j < a.noperands; j++) {
		uint16_t port = t[j].port;
		bool bare = t[j].bare;

		if (!json && j)
			putchar('\n');
		if (!json && bare)
			printf("%sport %u on every address: checking 0.0.0.0 and [::]%s\n",
			       lb_cli_sgr(LB_SGR_BOLD), (unsigned)port, lb_cli_sgr(LB_SGR_RESET));
		else if (!json && a.noperands > 1)
			printf("%s%s%s\n", lb_cli_sgr(LB_SGR_BOLD), lb_cli_q(a.operands[j]),
			       lb_cli_sgr(LB_SGR_RESET));
		if (check_addrs(&t[j], proto, json, &first, &all_ok) < 0)
			goto out;
	}
	if (json)
		fputs("]\n", stdout);
	code = all_ok ? LB_EXIT_OK : LB_EXIT_NO;
out:
	for (j = 0; j < nt; j++)
		free(t[j].addrs);
	free(t);
	return code;
}
