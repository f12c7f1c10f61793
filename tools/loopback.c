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

	fputs("Usage: loopback [--help] [--version] [--color=WHEN] VERB [ARGS...]\n"
	      "\n"
	      "Answers for local endpoints and ports: what an endpoint is, which port\n"
	      "to use, whether it binds, and who holds it.\n"
	      "\n"
	      "Verbs:\n", f);
	for (i = 0; verbs[i].name; i++)
		fprintf(f, "  %-8s %s\n", verbs[i].name, verbs[i].summary);
	fputs("\n"
	      "Run 'loopback VERB --help' for the options of a verb. Options may come\n"
	      "before or after the operands; -- ends them (for run and wait, CMD\n"
	      "follows it).\n"
	      "\n"
	      "  --color=WHEN  colour the human output: auto (the default: when stdout\n"
	      "                is a terminal and NO_COLOR is unset or empty), always or\n"
	      "                never; every verb takes it too\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success: valid, found, bindable, ready\n"
	      "  1  a negative answer: invalid, nobody, not bindable, timed out\n"
	      "  2  usage error or failure (output that could not be written too)\n"
	      "  run: CMD's status; 125 run itself failed, 126 CMD cannot be\n"
	      "  executed, 127 CMD not found\n"
	      "\n"
	      "See loopback(1).\n", f);
}

static int run_verb(int argc, char **argv)
{
	size_t i;

	/* Global options before the verb: --color[=WHEN]. */
	while (argc >= 2 && strncmp(argv[1], "--colo", 6) == 0 &&
	       (strncmp(argv[1], "--color", 7) == 0 || strncmp(argv[1], "--colour", 8) == 0)) {
		const char *v = strchr(argv[1], '=');
		size_t len = v ? (size_t)(v - argv[1]) : strlen(argv[1]);

		if ((len != 7 || strncmp(argv[1], "--color", 7) != 0) &&
		    (len != 8 || strncmp(argv[1], "--colour", 8) != 0))
			break;
		if (lb_cli_set_color(v ? v + 1 : NULL) < 0) {
			lb_cli_error("--color needs auto, always or never, not '%s'", lb_cli_q(v + 1));
			return LB_EXIT_ERROR;
		}
		argc--;
		argv++;
	}
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

	lb_cli_error("unknown verb '%s' (see loopback --help)", lb_cli_q(argv[1]));
	return LB_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	int v = 1;
	bool run;

	while (v < argc && (strncmp(argv[v], "--color", 7) == 0 || strncmp(argv[v], "--colour", 8) == 0))
		v++; /* global options before the verb */
	run = v < argc && strcmp(argv[v], "run") == 0;

	if (lb_cli_std_fds() < 0)
		return run ? LB_EXIT_RUN_FAILED : LB_EXIT_ERROR; /* no stderr to say it on */
	return lb_cli_close_stdout(run_verb(argc, argv), run ? LB_EXIT_RUN_FAILED : LB_EXIT_ERROR);
}
