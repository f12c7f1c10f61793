/* SPDX-License-Identifier: MIT */
/* loopback who PORT|HOST:PORT: who holds a port. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void who_usage(FILE *f)
{
	fputs("Usage: loopback who [OPTIONS] TARGET...\n"
	      "\n"
	      "Show the sockets bound to a local port and the processes that hold\n"
	      "them: pid, name, command line and user, with a note on who can reach\n"
	      "a listener. Each TARGET is PORT or :PORT (any local address), or\n"
	      "HOST:PORT: only sockets that accept connections to HOST (bound to it,\n"
	      "or to the wildcard address of its family). HOST 0.0.0.0 means any\n"
	      "local IPv4 address (what a connection to 0.0.0.0 reaches on Linux is\n"
	      "one of them), [::] any local IPv6 address.\n"
	      "\n"
	      "  -t, --tcp         TCP (the default)\n"
	      "  -u, --udp         UDP instead (with --tcp: both)\n"
	      "  -q, --quiet       only the pids of the holders, one per line, each\n"
	      "                    once (as lsof -t and fuser print them)\n"
	      "      --all-owners  every process holding each socket (slower)\n"
	      "      --owner-scan=HOW  how owners are found: auto (the default: one\n"
	      "                    in-kernel BPF pass when root may, else /proc), proc, bpf\n"
	      "      --netns NS    the network namespace of process NS, or the\n"
	      "                    namespace file NS (/var/run/netns/NAME); needs root\n"
	      "      --json        one JSON array of socket objects (see loopback(1)):\n"
	      "                    the sockets of every TARGET, each socket once\n"
	      "      --color=WHEN  auto (the default: on a terminal), always or never\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 every TARGET is held, 1 some TARGET is held by nobody,\n"
	      "2 usage error or failure.\n", f);
}

struct target {
	const char *arg;
	uint16_t port;
	lb_addr *addrs;   /* NULL: any address (of family @any, if set) */
	size_t n;
	int any;          /* LB_AF_INET / LB_AF_INET6: 0.0.0.0 or [::]; 0 */
	bool found;
};

static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

bool lb_cli_socket_accepts(const lb_socket *sock, const lb_addr *t)
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

/* 0.0.0.0 as a target: every socket that takes IPv4 connections on the
 * port, on any local address (Linux connects 0.0.0.0 to 127.0.0.1); [::]:
 * every IPv6 socket. */
static bool any_accepts(const lb_socket *sock, int family)
{
	const lb_addr *s = lb_socket_local_addr(sock);

	if (s->family == family)
		return family == LB_AF_INET || memcmp(s->bytes, mapped, 12) != 0;
	if (family == LB_AF_INET && s->family == LB_AF_INET6) {
		if (lb_addr_classify(s) == LB_CLASS_UNSPECIFIED)
			return lb_socket_v6only(sock) != 1;
		return memcmp(s->bytes, mapped, 12) == 0;
	}
	return false;
}

