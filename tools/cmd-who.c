/* SPDX-License-Identifier: MIT */
/* loopback who PORT|HOST:PORT: who holds a port. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void who_usage(FILE *f)
{
	fputs("Usage: loopback who [OPTIONS] PORT|HOST:PORT\n"
	      "\n"
	      "Show the sockets bound to a local port and the processes that hold\n"
	      "them: pid, name, command line and user, with a note on who can reach\n"
	      "a listener. With HOST, only sockets that accept connections to HOST\n"
	      "(bound to it or to the wildcard address of its family).\n"
	      "\n"
	      "  -t, --tcp         TCP (the default)\n"
	      "  -u, --udp         UDP instead (with --tcp: both)\n"
	      "      --all-owners  every process holding each socket (slower)\n"
	      "      --json        one JSON array of socket objects (see loopback(1))\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 found, 1 nobody holds the port, 2 usage error or failure.\n", f);
}

struct target {
	uint16_t port;
	lb_addr *addrs;   /* NULL: any address */
	size_t n;
};

static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Whether a socket bound to @s accepts connections to @t. */
static bool addr_accepts(const lb_socket *sock, const lb_addr *t)
{
	const lb_addr *s = lb_socket_local_addr(sock);
	int cls = lb_addr_classify(s);

	if (s->family == t->family)
		return cls == LB_CLASS_UNSPECIFIED ||
		       memcmp(s->bytes, t->bytes, t->family == LB_AF_INET ? 4 : 16) == 0;
	if (t->family == LB_AF_INET && s->family == LB_AF_INET6) {
		if (cls == LB_CLASS_UNSPECIFIED)
			return lb_socket_v6only(sock) != 1;
		return memcmp(s->bytes, mapped, 12) == 0 && memcmp(s->bytes + 12, t->bytes, 4) == 0;
	}
	return false;
}

static bool target_accepts(const struct target *t, const lb_socket *s)
{
	size_t i;

	if (!t->addrs)
		return true;
	for (i = 0; i < t->n; i++)
		if (addr_accepts(s, &t->addrs[i]))
			return true;
	return false;
}

static int parse_target(const char *arg, struct target *t)
{
	lb_endpoint ep;
	lb_addr_list *al = NULL;
	uint32_t port;
	size_t i;
	int r;

	memset(t, 0, sizeof(*t));
	if (lb_cli_parse_u32(arg, 65535, &port) == 0) {
		t->port = (uint16_t)port;
		return 0;
	}
	r = lb_endpoint_parse(arg, strlen(arg), &ep, NULL);
	if (r < 0) {
		lb_cli_error("'%s' is neither a port nor HOST:PORT: %s", arg, lb_strerror(r));
		return -1;
	}
	t->port = ep.port;
	if (ep.kind == LB_HOST_ADDR) {
		t->addrs = malloc(sizeof(*t->addrs));
		if (!t->addrs)
			return -1;
		t->addrs[0] = ep.addr;
		t->n = 1;
		return 0;
	}
	r = lb_resolve(ep.name, strlen(ep.name), LB_AF_NONE, &al);
	if (r < 0) {
		lb_cli_error("cannot resolve '%s': %s", ep.name, lb_strerror(r));
		return -1;
	}
	t->n = lb_addr_list_count(al);
	t->addrs = calloc(t->n + 1, sizeof(*t->addrs));
	for (i = 0; t->addrs && i < t->n; i++)
		lb_addr_list_addr(al, i, &t->addrs[i]);
	lb_addr_list_free(al);
	return t->addrs ? 0 : -1;
}

