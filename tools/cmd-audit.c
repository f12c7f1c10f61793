/* SPDX-License-Identifier: MIT */
/* loopback audit: every listener reachable beyond loopback. */
#include <inttypes.h>
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
	      "                    PORT, tcp/PORT, udp/PORT (1..65535), a process\n"
	      "                    NAME as who shows it (not starting with a digit,\n"
	      "                    '-' or '+'; no spaces or '/'), or name:TEXT for\n"
	      "                    any name; repeat for more\n"
	      "  -t, --tcp, -u, --udp, -4, -6, --user USER, --netns NS, --all-netns,\n"
	      "      --all-owners, --owner-scan=HOW  as for loopback ls\n"
	      "      --json        one JSON array of socket objects with \"allowed\"\n"
	      "      --color=WHEN  auto (the default: on a terminal), always or never\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "Exit status: 0 nothing unexpected is exposed, 1 something is,\n"
	      "2 usage error or failure.\n", f);
}

#define STATUS_WIDTH 9 /* "EXPOSED  " */

struct rule {
	unsigned protos;     /* 0: a process name rule */
	uint16_t port;
	const char *name;
};

/* PORT, tcp/PORT, udp/PORT, NAME or name:TEXT: 0, or -1 with @why set.
 * What starts like a number (a digit, '-', '+') is a port, strictly:
 * 65536, -1 or 0x50 are errors, never process names; a NAME has no
 * space or '/' (" 80" and "a b" are errors); name:TEXT takes any name. */
static int parse_rule(const char *arg, struct rule *r, const char **why)
{
	uint32_t port;
	const char *p = arg;

	memset(r, 0, sizeof(*r));
	r->protos = LB_PROTO_ALL;
	if (strncmp(p, "tcp/", 4) == 0 || strncmp(p, "udp/", 4) == 0) {
		r->protos = p[0] == 't' ? LB_PROTO_TCP : LB_PROTO_UDP;
		p += 4;
	} else if (strncmp(p, "name:", 5) == 0) {
		/* Any process name, spaces and all ("Web Content"). */
		*why = "name: needs a process name";
		if (!p[5])
			return -1;
		r->protos = 0;
		r->name = p + 5;
		return 0;
	} else if (*p && !(*p >= '0' && *p <= '9') && *p != '-' && *p != '+') {
		const char *c;

		*why = "a NAME has no space, control byte or '/' (use name:TEXT)";
		for (c = p; *c; c++)
			if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '/')
				return -1;
		r->protos = 0;
		r->name = p;
		return 0;
	}
	*why = "a port is a number from 1 to 65535";
	if (lb_cli_parse_u32(p, 65535, &port) < 0 || port == 0)
		return -1;
	r->port = (uint16_t)port;
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

/* One listener of the human table, its mark and its @note, under the
 * header when it is the @first. */
static void print_row(const lb_socket *s, bool ok, const char *note, bool first,
		      bool all_netns)
{
	if (first) { /* the header over the rows, STATUS over their mark */
		printf("%s%-*s", lb_cli_sgr(LB_SGR_BOLD), STATUS_WIDTH, "STATUS");
		if (all_netns)
			printf("%-10s ", "NETNS");
		fputs(lb_cli_sgr(LB_SGR_RESET), stdout);
		lb_cli_table_header(stdout);
	}
	printf("%s%-*s%s", lb_cli_sgr(ok ? LB_SGR_GREEN : LB_SGR_RED), STATUS_WIDTH - 2,
	       ok ? "allowed" : "EXPOSED", lb_cli_sgr(LB_SGR_RESET));
	fputs("  ", stdout);
	if (all_netns)
		printf("%-10" PRIu64 " ", lb_socket_netns(s));
	lb_cli_table_row(stdout, s);
	printf("%*s%s\n", STATUS_WIDTH + 2, "", note);
}

int lb_cmd_audit(int argc, char **argv)
{
	struct lb_cli_list_opts lo = { 0 };
	struct rule *rules = calloc((size_t)argc + 1, sizeof(*rules));
	lb_socket_list *l = NULL;
	lb_query *q = NULL;
	bool first = true;
	size_t i, exposed = 0;
	int r, code = LB_EXIT_ERROR;

	lo.allow = calloc((size_t)argc + 1, sizeof(*lo.allow));
	if (!rules || !lo.allow) {
		lb_cli_error("audit: out of memory");
		goto out;
	}
	r = lb_cli_list_query("audit", argc, argv, &q, &lo, audit_usage);
	if (r >= 0) {
		code = r;
		goto out;
	}
	for (i = 0; i < lo.nallow; i++) {
		const char *why = "";

		if (parse_rule(lo.allow[i], &rules[i], &why) < 0) {
			lb_cli_error("audit: --allow needs PORT, tcp/PORT, udp/PORT, NAME or name:TEXT, "
				     "not '%s': %s", lb_cli_q(lo.allow[i]), why);
			goto out;
		}
	}
	lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) | LB_STATE_BIT(LB_STATE_CLOSE));
	r = lb_socket_list_get(q, &l);
	if (r < 0) {
		lb_cli_list_error(NULL, q, r);
		goto out;
	}
	if (lo.json)
		fputc('[', stdout);
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);
		const char *note = lb_cli_reach_note(s);
		bool ok;

		if (!note) /* not a listener, or not reachable from outside */
			continue;
		ok = allowed(s, rules, lo.nallow);
		if (!ok)
			exposed++;
		if (lo.json) {
			if (!first)
				fputc(',', stdout);
			lb_cli_socket_json(stdout, s, lb_socket_list_owner_scan(l), "allowed", ok);
		} else {
			print_row(s, ok, note, first, lo.all_netns);
		}
		first = false;
	}
	if (lo.json)
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
	free(lo.allow);
	return code;
}
