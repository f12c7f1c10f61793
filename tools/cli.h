/* SPDX-License-Identifier: MIT */
/*
 * The loopback command-line tool: shared declarations. The tool uses only
 * the public API of libloopback (it links the shared library).
 */
#ifndef LB_CLI_H
#define LB_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <loopback.h>

/* Stable exit codes, documented in loopback --help and loopback(1). */
#define LB_EXIT_OK 0     /* success / the answer is yes */
#define LB_EXIT_NO 1     /* the answer is no (invalid, nobody, not bindable, timed out) */
#define LB_EXIT_ERROR 2  /* usage error or failure */
/* loopback run: its own failures, and CMD that cannot run, as env(1). */
#define LB_EXIT_RUN_ERROR 125  /* run itself failed (no port, lease, setup) */
#define LB_EXIT_CANNOT_EXEC 126 /* CMD found but cannot be executed */
#define LB_EXIT_NOT_FOUND 127  /* CMD not found */

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
void lb_cli_socket_json(FILE *f, const lb_socket *s, const char *extra_key, int extra_bool);
void lb_cli_owners_text(const lb_socket *s, char *buf, size_t size); /* "name[pid],..." */
void lb_cli_table_header(FILE *f);
void lb_cli_table_row(FILE *f, const lb_socket *s);
int lb_cli_is_listener(const lb_socket *s);                          /* TCP LISTEN or UDP UNCONN */
const char *lb_cli_reach_note(const lb_socket *s);                   /* NULL when loopback-only */
int lb_cli_parse_u32(const char *s, uint32_t max, uint32_t *ret);   /* decimal; -1 if bad */
/* Parse the ls/audit options into a new query: returns -1 with *ret_q set
 * to go on, or the exit code (after printing help or a usage error). */
int lb_cli_list_query(int argc, char **argv, lb_query **ret_q, bool *json, bool *listening,
		      void (*usage)(FILE *f));
/* Say why lb_port_pick() failed with @err (not LB_EEXHAUSTED): where
 * leases are files, the lease directory and what is wrong with it. */
void lb_cli_pick_error(const char *verb, int err);
/* Verbs of the ports area (tools/cmd-pick.c, cmd-run.c). */
int lb_cmd_pick(int argc, char **argv);
int lb_cmd_run(int argc, char **argv);
int lb_cmd_check(int argc, char **argv);
int lb_cmd_wait(int argc, char **argv);
/* Parse one picking option (--count, --udp, --tcp, -4, -6, --contiguous,
 * --range) at argv[*i] into @o: 1 if it was one (*i advanced past its
 * value), 0 if not, -1 after printing an error. */
int lb_cli_pick_option(lb_pick_options *o, int argc, char **argv, int *i);
/* ["tcp","udp"] for a LB_PICK_* set. */
void lb_cli_print_protocols_json(FILE *f, unsigned protocols);

/* Starting commands: tools/proc-posix.c (fork/exec) and tools/proc-windows.c
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
