/* SPDX-License-Identifier: MIT */
/*
 * Arguments as every GNU tool takes them, for every verb: one option
 * parser on getopt_long (options before or after operands; "--" ends the
 * options, and for run and wait starts the command), one strict number
 * parser, quoting of bad arguments in error lines, and --color.
 */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "os.h"

#define QUOTE_MAX 100 /* bytes of a bad argument an error line shows */

const char *lb_cli_q(const char *s)
{
	static char bufs[4][QUOTE_MAX * 4 + 8];
	static unsigned next;
	char *b = bufs[next++ % 4], *w = b;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n;

	for (n = 0; *p && n < QUOTE_MAX; p++, n++) {
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(w, 5, "\\x%02x", *p);
			w += 4;
		} else {
			*w++ = (char)*p;
		}
	}
	if (*p) {
		memcpy(w, "...", 3);
		w += 3;
	}
	*w = '\0';
	return b;
}

/* ---- Colour ---------------------------------------------------------- */

static int color_mode = LB_CLI_COLOR_AUTO;
static int color_on = -1; /* decided at the first use */

int lb_cli_set_color(const char *when)
{
	if (!when || strcmp(when, "always") == 0 || strcmp(when, "yes") == 0 ||
	    strcmp(when, "force") == 0)
		color_mode = LB_CLI_COLOR_ALWAYS;
	else if (strcmp(when, "never") == 0 || strcmp(when, "no") == 0 ||
		 strcmp(when, "none") == 0)
		color_mode = LB_CLI_COLOR_NEVER;
	else if (strcmp(when, "auto") == 0 || strcmp(when, "tty") == 0 ||
		 strcmp(when, "if-tty") == 0)
		color_mode = LB_CLI_COLOR_AUTO;
	else
		return -1;
	color_on = -1;
	return 0;
}

bool lb_cli_color(void)
{
	if (color_on < 0) {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		if (color_mode == LB_CLI_COLOR_ALWAYS)
			color_on = 1;
		else if (color_mode == LB_CLI_COLOR_NEVER)
			color_on = 0;
		else
			color_on = lb_cli_stdout_is_tty() && !(nc && *nc) &&
				   !(term && strcmp(term, "dumb") == 0);
	}
	return color_on == 1;
}

const char *lb_cli_sgr(const char *code)
{
	return lb_cli_color() ? code : "";
}

/* ---- Numbers --------------------------------------------------------- */

int lb_cli_opt_u32(const char *verb, const char *opt, const char *arg, uint32_t min,
		   uint32_t max, uint32_t *ret)
{
	uint32_t v;

	if (lb_cli_parse_u32(arg, max, &v) < 0 || v < min) {
		lb_cli_error("%s: %s needs a number from %lu to %lu, not '%s'", verb, opt,
			     (unsigned long)min, (unsigned long)max, lb_cli_q(arg));
		return -1;
	}
	*ret = v;
	return 0;
}

int lb_cli_parse_ms(const char *s, uint32_t max_s, uint32_t *ret_ms)
{
	uint64_t whole = 0, frac = 0;
	const char *p = s;
	int digits = 0, fd = 0;

	if (!s)
		return -1;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		whole = whole * 10 + (unsigned)(*p - '0');
		if (whole > max_s)
			return -1;
	}
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, digits++, fd++)
			if (fd < 3)
				frac = frac * 10 + (unsigned)(*p - '0');
		if (fd == 0)
			return -1;
	}
	if (*p || digits == 0)
		return -1;
	for (; fd < 3; fd++)
		frac *= 10;
	if (whole * 1000 + frac > (uint64_t)max_s * 1000)
		return -1;
	*ret_ms = (uint32_t)(whole * 1000 + frac);
	return 0;
}

