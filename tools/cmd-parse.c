/* SPDX-License-Identifier: MIT */
/*
 * loopback parse: explain endpoints (what the host is, who can reach it,
 * what the port is on this host), or check them in batch for scripts.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "os.h"

static void help(FILE *f)
{
	fputs("Usage: loopback parse [--json] [--resolve] [--] STRING...\n"
	      "       loopback parse --batch=addr|endpoint  < LINES\n"
	      "\n"
	      "Explain each STRING: a host:port endpoint (127.0.0.1:62893, [::1]:8080,\n"
	      "[fe80::1%eth0]:22, localhost:3000), or a bare address or host name\n"
	      "without a port. For the host: its kind, class and who can reach it; for\n"
	      "a localhost name (or any name with --resolve), the addresses the system\n"
	      "resolver returns, in its order. For the port: its IANA range and where\n"
	      "it lies against this host's ephemeral port range. An invalid STRING is\n"
	      "shown with the byte offset and the reason.\n"
	      "\n"
	      "Options:\n"
	      "  --json            one JSON array, one object per STRING\n"
	      "  --resolve         resolve every host name, not only localhost names\n"
	      "  --batch=addr      read one IP address literal per line on stdin\n"
	      "                    (optional zone; no brackets, port or names);\n"
	      "                    print \"ok<TAB>canonical\" or \"err<TAB>offset<TAB>reason\"\n"
	      "  --batch=endpoint  read one host:port per line on stdin; print\n"
	      "                    \"ok<TAB>host<TAB>port\" or \"err<TAB>offset<TAB>reason\"\n"
	      "  --color=WHEN      accepted as by every verb (parse prints no colour)\n"
	      "  -h, --help        show this help\n"
	      "\n"
	      "Options may follow the STRINGs; a STRING that starts with '-' goes\n"
	      "after --.\n"
	      "\n"
	      "In batch mode only the line's \\n is removed: anything else (\\r, NUL,\n"
	      "spaces) is part of the input; an empty line is an empty input.\n"
	      "\n"
	      "Exit status:\n"
	      "  0  every input is valid\n"
	      "  1  some input is invalid\n"
	      "  2  usage error\n", f);
}

/* What an address class means for who can reach it. */
static const char *reach(int cls)
{
	switch (cls) {
	case LB_CLASS_UNSPECIFIED:
		return "the wildcard: bound, it listens on every address of this host";
	case LB_CLASS_LOOPBACK:
		return "reachable only from this machine";
	case LB_CLASS_LINK_LOCAL:
		return "reachable only on the local link";
	case LB_CLASS_PRIVATE:
		return "reachable within private networks, not routed on the internet";
	case LB_CLASS_MULTICAST:
		return "a multicast group, not a single host";
	case LB_CLASS_DOCUMENTATION:
		return "reserved for documentation, never routed";
	case LB_CLASS_RESERVED:
		return "special-purpose, not globally routed";
	case LB_CLASS_GLOBAL:
		return "globally routable: may be reachable from the internet";
	case LB_CLASS_LOCALHOST_NAME:
		return "a localhost name (RFC 6761): meant to resolve to this machine";
	case LB_CLASS_NAME:
		return "a host name: who can reach it depends on what it resolves to";
	default:
		return "unknown";
	}
}

/* lb_addr_flags() as ["loopback","mapped"] (bit order). */
static void print_flags_json(int flags)
{
	unsigned bit;
	bool first = true;

	fputc('[', stdout);
	for (bit = 1; flags > 0 && bit <= LB_ADDR_FLAG_ALL; bit <<= 1) {
		if (!((unsigned)flags & bit))
			continue;
		if (!first)
			fputc(',', stdout);
		first = false;
		lb_json_string(stdout, lb_addr_flag_name(bit));
	}
	fputc(']', stdout);
}

/* "        flags: loopback, mapped" when they say more than the class. */
static void print_flags_text(int flags)
{
	unsigned bit;
	bool first = true;

	if (flags <= 0 || !((unsigned)flags & (unsigned)(flags - 1)))
		return; /* one flag: the class, already said */
	fputs("        flags:", stdout);
	for (bit = 1; bit <= LB_ADDR_FLAG_ALL; bit <<= 1)
		if ((unsigned)flags & bit) {
			printf("%s %s", first ? "" : ",", lb_addr_flag_name(bit));
			first = false;
		}
	fputc('\n', stdout);
}

