/* SPDX-License-Identifier: MIT */
/*
 * The loopback command-line tool: shared declarations. The tool uses only
 * the public API of libloopback (it links the shared library).
 */
#ifndef LB_CLI_H
#define LB_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <loopback.h>

/* Stable exit codes, documented in loopback --help and loopback(1). */
#define LB_EXIT_OK 0     /* success / the answer is yes */
#define LB_EXIT_NO 1     /* the answer is no (invalid, nobody, not bindable, timed out) */
#define LB_EXIT_ERROR 2  /* usage error or failure */
/* loopback run's own statuses, as env(1), nice(1) and timeout(1) have
 * them, so that they never collide with CMD's usual 1 and 2. */
#define LB_EXIT_RUN_FAILED 125  /* run itself failed: usage, no free port, lease */
#define LB_EXIT_CANNOT_EXEC 126 /* CMD was found but could not be executed */
#define LB_EXIT_NOT_FOUND 127   /* CMD was not found */

struct lb_cli_verb {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the verb */
};

/* One function per verb, one file per verb (tools/cmd-VERB.c), one line
 * per verb in tools/loopback.c's table. */

/* Verb of the endpoint area (tools/cmd-parse.c). */
int lb_cmd_parse(int argc, char **argv);

/* Diagnostics to stderr, prefixed with "loopback: ". */
void lb_cli_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Flush stdout: 0, or -1 (the reason is kept for the message at exit). */
int lb_cli_flush_stdout(void);
/* At exit, as coreutils' close_stdout(): output that could not be written
 * (a full disk, /dev/full) is a failure that is said, never a silent
 * success. Returns @code, or @fail_code after a "write error" message. */
int lb_cli_close_stdout(int code, int fail_code);

/* Whether stdout is a terminal (human tables) or not. */
bool lb_cli_stdout_is_tty(void);
/* For output that may run to megabytes (ls, audit): a 64 KiB buffer on
 * @f when it is not a terminal, so that a listing costs one write() per
 * 64 KiB rather than per 4 KiB. Before anything is written to @f, for
 * one stream per process (the buffer is static); 0 or -1 (the stream
 * keeps its buffer). */
int lb_cli_listing_buffer(FILE *f);

/*
 * Arguments (tools/cli-args.c): every verb parses its options with
 * getopt_long through lb_cli_next(). Options may come before or after
 * the operands; "--" ends the options (for run and wait,
 * LB_CLI_ARGS_COMMAND, the command follows it). --help and --color are
 * added to every verb. A bad option prints one line and sets ->exit.
 */
#define LB_CLI_MAX_OPTS 32
#define LB_CLI_ARGS_COMMAND 1u /* "--" starts a command (run, wait) */
#define LB_CLI_ARGS_RUN 2u     /* usage errors exit LB_EXIT_RUN_FAILED */
struct lb_cli_args {
	const char *verb;
	int argc;
	char **argv;
	void (*help)(FILE *f);
	unsigned flags;
	int usage_exit;             /* LB_EXIT_ERROR, or 125 for run */
	int exit;                   /* what to exit with after lb_cli_next() < 0 */
	char **operands;            /* the operands, in order (argv reused) */
	int noperands;
	char **command;             /* after "--" with LB_CLI_ARGS_COMMAND, else NULL */
	int ncommand;
	char shortopts[64];
	struct option longopts[LB_CLI_MAX_OPTS];
};
void lb_cli_args_init(struct lb_cli_args *a, const char *verb, int argc, char **argv,
		      const char *shortopts, const struct option *longopts,
		      void (*help)(FILE *f), unsigned flags);
/* The next option (its getopt_long value, > 0), 0 when all are read (the
 * operands and command are then in @a), or -1 after --help or a usage
 * error: exit with a->exit. */
int lb_cli_next(struct lb_cli_args *a);
/* "loopback: VERB: <message> (see loopback VERB --help)"; returns the
 * usage exit status (also in a->exit). */
