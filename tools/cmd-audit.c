/* SPDX-License-Identifier: MIT */
/* loopback audit: every listener reachable beyond loopback. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void audit_usage(FILE *f)
{
	fputs("Usage: loopback audit [--allow RULE]... [OPTIONS]\n"
	      "\n"
	      "List every listener (TCP LISTEN, unconnected UDP) reachable from other\n"
	      "machines: bound to a wildcard address (0.0.0.0, [::] dual-stack or\n"
	      "IPv6-only) or to a non-loopback address, with its owner.\n"
	      "\n"
	      "      --allow RULE  an expected listener, not reported as unexpected:\n"
	      "                    PORT, tcp/PORT, udp/PORT, or a process NAME;\n"
	      "                    repeat for more\n"
	      "  -t, --tcp, -u, --udp, -4, -6, --user USER, --netns NS, --all-netns,\n"
	      "      --all-owners  as for loopback ls\n"
	      "      --json        one JSON array of socket objects with \"allowed\"\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 nothing unexpected is exposed, 1 something is,\n"
	      "2 usage error or failure.\n", f);
}

struct rule {
	unsigned protos;     /* 0: a process name rule */
	uint16_t port;
	const char *name;
};

static int parse_rule(const char *arg, struct rule *r)
{
	uint32_t port;
	const char *p = arg;

	memset(r, 0, sizeof(*r));
	r->protos = LB_PROTO_ALL;
	if (strncmp(p, "tcp/", 4) == 0 || strncmp(p, "udp/", 4) == 0) {
		r->protos = p[0] == 't' ? LB_PROTO_TCP : LB_PROTO_UDP;
		p += 4;
		if (lb_cli_parse_u32(p, 65535, &port) < 0 || port == 0)
			return -1;
		r->port = (uint16_t)port;
		return 0;
	}
	if (lb_cli_parse_u32(p, 65535, &port) == 0) {
		if (port == 0)
			return -1;
		r->port = (uint16_t)port;
		return 0;
	}
	if (!*p || strchr(p, '/'))
		return -1;
	r->protos = 0;
	r->name = p;
	return 0;
}

static bool allowed(const lb_socket *s, const struct rule *rules, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (rules[i].protos) {
			if ((rules[i].protos & (unsigned)lb_socket_protocol(s)) &&
			    rules[i].port == lb_socket_local_port(s))
				return true;
			continue;
		}
		for (j = 0; j < lb_socket_owner_count(s); j++)
			if (strcmp(lb_owner_name(lb_socket_owner_at(s, j)), rules[i].name) == 0)
				return true;
	}
	return false;
}

int lb_cmd_audit(int argc, char **argv)
{
	struct rule *rules = calloc((size_t)argc + 1, sizeof(*rules));
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	lb_socket_list *l = NULL;
	lb_query *q = NULL;
	bool json = false, listening = true, first = true;
	size_t n_rules = 0, i, exposed = 0;
	int n_rest = 0, k, r, code = LB_EXIT_ERROR;

	if (!rules || !rest)
		goto out;
	/* Take the --allow rules out; the rest are ls options. */
	for (k = 0; k < argc; k++) {
		const char *v = NULL;

		if (strcmp(argv[k], "--allow") == 0) {
			if (k + 1 >= argc) {
				lb_cli_error("--allow needs a RULE (see loopback audit --help)");
				goto out;
			}
			v = argv[++k];
		} else if (strncmp(argv[k], "--allow=", 8) == 0) {
			v = argv[k] + 8;
		} else {
			rest[n_rest++] = argv[k];
			continue;
		}
		if (parse_rule(v, &rules[n_rules]) < 0) {
			lb_cli_error("--allow: bad rule '%s' (PORT, tcp/PORT, udp/PORT or NAME)", v);
			goto out;
		}
		n_rules++;
	}
	r = lb_cli_list_query(n_rest, rest, &q, &json, &listening, audit_usage);
	if (r >= 0) {
		code = r;
		goto out;
	}
	lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) | LB_STATE_BIT(LB_STATE_CLOSE));
	r = lb_socket_list_get(q, &l);
	if (r < 0) {
		lb_cli_error("cannot list sockets: %s", lb_strerror(r));
		goto out;
	}
	if (json)
		fputc('[', stdout);
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);
		const char *note = lb_cli_reach_note(s);
		bool ok;

		if (!note) /* not a listener, or not reachable from outside */
			continue;
		ok = allowed(s, rules, n_rules);
		if (!ok)
			exposed++;
		if (json) {
			if (!first)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, s, "allowed", ok);
		} else {
			if (first)
				lb_cli_table_header(stdout);
			fputs(ok ? "  allowed  " : "  EXPOSED  ", stdout);
			lb_cli_table_row(stdout, s);
			printf("             %s\n", note);
		}
		first = false;
	}
	if (json)
		fputs("]\n", stdout);
	else if (first)
		printf("no listener is reachable beyond loopback\n");
	else
		printf("%zu unexpected listener%s reachable beyond loopback\n", exposed,
		       exposed == 1 ? "" : "s");
	code = exposed ? LB_EXIT_NO : LB_EXIT_OK;
out:
	lb_socket_list_free(l);
	lb_query_free(q);
	free(rules);
	free(rest);
	return code;
}