int lb_cli_parse_port_range(const char *s, uint16_t *first, uint16_t *last)
{
	char buf[16];
	const char *dash = s ? strchr(s, '-') : NULL;
	uint32_t a, b;

	if (!dash || (size_t)(dash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	if (lb_cli_parse_u32(buf, 65535, &a) < 0 || lb_cli_parse_u32(dash + 1, 65535, &b) < 0 ||
	    a == 0 || a > b)
		return -1;
	*first = (uint16_t)a;
	*last = (uint16_t)b;
	return 0;
}

/* ---- Options --------------------------------------------------------- */

#define OPT_COLOR 0x1c0

static const struct option common_opts[] = {
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "help", no_argument, NULL, 'h' },
};
#define N_COMMON (sizeof(common_opts) / sizeof(common_opts[0]))

void lb_cli_args_init(struct lb_cli_args *a, const char *verb, int argc, char **argv,
		      const char *shortopts, const struct option *longopts,
		      void (*help)(FILE *f), unsigned flags)
{
	size_t n = 0, i;

	memset(a, 0, sizeof(*a));
	a->verb = verb;
	a->argc = argc;
	a->argv = argv;
	a->help = help;
	a->flags = flags;
	a->usage_exit = (flags & LB_CLI_ARGS_RUN) ? LB_EXIT_RUN_FAILED : LB_EXIT_ERROR;
	/* "+": stop at each operand, which lb_cli_next() sets aside, so the
	 * order is the same whatever POSIXLY_CORRECT says and whichever
	 * getopt_long the C library has; ":" tells a missing argument. */
	snprintf(a->shortopts, sizeof(a->shortopts), "+:%sh", shortopts ? shortopts : "");
	while (longopts && longopts[n].name && n + N_COMMON + 1 < LB_CLI_MAX_OPTS)
		a->longopts[n] = longopts[n], n++;
	for (i = 0; i < N_COMMON; i++)
		a->longopts[n++] = common_opts[i];
	memset(&a->longopts[n], 0, sizeof(a->longopts[n]));
	a->noperands = 0;
	a->operands = argv + 1;
	a->command = NULL;
	optind = 0; /* a fresh scan (glibc and the BSDs) */
	opterr = 0;
}

/* The long options whose names start with @name (up to '='). */
static size_t long_matches(const struct lb_cli_args *a, const char *name, const struct option **one)
{
	size_t len = strcspn(name, "="), i, n = 0;

	for (i = 0; a->longopts[i].name; i++) {
		if (strncmp(a->longopts[i].name, name, len) != 0)
			continue;
		if (strlen(a->longopts[i].name) == len) { /* exact */
			*one = &a->longopts[i];
			return 1;
		}
		if (!n || (*one)->val != a->longopts[i].val)
			n++;
		*one = &a->longopts[i];
	}
	return n;
}

static int bad_option(struct lb_cli_args *a, int c)
{
	const char *elem = optind > 0 && optind <= a->argc ? a->argv[optind - 1] : "";
	bool is_long = elem && strncmp(elem, "--", 2) == 0;
	const struct option *o = NULL;
	char sh[3] = { '-', (char)optopt, '\0' };
	size_t n;

	if (!is_long) {
		if (c == ':')
			lb_cli_error("%s: option '%s' needs an argument (see loopback %s --help)",
				     a->verb, sh, a->verb);
		else
			lb_cli_error("%s: unknown option '%s' (see loopback %s --help)", a->verb,
				     lb_cli_q(optopt > 0x20 && optopt < 0x7f ? sh : elem), a->verb);
		return -1;
	}
	n = long_matches(a, elem + 2, &o);
	if (c == ':')
		lb_cli_error("%s: option '--%s' needs an argument (see loopback %s --help)", a->verb,
			     o ? o->name : lb_cli_q(elem + 2), a->verb);
	else if (n > 1)
		lb_cli_error("%s: option '%s' is ambiguous (see loopback %s --help)", a->verb,
			     lb_cli_q(elem), a->verb);
	else if (n == 1 && o->has_arg == no_argument && strchr(elem, '='))
		lb_cli_error("%s: option '--%s' takes no argument", a->verb, o->name);
	else
		lb_cli_error("%s: unknown option '%s' (see loopback %s --help)", a->verb,
			     lb_cli_q(elem), a->verb);
	return -1;
}

int lb_cli_next(struct lb_cli_args *a)
{
	int c, before;

	for (;;) {
		before = optind == 0 ? 1 : optind;
		c = getopt_long(a->argc, a->argv, a->shortopts, a->longopts, NULL);
		if (c == -1) {
			if (optind == before + 1 && before < a->argc &&
			    strcmp(a->argv[before], "--") == 0) {
				/* "--": the rest are operands, or the command. */
				if (a->flags & LB_CLI_ARGS_COMMAND) {
					a->command = a->argv + optind;
					a->ncommand = a->argc - optind;
				} else {
					while (optind < a->argc)
						a->operands[a->noperands++] = a->argv[optind++];
				}
				return 0;
			}
			if (optind >= a->argc)
				return 0;
			/* An operand: set it aside (over elements already read)
			 * and go on with the options after it. */
			a->operands[a->noperands++] = a->argv[optind++];
			continue;
		}
		if (c == 'h') {
			if (a->help)
				a->help(stdout);
			a->exit = LB_EXIT_OK;
			return -1;
		}
		if (c == OPT_COLOR) {
			if (lb_cli_set_color(optarg) < 0) {
				lb_cli_error("%s: --color needs auto, always or never, not '%s'",
					     a->verb, lb_cli_q(optarg));
				a->exit = a->usage_exit;
				return -1;
			}
			continue;
		}
		if (c == '?' || c == ':') {
			a->exit = a->usage_exit;
			return bad_option(a, c);
		}
		return c;
	}
}

int lb_cli_usage(struct lb_cli_args *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "loopback: %s: ", a->verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see loopback %s --help)\n", a->verb);
	a->exit = a->usage_exit;
	return a->exit;
}

