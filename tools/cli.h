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

/* Whether stdout is a terminal (human tables) or not. */
bool lb_cli_stdout_is_tty(void);

/* getline(3) where the C library has none (Windows): reads one line with
 * its newline into *line (grown as needed); returns its length, or -1 at
 * the end of input or on error. */
long lb_cli_getline(char **line, size_t *cap, FILE *f);

/* Minimal JSON output helpers, shared by every verb. */
void lb_json_string(FILE *f, const char *s);               /* "..." with escapes, null for NULL */
void lb_json_key(FILE *f, bool *first, const char *key);   /* ,"key": */

#endif /* LB_CLI_H */
