/* SPDX-License-Identifier: MIT */
/*
 * The sentences of lb_check_explanation() and lb_check_suggestion(): one
 * table per text, rows of (reason, conditions, template), the first row
 * whose conditions hold wins. Templates name the facts in braces
 * ({proto}, {endpoint}, ...: see fact_names[]); everything else is copied.
 * The suggestions name CLI commands (loopback pick, loopback who): they
 * are part of the stable texts the API returns.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "ports/check-internal.h"

struct text_row {
	int reason;
	unsigned need; /* LB__CHECK_HAS_* bits that must all be set */
	const char *text;
};

#define BLOCKER LB__CHECK_HAS_BLOCKER
#define V4 LB__CHECK_HAS_V4
#define OWNER LB__CHECK_HAS_OWNER
#define TW LB__CHECK_HAS_TIME_WAIT
#define EXCLUDED LB__CHECK_HAS_EXCLUDED

static const struct text_row explanations[] = {
	{ LB_CHECK_BINDABLE, 0, "{proto} {endpoint} is free to bind" },
	{ LB_CHECK_IN_USE, BLOCKER, "{proto} {endpoint} is in use by {who}{more}" },
	{ LB_CHECK_IN_USE, 0, "{proto} {endpoint} is in use by a socket on the same address{note}" },
	{ LB_CHECK_BLOCKED_WILDCARD, BLOCKER,
	  "{proto} {endpoint} is blocked by {who}{more}: {wildcard} covers every {family} address" },
	{ LB_CHECK_BLOCKED_WILDCARD, 0,
	  "{proto} {endpoint} is blocked by a socket on {wildcard}:{port}, which covers every {family} address{note}" },
	{ LB_CHECK_BLOCKED_DUALSTACK, BLOCKER | V4,
	  "{proto} {endpoint} is blocked by {who}{more}: [::] without IPV6_V6ONLY covers IPv4 too" },
	{ LB_CHECK_BLOCKED_DUALSTACK, BLOCKER,
	  "{proto} {endpoint} is blocked by {who}{more}: a dual-stack [::] bind covers IPv4 too" },
	{ LB_CHECK_BLOCKED_DUALSTACK, 0,
	  "{proto} {endpoint} is blocked by a dual-stack socket: [::]:{port} without IPV6_V6ONLY covers IPv4 too{note}" },
	{ LB_CHECK_TIME_WAIT, BLOCKER,
	  "{proto} {endpoint} is held only by closed connections (TIME_WAIT); nothing listens: {who}{more}" },
	{ LB_CHECK_TIME_WAIT, 0,
	  "{proto} {endpoint} is held only by closed connections (TIME_WAIT); nothing listens{note}" },
	/* WSAEACCES: Windows has no privileged ports; an excluded port range
	 * (Hyper-V, WSL, WinNAT, Docker reservations) refuses it. */
	{ LB_CHECK_PRIVILEGED, EXCLUDED,
	  "{proto} {endpoint} is in a port range reserved by Windows (netsh int ipv4 show excludedportrange protocol={protocol})" },
	{ LB_CHECK_PRIVILEGED, 0,
	  "{proto} {endpoint} is a privileged port: binding it needs CAP_NET_BIND_SERVICE" },
	{ LB_CHECK_NOT_LOCAL, 0,
	  "{address} is not an address of this host (or of this network namespace)" },
	{ LB_CHECK_LEASED, OWNER, "{proto} {endpoint} binds, but port {port} is leased by {owner}" },
	{ LB_CHECK_LEASED, 0,
	  "{proto} {endpoint} binds, but port {port} is leased by a process this user cannot see" },
};