static const char *port_class_text(int cls)
{
	switch (cls) {
	case LB_PORT_ZERO:
		return "any port: the kernel picks one from the ephemeral range";
	case LB_PORT_WELL_KNOWN:
		return "well-known (0-1023): privileged to bind on most systems";
	case LB_PORT_REGISTERED:
		return "registered (1024-49151)";
	case LB_PORT_DYNAMIC:
		return "in the IANA dynamic range (49152-65535)";
	default:
		return "unknown";
	}
}

/* Print @s[0..len) escaped (bytes above 0x7e too: an endpoint is ASCII);
 * returns the printed width of the first @upto bytes (for the caret under
 * an error). */
static size_t print_escaped(FILE *f, const char *s, size_t len, size_t upto)
{
	size_t at;

	if (upto > len)
		upto = len;
	at = lb_cli_print_escaped(f, s, upto, LB_CLI_ESC_ASCII);
	lb_cli_print_escaped(f, s + upto, len - upto, LB_CLI_ESC_ASCII);
	return at;
}

struct ephemeral {
	int r;          /* 0 if known */
	uint16_t first, last;
};

struct parsed {
	const char *in;
	size_t len;
	int r;
	int has_port;
	lb_endpoint e;
	lb_parse_error err;
	lb_addr_list *addrs;    /* resolved, or NULL */
	int resolve_r;          /* lb_resolve's result when asked, else 1 */
};

/* Parse as host:port, else as a bare host; the error shown is the
 * host:port one, since that is what was most likely meant. */
static void parse_one(struct parsed *p, int resolve_all)
{
	lb_endpoint h;

	p->addrs = NULL;
	p->resolve_r = 1;
	p->r = lb_endpoint_parse(p->in, p->len, &p->e, &p->err);
	p->has_port = p->r == 0;
	if (p->r < 0 && lb_host_parse(p->in, p->len, &h, NULL) == 0) {
		p->e = h;
		p->r = 0;
	}
	if (p->r == 0 && p->e.kind == LB_HOST_NAME &&
	    (resolve_all || lb_endpoint_classify(&p->e) == LB_CLASS_LOCALHOST_NAME))
		p->resolve_r = lb_resolve(p->e.name, strlen(p->e.name), LB_AF_NONE, &p->addrs);
}

static const char *family_name(int family)
{
	return family == LB_AF_INET ? "IPv4" : "IPv6";
}

static void human_one(const struct parsed *p, const struct ephemeral *eph)
{
	char buf[LB_ENDPOINT_STRLEN];
	int cls;

	print_escaped(stdout, p->in, p->len, 0);
	fputc('\n', stdout);
	if (p->r < 0) {
		size_t col;

		printf("  invalid: %s (%s at byte %zu)\n", p->err.reason,
		       lb_error_name(p->err.code), p->err.offset);
		fputs("    ", stdout);
		col = print_escaped(stdout, p->in, p->len, p->err.offset);
		printf("\n    %*s^\n", (int)col, "");
		return;
	}
	cls = lb_endpoint_classify(&p->e);
	if (p->e.kind == LB_HOST_ADDR) {
		lb_addr_format(&p->e.addr, buf, sizeof(buf));
		printf("  host: %s - %s %s address\n", buf, family_name(p->e.addr.family),
		       lb_class_name(cls));
		print_flags_text(lb_addr_flags(&p->e.addr));
	} else {
		printf("  host: %s - host name\n", p->e.name);
	}
	printf("        %s\n", reach(cls));
	if (p->e.kind == LB_HOST_ADDR && p->e.addr.zone[0]) {
		unsigned long index;

		if (lb_cli_zone_index(&p->e.addr, &index) < 0)
			printf("  zone: %s - no such interface on this host\n", p->e.addr.zone);
		else
			printf("  zone: %s - interface index %lu\n", p->e.addr.zone, index);
	}
	if (p->addrs) {
		size_t i, n = lb_addr_list_count(p->addrs);

		printf("  resolves to (in the resolver's order, tried first to last):\n       ");
		for (i = 0; i < n; i++) {
			lb_addr a;

			lb_addr_list_addr(p->addrs, i, &a);
			lb_addr_format(&a, buf, sizeof(buf));
			printf("%s %s", i ? "," : "", buf);
		}
		fputc('\n', stdout);
	} else if (p->resolve_r < 0) {
		printf("  resolves to: nothing (%s)\n", lb_strerror(p->resolve_r));
	}
	if (!p->has_port) {
		printf("  port: none given (a bare %s)\n",
		       p->e.kind == LB_HOST_ADDR ? "address" : "host name");
		return;
	}
	printf("  port: %u - %s\n", p->e.port, port_class_text(lb_port_classify(p->e.port)));
	if (p->e.port == 0)
		;       /* "any port": the range is where it will come from */
	else if (eph->r < 0)
		printf("        this host's ephemeral range is unknown (%s)\n", lb_strerror(eph->r));
	else if (p->e.port >= eph->first && p->e.port <= eph->last)
		printf("        inside this host's ephemeral range %u-%u: any outgoing connection\n"
		       "        may take it, so a server should not count on it being free\n",
		       eph->first, eph->last);
	else
		printf("        outside this host's ephemeral range %u-%u: outgoing connections\n"
		       "        will not take it\n", eph->first, eph->last);
	lb_endpoint_format(&p->e, buf, sizeof(buf));
	printf("  canonical: %s\n", buf);
}

