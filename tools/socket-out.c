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

/* Append @n bytes of @s to the text of *@len bytes in @buf (@size bytes)
 * as snprintf() would: cut to fit, always terminated, *@len counting the
 * whole text. */
static void text_put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 < size) {
		size_t room = size - 1 - *len, k = n < room ? n : room;

		memcpy(buf + *len, s, k);
		buf[*len + k] = '\0';
	}
	*len += n;
}

/* Hand-formatted (this runs twice per row of a listing): the text that
 * snprintf("%s:%s" or "[%s]:%s", address, port or "*") gives. */
void lb_cli_endpoint_text(const lb_addr *a, uint16_t port, int wildcard_port, char *buf,
			  size_t size)
{
	char addr[LB_ADDR_STRLEN], p[24];
	bool v6 = a->family == LB_AF_INET6;
	size_t len = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	lb_cli_addr_text(a, addr, sizeof(addr));
	if (v6)
		text_put(buf, size, &len, "[", 1);
	text_put(buf, size, &len, addr, strlen(addr));
	text_put(buf, size, &len, v6 ? "]:" : ":", v6 ? 2 : 1);
	if (wildcard_port && port == 0)
		text_put(buf, size, &len, "*", 1);
	else
		text_put(buf, size, &len, p, lb_cli_u64_text(port, p));
}

