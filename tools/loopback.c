/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli.h"

static const struct lb_cli_verb verbs[] = {
	/* One line per verb, kept in the order of loopback --help. */
	{ "parse", "explain host:port endpoints, or check them in batch", lb_cmd_parse },
	{ "who", "who holds a port: processes, command lines, users", lb_cmd_who },
	{ "ls", "list TCP/UDP sockets with their owners", lb_cmd_ls },
	{ "audit", "listeners reachable beyond loopback; exit 1 if unexpected", lb_cmd_audit },
	{ "pick", "print free ports outside the ephemeral range", lb_cmd_pick },
	{ "run", "run a command with leased ports in its environment", lb_cmd_run },
	{ "check", "can HOST:PORT be bound, and if not why", lb_cmd_check },
	{ "wait", "wait until HOST:PORT accepts connections, or is free", lb_cmd_wait },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: loopback [--help] [--version] VERB [ARGS...]\n"
	      "\n"
	      "Answers for local endpoints and ports: what an endpoint is, which port\n"
	      "to use, whether it binds, and who holds it.\n"
	      "\n"
	      "Verbs:\n", f);
	for (i = 0; verbs[i].name; i++)
		fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fputs("\n"
	      "Run 'loopback VERB --help' for the options of a verb.\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success: valid, found, bindable, ready\n"
	      "  1  a negative answer: invalid, nobody, not bindable, timed out\n"
	      "  2  usage error or failure (output that could not be written too)\n"
	      "  run exits with CMD's status, and 125, 126 or 127 for its own failures\n"
	      "\n"
	      "See loopback(1).\n", f);
}

static int run_verb(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return LB_EXIT_ERROR;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return LB_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("loopback %s (libloopback %s)\n", LB_VERSION_STRING, lb_version());
		return LB_EXIT_OK;
	}
	for (i = 0; verbs[i].name; i++)
		if (strcmp(argv[1], verbs[i].name) == 0)
			return verbs[i].run(argc - 1, argv + 1);

	lb_cli_error("unknown verb '%s' (see loopback --help)", argv[1]);
	return LB_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	bool run = argc >= 2 && strcmp(argv[1], "run") == 0;

	if (lb_cli_std_fds() < 0)
		return run ? LB_EXIT_RUN_ERROR : LB_EXIT_ERROR; /* no stderr to say it on */
	return lb_cli_close_stdout(run_verb(argc, argv), run ? LB_EXIT_RUN_ERROR : LB_EXIT_ERROR);
}