/* The "addresses" value of a name: what it resolves to, [] when it
 * resolves to nothing, null when it was not resolved. */
static void json_addresses(const struct parsed *p)
{
	char buf[LB_ENDPOINT_STRLEN];
	size_t i, n;

	if (!p->addrs) {
		fputs(p->resolve_r < 0 ? "[]" : "null", stdout);
		return;
	}
	n = lb_addr_list_count(p->addrs);
	fputc('[', stdout);
	for (i = 0; i < n; i++) {
		lb_addr a;

		lb_addr_list_addr(p->addrs, i, &a);
		lb_addr_format(&a, buf, sizeof(buf));
		if (i)
			fputc(',', stdout);
		lb_json_string(stdout, buf);
	}
	fputc(']', stdout);
}

static void json_one(const struct parsed *p, const struct ephemeral *eph)
{
	char buf[LB_ENDPOINT_STRLEN];
	bool first = true;
	int cls;

	fputc('{', stdout);
	lb_json_key(stdout, &first, "input");
	lb_json_string(stdout, p->in); /* from argv; bytes that are not UTF-8 become U+FFFD */
	lb_json_key(stdout, &first, "valid");
	fputs(p->r == 0 ? "true" : "false", stdout);
	if (p->r < 0) {
		lb_json_key(stdout, &first, "error");
		printf("{\"offset\":%zu,\"code\":", p->err.offset);
		lb_json_string(stdout, lb_error_name(p->err.code));
		fputs(",\"reason\":", stdout);
		lb_json_string(stdout, p->err.reason);
		fputs("}}", stdout);
		return;
	}
	cls = lb_endpoint_classify(&p->e);
	lb_json_key(stdout, &first, "kind");
	lb_json_string(stdout, p->e.kind == LB_HOST_ADDR ? "address" : "name");
	lb_json_key(stdout, &first, "host");
	if (p->e.kind == LB_HOST_ADDR) {
		lb_addr_format(&p->e.addr, buf, sizeof(buf));
		lb_json_string(stdout, buf);
		lb_json_key(stdout, &first, "family");
		lb_json_string(stdout, p->e.addr.family == LB_AF_INET ? "ipv4" : "ipv6");
		lb_json_key(stdout, &first, "zone");
		lb_json_string(stdout, p->e.addr.zone[0] ? p->e.addr.zone : NULL);
		lb_json_key(stdout, &first, "scope_id");
		printf("%lu", (unsigned long)p->e.addr.scope_id);
	} else {
		lb_json_string(stdout, p->e.name);
	}
	lb_json_key(stdout, &first, "class");
	lb_json_string(stdout, lb_class_name(cls));
	lb_json_key(stdout, &first, "flags");
	if (p->e.kind == LB_HOST_ADDR)
		print_flags_json(lb_addr_flags(&p->e.addr));
	else
		fputs("null", stdout); /* a name: known once resolved */
	lb_json_key(stdout, &first, "reach");
	lb_json_string(stdout, reach(cls));
	if (p->e.kind == LB_HOST_NAME) {
		lb_json_key(stdout, &first, "addresses");
		json_addresses(p);
	}
	lb_json_key(stdout, &first, "port");
	if (!p->has_port) {
		fputs("null}", stdout);
		return;
	}
	printf("%u", p->e.port);
	lb_json_key(stdout, &first, "port_class");
	lb_json_string(stdout, lb_port_class_name(lb_port_classify(p->e.port)));
	lb_json_key(stdout, &first, "ephemeral");
	if (eph->r < 0)
		fputs("null", stdout);
	else
		fputs(p->e.port >= eph->first && p->e.port <= eph->last ? "true" : "false", stdout);
	lb_json_key(stdout, &first, "ephemeral_range");
	if (eph->r < 0)
		fputs("null", stdout);
	else
		printf("[%u,%u]", eph->first, eph->last);
	lb_json_key(stdout, &first, "canonical");
	lb_endpoint_format(&p->e, buf, sizeof(buf));
	lb_json_string(stdout, buf);
	fputc('}', stdout);
}

