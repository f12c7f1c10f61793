/* SPDX-License-Identifier: MIT */
/*
 * bench-parse: address parsing throughput of lb_addr_parse() against
 * inet_pton() and getaddrinfo(AI_NUMERICHOST) on the same inputs.
 *
 *   bench-parse [COUNT [RUNS]]      (defaults: 1000000 inputs, 5 runs)
 *
 * The inputs are generated from a fixed seed, so every run and every
 * machine parses the same text: IPv4, IPv6 in every RFC 4291 form
 * (full, compressed, leading zeros, upper case, embedded IPv4), with
 * zones, and invalid ones (leading zeros, short forms, hex, too many
 * groups, junk). Each parser walks the whole set RUNS times; the median
 * run is reported, in ns per input, with ratios to lb_addr_parse(). A last
 * row times lb_endpoint_parse() on the same inputs written as host:port.
 * inet_pton() needs the family, so its caller's strchr(':') is counted
 * as part of it, as any caller would have to do.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <loopback.h>

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static int gen_v4(char *p)
{
	return sprintf(p, "%u.%u.%u.%u", rnd() % 256, rnd() % 256, rnd() % 256, rnd() % 256);
}

static int gen_v6(char *p)
{
	uint16_t g[8];
	int i, n = 0, kind = (int)(rnd() % 6), zero_at, zero_len;

	for (i = 0; i < 8; i++)
		g[i] = (uint16_t)(rnd() % 4 ? rnd() : 0);
	switch (kind) {
	case 0: /* full, lower case */
		for (i = 0; i < 8; i++)
			n += sprintf(p + n, i ? ":%x" : "%x", g[i]);
		return n;
	case 1: /* full, leading zeros, upper case */
		for (i = 0; i < 8; i++)
			n += sprintf(p + n, i ? ":%04X" : "%04X", g[i]);
		return n;
	case 2: /* compressed */
	case 3:
		zero_at = (int)(rnd() % 7);
		zero_len = 1 + (int)(rnd() % (unsigned)(8 - zero_at));
		for (i = 0; i < zero_at; i++)
			n += sprintf(p + n, i ? ":%x" : "%x", g[i]);
		n += sprintf(p + n, "::");
		for (i = zero_at + zero_len; i < 8; i++)
			n += sprintf(p + n, i > zero_at + zero_len ? ":%x" : "%x", g[i]);
		return n;
	case 4: /* IPv4-mapped */
		return sprintf(p, "::ffff:%u.%u.%u.%u", rnd() % 256, rnd() % 256, rnd() % 256,
			       rnd() % 256);
	default: /* loopback-ish short forms and embedded IPv4 after six groups */
		if (rnd() % 2)
			return sprintf(p, "::%x", rnd() % 16);
		for (i = 0; i < 6; i++)
			n += sprintf(p + n, "%x:", g[i]);
		return n + sprintf(p + n, "%u.%u.%u.%u", rnd() % 256, rnd() % 256, rnd() % 256,
				   rnd() % 256);
	}
}

static int gen_invalid(char *p)
{
	static const char *const bad[] = {
		"010.1.1.1", "127.1", "2130706433", "0x7f.0.0.1", "1.2.3.256", "1.2.3.4.5",
		"1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "fe80::1%", "::ffff:01.2.3.4",
		"localhost", "", " 1.2.3.4", "1.2.3.4 ", "[::1]", "::1/128", ":::", "1:2:3:4:5:6:7",
	};

	return sprintf(p, "%s", bad[rnd() % (sizeof(bad) / sizeof(bad[0]))]);
}

struct inputs {
	char *text;             /* NUL-separated inputs */
	size_t *off;
	size_t *len;
	size_t count;
};

static int make_inputs(struct inputs *in, size_t count)
{
	size_t i, pos = 0, cap = count * 64;

	in->text = malloc(cap);
	in->off = malloc(count * sizeof(size_t));
	in->len = malloc(count * sizeof(size_t));
	if (!in->text || !in->off || !in->len)
		return -1;
	for (i = 0; i < count; i++) {
		char *p = in->text + pos;
		unsigned k = rnd() % 100;
		int n;

		if (k < 40)
			n = gen_v4(p);
		else if (k < 75)
			n = gen_v6(p);
		else if (k < 85) {
			n = gen_v6(p);
			n += sprintf(p + n, "%%%s", rnd() % 2 ? "eth0" : "3");
		} else
			n = gen_invalid(p);
		in->off[i] = pos;
		in->len[i] = (size_t)n;
		pos += (size_t)n + 1;
	}
	in->count = count;
	return 0;
}

