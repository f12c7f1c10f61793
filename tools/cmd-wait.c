/* SPDX-License-Identifier: MIT */
/* loopback wait HOST:PORT: until it accepts connections, or is free. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void help(FILE *f)
{
	fputs("Usage: loopback wait [OPTIONS] HOST:PORT [-- CMD [ARGS...]]\n"
	      "\n"
	      "Wait until HOST:PORT accepts TCP connections (or, with --free, until it\n"
	      "can be bound), checking every 50 ms. For an address of this host a\n"
	      "listener that takes connections to it, in the socket table, is enough:\n"
	      "wait does not connect, so the server sees no probe. For another host it\n"
	      "connects. With -- CMD, run CMD once the condition holds (its exit status\n"
	      "becomes ours). A host name waits on its first address. Options may come\n"
	      "before or after HOST:PORT; everything after -- is CMD.\n"
	      "\n"
	      "  -t, --timeout S   give up after S seconds: 0 to 86400, decimal, up to\n"
	      "                    3 decimals (default 30)\n"
	      "      --free        wait until the port is free instead\n"
	      "      --connect     also for this host, wait until a TCP connect succeeds\n"
	      "                    (the server sees each probe, closed with a reset)\n"
	      "  -p, --pid P       also require that the listener is held by process P or\n"
	      "                    one of its descendants (not a stale server); if P does\n"
	      "                    not exist or exits while waiting, stop at once (exit 1)\n"
	      "      --netns NS    wait in the network namespace of process NS, or of the\n"
	      "                    namespace file NS (/var/run/netns/NAME); root; CMD\n"
	      "                    runs in it too\n"
	      "      --json        print what was waited for, how long, and the listeners\n"
	      "                    found (socket objects as in who --json), see loopback(1)\n"
	      "  -h, --help        this help\n"
	      "\n"
	      "With --pid, a listener the caller cannot see (another PID namespace, or\n"
	      "another user's process when not root) is never matched; if P's own\n"
	      "sockets are hidden, wait fails (exit 2) once the port accepts.\n"
	      "\n"
	      "Exit status: 0 the condition holds (or CMD's status), 1 timed out or\n"
	      "P is gone, 2 usage error or failure.\n", f);
}

/* --json: {"target", "address", "port", "condition", "pid", "timeout_ms",
 * "waited_ms", "ready", "outcome", "listeners": [socket...]}. */
static void print_json(const char *target, const lb_addr *a, uint16_t port, int cond,
		       uint32_t pid, uint32_t timeout_ms, uint64_t waited, const char *outcome)
{
	char astr[LB_ADDR_STRLEN];
	bool first = true, ready = strcmp(outcome, "ready") == 0, lfirst = true;
	lb_socket_list *l = NULL;
	lb_query *q = NULL;
	size_t i;

	lb_cli_addr_text(a, astr, sizeof(astr));
	fputc('{', stdout);
	lb_json_key(stdout, &first, "target");
	lb_json_string(stdout, target);
	lb_json_key(stdout, &first, "address");
	lb_json_string(stdout, astr);
	lb_json_key(stdout, &first, "port");
	printf("%u", (unsigned)port);
	lb_json_key(stdout, &first, "condition");
	lb_json_string(stdout, cond == LB_WAIT_FREE ? "free" : "accepting");
	lb_json_key(stdout, &first, "pid");
	if (pid)
		printf("%lu", (unsigned long)pid);
	else
		fputs("null", stdout);
	lb_json_key(stdout, &first, "timeout_ms");
	printf("%lu", (unsigned long)timeout_ms);
	lb_json_key(stdout, &first, "waited_ms");
	printf("%llu", (unsigned long long)waited);
	lb_json_key(stdout, &first, "ready");
	fputs(ready ? "true" : "false", stdout);
	lb_json_key(stdout, &first, "outcome");
	lb_json_string(stdout, outcome);
	lb_json_key(stdout, &first, "listeners");
	fputc('[', stdout);
	/* The listeners that take connections to the address now (held by
	 * P's tree with --pid); none for --free or when the table does not
	 * show them. */
	if (ready && cond != LB_WAIT_FREE && lb_query_new(&q) == 0) {
		lb_query_set_protocols(q, LB_PROTO_TCP);
		lb_query_set_local_port(q, port);
		lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN));
		if (pid)
			lb_query_set_pid(q, pid, LB_PID_DESCENDANTS);
		if (lb_socket_list_get(q, &l) < 0)
			l = NULL;
		lb_query_free(q);
	}
	for (i = 0; l && i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		if (!lb_cli_socket_accepts(s, a))
			continue;
		if (!lfirst)
			fputc(',', stdout);
		lfirst = false;
		lb_cli_socket_json(stdout, s, lb_socket_list_owner_scan(l), NULL, 0);
	}
	lb_socket_list_free(l);
	fputs("]}\n", stdout);
	fflush(stdout);
}

#define OPT_FREE 0x100
#define OPT_JSON 0x101
#define OPT_NETNS 0x102
#define OPT_CONNECT 0x103

/* The address to wait on: @ep's, or the first its name resolves to.
 * 0, or -1 after an error line. */