/* One input per line on stdin, one result line per input, in order. */
static int batch(int endpoint_mode)
{
	char *line = NULL;
	size_t cap = 0;
	long n;
	int invalid = 0;

	while ((n = lb_cli_getline(&line, &cap, stdin)) >= 0) {
		size_t len = (size_t)n;
		lb_parse_error err;
		char buf[LB_ADDR_STRLEN];
		int r;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (endpoint_mode) {
			lb_endpoint e;

			r = lb_endpoint_parse(line, len, &e, &err);
			if (r == 0) {
				if (e.kind == LB_HOST_ADDR)
					lb_addr_format(&e.addr, buf, sizeof(buf));
				printf("ok\t%s\t%u\n", e.kind == LB_HOST_ADDR ? buf : e.name, e.port);
			}
		} else {
			lb_addr a;

			r = lb_addr_parse(line, len, &a, &err);
			if (r == 0) {
				lb_addr_format(&a, buf, sizeof(buf));
				printf("ok\t%s\n", buf);
			}
		}
		if (r < 0) {
			printf("err\t%zu\t%s\n", err.offset, err.reason);
			invalid = 1;
		}
	}
	free(line);
	if (ferror(stdin)) {
		lb_cli_error("reading stdin failed");
		return LB_EXIT_ERROR;
	}
	return invalid ? LB_EXIT_NO : LB_EXIT_OK;
}

#define OPT_JSON 0x100
#define OPT_RESOLVE 0x101
#define OPT_BATCH 0x102

int lb_cmd_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "resolve", no_argument, NULL, OPT_RESOLVE },
		{ "batch", required_argument, NULL, OPT_BATCH },
		{ NULL, 0, NULL, 0 },
	};
	struct lb_cli_args a;
	bool json = false, resolve_all = false;
	int batch_mode = -1, c, i, nargs, invalid = 0;
	struct ephemeral eph;
	struct parsed *ps;

	/* Inputs that start with '-' ("-a:80") go after "--". */
	lb_cli_args_init(&a, "parse", argc, argv, "", opts, help, 0);
	while ((c = lb_cli_next(&a)) > 0) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case OPT_RESOLVE: resolve_all = true; break;
		case OPT_BATCH:
			if (strcmp(optarg, "addr") == 0)
				batch_mode = 0;
			else if (strcmp(optarg, "endpoint") == 0)
				batch_mode = 1;
			else
				return lb_cli_usage(&a, "--batch needs addr or endpoint, not '%s'",
						    lb_cli_q(optarg));
			break;
		default: return lb_cli_usage(&a, "unexpected option");
		}
	}
	if (c < 0)
		return a.exit;
	nargs = a.noperands;
	if (batch_mode >= 0) {
		if (nargs || json || resolve_all)
			return lb_cli_usage(&a, "--batch reads stdin and takes no other arguments");
		return batch(batch_mode);
	}
	if (nargs == 0)
		return lb_cli_usage(&a, "usage: loopback parse [--json] [--resolve] STRING...");

	eph.r = lb_port_ephemeral_range(&eph.first, &eph.last);
	ps = calloc((size_t)nargs, sizeof(*ps));
	if (!ps) {
		lb_cli_error("out of memory");
		return LB_EXIT_ERROR;
	}
	for (i = 0; i < nargs; i++) {
		ps[i].in = a.operands[i];
		ps[i].len = strlen(a.operands[i]);
		parse_one(&ps[i], resolve_all);
		invalid |= ps[i].r < 0;
	}
	if (json)
		fputc('[', stdout);
	for (i = 0; i < nargs; i++) {
		if (json) {
			if (i)
				fputc(',', stdout);
			json_one(&ps[i], &eph);
		} else {
			if (i)
				fputc('\n', stdout);
			human_one(&ps[i], &eph);
		}
		lb_addr_list_free(ps[i].addrs);
	}
	if (json)
		fputs("]\n", stdout);
	free(ps);
	return invalid ? LB_EXIT_NO : LB_EXIT_OK;
}