static void print_human(const lb_socket *s)
{
	char local[LB_ENDPOINT_STRLEN];
	const char *note = lb_cli_reach_note(s);
	size_t i, n = lb_socket_owner_count(s);

	lb_cli_endpoint_text(lb_socket_local_addr(s), lb_socket_local_port(s), 0, local,
			     sizeof(local));
	printf("%s %s %s", lb_cli_proto_name(lb_socket_protocol(s)), local,
	       lb_state_name(lb_socket_protocol(s), lb_socket_state(s)));
	if (lb_socket_state(s) != LB_STATE_LISTEN && lb_socket_remote_port(s)) {
		char remote[LB_ENDPOINT_STRLEN];

		lb_cli_endpoint_text(lb_socket_remote_addr(s), lb_socket_remote_port(s), 0, remote,
				     sizeof(remote));
		printf(" <-> %s", remote);
	}
	putchar('\n');
	for (i = 0; i < n; i++) {
		const lb_owner *o = lb_socket_owner_at(s, i);

		printf("  pid %" PRIu32 " %s (user %s)\n", lb_owner_pid(o), lb_owner_name(o),
		       lb_owner_user(o));
		if (lb_owner_cmdline(o) && *lb_owner_cmdline(o)) {
			fputs("    ", stdout);
			lb_cli_print_text(stdout, lb_owner_cmdline(o));
			putchar('\n');
		}
	}
	if (n == 0 && lb_socket_owner_error(s) == LB_EPERM)
		printf("  note: owner hidden (socket of uid %" PRIu32 "): permission denied, run as root (with CAP_SYS_PTRACE) to see it\n",
		       lb_socket_uid(s));
	else if (n == 0 && lb_socket_owner_error(s) == LB_ENOTVISIBLE)
		printf("  note: no visible process holds it (socket of uid %" PRIu32
		       "): held outside this PID namespace, or passed on and closed\n", lb_socket_uid(s));
	else if (n == 0 && lb_socket_owner_error(s) == LB_EEXITED)
		printf("  note: its holder exited while we looked\n");
	else if (n == 0 && lb_socket_owner_error(s))
		printf("  note: owner unknown: %s\n", lb_cli_owner_error_text(lb_socket_owner_error(s)));
	else if (n == 0)
		printf("  note: no process holds it (the kernel keeps it until it expires)\n");
	if (note)
		printf("  note: %s\n", note);
}

int lb_cmd_who(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "all-owners", no_argument, NULL, 'O' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct target t;
	lb_socket_list *l;
	lb_query *q;
	unsigned protos = 0;
	bool json = false, all = false;
	size_t i, found = 0;
	int c, r;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+tuh", opts, NULL)) != -1) {
		switch (c) {
		case 't': protos |= LB_PROTO_TCP; break;
		case 'u': protos |= LB_PROTO_UDP; break;
		case 'O': all = true; break;
		case 'j': json = true; break;
		case 'h': who_usage(stdout); return LB_EXIT_OK;
		default:
			lb_cli_error("%s: unknown option (see loopback who --help)", argv[optind - 1]);
			return LB_EXIT_ERROR;
		}
	}
	if (optind != argc - 1) {
		lb_cli_error(optind >= argc ? "who needs a PORT or HOST:PORT (see --help)"
					    : "who takes one PORT or HOST:PORT (see --help)");
		return LB_EXIT_ERROR;
	}
	if (parse_target(argv[optind], &t) < 0)
		return LB_EXIT_ERROR;
	if (t.port == 0) {
		lb_cli_error("port 0 is not a port anyone holds");
		free(t.addrs);
		return LB_EXIT_ERROR;
	}
	if (lb_query_new(&q) < 0) {
		free(t.addrs);
		return LB_EXIT_ERROR;
	}
	lb_query_set_protocols(q, protos ? protos : LB_PROTO_TCP);
	lb_query_set_local_port(q, t.port);
	if (all)
		lb_query_set_owners(q, LB_OWNERS_ALL);
	r = lb_socket_list_get(q, &l);
	lb_query_free(q);
	if (r < 0) {
		lb_cli_error("cannot list sockets: %s", lb_strerror(r));
		free(t.addrs);
		return LB_EXIT_ERROR;
	}
	if (json)
		fputc('[', stdout);
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		if (!target_accepts(&t, s))
			continue;
		if (json) {
			if (found)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, s, NULL, 0);
		} else {
			print_human(s);
		}
		found++;
	}
	if (json)
		fputs("]\n", stdout);
	else if (!found)
		printf("nobody holds %s port %s\n", protos == LB_PROTO_UDP ? "UDP" : protos ? "TCP/UDP" : "TCP",
		       argv[optind]);
	lb_socket_list_free(l);
	free(t.addrs);
	return found ? LB_EXIT_OK : LB_EXIT_NO;
}