int lb_cli_usage(struct lb_cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* @s for an error line: at most 100 bytes, control bytes as \xNN, "..."
 * when cut. Four calls may be used in one message. */
const char *lb_cli_q(const char *s);
/* The one number parser of every option: decimal digits only (no sign,
 * space, 0x), @min..@max; prints "VERB: OPT needs a number from MIN to
 * MAX, not 'ARG'" and returns -1 when it is not. */
int lb_cli_opt_u32(const char *verb, const char *opt, const char *arg, uint32_t min,
		   uint32_t max, uint32_t *ret);
/* Seconds with up to 3 decimals ("1", "0.25"; no sign, exponent, hex),
 * 0..@max_s, in milliseconds: 0 or -1. */
int lb_cli_parse_ms(const char *s, uint32_t max_s, uint32_t *ret_ms);
/* "FIRST-LAST", 1 <= FIRST <= LAST <= 65535, strictly: 0 or -1. */
int lb_cli_parse_port_range(const char *s, uint16_t *first, uint16_t *last);
/* --netns NS for a socket query (ls, audit, who): a pid or a path with a
 * '/'; 0, or -1 after printing an error. */
int lb_cli_netns_query(const char *verb, lb_query *q, const char *arg);
/* --netns NS for check and wait: move this process into the namespace
 * (Linux setns); 0, or -1 after printing an error. */
int lb_cli_enter_netns(const char *verb, const char *arg);
/* A monotonic clock in milliseconds. */
uint64_t lb_cli_now_ms(void);

/* Colour: --color=auto|always|never (global or per verb) and NO_COLOR. */
#define LB_CLI_COLOR_AUTO 0
#define LB_CLI_COLOR_ALWAYS 1
#define LB_CLI_COLOR_NEVER 2
int lb_cli_set_color(const char *when); /* NULL: always; -1 if unknown */
bool lb_cli_color(void);                /* colour on stdout? */
/* @code (an SGR sequence) when colouring, else "". */
const char *lb_cli_sgr(const char *code);
#define LB_SGR_RESET "\033[0m"
#define LB_SGR_BOLD "\033[1m"
#define LB_SGR_RED "\033[1;31m"
#define LB_SGR_GREEN "\033[32m"
#define LB_SGR_YELLOW "\033[33m"

/* getline(3) where the C library has none (Windows): reads one line with
 * its newline into *line (grown as needed); returns its length, or -1 at
 * the end of input or on error. */
long lb_cli_getline(char **line, size_t *cap, FILE *f);

/* Text that comes from other processes (names, command lines, users,
 * explanations quoting them) is escaped in human output so that it can
 * neither forge lines nor drive the terminal, as ls -b does: \\, \n, \t,
 * \r, \xHH for other control bytes, DEL and bytes that are not UTF-8,
 * \uHHHH for C1 controls and bidi overrides. Valid UTF-8 text passes.
 * LB_CLI_ESC_ASCII escapes every byte above 0x7e as \xHH too. */
#define LB_CLI_ESC_ASCII 1u
/* Print @s[0..@len) escaped; returns the number of bytes written. */
size_t lb_cli_print_escaped(FILE *f, const char *s, size_t len, unsigned flags);
/* Print the string @s escaped (nothing for NULL). */
void lb_cli_print_text(FILE *f, const char *s);
/* Escape @s into @buf as snprintf() would (truncated, terminated); returns
 * the length of the whole escaped text. */
size_t lb_cli_escape(const char *s, char *buf, size_t size);

/*
 * Output assembled in memory, then written to @f with one fwrite() when
 * lb_cli_out_flush() is called or @buf is full: what the socket writers
 * use instead of a printf() per field. Text longer than @buf is written
 * through. Declare with LB_CLI_OUT_INIT(f, array).
 */
struct lb_cli_out {
	FILE *f;
	char *buf;
	size_t len, cap;
};
#define LB_CLI_OUT_INIT(f, array) { (f), (array), 0, sizeof(array) }
void lb_cli_out_flush(struct lb_cli_out *o);
void lb_cli_out_put_slow(struct lb_cli_out *o, const char *s, size_t n);
static inline void lb_cli_out_put(struct lb_cli_out *o, const char *s, size_t n)
{
	if (n > o->cap - o->len) {
		lb_cli_out_put_slow(o, s, n);
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}
static inline void lb_cli_out_char(struct lb_cli_out *o, char c)
{
	if (o->len == o->cap)
		lb_cli_out_flush(o);
	o->buf[o->len++] = c;
}
#define LB_CLI_OUT_LIT(o, lit) lb_cli_out_put((o), "" lit, sizeof(lit) - 1)
static inline void lb_cli_out_str(struct lb_cli_out *o, const char *s)
{
	lb_cli_out_put(o, s, strlen(s));
}
void lb_cli_out_u64(struct lb_cli_out *o, uint64_t v);                /* decimal */
/* @v in decimal into @buf (21 bytes are enough), terminated; the length. */
size_t lb_cli_u64_text(uint64_t v, char *buf);
void lb_cli_out_pad(struct lb_cli_out *o, const char *s, size_t width); /* as %-*s */
void lb_cli_out_json_string(struct lb_cli_out *o, const char *s);     /* as lb_json_string */

/* Minimal JSON output helpers, shared by every verb. */
void lb_json_string(FILE *f, const char *s);               /* "..." with escapes, null for NULL */
void lb_json_key(FILE *f, bool *first, const char *key);   /* ,"key": */

/* Verbs of the sockets area; shared output in tools/socket-out.c. */
int lb_cmd_who(int argc, char **argv);
int lb_cmd_ls(int argc, char **argv);
int lb_cmd_audit(int argc, char **argv);
const char *lb_cli_proto_name(int proto);                           /* "tcp" / "udp" */
void lb_cli_addr_text(const lb_addr *a, char *buf, size_t size);     /* lb_addr_format or "?" */
void lb_cli_endpoint_text(const lb_addr *a, uint16_t port, int wildcard_port, char *buf,
			  size_t size);                              /* "1.2.3.4:80", "[::1]:*" */
const char *lb_cli_owner_error_text(int err);                       /* NULL for 0 */
/* @owner_scan: lb_socket_list_owner_scan() of its list ("owner_scan": null when NULL). */
void lb_cli_socket_json(FILE *f, const lb_socket *s, const char *owner_scan, const char *extra_key,
			int extra_bool);
/* --owner-scan=auto|proc|bpf into @q; returns 0, or -1 after saying why. */
int lb_cli_owner_scan_query(const char *verb, lb_query *q, const char *arg);
/* Say why lb_socket_list_get(@q) failed with @err ("VERB: cannot list
 * sockets: ..."; no "VERB: " when @verb is NULL), naming the owner scan
 * when a forced --owner-scan=bpf is what failed (then @q is changed). */
void lb_cli_list_error(const char *verb, lb_query *q, int err);
void lb_cli_owners_text(const lb_socket *s, char *buf, size_t size); /* "name[pid],..." */
void lb_cli_table_header(FILE *f);
void lb_cli_table_row(FILE *f, const lb_socket *s);
int lb_cli_is_listener(const lb_socket *s);                          /* TCP LISTEN or UDP UNCONN */
/* Whether socket @s takes connections to @t: bound to it, to the wildcard
 * of its family, or (IPv4 @t) to a dual-stack [::] or to ::ffff:@t. */
bool lb_cli_socket_accepts(const lb_socket *s, const lb_addr *t);     /* tools/cmd-who.c */
const char *lb_cli_reach_note(const lb_socket *s);                   /* NULL when loopback-only */
int lb_cli_parse_u32(const char *s, uint32_t max, uint32_t *ret);   /* decimal; -1 if bad */
/* What ls and audit were asked beyond the query. */
struct lb_cli_list_opts {
	bool json, listening, all_netns;
	const char **allow;         /* audit: the --allow rules */
	size_t nallow;
};
/* Parse the ls/audit options (audit: with --allow) into a new query:
 * returns -1 with *ret_q set to go on, or the exit code (after printing
 * help or a usage error). */
int lb_cli_list_query(const char *verb, int argc, char **argv, lb_query **ret_q,
		      struct lb_cli_list_opts *lo, void (*usage)(FILE *f));
/* Say why lb_port_pick() failed with @err (not LB_EEXHAUSTED): where
 * leases are files, the lease directory and what is wrong with it. */
void lb_cli_pick_error(const char *verb, int err);
/* Verbs of the ports area (tools/cmd-pick.c, cmd-run.c). */
int lb_cmd_pick(int argc, char **argv);
int lb_cmd_run(int argc, char **argv);
int lb_cmd_check(int argc, char **argv);
int lb_cmd_wait(int argc, char **argv);
/* The picking options of pick and run (--count, --udp, --tcp, -4, -6,
 * --contiguous, --range): LB_CLI_PICK_SHORT and LB_CLI_PICK_LONG go into
 * their option tables; lb_cli_pick_option() applies option @c: 1 if it
 * was one, 0 if not, -1 after printing an error. */
#define LB_CLI_PICK_SHORT "n:tu46"
#define LB_CLI_OPT_CONTIGUOUS 0x180
#define LB_CLI_OPT_RANGE 0x181
#define LB_CLI_PICK_LONG \
	{ "count", required_argument, NULL, 'n' }, { "tcp", no_argument, NULL, 't' }, \
	{ "udp", no_argument, NULL, 'u' }, \
	{ "contiguous", no_argument, NULL, LB_CLI_OPT_CONTIGUOUS }, \
	{ "range", required_argument, NULL, LB_CLI_OPT_RANGE }
int lb_cli_pick_option(const char *verb, lb_pick_options *o, int c, const char *arg);
/* After the options: 0, or 1 (pick, run: no free group) when --count
 * cannot fit in --range, said on stderr. */
int lb_cli_pick_fits(const char *verb, const lb_pick_options *o);
/* ["tcp","udp"] for a LB_PICK_* set. */
void lb_cli_print_protocols_json(FILE *f, unsigned protocols);

/* Starting commands: tools/os/posix/proc.c (fork/exec) and tools/os/windows/proc.c
 * (CreateProcess). */
/* Before anything is opened: hold each closed standard descriptor (0-2)
 * with /dev/null so that no socket becomes a command's stdin or stdout.
 * 0, or -1 when /dev/null cannot be opened. */
int lb_cli_std_fds(void);
/* Set $NAME for this process and the commands it starts: 0 or -1. */
int lb_cli_setenv(const char *name, const char *value);
/* Run @argv (for wait -- CMD): POSIX execs it and returns only when it
 * cannot; Windows runs it and waits. Returns the status to exit with:
 * CMD's, 127 when it is not found, 126 when it cannot be run. */
int lb_cli_exec(const char *verb, char **argv);
/* loopback run: start @argv, which inherits @lease, wait for it and return
 * its exit status (POSIX: 128+N when it died of signal N, signals sent to
 * us passed on). @fds: the @nfds sockets of --listen-fds (POSIX only),
 * moved to 3.. with LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES from @names, and
 * closed in the parent; NULL otherwise. */
int lb_cli_run_command(char **argv, lb_lease *lease, int *fds, int nfds, const char **names,
		       int nnames);
/* Close a socket of lb_lease_listen(). */
void lb_cli_sock_close(int fd);

#endif /* LB_CLI_H */
