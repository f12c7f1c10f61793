/* SPDX-License-Identifier: MIT */
/*
 * Output shared by the socket verbs (who, ls, audit): the JSON socket
 * object documented in loopback(1), the human table, and the notes that
 * explain an answer.
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

const char *lb_cli_proto_name(int proto)
{
	return proto == LB_PROTO_TCP ? "tcp" : proto == LB_PROTO_UDP ? "udp" : "?";
}

void lb_cli_addr_text(const lb_addr *a, char *buf, size_t size)
{
	if (lb_addr_format(a, buf, size) < 0)
		snprintf(buf, size, "?");
}

void lb_cli_endpoint_text(const lb_addr *a, uint16_t port, int wildcard_port, char *buf,
			  size_t size)
{
	char addr[LB_ADDR_STRLEN];
	char p[8];

	lb_cli_addr_text(a, addr, sizeof(addr));
	if (wildcard_port && port == 0)
		snprintf(p, sizeof(p), "*");
	else
		snprintf(p, sizeof(p), "%u", (unsigned)port);
	snprintf(buf, size, a->family == LB_AF_INET6 ? "[%s]:%s" : "%s:%s", addr, p);
}

static void json_endpoint(FILE *f, const lb_addr *a, uint16_t port)
{
	char addr[LB_ADDR_STRLEN];
	bool first = true;

	lb_cli_addr_text(a, addr, sizeof(addr));
	fputc('{', f);
	lb_json_key(f, &first, "address");
	lb_json_string(f, addr);
	lb_json_key(f, &first, "port");
	fprintf(f, "%u}", (unsigned)port);
}

/* The "owner_error" strings of --json, documented in loopback(1) and the
 * JSON schema: one per lb_socket_owner_error() code. */
const char *lb_cli_owner_error_text(int err)
{
	switch (err) {
	case 0: return NULL;
	case LB_EPERM: return "permission denied";
	case LB_ENOTVISIBLE: return "not visible";
	case LB_EEXITED: return "exited";
	case LB_ENOTREQUESTED: return "not requested";
	default: return lb_strerror(err);
	}
}

void lb_cli_socket_json(FILE *f, const lb_socket *s, const char *owner_scan, const char *extra_key,
			int extra_bool)
{
	bool first = true;
	size_t i, n = lb_socket_owner_count(s);
	const char *oerr = lb_cli_owner_error_text(lb_socket_owner_error(s));
	int v6 = lb_socket_v6only(s);

	fputc('{', f);
	lb_json_key(f, &first, "protocol");
	lb_json_string(f, lb_cli_proto_name(lb_socket_protocol(s)));
	lb_json_key(f, &first, "family");
	lb_json_string(f, lb_socket_family(s) == LB_AF_INET ? "ipv4" : "ipv6");
	lb_json_key(f, &first, "state");
	lb_json_string(f, lb_state_name(lb_socket_protocol(s), lb_socket_state(s)));
	lb_json_key(f, &first, "local");
	json_endpoint(f, lb_socket_local_addr(s), lb_socket_local_port(s));
	lb_json_key(f, &first, "remote");
	json_endpoint(f, lb_socket_remote_addr(s), lb_socket_remote_port(s));
	lb_json_key(f, &first, "uid");
	fprintf(f, "%" PRIu32, lb_socket_uid(s));
	lb_json_key(f, &first, "inode");
	fprintf(f, "%" PRIu64, lb_socket_inode(s));
	lb_json_key(f, &first, "rx_queue");
	fprintf(f, "%" PRIu32, lb_socket_rx_queue(s));
	lb_json_key(f, &first, "tx_queue");
	fprintf(f, "%" PRIu32, lb_socket_tx_queue(s));
	lb_json_key(f, &first, "v6only");
	fputs(v6 < 0 ? "null" : v6 ? "true" : "false", f);
	lb_json_key(f, &first, "netns");
	fprintf(f, "%" PRIu64, lb_socket_netns(s));
	lb_json_key(f, &first, "owners");
	fputc('[', f);
	for (i = 0; i < n; i++) {
		const lb_owner *o = lb_socket_owner_at(s, i);
		bool ofirst = true;

		if (i)
			fputc(',', f);
		fputc('{', f);
		lb_json_key(f, &ofirst, "pid");
		fprintf(f, "%" PRIu32, lb_owner_pid(o));
		lb_json_key(f, &ofirst, "name");
		lb_json_string(f, lb_owner_name(o));
		lb_json_key(f, &ofirst, "cmdline");
		lb_json_string(f, lb_owner_cmdline(o));
		lb_json_key(f, &ofirst, "argv");
		if (!lb_owner_cmdline(o)) {
			fputs("null", f);
		} else {
			size_t k;

			fputc('[', f);
			for (k = 0; k < lb_owner_argc(o); k++) {
				if (k)
					fputc(',', f);
				lb_json_string(f, lb_owner_argv_at(o, k));
			}
			fputc(']', f);
		}
		lb_json_key(f, &ofirst, "exe");
		lb_json_string(f, lb_owner_exe(o));
		lb_json_key(f, &ofirst, "user");
		lb_json_string(f, lb_owner_user(o));
		lb_json_key(f, &ofirst, "uid");
		fprintf(f, "%" PRIu32, lb_owner_uid(o));
		lb_json_key(f, &ofirst, "start_time");
		fprintf(f, "%" PRIu64, lb_owner_start_time(o));
		fputc('}', f);
	}
	fputc(']', f);
	lb_json_key(f, &first, "owner_error");
	lb_json_string(f, oerr);
	lb_json_key(f, &first, "owner_scan");
	lb_json_string(f, owner_scan);
	if (extra_key) {
		lb_json_key(f, &first, extra_key);
		fputs(extra_bool ? "true" : "false", f);
	}
	fputc('}', f);
}