/* ---- Network namespaces ---------------------------------------------- */

int lb_cli_netns_query(const char *verb, lb_query *q, const char *arg)
{
	uint32_t v;

	if (lb_cli_parse_u32(arg, 0x7fffffff, &v) == 0 && v > 0)
		return lb_query_set_netns_pid(q, v) < 0 ? -1 : 0;
	if (strchr(arg, '/') && lb_query_set_netns_path(q, arg) == 0)
		return 0;
	lb_cli_error("%s: --netns needs a process id or a namespace file such as "
		     "/var/run/netns/NAME, not '%s'", verb, lb_cli_q(arg));
	return -1;
}

/* Whether --owner-scan=bpf was given (for lb_cli_list_error()). */
static bool owner_scan_bpf;

int lb_cli_owner_scan_query(const char *verb, lb_query *q, const char *arg)
{
	static const char *const names[] = { "auto", "proc", "bpf" };
	static const int scans[] = { LB_OWNER_SCAN_AUTO, LB_OWNER_SCAN_PROC, LB_OWNER_SCAN_BPF };
	size_t i;
	int r;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(arg, names[i]) != 0)
			continue;
		r = lb_query_set_owner_scan(q, scans[i]);
		owner_scan_bpf = scans[i] == LB_OWNER_SCAN_BPF;
		if (r < 0)
			lb_cli_error("%s: --owner-scan=%s: %s (this build or system has no BPF owner scan)",
				     verb, names[i], lb_strerror(r));
		return r < 0 ? -1 : 0;
	}
	lb_cli_error("%s: --owner-scan needs auto, proc or bpf, not '%s'", verb, lb_cli_q(arg));
	return -1;
}

void lb_cli_list_error(const char *verb, lb_query *q, int err)
{
	lb_socket_list *l = NULL;

	/* A forced BPF owner scan fails with these: if the same query with
	 * the /proc scan lists, the owner scan is what failed. */
	if (owner_scan_bpf && (err == LB_EPERM || err == LB_ENOTSUP) &&
	    lb_query_set_owner_scan(q, LB_OWNER_SCAN_PROC) == 0 && lb_socket_list_get(q, &l) == 0) {
		lb_socket_list_free(l);
		lb_cli_error("%s%scannot list sockets: the bpf owner scan: %s (%s)", verb ? verb : "",
			     verb ? ": " : "", lb_strerror(err),
			     err == LB_EPERM ? "needs root or CAP_BPF and CAP_PERFMON"
					     : "needs a kernel with BTF and the BPF task_file iterator, "
					       "in the initial PID namespace");
		return;
	}
	lb_cli_error("%s%scannot list sockets: %s", verb ? verb : "", verb ? ": " : "",
		     lb_strerror(err));
}

int lb_cli_enter_netns(const char *verb, const char *arg)
{
	uint32_t v;
	char path[64];
	const char *file = arg;

	if (lb_cli_parse_u32(arg, 0x7fffffff, &v) == 0 && v > 0) {
		snprintf(path, sizeof(path), "/proc/%lu/ns/net", (unsigned long)v);
		file = path;
	} else if (!strchr(arg, '/')) {
		lb_cli_error("%s: --netns needs a process id or a namespace file such as "
			     "/var/run/netns/NAME, not '%s'", verb, lb_cli_q(arg));
		return -1;
	}
	return lb_cli_setns(verb, arg, file);
}