static void json_endpoint(struct lb_cli_out *o, const lb_addr *a, uint16_t port)
{
	char addr[LB_ADDR_STRLEN];

	lb_cli_addr_text(a, addr, sizeof(addr));
	LB_CLI_OUT_LIT(o, "{\"address\":");
	lb_cli_out_json_string(o, addr);
	LB_CLI_OUT_LIT(o, ",\"port\":");
	lb_cli_out_u64(o, port);
	lb_cli_out_char(o, '}');
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

/* One owner object of a socket's "owners" array. */
static void json_owner(struct lb_cli_out *o, const lb_owner *ow)
{
	LB_CLI_OUT_LIT(o, "{\"pid\":");
	lb_cli_out_u64(o, lb_owner_pid(ow));
	LB_CLI_OUT_LIT(o, ",\"name\":");
	lb_cli_out_json_string(o, lb_owner_name(ow));
	LB_CLI_OUT_LIT(o, ",\"cmdline\":");
	lb_cli_out_json_string(o, lb_owner_cmdline(ow));
	LB_CLI_OUT_LIT(o, ",\"argv\":");
	if (!lb_owner_cmdline(ow)) {
		LB_CLI_OUT_LIT(o, "null");
	} else {
		size_t k;

		lb_cli_out_char(o, '[');
		for (k = 0; k < lb_owner_argc(ow); k++) {
			if (k)
				lb_cli_out_char(o, ',');
			lb_cli_out_json_string(o, lb_owner_argv_at(ow, k));
		}
		lb_cli_out_char(o, ']');
	}
	LB_CLI_OUT_LIT(o, ",\"exe\":");
	lb_cli_out_json_string(o, lb_owner_exe(ow));
	LB_CLI_OUT_LIT(o, ",\"user\":");
	lb_cli_out_json_string(o, lb_owner_user(ow));
	LB_CLI_OUT_LIT(o, ",\"uid\":");
	lb_cli_out_u64(o, lb_owner_uid(ow));
	LB_CLI_OUT_LIT(o, ",\"start_time\":");
	lb_cli_out_u64(o, lb_owner_start_time(ow));
	lb_cli_out_char(o, '}');
}

/* One socket object, built in memory and written with one fwrite() (a
 * listing writes tens of thousands). The keys need no escaping: they are
 * written as they are, in the order loopback(1) documents. */
void lb_cli_socket_json(FILE *f, const lb_socket *s, const char *owner_scan, const char *extra_key,
			int extra_bool)
{
	char buf[4096];
	struct lb_cli_out o = LB_CLI_OUT_INIT(f, buf);
	size_t i, n = lb_socket_owner_count(s);
	const char *oerr = lb_cli_owner_error_text(lb_socket_owner_error(s));
	int v6 = lb_socket_v6only(s);

	LB_CLI_OUT_LIT(&o, "{\"protocol\":");
	lb_cli_out_json_string(&o, lb_cli_proto_name(lb_socket_protocol(s)));
	LB_CLI_OUT_LIT(&o, ",\"family\":");
	if (lb_socket_family(s) == LB_AF_INET)
		LB_CLI_OUT_LIT(&o, "\"ipv4\"");
	else
		LB_CLI_OUT_LIT(&o, "\"ipv6\"");
	LB_CLI_OUT_LIT(&o, ",\"state\":");
	lb_cli_out_json_string(&o, lb_state_name(lb_socket_protocol(s), lb_socket_state(s)));
	LB_CLI_OUT_LIT(&o, ",\"local\":");
	json_endpoint(&o, lb_socket_local_addr(s), lb_socket_local_port(s));
	LB_CLI_OUT_LIT(&o, ",\"remote\":");
	json_endpoint(&o, lb_socket_remote_addr(s), lb_socket_remote_port(s));
	LB_CLI_OUT_LIT(&o, ",\"uid\":");
	lb_cli_out_u64(&o, lb_socket_uid(s));
	LB_CLI_OUT_LIT(&o, ",\"inode\":");
	lb_cli_out_u64(&o, lb_socket_inode(s));
	LB_CLI_OUT_LIT(&o, ",\"rx_queue\":");
	lb_cli_out_u64(&o, lb_socket_rx_queue(s));
	LB_CLI_OUT_LIT(&o, ",\"tx_queue\":");
	lb_cli_out_u64(&o, lb_socket_tx_queue(s));
	LB_CLI_OUT_LIT(&o, ",\"v6only\":");
	lb_cli_out_str(&o, v6 < 0 ? "null" : v6 ? "true" : "false");
	LB_CLI_OUT_LIT(&o, ",\"netns\":");
	lb_cli_out_u64(&o, lb_socket_netns(s));
	LB_CLI_OUT_LIT(&o, ",\"owners\":[");
	for (i = 0; i < n; i++) {
		if (i)
			lb_cli_out_char(&o, ',');
		json_owner(&o, lb_socket_owner_at(s, i));
	}
	LB_CLI_OUT_LIT(&o, "],\"owner_error\":");
	lb_cli_out_json_string(&o, oerr);
	LB_CLI_OUT_LIT(&o, ",\"owner_scan\":");
	lb_cli_out_json_string(&o, owner_scan);
	if (extra_key) {
		lb_cli_out_char(&o, ',');
		lb_cli_out_json_string(&o, extra_key);
		lb_cli_out_char(&o, ':');
		lb_cli_out_str(&o, extra_bool ? "true" : "false");
	}
	lb_cli_out_char(&o, '}');
	lb_cli_out_flush(&o);
}

void lb_cli_owners_text(const lb_socket *s, char *buf, size_t size)
{
	size_t i, n = lb_socket_owner_count(s), len = 0;
	int err = lb_socket_owner_error(s);

	buf[0] = '\0';
	/* "name[pid]" joined by ",", cut at @size as snprintf() cuts. */
	for (i = 0; i < n && len + 1 < size; i++) {
		const lb_owner *o = lb_socket_owner_at(s, i);
		char name[256], pid[24];

		if (i)
			text_put(buf, size, &len, ",", 1);
		lb_cli_escape(lb_owner_name(o), name, sizeof(name));
		text_put(buf, size, &len, name, strlen(name));
		text_put(buf, size, &len, "[", 1);
		text_put(buf, size, &len, pid, lb_cli_u64_text(lb_owner_pid(o), pid));
		text_put(buf, size, &len, "]", 1);
	}
	if (n == 0 && err && err != LB_ENOTREQUESTED) {
		const char *t = lb_cli_owner_error_text(err);

		text_put(buf, size, &len, "(", 1);
		text_put(buf, size, &len, t, strlen(t));
		text_put(buf, size, &len, ")", 1);
	} else if (n == 0) {
		text_put(buf, size, &len, "-", 1);
	}
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
	char row[2048];
	struct lb_cli_out out = LB_CLI_OUT_INIT(f, row);
	const lb_owner *o = lb_socket_owner_at(s, 0);

	lb_cli_endpoint_text(lb_socket_local_addr(s), lb_socket_local_port(s), 0, local,
			     sizeof(local));
	lb_cli_endpoint_text(lb_socket_remote_addr(s), lb_socket_remote_port(s), 1, remote,
			     sizeof(remote));
	lb_cli_owners_text(s, owners, sizeof(owners));
	if (o) {
		lb_cli_escape(lb_owner_user(o), user, sizeof(user));
	} else {
		memcpy(user, "uid:", 4);
		lb_cli_u64_text(lb_socket_uid(s), user + 4);
	}
	/* A zone is an interface name, which a user may choose in a namespace;
	 * without one, an endpoint is digits, hex letters and ".:[]*". */
	if (strchr(local, '%'))
		lb_cli_escape(local, elocal, sizeof(elocal));
	else
		memcpy(elocal, local, strlen(local) + 1);
	if (strchr(remote, '%'))
		lb_cli_escape(remote, eremote, sizeof(eremote));
	else
		memcpy(eremote, remote, strlen(remote) + 1);
	/* "%-5s %-11s %-28s %-28s %-10s %s\n", built in memory: one fwrite(). */
	lb_cli_out_pad(&out, lb_cli_proto_name(lb_socket_protocol(s)), 5);
	lb_cli_out_char(&out, ' ');
	lb_cli_out_pad(&out, lb_state_name(lb_socket_protocol(s), lb_socket_state(s)), 11);
	lb_cli_out_char(&out, ' ');
	lb_cli_out_pad(&out, elocal, 28);
	lb_cli_out_char(&out, ' ');
	lb_cli_out_pad(&out, eremote, 28);
	lb_cli_out_char(&out, ' ');
	lb_cli_out_pad(&out, user, 10);
	lb_cli_out_char(&out, ' ');
	lb_cli_out_str(&out, owners);
	lb_cli_out_char(&out, '\n');
	lb_cli_out_flush(&out);
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