void lb_cli_owners_text(const lb_socket *s, char *buf, size_t size)
{
	size_t i, n = lb_socket_owner_count(s), len = 0;

	buf[0] = '\0';
	for (i = 0; i < n && len + 1 < size; i++) {
		const lb_owner *o = lb_socket_owner_at(s, i);
		char name[256];
		int w;

		lb_cli_escape(lb_owner_name(o), name, sizeof(name));
		w = snprintf(buf + len, size - len, "%s%s[%" PRIu32 "]", i ? "," : "", name,
			     lb_owner_pid(o));
		if (w < 0)
			break;
		len += (size_t)w;
	}
	if (n == 0 && lb_socket_owner_error(s) && lb_socket_owner_error(s) != LB_ENOTREQUESTED)
		snprintf(buf, size, "(%s)", lb_cli_owner_error_text(lb_socket_owner_error(s)));
	else if (n == 0)
		snprintf(buf, size, "-");
}

void lb_cli_table_header(FILE *f)
{
	fprintf(f, "%s%-5s %-11s %-28s %-28s %-10s %s%s\n", lb_cli_sgr(LB_SGR_BOLD), "PROTO", "STATE",
		"LOCAL", "REMOTE", "USER", "PROCESS", lb_cli_sgr(LB_SGR_RESET));
}

void lb_cli_table_row(FILE *f, const lb_socket *s)
{
	char local[LB_ENDPOINT_STRLEN], remote[LB_ENDPOINT_STRLEN], owners[512], user[128];
	char elocal[4 * LB_ENDPOINT_STRLEN], eremote[4 * LB_ENDPOINT_STRLEN];
	const lb_owner *o = lb_socket_owner_at(s, 0);

	lb_cli_endpoint_text(lb_socket_local_addr(s), lb_socket_local_port(s), 0, local,
			     sizeof(local));
	lb_cli_endpoint_text(lb_socket_remote_addr(s), lb_socket_remote_port(s), 1, remote,
			     sizeof(remote));
	lb_cli_owners_text(s, owners, sizeof(owners));
	if (o)
		lb_cli_escape(lb_owner_user(o), user, sizeof(user));
	else
		snprintf(user, sizeof(user), "uid:%" PRIu32, lb_socket_uid(s));
	/* A zone is an interface name, which a user may choose in a namespace. */
	lb_cli_escape(local, elocal, sizeof(elocal));
	lb_cli_escape(remote, eremote, sizeof(eremote));
	fprintf(f, "%-5s %-11s %-28s %-28s %-10s %s\n", lb_cli_proto_name(lb_socket_protocol(s)),
		lb_state_name(lb_socket_protocol(s), lb_socket_state(s)), elocal, eremote, user,
		owners);
}

int lb_cli_is_listener(const lb_socket *s)
{
	int st = lb_socket_state(s);

	return st == LB_STATE_LISTEN || (lb_socket_protocol(s) == LB_PROTO_UDP && st == LB_STATE_CLOSE);
}

const char *lb_cli_reach_note(const lb_socket *s)
{
	int cls = lb_addr_classify(lb_socket_local_addr(s));

	if (!lb_cli_is_listener(s))
		return NULL;
	if (cls == LB_CLASS_UNSPECIFIED && lb_socket_family(s) == LB_AF_INET)
		return "bound to 0.0.0.0, so also reachable from other machines";
	if (cls == LB_CLASS_UNSPECIFIED && lb_socket_v6only(s) == 1)
		return "bound to [::] as IPv6 only: reachable over IPv6 from other machines, not over IPv4";
	if (cls == LB_CLASS_UNSPECIFIED && lb_socket_v6only(s) == 0)
		return "bound to [::] dual-stack: reachable over IPv4 and IPv6 from other machines";
	if (cls == LB_CLASS_UNSPECIFIED)
		return "bound to [::]: reachable from other machines (over IPv4 too unless IPv6-only)";
	if (cls == LB_CLASS_LOOPBACK)
		return NULL;
	if (lb_socket_family(s) == LB_AF_INET6 && lb_socket_v6only(s) == 1)
		return "bound to a non-loopback address, IPv6 only: reachable from other machines";
	return "bound to a non-loopback address: reachable from other machines";
}

int lb_cli_parse_u32(const char *s, uint32_t max, uint32_t *ret)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned)(*p - '0');
		if (v > max)
			return -1;
	}
	*ret = (uint32_t)v;
	return 0;
}