static const struct text_row suggestions[] = {
	{ LB_CHECK_IN_USE, OWNER, "stop {owner}, or pick another port (loopback pick)" },
	{ LB_CHECK_IN_USE, TW,
	  "wait up to 60 s for TIME-WAIT to end (SO_REUSEADDR does not help: the closed socket did not set it), or pick another port (loopback pick)" },
	{ LB_CHECK_IN_USE, 0,
	  "stop the process holding it (loopback who {port}, as root to see every process), or pick another port (loopback pick)" },
	{ LB_CHECK_BLOCKED_WILDCARD, OWNER, "make {owner} bind a specific address, or pick another port" },
	{ LB_CHECK_BLOCKED_WILDCARD, 0,
	  "make the other server bind a specific address, or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, V4 | OWNER,
	  "set IPV6_V6ONLY on the [::] socket of {owner} (or net.ipv6.bindv6only=1), or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, V4,
	  "set IPV6_V6ONLY on the [::] socket (or net.ipv6.bindv6only=1), or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, OWNER,
	  "bind [::] with IPV6_V6ONLY (it then leaves IPv4 alone), stop {owner}, or pick another port" },
	{ LB_CHECK_BLOCKED_DUALSTACK, 0,
	  "bind [::] with IPV6_V6ONLY (it then leaves IPv4 alone), stop the IPv4 server, or pick another port" },
	{ LB_CHECK_TIME_WAIT, 0, "set SO_REUSEADDR before bind() (it then binds), or wait up to 60 s" },
	{ LB_CHECK_PRIVILEGED, EXCLUDED,
	  "pick a port outside the excluded ranges (loopback pick skips them)" },
	{ LB_CHECK_PRIVILEGED, 0,
	  "use a port at or above net.ipv4.ip_unprivileged_port_start, or grant CAP_NET_BIND_SERVICE" },
	{ LB_CHECK_NOT_LOCAL, 0, "bind 127.0.0.1, ::1 or an address shown by 'ip address'" },
	{ LB_CHECK_LEASED, OWNER, "pick another port (loopback pick), or stop the lease holder, {owner}" },
	{ LB_CHECK_LEASED, 0, "pick another port (loopback pick), or stop the lease holder" },
};

/* The value of fact @name (@len bytes), NULL when there is none. */
static const char *fact(const struct lb__check_facts *f, const char *name, size_t len)
{
	static const char *const fact_names[] = {
		"proto", "protocol", "endpoint", "address", "port", "who",
		"more", "owner", "note", "wildcard", "family",
	};
	const char *values[LB_ARRAY_SIZE(fact_names)];
	size_t i;

	values[0] = f->proto;
	values[1] = f->protocol;
	values[2] = f->endpoint;
	values[3] = f->address;
	values[4] = f->port;
	values[5] = f->who;
	values[6] = f->more;
	values[7] = f->owner;
	values[8] = f->note;
	values[9] = f->has & LB__CHECK_HAS_V4 ? "0.0.0.0" : "[::]";
	values[10] = f->has & LB__CHECK_HAS_V4 ? "IPv4" : "IPv6";
	for (i = 0; i < LB_ARRAY_SIZE(fact_names); i++)
		if (strlen(fact_names[i]) == len && memcmp(fact_names[i], name, len) == 0)
			return values[i];
	return NULL;
}

/* Append @s to @buf (@size, *@n used), truncating as snprintf() does. */
static void put(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	size_t room = *n + 1 < size ? size - 1 - *n : 0;

	if (len > room)
		len = room;
	memcpy(buf + *n, s, len);
	*n += len;
	buf[*n] = '\0';
}

/* @tmpl with its {facts} filled in, into @buf; "" with no template. */
static void expand(const char *tmpl, const struct lb__check_facts *f, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	while (tmpl && *tmpl) {
		const char *end = tmpl[0] == '{' ? strchr(tmpl, '}') : NULL;
		const char *v = end ? fact(f, tmpl + 1, (size_t)(end - tmpl - 1)) : NULL;

		if (v) {
			put(buf, size, &n, v, strlen(v));
			tmpl = end + 1;
		} else {
			put(buf, size, &n, tmpl, 1);
			tmpl++;
		}
	}
}

static const char *lookup(const struct text_row *rows, size_t n, int reason, unsigned has)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].reason == reason && (rows[i].need & has) == rows[i].need)
			return rows[i].text;
	return NULL;
}

void lb__check_texts(const struct lb__check_facts *f, char *explanation, size_t esize,
		     char *suggestion, size_t ssize)
{
	expand(lookup(explanations, LB_ARRAY_SIZE(explanations), f->reason, f->has), f,
	       explanation, esize);
	expand(lookup(suggestions, LB_ARRAY_SIZE(suggestions), f->reason, f->has), f,
	       suggestion, ssize);
}