static bool target_accepts(const struct target *t, const lb_socket *s)
{
	size_t i;

	if (lb_socket_local_port(s) != t->port)
		return false;
	if (t->any)
		return any_accepts(s, t->any);
	if (!t->addrs)
		return true;
	for (i = 0; i < t->n; i++)
		if (lb_cli_socket_accepts(s, &t->addrs[i]))
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
	t->arg = arg;
	if (lb_cli_parse_u32(arg[0] == ':' ? arg + 1 : arg, 65535, &port) == 0) {
		t->port = (uint16_t)port;
		return 0;
	}
	r = lb_endpoint_parse(arg, strlen(arg), &ep, NULL);
	if (r < 0) {
		lb_cli_error("who: '%s' is neither a port nor HOST:PORT: %s", lb_cli_q(arg),
			     lb_strerror(r));
		return -1;
	}
	t->port = ep.port;
	if (ep.kind == LB_HOST_ADDR && lb_addr_classify(&ep.addr) == LB_CLASS_UNSPECIFIED) {
		t->any = ep.addr.family;
		return 0;
	}
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
		lb_cli_error("who: cannot resolve '%s': %s", lb_cli_q(ep.name), lb_strerror(r));
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
	printf("%s%s %s %s", lb_cli_sgr(LB_SGR_BOLD), lb_cli_proto_name(lb_socket_protocol(s)), local,
	       lb_state_name(lb_socket_protocol(s), lb_socket_state(s)));
	if (lb_socket_state(s) != LB_STATE_LISTEN && lb_socket_remote_port(s)) {
		char remote[LB_ENDPOINT_STRLEN];

		lb_cli_endpoint_text(lb_socket_remote_addr(s), lb_socket_remote_port(s), 0, remote,
				     sizeof(remote));
		printf(" <-> %s", remote);
	}
	printf("%s\n", lb_cli_sgr(LB_SGR_RESET));
	for (i = 0; i < n; i++) {
		const lb_owner *o = lb_socket_owner_at(s, i);

		printf("  pid %" PRIu32 " ", lb_owner_pid(o));
		lb_cli_print_text(stdout, lb_owner_name(o));
		fputs(" (user ", stdout);
		lb_cli_print_text(stdout, lb_owner_user(o));
		fputs(")\n", stdout);
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

static int cmp_pid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* -q: each holder's pid once, in order. */
struct pids {
	uint32_t *v;
	size_t n, cap;
	size_t hidden; /* matching sockets without a visible owner */
};

static int add_pids(struct pids *p, const lb_socket *s)
{
	size_t i, n = lb_socket_owner_count(s);

	if (n == 0 && (lb_socket_owner_error(s) || lb_socket_inode(s))) /* not TIME-WAIT */
		p->hidden++;
	for (i = 0; i < n; i++) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			uint32_t *v = realloc(p->v, cap * sizeof(*v));

			if (!v)
				return -1;
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n++] = lb_owner_pid(lb_socket_owner_at(s, i));
	}
	return 0;
}

#define OPT_ALL_OWNERS 0x100
#define OPT_JSON 0x101
#define OPT_NETNS 0x102
#define OPT_OWNER_SCAN 0x103

/* What who was asked beyond its targets, and what it gathered. */
struct who {
	unsigned protos;
	bool json, all, quiet, any_json;
	const char *netns, *owner_scan;
	struct pids pids;
};

/* The sockets on the port of target @i that targets @i.. (of that port)
 * take, printed or their pids gathered: 0, or -1 after an error line. */
static int who_port(struct who *w, struct target *t, size_t nt, size_t i)
{
	lb_socket_list *l;
	lb_query *q;
	size_t j, k;
	int r;

	if (lb_query_new(&q) < 0) {
		lb_cli_error("who: out of memory");
		return -1;
	}
	lb_query_set_protocols(q, w->protos ? w->protos : LB_PROTO_TCP);
	lb_query_set_local_port(q, t[i].port);
	if (w->all)
		lb_query_set_owners(q, LB_OWNERS_ALL);
	if ((w->netns && lb_cli_netns_query("who", q, w->netns) < 0) ||
	    (w->owner_scan && lb_cli_owner_scan_query("who", q, w->owner_scan) < 0)) {
		lb_query_free(q);
		return -1;
	}
	r = lb_socket_list_get(q, &l);
	if (r < 0)
		lb_cli_list_error("who", q, r);
	lb_query_free(q);
	if (r < 0)
		return -1;
	for (j = 0; j < lb_socket_list_count(l); j++) {
		const lb_socket *s = lb_socket_list_at(l, j);
		bool take = false;

		for (k = i; k < nt; k++)
			if (t[k].port == t[i].port && target_accepts(&t[k], s))
				take = t[k].found = true;
		if (!take)
			continue;
		if (w->quiet) {
			if (add_pids(&w->pids, s) < 0) {
				lb_cli_error("who: out of memory");
				lb_socket_list_free(l);
				return -1;
			}
		} else if (w->json) {
			if (w->any_json)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, s, lb_socket_list_owner_scan(l), NULL, 0);
			w->any_json = true;
		} else {
			print_human(s);
		}
	}
	lb_socket_list_free(l);
	return 0;
}

/* The operands into @t: 0, or -1 after an error line (*@nt: how many
 * targets hold something to free). */