/* The same inputs as host:port: "[v6]:8080", "v4:8080". */
static int make_endpoints(const struct inputs *in, struct inputs *ep)
{
	size_t i, pos = 0;

	ep->text = malloc(in->count * 72);
	ep->off = malloc(in->count * sizeof(size_t));
	ep->len = malloc(in->count * sizeof(size_t));
	if (!ep->text || !ep->off || !ep->len)
		return -1;
	for (i = 0; i < in->count; i++) {
		const char *s = in->text + in->off[i];
		int n = sprintf(ep->text + pos, strchr(s, ':') ? "[%s]:8080" : "%s:8080", s);

		ep->off[i] = pos;
		ep->len[i] = (size_t)n;
		pos += (size_t)n + 1;
	}
	ep->count = in->count;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t run_lb(const struct inputs *in)
{
	size_t i, ok = 0;
	lb_addr a;

	for (i = 0; i < in->count; i++)
		ok += lb_addr_parse(in->text + in->off[i], in->len[i], &a, NULL) == 0;
	return ok;
}

static size_t run_lb_err(const struct inputs *in)
{
	size_t i, ok = 0;
	lb_parse_error err;
	lb_addr a;

	for (i = 0; i < in->count; i++)
		ok += lb_addr_parse(in->text + in->off[i], in->len[i], &a, &err) == 0;
	return ok;
}

static size_t run_lb_endpoint(const struct inputs *in)
{
	size_t i, ok = 0;
	lb_endpoint e;

	for (i = 0; i < in->count; i++)
		ok += lb_endpoint_parse(in->text + in->off[i], in->len[i], &e, NULL) == 0;
	return ok;
}

static size_t run_pton(const struct inputs *in)
{
	size_t i, ok = 0;
	unsigned char buf[16];

	for (i = 0; i < in->count; i++) {
		const char *s = in->text + in->off[i];

		ok += inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, buf) == 1;
	}
	return ok;
}

static size_t run_gai(const struct inputs *in)
{
	struct addrinfo hints, *res;
	size_t i, ok = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_STREAM;
	for (i = 0; i < in->count; i++) {
		if (getaddrinfo(in->text + in->off[i], NULL, &hints, &res) == 0) {
			ok++;
			freeaddrinfo(res);
		}
	}
	return ok;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	const char *name;
	size_t (*fn)(const struct inputs *);
	int endpoints;          /* runs on the host:port set */
	double ns;
	size_t accepted;
};

int main(int argc, char **argv)
{
	struct result r[] = {
		{ "lb_addr_parse", run_lb, 0, 0, 0 },
		{ "lb_addr_parse (with error)", run_lb_err, 0, 0, 0 },
		{ "inet_pton", run_pton, 0, 0, 0 },
		{ "getaddrinfo(NUMERICHOST)", run_gai, 0, 0, 0 },
		{ "lb_endpoint_parse [a]:port", run_lb_endpoint, 1, 0, 0 },
	};
	size_t count = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	struct inputs in, ep;
	double *t;
	size_t k;
	int i;

	if (count == 0 || runs < 1 || runs > 101) {
		fprintf(stderr, "usage: bench-parse [COUNT [RUNS]]\n");
		return 2;
	}
	t = malloc((size_t)runs * sizeof(double));
	if (!t || make_inputs(&in, count) < 0 || make_endpoints(&in, &ep) < 0) {
		fprintf(stderr, "bench-parse: out of memory\n");
		return 1;
	}
	printf("%zu inputs (40%% IPv4, 35%% IPv6, 10%% IPv6 with zone, 15%% invalid), "
	       "median of %d runs\n\n", count, runs);
	printf("%-28s %10s %12s %10s %10s\n", "parser", "ns/input", "Minputs/s", "accepted",
	       "vs lb");
	for (k = 0; k < sizeof(r) / sizeof(r[0]); k++) {
		for (i = 0; i < runs; i++) {
			double t0 = now();

			r[k].accepted = r[k].fn(r[k].endpoints ? &ep : &in);
			t[i] = now() - t0;
		}
		qsort(t, (size_t)runs, sizeof(double), cmp_double);
		r[k].ns = t[runs / 2] * 1e9 / (double)count;
	}
	for (k = 0; k < sizeof(r) / sizeof(r[0]); k++)
		printf("%-28s %10.1f %12.2f %10zu %9.2fx\n", r[k].name, r[k].ns, 1e3 / r[k].ns,
		       r[k].accepted, r[k].ns / r[0].ns);
	printf("\n(\"vs lb\": time relative to lb_addr_parse; above 1 means slower than it;\n"
	       " the last row parses the same inputs written as host:port)\n");
	free(t);
	free(in.text);
	free(in.off);
	free(in.len);
	free(ep.text);
	free(ep.off);
	free(ep.len);
	return 0;
}