static int wait_addr(const lb_endpoint *ep, lb_addr *addr)
{
	lb_addr_list *list = NULL;
	int r;

	*addr = ep->addr;
	if (ep->kind != LB_HOST_NAME)
		return 0;
	r = lb_resolve(ep->name, strlen(ep->name), LB_AF_NONE, &list);
	if (r == 0)
		r = lb_addr_list_addr(list, 0, addr);
	lb_addr_list_free(list);
	if (r < 0) {
		lb_cli_error("wait: cannot resolve '%s': %s", lb_cli_q(ep->name), lb_strerror(r));
		return -1;
	}
	return 0;
}

/* Say why waiting for @target failed with @r (< 0); the status to exit
 * with. */
static int wait_failed(const char *target, int r, int cond, uint32_t pid,
		       const char *timeout_arg)
{
	if (r == LB_ETIMEDOUT) {
		if (pid)
			lb_cli_error("wait: %s: not accepting from a listener of process %lu "
				     "or its descendants after %s s", lb_cli_q(target),
				     (unsigned long)pid, timeout_arg);
		else
			lb_cli_error("wait: %s: %s after %s s", lb_cli_q(target),
				     cond == LB_WAIT_FREE ? "still in use" : "not accepting", timeout_arg);
		return LB_EXIT_NO;
	}
	if (r == LB_ENOENT && pid) {
		lb_cli_error("wait: process %lu does not exist (it exited, or never ran)",
			     (unsigned long)pid);
		return LB_EXIT_NO;
	}
	if (r == LB_EPERM && pid) {
		lb_cli_error("wait: %s accepts, but the sockets of process %lu cannot be read "
			     "(permission; run as its user or as root)", lb_cli_q(target),
			     (unsigned long)pid);
		return LB_EXIT_ERROR;
	}
	lb_cli_error("wait: %s", lb_strerror(r));
	return LB_EXIT_ERROR;
}

int lb_cmd_wait(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "free", no_argument, NULL, OPT_FREE },
		{ "pid", required_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, OPT_NETNS },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "connect", no_argument, NULL, OPT_CONNECT },
		{ NULL, 0, NULL, 0 },
	};
	struct lb_cli_args a;
	const char *target, *netns = NULL, *timeout_arg = "30";
	uint32_t pid = 0, timeout_ms = 30000;
	uint64_t start;
	int cond = LB_WAIT_ACCEPTING, c, r;
	bool json = false, connect = false;
	lb_endpoint ep;
	lb_addr addr;

	lb_cli_args_init(&a, "wait", argc, argv, "t:p:", opts, help, LB_CLI_ARGS_COMMAND);
	while ((c = lb_cli_next(&a)) > 0) {
		switch (c) {
		case 't':
			if (lb_cli_parse_ms(optarg, 86400, &timeout_ms) < 0)
				return lb_cli_usage(&a, "--timeout needs seconds from 0 to 86400 "
						    "(decimals allowed), not '%s'", lb_cli_q(optarg));
			timeout_arg = optarg;
			break;
		case 'p':
			if (lb_cli_opt_u32("wait", "--pid", optarg, 1, 0x7fffffff, &pid) < 0)
				return LB_EXIT_ERROR;
			break;
		case OPT_FREE: cond = LB_WAIT_FREE; break;
		case OPT_NETNS: netns = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_CONNECT: connect = true; break;
		default: return lb_cli_usage(&a, "unexpected option");
		}
	}
	if (c < 0)
		return a.exit;
	if (a.noperands != 1 || (a.command && a.ncommand == 0))
		return lb_cli_usage(&a, "usage: loopback wait [OPTIONS] HOST:PORT [-- CMD [ARGS...]]");
	target = a.operands[0];
	if (connect && cond == LB_WAIT_FREE)
		return lb_cli_usage(&a, "--free and --connect do not go together (nothing to connect to)");
	if (pid && cond == LB_WAIT_FREE)
		return lb_cli_usage(&a, "--free and --pid do not go together (a free port has no holder)");
	r = lb_endpoint_parse(target, strlen(target), &ep, NULL);
	if (r < 0 || ep.port == 0)
		return lb_cli_usage(&a, "'%s' is not HOST:PORT with a port from 1 to 65535",
				    lb_cli_q(target));
	if (netns && lb_cli_enter_netns("wait", netns) < 0)
		return LB_EXIT_ERROR;
	if (wait_addr(&ep, &addr) < 0)
		return LB_EXIT_ERROR;
	start = lb_cli_now_ms();
	if (pid)
		r = lb_wait_held(&addr, ep.port, pid,
				 LB_PID_DESCENDANTS | (connect ? LB_WAIT_CONNECT : 0), timeout_ms);
	else
		r = lb_wait(&addr, ep.port, cond | (connect ? LB_WAIT_CONNECT : 0), timeout_ms);
	if (json && (r == 0 || r == LB_ETIMEDOUT || (r == LB_ENOENT && pid)))
		print_json(target, &addr, ep.port, cond, pid, timeout_ms, lb_cli_now_ms() - start,
			   r == 0 ? "ready" : r == LB_ETIMEDOUT ? "timed-out" : "process-gone");
	if (r < 0)
		return wait_failed(target, r, cond, pid, timeout_arg);
	if (a.command)
		return lb_cli_exec("wait", a.command);
	return LB_EXIT_OK;
}