static int who_targets(const struct lb_cli_args *a, struct target *t, size_t *nt)
{
	int j;

	for (j = 0; j < a->noperands; j++, (*nt)++) {
		if (parse_target(a->operands[j], &t[*nt]) < 0)
			return -1;
		if (t[*nt].port == 0) {
			lb_cli_error("who: '%s': port 0 is not a port anyone holds",
				     lb_cli_q(a->operands[j]));
			free(t[*nt].addrs);
			return -1;
		}
	}
	return 0;
}

/* After the sockets: "nobody holds" lines and, with -q, the pids. The
 * number of targets nobody holds. */
static size_t who_finish(struct who *w, const struct target *t, size_t nt)
{
	size_t i, missing = 0;

	for (i = 0; i < nt; i++) {
		if (t[i].found)
			continue;
		missing++;
		if (!w->json && !w->quiet)
			printf("nobody holds %s %s%s\n",
			       w->protos == LB_PROTO_UDP ? "UDP" :
			       w->protos == LB_PROTO_ALL ? "TCP/UDP" : "TCP",
			       t[i].addrs || t[i].any ? "" : "port ",
			       t[i].arg[0] == ':' ? t[i].arg + 1 : t[i].arg);
	}
	if (w->quiet) {
		struct pids *p = &w->pids;

		qsort(p->v, p->n, sizeof(*p->v), cmp_pid);
		for (i = 0; i < p->n; i++)
			if (i == 0 || p->v[i] != p->v[i - 1])
				printf("%lu\n", (unsigned long)p->v[i]);
		if (p->hidden)
			lb_cli_error("who: %lu socket%s without a visible owner (without -q, who "
				     "says why)", (unsigned long)p->hidden, p->hidden == 1 ? "" : "s");
	}
	return missing;
}

int lb_cmd_who(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "all-owners", no_argument, NULL, OPT_ALL_OWNERS },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "owner-scan", required_argument, NULL, OPT_OWNER_SCAN },
		{ NULL, 0, NULL, 0 },
	};
	struct lb_cli_args a;
	struct target *t = NULL;
	struct who w = { 0, false, false, false, false, NULL, NULL, { NULL, 0, 0, 0 } };
	size_t i, k, nt = 0;
	int c, code = LB_EXIT_ERROR;

	lb_cli_args_init(&a, "who", argc, argv, "tuq", opts, who_usage, 0);
	while ((c = lb_cli_next(&a)) > 0) {
		switch (c) {
		case 't': w.protos |= LB_PROTO_TCP; break;
		case 'u': w.protos |= LB_PROTO_UDP; break;
		case 'q': w.quiet = true; break;
		case OPT_ALL_OWNERS: w.all = true; break;
		case OPT_JSON: w.json = true; break;
		case OPT_NETNS: w.netns = optarg; break;
		case OPT_OWNER_SCAN: w.owner_scan = optarg; break;
		default: return lb_cli_usage(&a, "unexpected option");
		}
	}
	if (c < 0)
		return a.exit;
	if (a.noperands == 0)
		return lb_cli_usage(&a, "usage: loopback who [OPTIONS] TARGET... "
				    "(PORT, :PORT or HOST:PORT)");
	if (w.quiet && w.json)
		return lb_cli_usage(&a, "--quiet and --json do not go together");
	t = calloc((size_t)a.noperands, sizeof(*t));
	if (!t) {
		lb_cli_error("who: out of memory");
		return LB_EXIT_ERROR;
	}
	if (who_targets(&a, t, &nt) < 0)
		goto out;
	if (w.json)
		fputc('[', stdout);
	/* One socket query per port; a socket shows once, however many
	 * targets take it. */
	for (i = 0; i < nt; i++) {
		for (k = 0; k < i && t[k].port != t[i].port; k++)
			;
		if (k < i)
			continue; /* this port was listed already */
		if (who_port(&w, t, nt, i) < 0)
			goto out;
	}
	if (w.json)
		fputs("]\n", stdout);
	code = who_finish(&w, t, nt) ? LB_EXIT_NO : LB_EXIT_OK;
out:
	for (i = 0; i < nt; i++)
		free(t[i].addrs);
	free(t);
	free(w.pids.v);
	return code;
}
