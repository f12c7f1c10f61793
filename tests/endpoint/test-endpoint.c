/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/endpoint/endpoint.c: parsing and formatting of addresses and
 * endpoints. Cases come from RFC 4291 (text forms), RFC 5952 (canonical
 * output), RFC 1123/3696 (host names), and from the test tables of Go's
 * net/netip, Rust's std::net and CPython's ipaddress.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include <loopback.h>

#define S(x) (x), (sizeof(x) - 1)
#define LB_ARRAY_SIZE_T(a) (sizeof(a) / sizeof((a)[0]))

/* ---- addresses that parse, and their canonical text ---- */

struct addr_ok {
	const char *in;
	const char *canon;
	int family;
	uint32_t scope_id;
};

static const struct addr_ok addr_ok[] = {
	/* IPv4: decimal dotted quads only */
	{ "0.0.0.0", "0.0.0.0", LB_AF_INET, 0 },
	{ "127.0.0.1", "127.0.0.1", LB_AF_INET, 0 },
	{ "255.255.255.255", "255.255.255.255", LB_AF_INET, 0 },
	{ "192.0.2.1", "192.0.2.1", LB_AF_INET, 0 },
	{ "1.2.3.4", "1.2.3.4", LB_AF_INET, 0 },
	{ "10.0.0.0", "10.0.0.0", LB_AF_INET, 0 },
	{ "100.64.0.1", "100.64.0.1", LB_AF_INET, 0 },
	{ "249.249.249.249", "249.249.249.249", LB_AF_INET, 0 },
	/* IPv6, RFC 4291 2.2 form 1: full, with and without leading zeros */
	{ "2001:db8:0:0:8:800:200c:417a", "2001:db8::8:800:200c:417a", LB_AF_INET6, 0 },
	{ "2001:0DB8:0000:0000:0008:0800:200C:417A", "2001:db8::8:800:200c:417a", LB_AF_INET6, 0 },
	{ "ff01:0:0:0:0:0:0:101", "ff01::101", LB_AF_INET6, 0 },
	{ "0:0:0:0:0:0:0:1", "::1", LB_AF_INET6, 0 },
	{ "0:0:0:0:0:0:0:0", "::", LB_AF_INET6, 0 },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", LB_AF_INET6, 0 },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LB_AF_INET6, 0 },
	/* form 2: "::" */
	{ "::", "::", LB_AF_INET6, 0 },
	{ "::1", "::1", LB_AF_INET6, 0 },
	{ "1::", "1::", LB_AF_INET6, 0 },
	{ "2001:db8::8:800:200c:417a", "2001:db8::8:800:200c:417a", LB_AF_INET6, 0 },
	{ "1::2:3:4:5:6:7", "1:0:2:3:4:5:6:7", LB_AF_INET6, 0 },   /* :: for one group: RFC 5952 4.2.2 */
	{ "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", LB_AF_INET6, 0 },
	{ "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8", LB_AF_INET6, 0 },
	{ "1:2:3:4:5::8", "1:2:3:4:5::8", LB_AF_INET6, 0 },
	/* RFC 5952 examples: longest run, first of equal runs, lower case */
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", LB_AF_INET6, 0 },
	{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1", LB_AF_INET6, 0 },
	{ "2001:db8::1:0:0:1", "2001:db8::1:0:0:1", LB_AF_INET6, 0 },
	{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", LB_AF_INET6, 0 },
	{ "2001:DB8::ABCD:0:0:0:1", "2001:db8:0:abcd::1", LB_AF_INET6, 0 },
	{ "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:1", LB_AF_INET6, 0 },
	{ "2001:db8:0:0:0::1", "2001:db8::1", LB_AF_INET6, 0 },
	{ "2001:db8::0:1", "2001:db8::1", LB_AF_INET6, 0 },
	{ "2001:db8:0:0:1:0:0:0", "2001:db8:0:0:1::", LB_AF_INET6, 0 },
	{ "0:0:1:0:0:0:0:0", "0:0:1::", LB_AF_INET6, 0 },
	/* form 3: embedded IPv4 */
	{ "::ffff:192.0.2.1", "::ffff:192.0.2.1", LB_AF_INET6, 0 },
	{ "::FFFF:129.144.52.38", "::ffff:129.144.52.38", LB_AF_INET6, 0 },
	{ "0:0:0:0:0:ffff:7f00:1", "::ffff:127.0.0.1", LB_AF_INET6, 0 },
	{ "::ffff:0.0.0.0", "::ffff:0.0.0.0", LB_AF_INET6, 0 },
	{ "::13.1.68.3", "::d01:4403", LB_AF_INET6, 0 },            /* IPv4-compatible: hex */
	{ "0:0:0:0:0:0:13.1.68.3", "::d01:4403", LB_AF_INET6, 0 },
	{ "::1.2.3.4", "::102:304", LB_AF_INET6, 0 },
	{ "::ffff:0:1.2.3.4", "::ffff:0:102:304", LB_AF_INET6, 0 }, /* SIIT: hex */
	{ "64:ff9b::192.0.2.33", "64:ff9b::c000:221", LB_AF_INET6, 0 },
	{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", LB_AF_INET6, 0 },
	{ "1::5:6:1.2.3.4", "1::5:6:102:304", LB_AF_INET6, 0 },
	{ "::0.0.0.0", "::", LB_AF_INET6, 0 },
	{ "::0.0.0.1", "::1", LB_AF_INET6, 0 },
	/* zones */
	{ "fe80::1%eth0", "fe80::1%eth0", LB_AF_INET6, 0 },
	{ "fe80::1%3", "fe80::1%3", LB_AF_INET6, 3 },
	{ "fe80::1%lo", "fe80::1%lo", LB_AF_INET6, 0 },
	{ "fe80::1%4294967295", "fe80::1%4294967295", LB_AF_INET6, 4294967295u },
	{ "fe80::1%4294967296", "fe80::1%4294967296", LB_AF_INET6, 0 },  /* too big: a name */
	{ "fe80::1%0", "fe80::1%0", LB_AF_INET6, 0 },
	{ "FE80:0:0:0:1CC0:3E8C:119F:C2E1%ens18", "fe80::1cc0:3e8c:119f:c2e1%ens18", LB_AF_INET6, 0 },
	{ "fe80::1%a.b_c~d-e", "fe80::1%a.b_c~d-e", LB_AF_INET6, 0 },
	{ "ff02::1%Wi-Fi", "ff02::1%Wi-Fi", LB_AF_INET6, 0 },
	{ "::1%1", "::1%1", LB_AF_INET6, 1 },
	{ "::ffff:1.2.3.4%x", "::ffff:1.2.3.4%x", LB_AF_INET6, 0 },
	{ "fe80::1%123456789012345678901234567890123456789012345678901234567890abc",
	  "fe80::1%123456789012345678901234567890123456789012345678901234567890abc", LB_AF_INET6, 0 },
};

START_TEST(test_addr_parse_ok)
{
	const struct addr_ok *t = &addr_ok[_i];
	lb_parse_error err = { 99, 99, "untouched", { 0 } };
	lb_addr a, b;
	char buf[LB_ADDR_STRLEN];
	int n;

	memset(&a, 0xaa, sizeof(a));
	ck_assert_msg(lb_addr_parse(t->in, strlen(t->in), &a, &err) == 0,
		      "'%s' rejected at %zu: %s", t->in, err.offset, err.reason);
	ck_assert_str_eq(err.reason, "untouched");              /* error untouched on success */
	ck_assert_int_eq(a.family, t->family);
	ck_assert_uint_eq(a.scope_id, t->scope_id);
	ck_assert_mem_eq(a.reserved, (uint8_t[16]){ 0 }, 16);
	n = lb_addr_format(&a, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)strlen(t->canon));
	ck_assert_str_eq(buf, t->canon);
	/* the canonical form parses to the same address and is a fixed point */
	ck_assert_int_eq(lb_addr_parse(buf, (size_t)n, &b, NULL), 0);
	ck_assert_int_eq(lb_addr_equal(&a, &b), 1);
	ck_assert_int_eq(lb_addr_format(&b, buf, sizeof(buf)), n);
	ck_assert_str_eq(buf, t->canon);
}
END_TEST

/* ---- addresses that do not parse: where and how ---- */

struct bad {
	const char *in;
	size_t len;     /* 0: strlen(in) */
	size_t offset;
	int code;
	const char *reason; /* a substring of the reason */
};

#define SYN LB_ESYNTAX
#define RNG LB_ERANGE

static const struct bad addr_bad[] = {
	{ "", 0, 0, SYN, "empty" },
	/* IPv4: leading zeros, hex, octal, short forms, ranges */
	{ "010.1.1.1", 0, 0, SYN, "leading zero" },
	{ "1.01.1.1", 0, 2, SYN, "leading zero" },
	{ "1.1.1.00", 0, 6, SYN, "leading zero" },
	{ "0x7f.0.0.1", 0, 0, SYN, "hexadecimal" },
	{ "1.2.3.0x4", 0, 6, SYN, "hexadecimal" },
	{ "0X7f.0.0.1", 0, 0, SYN, "hexadecimal" },
	{ "127.1", 0, 5, SYN, "fewer than 4" },
	{ "127.0.1", 0, 7, SYN, "fewer than 4" },
	{ "2130706433", 0, 0, RNG, "greater than 255" },
	{ "1.2.3", 0, 5, SYN, "fewer than 4" },
	{ "1.2.3.4.5", 0, 7, SYN, "more than 4" },
	{ "1.2.3.4.", 0, 7, SYN, "trailing dot" },
	{ "256.1.1.1", 0, 0, RNG, "greater than 255" },
	{ "1.2.3.256", 0, 6, RNG, "greater than 255" },
	{ "1.2.3.1000", 0, 6, RNG, "greater than 255" },
	{ "1..2.3", 0, 2, SYN, "empty part" },
	{ ".1.2.3", 0, 0, SYN, "not an IP" },
	{ "1.2.3.", 0, 6, SYN, "empty part" },
	{ "1.2.3.-4", 0, 6, SYN, "unexpected" },
	{ "1.2.3.4 ", 0, 7, SYN, "unexpected" },
	{ " 1.2.3.4", 0, 0, SYN, "not an IP" },
	{ "1.2.3.4/24", 0, 7, SYN, "unexpected" },
	{ "1.2.3.4%eth0", 0, 7, SYN, "zone on an IPv4" },
	{ "1.2.3.4:80", 0, 7, SYN, "unexpected character in IPv4" },
	{ "1.2.3.a", 0, 6, SYN, "unexpected" },
	{ "1.2.3.4\n", 0, 7, SYN, "unexpected" },
	{ "1.2.3.4\0", 8, 7, SYN, "unexpected" },
	{ "1.2\0.3.4", 8, 3, SYN, "unexpected" },
	{ "localhost", 0, 0, SYN, "not an IP" },
	{ "[::1]", 0, 0, SYN, "brackets" },
	{ "[1.2.3.4]", 0, 0, SYN, "brackets" },
	{ "\xc3\xa9", 0, 0, SYN, "not an IP" },
	{ "\xef\xbc\x91.1.1.1", 0, 0, SYN, "not an IP" },           /* fullwidth digit one */
	/* IPv6 */
	{ ":", 0, 0, SYN, "single ':'" },
	{ ":1", 0, 0, SYN, "single ':'" },
	{ "1:", 0, 1, SYN, "single ':'" },
	{ ":::", 0, 2, SYN, "unexpected ':'" },
	{ "1:::2", 0, 3, SYN, "unexpected ':'" },
	{ "1::2::3", 0, 4, SYN, "more than one '::'" },
	{ "::1::", 0, 3, SYN, "more than one '::'" },
	{ "1:2:3:4:5:6:7", 0, 13, SYN, "fewer than 8" },
	{ "1:2:3:4:5:6:7:8:9", 0, 16, SYN, "more than 8" },
	{ "1:2:3:4:5:6::7:8", 0, 11, SYN, "at least one group" },
	{ "::1:2:3:4:5:6:7:8", 0, 0, SYN, "at least one group" },
	{ "1:2:3:4:5:6:7:8::", 0, 15, SYN, "at least one group" },
	{ "12345::", 0, 0, SYN, "longer than 4" },
	{ "::00000", 0, 2, SYN, "longer than 4" },
	{ "1:2:3:4:5:6:7:g", 0, 14, SYN, "unexpected character" },
	{ "::g", 0, 2, SYN, "unexpected character" },
	{ "fe80::1 ", 0, 7, SYN, "unexpected character" },
	{ "::1/128", 0, 3, SYN, "unexpected character" },
	{ "::ffff:1.2.3", 0, 12, SYN, "fewer than 4" },
	{ "::ffff:1.2.3.4.5", 0, 14, SYN, "more than 4" },
	{ "::ffff:01.2.3.4", 0, 7, SYN, "leading zero" },
	{ "::ffff:1.2.3.256", 0, 13, RNG, "greater than 255" },
	{ "::ffff:1a.2.3.4", 0, 8, SYN, "unexpected" },
	{ "::1.2.3.4:1", 0, 9, SYN, "unexpected" },
	{ "1.2.3.4::", 0, 7, SYN, "unexpected" },
	{ "1:2:3:4:5:6:7:1.2.3.4", 0, 14, SYN, "too many groups" },
	{ "::1:2:3:4:5:6:1.2.3.4", 0, 0, SYN, "at least one group" },
	{ "1:2:3:4:5:1.2.3.4", 0, 17, SYN, "fewer than 8" },
	{ "::ffff:0x1.2.3.4", 0, 8, SYN, "unexpected character in IPv6" },
	{ "::ffff:0.0x1.3.4", 0, 9, SYN, "hexadecimal" },
	{ "::ffff:1.2.3.4%", 0, 15, SYN, "empty zone" },
	/* zones */
	{ "fe80::1%", 0, 8, SYN, "empty zone" },
	{ "fe80::1%eth 0", 0, 11, SYN, "invalid character in zone" },
	{ "fe80::1%eth0%1", 0, 12, SYN, "invalid character in zone" },
	{ "fe80::1%et/h0", 0, 10, SYN, "invalid character in zone" },
	{ "fe80::1%eth0]", 0, 12, SYN, "invalid character in zone" },
	{ "fe80::1%\xc3\xa9", 0, 8, SYN, "invalid character in zone" },
	{ "fe80::1%a\0b", 11, 9, SYN, "invalid character in zone" },
	{ "fe80::1%1234567890123456789012345678901234567890123456789012345678901234", 0, 71, RNG,
	  "longer than 63" },
	{ "fe80%eth0::1", 0, 4, SYN, "fewer than 8" },
	{ "%eth0", 0, 0, SYN, "not an IP" },
};

/* One parser entry point, seen through a common signature. */
typedef int (*parse_fn)(const char *text, size_t len, void *ret, lb_parse_error *err);

static int addr_parse(const char *t, size_t n, void *r, lb_parse_error *e)
{
	return lb_addr_parse(t, n, r, e);
}

static int endpoint_parse(const char *t, size_t n, void *r, lb_parse_error *e)
{
	return lb_endpoint_parse(t, n, r, e);
}

static int host_parse(const char *t, size_t n, void *r, lb_parse_error *e)
{
	return lb_host_parse(t, n, r, e);
}

/* A rejection: the code, offset and reason of the row; the out-param
 * untouched; the same code without an error struct. */
static void check_bad(const struct bad *t, parse_fn parse)
{
	size_t len = t->len ? t->len : strlen(t->in);
	lb_parse_error err;
	unsigned char out[sizeof(lb_endpoint)], before[sizeof(lb_endpoint)];
	int r;

	memset(out, 0x5a, sizeof(out));
	memcpy(before, out, sizeof(out));
	memset(&err, 0, sizeof(err));
	r = parse(t->in, len, out, &err);
	ck_assert_msg(r == t->code, "'%s': got %d (%s at %zu), want %d", t->in, r,
		      r ? err.reason : "accepted", err.offset, t->code);
	ck_assert_int_eq(err.code, t->code);
	ck_assert_msg(err.offset == t->offset, "'%s': offset %zu, want %zu (%s)", t->in,
		      err.offset, t->offset, err.reason);
	ck_assert_ptr_nonnull(err.reason);
	ck_assert_msg(strstr(err.reason, t->reason), "'%s': reason '%s' lacks '%s'", t->in,
		      err.reason, t->reason);
	ck_assert_mem_eq(out, before, sizeof(out));
	ck_assert_int_eq(parse(t->in, len, out, NULL), t->code);
}

START_TEST(test_addr_parse_bad)
{
	check_bad(&addr_bad[_i], addr_parse);
}
END_TEST

START_TEST(test_addr_parse_args)
{
	lb_parse_error err;
	lb_addr a;

	ck_assert_int_eq(lb_addr_parse(NULL, 3, &a, &err), LB_EINVAL);
	ck_assert_int_eq(err.code, LB_EINVAL);
	ck_assert_uint_eq(err.offset, 0);
	ck_assert_ptr_nonnull(err.reason);
	ck_assert_int_eq(lb_addr_parse("::1", 3, NULL, &err), LB_EINVAL);
	ck_assert_int_eq(lb_addr_parse(NULL, 0, NULL, NULL), LB_EINVAL);
	/* length, not NUL, ends the input */
	ck_assert_int_eq(lb_addr_parse("::1garbage", 3, &a, NULL), 0);
	ck_assert_int_eq(a.bytes[15], 1);
	ck_assert_int_eq(lb_addr_parse("1.2.3.45", 7, &a, NULL), 0);
	ck_assert_int_eq(a.bytes[3], 4);
	/* a zone of exactly 63 characters fits */
	ck_assert_int_eq(lb_addr_parse(S("fe80::1%123456789012345678901234567890123456789012345678901234567890123"),
				       &a, &err), 0);
	ck_assert_uint_eq(strlen(a.zone), 63);
	ck_assert_int_eq(lb_addr_parse(S("fe80::1%25eth0"), &a, &err), 0);
	ck_assert_str_eq(a.zone, "25eth0");
	ck_assert_uint_eq(a.scope_id, 0);
	ck_assert_uint_eq(lb_addr_size(), sizeof(lb_addr));
	ck_assert_uint_eq(lb_endpoint_size(), sizeof(lb_endpoint));
	ck_assert_uint_eq(lb_parse_error_size(), sizeof(lb_parse_error));
}
END_TEST

/* ---- endpoints ---- */

struct ep_ok {
	const char *in;
	int kind;
	const char *host;       /* canonical address or the name */
	uint16_t port;
	const char *formatted;
};

static const struct ep_ok ep_ok[] = {
	{ "127.0.0.1:62893", LB_HOST_ADDR, "127.0.0.1", 62893, "127.0.0.1:62893" },
	{ "0.0.0.0:80", LB_HOST_ADDR, "0.0.0.0", 80, "0.0.0.0:80" },
	{ "[::1]:8080", LB_HOST_ADDR, "::1", 8080, "[::1]:8080" },
	{ "[::]:0", LB_HOST_ADDR, "::", 0, "[::]:0" },
	{ "[fe80::1%lo]:22", LB_HOST_ADDR, "fe80::1%lo", 22, "[fe80::1%lo]:22" },
	{ "[fe80::1%3]:22", LB_HOST_ADDR, "fe80::1%3", 22, "[fe80::1%3]:22" },
	{ "[2001:DB8:0:0:0:0:0:1]:443", LB_HOST_ADDR, "2001:db8::1", 443, "[2001:db8::1]:443" },
	{ "[::ffff:127.0.0.1]:1", LB_HOST_ADDR, "::ffff:127.0.0.1", 1, "[::ffff:127.0.0.1]:1" },
	{ "localhost:3000", LB_HOST_NAME, "localhost", 3000, "localhost:3000" },
	{ "localhost.:3000", LB_HOST_NAME, "localhost.", 3000, "localhost.:3000" },
	{ "LocalHost:1", LB_HOST_NAME, "LocalHost", 1, "LocalHost:1" },
	{ "example.com:65535", LB_HOST_NAME, "example.com", 65535, "example.com:65535" },
	{ "xn--bcher-kva.example:80", LB_HOST_NAME, "xn--bcher-kva.example", 80, "xn--bcher-kva.example:80" },
	{ "a-b.c-d:1", LB_HOST_NAME, "a-b.c-d", 1, "a-b.c-d:1" },
	{ "1a:1", LB_HOST_NAME, "1a", 1, "1a:1" },
	{ "3com.com:1", LB_HOST_NAME, "3com.com", 1, "3com.com:1" },      /* RFC 1123: leading digit */
	{ "1.2.3.4a:1", LB_HOST_NAME, "1.2.3.4a", 1, "1.2.3.4a:1" },
	{ "a.0xg:1", LB_HOST_NAME, "a.0xg", 1, "a.0xg:1" },
	{ "host:00080", LB_HOST_NAME, "host", 80, "host:80" },
	{ "host:0000000000000000000065535", LB_HOST_NAME, "host", 65535, "host:65535" },
	{ "host:0", LB_HOST_NAME, "host", 0, "host:0" },
	{ "1.2.3.4:00", LB_HOST_ADDR, "1.2.3.4", 0, "1.2.3.4:0" },
	{ "a:1", LB_HOST_NAME, "a", 1, "a:1" },
	{ "A.B.C.:9", LB_HOST_NAME, "A.B.C.", 9, "A.B.C.:9" },
};

START_TEST(test_endpoint_parse_ok)
{
	const struct ep_ok *t = &ep_ok[_i];
	lb_parse_error err = { 0, 0, NULL, { 0 } };
	lb_endpoint e, e2;
	char buf[LB_ENDPOINT_STRLEN], host[LB_ADDR_STRLEN];
	int n;

	memset(&e, 0x77, sizeof(e));
	ck_assert_msg(lb_endpoint_parse(t->in, strlen(t->in), &e, &err) == 0,
		      "'%s' rejected at %zu: %s", t->in, err.offset, err.reason);
	ck_assert_ptr_null(err.reason);
	ck_assert_int_eq(e.kind, t->kind);
	ck_assert_uint_eq(e.port, t->port);
	if (t->kind == LB_HOST_ADDR) {
		ck_assert_int_ge(lb_addr_format(&e.addr, host, sizeof(host)), 0);
		ck_assert_str_eq(host, t->host);
		ck_assert_str_eq(e.name, "");
	} else {
		ck_assert_str_eq(e.name, t->host);
		ck_assert_int_eq(e.addr.family, LB_AF_NONE);
	}
	n = lb_endpoint_format(&e, buf, sizeof(buf));
	ck_assert_int_eq(n, (int)strlen(t->formatted));
	ck_assert_str_eq(buf, t->formatted);
	ck_assert_int_eq(lb_endpoint_parse(buf, (size_t)n, &e2, NULL), 0);
	ck_assert_mem_eq(&e, &e2, sizeof(e));
}
END_TEST

static const struct bad ep_bad[] = {
	{ "", 0, 0, SYN, "empty input" },
	{ ":80", 0, 0, SYN, "empty host" },
	{ "host:", 0, 5, SYN, "empty port" },
	{ "host", 0, 4, SYN, "missing port" },
	{ "127.0.0.1", 0, 9, SYN, "missing port" },
	{ "[::1]", 0, 5, SYN, "missing port" },
	{ "::1", 0, 3, SYN, "missing port" },
	{ "::1:80", 0, 6, SYN, "missing port" },
	{ "fe80::1%eth0:80", 0, 0, SYN, "must be in brackets" },
	{ "2001:db8::1:443x", 0, 0, SYN, "must be in brackets" },
	{ "1::2::3:80", 0, 4, SYN, "more than one '::'" },
	{ "host:http", 0, 5, SYN, "not a decimal number" },
	{ ":http", 0, 0, SYN, "empty host" },
	{ "host:80-90", 0, 7, SYN, "not a decimal number" },
	{ "host:80:90", 0, 7, SYN, "not a decimal number" },
	{ "1.2.3.4:80:90", 0, 10, SYN, "not a decimal number" },
	{ "host:+80", 0, 5, SYN, "not a decimal number" },
	{ "host:-1", 0, 5, SYN, "not a decimal number" },
	{ "host: 80", 0, 5, SYN, "not a decimal number" },
	{ "host:80 ", 0, 7, SYN, "not a decimal number" },
	{ "host:0x50", 0, 6, SYN, "not a decimal number" },
	{ "host:65536", 0, 5, RNG, "greater than 65535" },
	{ "host:99999999999999999999", 0, 5, RNG, "greater than 65535" },
	{ " host:80", 0, 0, SYN, "invalid character" },
	{ "host :80", 0, 4, SYN, "invalid character" },
	{ "host:80\n", 0, 7, SYN, "not a decimal number" },
	{ "host:80\r", 0, 7, SYN, "not a decimal number" },
	{ "host:80\0", 8, 7, SYN, "not a decimal number" },
	{ "ho\0st:80", 8, 2, SYN, "invalid character" },
	{ "user@host:80", 0, 4, SYN, "invalid character" },
	{ "http://host:80", 0, 4, SYN, "URL" },
	{ "host:80/path", 0, 7, SYN, "not a decimal number" },
	{ "//host:80", 0, 0, SYN, "invalid character" },
	{ "[1.2.3.4]:80", 0, 0, SYN, "brackets are only" },
	{ "[localhost]:80", 0, 0, SYN, "brackets are only" },
	{ "[]:80", 0, 1, SYN, "empty host" },
	{ "[::1", 0, 4, SYN, "missing ']'" },
	{ "[::1]80", 0, 5, SYN, "expected ':'" },
	{ "[::1]:", 0, 6, SYN, "empty port" },
	{ "[::1]:80]", 0, 8, SYN, "not a decimal number" },
	{ "[::1%]:80", 0, 5, SYN, "empty zone" },
	{ "[::1%eth0:x]:80", 0, 9, SYN, "invalid character in zone" },
	{ "[[::1]]:80", 0, 1, SYN, "unexpected character" },
	{ "[::g]:80", 0, 3, SYN, "unexpected character" },
	{ " [::1]:80", 0, 0, SYN, "invalid character" },
	{ "localhost]:80", 0, 9, SYN, "bracket" },
	{ "010.1.1.1:80", 0, 0, SYN, "leading zero" },
	{ "127.1:80", 0, 5, SYN, "fewer than 4" },
	{ "2130706433:80", 0, 0, RNG, "greater than 255" },
	{ "0x7f000001:80", 0, 0, SYN, "hexadecimal" },
	{ "0x7f.1:80", 0, 0, SYN, "hexadecimal" },
	{ "1.2.3.256:80", 0, 6, RNG, "greater than 255" },
	{ "1.2.3.4.5:80", 0, 7, SYN, "more than 4" },
	{ "1.2.3.4.:80", 0, 7, SYN, "trailing dot" },
	{ "example.123:80", 0, 0, SYN, "ends in a number" },
	{ "a.b.0x1f:80", 0, 0, SYN, "ends in a number" },
	{ "0x:80", 0, 0, SYN, "hexadecimal" },              /* inet_aton() reads "0x" as 0 */
	{ "a.0x:80", 0, 0, SYN, "ends in a number" },
	{ "1.2.3.4%eth0:80", 0, 7, SYN, "zone on an IPv4" },
	{ "1.2.3%eth0:80", 0, 5, SYN, "fewer than 4" },
	{ "localhost%eth0:80", 0, 9, SYN, "zone on a host name" },
	{ "a_b:80", 0, 1, SYN, "underscore" },
	{ "_dmarc.example:80", 0, 0, SYN, "underscore" },
	{ "-a:80", 0, 0, SYN, "starts with '-'" },
	{ "a-:80", 0, 1, SYN, "ends with '-'" },
	{ "a.-b:80", 0, 2, SYN, "starts with '-'" },
	{ "a-.b:80", 0, 1, SYN, "ends with '-'" },
	{ "a..b:80", 0, 2, SYN, "empty label" },
	{ ".a:80", 0, 0, SYN, "empty label" },
	{ ".:80", 0, 0, SYN, "empty label" },
	{ "a..:80", 0, 2, SYN, "empty label" },
	{ "b\xc3\xbc\x63her.example:80", 0, 1, SYN, "non-ASCII" },
	{ "\xff:80", 0, 0, SYN, "non-ASCII" },
	{ "a*b:80", 0, 1, SYN, "invalid character" },
	{ "a\tb:80", 0, 1, SYN, "invalid character" },
};

START_TEST(test_endpoint_parse_bad)
{
	check_bad(&ep_bad[_i], endpoint_parse);
}
END_TEST

START_TEST(test_endpoint_names_length)
{
	char name[400], in[420];
	lb_endpoint e;
	lb_parse_error err;
	size_t i;

	/* label of 63 is fine, 64 is not */
	memset(name, 'a', 64);
	snprintf(in, sizeof(in), "%.63s:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, NULL), 0);
	snprintf(in, sizeof(in), "%.64s:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, &err), LB_ERANGE);
	ck_assert_uint_eq(err.offset, 63);
	snprintf(in, sizeof(in), "x.%.64s.y:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, &err), LB_ERANGE);
	ck_assert_uint_eq(err.offset, 65);
	/* a name of 253 characters, with and without a trailing dot */
	for (i = 0; i < 253; i++)
		name[i] = (i % 2) ? '.' : 'a';          /* "a.a.a....a" */
	name[253] = '\0';
	snprintf(in, sizeof(in), "%s:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, &err), 0);
	ck_assert_str_eq(e.name, name);
	snprintf(in, sizeof(in), "%s.:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, &err), 0);
	ck_assert_uint_eq(strlen(e.name), 254);
	{
		char out[LB_ENDPOINT_STRLEN];

		ck_assert_int_eq(lb_endpoint_format(&e, out, sizeof(out)), 256);
		ck_assert_str_eq(out, in);
	}
	snprintf(in, sizeof(in), "%s.a:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, &err), LB_ERANGE);
	ck_assert_uint_eq(err.offset, 253);
	snprintf(in, sizeof(in), "%s.a.:1", name);
	ck_assert_int_eq(lb_endpoint_parse(in, strlen(in), &e, &err), LB_ERANGE);
	ck_assert_uint_eq(err.offset, 253);
}
END_TEST

START_TEST(test_endpoint_parse_args)
{
	lb_parse_error err;
	lb_endpoint e;

	ck_assert_int_eq(lb_endpoint_parse(NULL, 1, &e, &err), LB_EINVAL);
	ck_assert_int_eq(err.code, LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_parse("a:1", 3, NULL, &err), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_parse("a:1", 3, NULL, NULL), LB_EINVAL);
	ck_assert_int_eq(lb_host_parse(NULL, 1, &e, &err), LB_EINVAL);
	ck_assert_int_eq(lb_host_parse("a", 1, NULL, &err), LB_EINVAL);
	/* the length bounds the input */
	ck_assert_int_eq(lb_endpoint_parse("a:12345", 4, &e, NULL), 0);
	ck_assert_uint_eq(e.port, 12);
}
END_TEST

/* ---- hosts without a port ---- */

START_TEST(test_host_parse)
{
	static const struct {
		const char *in;
		int kind;
		const char *host;
	} ok[] = {
		{ "localhost", LB_HOST_NAME, "localhost" },
		{ "example.com.", LB_HOST_NAME, "example.com." },
		{ "127.0.0.1", LB_HOST_ADDR, "127.0.0.1" },
		{ "::1", LB_HOST_ADDR, "::1" },
		{ "[::1]", LB_HOST_ADDR, "::1" },
		{ "fe80::1%eth0", LB_HOST_ADDR, "fe80::1%eth0" },
		{ "[fe80::1%eth0]", LB_HOST_ADDR, "fe80::1%eth0" },
		{ "::ffff:1.2.3.4", LB_HOST_ADDR, "::ffff:1.2.3.4" },
	};
	static const struct bad bad[] = {
		{ "", 0, 0, SYN, "empty input" },
		{ "localhost:80", 0, 0, SYN, "unexpected character in IPv6" },
		{ "[::1]:80", 0, 5, SYN, "unexpected text after ']'" },
		{ "[1.2.3.4]", 0, 0, SYN, "brackets are only" },
		{ "010.1.1.1", 0, 0, SYN, "leading zero" },
		{ "a_b", 0, 1, SYN, "underscore" },
		{ "1::2::3", 0, 4, SYN, "more than one" },
		{ "localhost%lo", 0, 9, SYN, "zone on a host name" },
	};
	lb_endpoint e;
	lb_parse_error err;
	char buf[LB_ADDR_STRLEN];
	size_t i;

	for (i = 0; i < LB_ARRAY_SIZE_T(ok); i++) {
		ck_assert_msg(lb_host_parse(ok[i].in, strlen(ok[i].in), &e, &err) == 0, "%s: %s",
			      ok[i].in, err.reason);
		ck_assert_int_eq(e.kind, ok[i].kind);
		ck_assert_uint_eq(e.port, 0);
		if (e.kind == LB_HOST_NAME) {
			ck_assert_str_eq(e.name, ok[i].host);
		} else {
			lb_addr_format(&e.addr, buf, sizeof(buf));
			ck_assert_str_eq(buf, ok[i].host);
		}
	}
	for (i = 0; i < LB_ARRAY_SIZE_T(bad); i++)
		check_bad(&bad[i], host_parse);
}
END_TEST

/* ---- formatting: errors and short buffers ---- */

START_TEST(test_format_errors)
{
	lb_addr a;
	lb_endpoint e;
	char buf[LB_ENDPOINT_STRLEN];
	const char *longest = "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff%123456789012345678901234567890123456789012345678901234567890123]:65535";
	size_t size;

	ck_assert_int_eq(lb_addr_format(NULL, buf, sizeof(buf)), LB_EINVAL);
	ck_assert_int_eq(lb_addr_parse(S("::1"), &a, NULL), 0);
	ck_assert_int_eq(lb_addr_format(&a, NULL, 10), LB_EINVAL);
	/* short buffers: LB_ENOSPC and nothing written at all */
	for (size = 0; size <= 3; size++) {
		memset(buf, '#', sizeof(buf));
		ck_assert_int_eq(lb_addr_format(&a, buf, size), size < 4 ? LB_ENOSPC : 3);
		ck_assert_int_eq(buf[0], '#');
	}
	ck_assert_int_eq(lb_addr_format(&a, buf, 4), 3);
	ck_assert_str_eq(buf, "::1");
	/* invalid values */
	a.family = 5;
	ck_assert_int_eq(lb_addr_format(&a, buf, sizeof(buf)), LB_EINVAL);
	a.family = LB_AF_INET;
	strcpy(a.zone, "eth0");         /* no zone on IPv4 */
	ck_assert_int_eq(lb_addr_format(&a, buf, sizeof(buf)), LB_EINVAL);
	a.family = LB_AF_INET6;
	strcpy(a.zone, "et h0");        /* zone that would not parse back */
	ck_assert_int_eq(lb_addr_format(&a, buf, sizeof(buf)), LB_EINVAL);
	memset(a.zone, 'a', sizeof(a.zone));     /* not terminated */
	ck_assert_int_eq(lb_addr_format(&a, buf, sizeof(buf)), LB_EINVAL);

	/* the longest endpoint fits LB_ENDPOINT_STRLEN; one byte less does not */
	ck_assert_int_eq(lb_endpoint_parse(longest, strlen(longest), &e, NULL), 0);
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), (int)strlen(longest));
	ck_assert_int_lt((int)strlen(longest) + 1, LB_ENDPOINT_STRLEN);
	ck_assert_int_le((int)strlen(longest) - 8 + 1, LB_ADDR_STRLEN);
	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(lb_endpoint_format(&e, buf, strlen(longest)), LB_ENOSPC);
	ck_assert_int_eq(buf[0], '#');
	ck_assert_int_eq(lb_endpoint_format(&e, buf, strlen(longest) + 1), (int)strlen(longest));
	ck_assert_str_eq(buf, longest);
	{
		char a_buf[LB_ADDR_STRLEN];

		ck_assert_int_eq(lb_addr_format(&e.addr, a_buf, sizeof(a_buf)), (int)strlen(longest) - 8);
	}

	/* a name endpoint: exact fit and one byte short */
	ck_assert_int_eq(lb_endpoint_parse(S("localhost:3000"), &e, NULL), 0);
	memset(buf, '#', sizeof(buf));
	ck_assert_int_eq(lb_endpoint_format(&e, buf, 14), LB_ENOSPC);
	ck_assert_int_eq(buf[0], '#');
	ck_assert_int_eq(lb_endpoint_format(&e, buf, 15), 14);
	ck_assert_str_eq(buf, "localhost:3000");
	ck_assert_int_eq(buf[15], '#');         /* nothing past the NUL */
	ck_assert_int_eq(lb_endpoint_format(&e, buf, 0), LB_ENOSPC);

	ck_assert_int_eq(lb_endpoint_format(NULL, buf, sizeof(buf)), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_format(&e, NULL, sizeof(buf)), LB_EINVAL);
	e.kind = 7;
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), LB_EINVAL);
	e.kind = LB_HOST_NAME;
	strcpy(e.name, "bad_name");
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), LB_EINVAL);
	strcpy(e.name, "1.2.3.4");      /* would parse back as an address */
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), LB_EINVAL);
	e.name[0] = '\0';
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), LB_EINVAL);
	memset(e.name, 'a', sizeof(e.name));
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), LB_EINVAL);
	e.kind = LB_HOST_ADDR;
	e.addr.family = 0;
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), LB_EINVAL);
}
END_TEST

START_TEST(test_equal)
{
	lb_addr a, b;

	ck_assert_int_eq(lb_addr_parse(S("fe80::1%eth0"), &a, NULL), 0);
	ck_assert_int_eq(lb_addr_parse(S("FE80:0::1%eth0"), &b, NULL), 0);
	ck_assert_int_eq(lb_addr_equal(&a, &b), 1);
	ck_assert_int_eq(lb_addr_parse(S("fe80::1%eth1"), &b, NULL), 0);
	ck_assert_int_eq(lb_addr_equal(&a, &b), 0);
	ck_assert_int_eq(lb_addr_parse(S("fe80::1"), &b, NULL), 0);
	ck_assert_int_eq(lb_addr_equal(&a, &b), 0);
	ck_assert_int_eq(lb_addr_parse(S("::ffff:1.2.3.4"), &a, NULL), 0);
	ck_assert_int_eq(lb_addr_parse(S("1.2.3.4"), &b, NULL), 0);
	ck_assert_int_eq(lb_addr_equal(&a, &b), 0);        /* families differ */
	ck_assert_int_eq(lb_addr_equal(NULL, &b), LB_EINVAL);
	ck_assert_int_eq(lb_addr_equal(&a, NULL), LB_EINVAL);
}
END_TEST

/* ---- round trip on random addresses: format(parse(x)) parses to x ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

/* A random address, biased to zero runs and special prefixes so every
 * formatting branch is hit. */
static void random_addr(lb_addr *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	if (rnd() % 3 == 0) {
		a->family = LB_AF_INET;
		for (i = 0; i < 4; i++)
			a->bytes[i] = (uint8_t)rnd();
		return;
	}
	a->family = LB_AF_INET6;
	for (i = 0; i < 8; i++) {
		unsigned g = rnd() % 2 ? 0 : rnd() & (rnd() % 2 ? 0xffff : 0xf);

		a->bytes[2 * i] = (uint8_t)(g >> 8);
		a->bytes[2 * i + 1] = (uint8_t)g;
	}
	if (rnd() % 8 == 0) {
		memset(a->bytes, 0, 10);
		a->bytes[10] = a->bytes[11] = 0xff;
	}
	if (rnd() % 4 == 0) {
		static const char zc[] = "abcXYZ0123456789._~-";
		int n = 1 + (int)(rnd() % 63);

		for (i = 0; i < n; i++)
			a->zone[i] = zc[rnd() % (sizeof(zc) - 1)];
		a->zone[n] = '\0';
		if (strspn(a->zone, "0123456789") == (size_t)n) {
			/* numeric zones carry their index */
			unsigned long long v = strtoull(a->zone, NULL, 10);

			a->scope_id = (n <= 10 && v <= 4294967295ull) ? (uint32_t)v : 0;
		}
	}
}

/* A random valid host name: 1-4 labels of [A-Za-z0-9-], no hyphen at
 * either end of a label, a letter in the last label, maybe a final dot. */
static void random_name(char *name)
{
	static const char lc[] = "abcxyzABCXYZ0123456789-";
	int labels = 1 + (int)(rnd() % 4), l, k;
	size_t n = 0;

	for (l = 0; l < labels; l++) {
		int len = 1 + (int)(rnd() % 12);

		if (l)
			name[n++] = '.';
		for (k = 0; k < len; k++) {
			char c = lc[rnd() % (sizeof(lc) - 1)];

			if (c == '-' && (k == 0 || k == len - 1))
				c = 'q';
			name[n++] = c;
		}
		if (l == labels - 1)
			name[n - 1] = 'z';     /* not all digits: a name, not IPv4 */
	}
	if (rnd() % 4 == 0)
		name[n++] = '.';
	name[n] = '\0';
}

START_TEST(test_round_trip_names)
{
	int k;

	for (k = 0; k < 20000; k++) {
		lb_endpoint e, e2;
		char buf[LB_ENDPOINT_STRLEN];
		int n;

		memset(&e, 0, sizeof(e));
		e.kind = LB_HOST_NAME;
		random_name(e.name);
		e.port = (uint16_t)rnd();
		n = lb_endpoint_format(&e, buf, sizeof(buf));
		ck_assert_msg(n > 0, "'%s' not formatted", e.name);
		ck_assert_msg(lb_endpoint_parse(buf, (size_t)n, &e2, NULL) == 0, "'%s'", buf);
		ck_assert_mem_eq(&e, &e2, sizeof(e));
		ck_assert_int_eq(lb_host_parse(e.name, strlen(e.name), &e2, NULL), 0);
		ck_assert_str_eq(e2.name, e.name);
	}
}
END_TEST

START_TEST(test_round_trip_random)
{
	int k;

	for (k = 0; k < 20000; k++) {
		lb_addr a, b;
		lb_endpoint e, e2;
		char buf[LB_ENDPOINT_STRLEN], buf2[LB_ENDPOINT_STRLEN];
		int n;

		random_addr(&a);
		n = lb_addr_format(&a, buf, sizeof(buf));
		ck_assert_int_gt(n, 0);
		ck_assert_msg(lb_addr_parse(buf, (size_t)n, &b, NULL) == 0, "'%s'", buf);
		ck_assert_msg(lb_addr_equal(&a, &b) == 1, "'%s' did not round-trip", buf);
		ck_assert_int_eq(lb_addr_format(&b, buf2, sizeof(buf2)), n);
		ck_assert_str_eq(buf, buf2);

		memset(&e, 0, sizeof(e));
		e.kind = LB_HOST_ADDR;
		e.addr = a;
		e.port = (uint16_t)rnd();
		n = lb_endpoint_format(&e, buf, sizeof(buf));
		ck_assert_int_gt(n, 0);
		ck_assert_msg(lb_endpoint_parse(buf, (size_t)n, &e2, NULL) == 0, "'%s'", buf);
		ck_assert_mem_eq(&e, &e2, sizeof(e));
	}
}
END_TEST

static Suite *endpoint_suite(void)
{
	Suite *s = suite_create("endpoint");
	TCase *tc = tcase_create("addr");

	tcase_add_loop_test(tc, test_addr_parse_ok, 0, (int)LB_ARRAY_SIZE_T(addr_ok));
	tcase_add_loop_test(tc, test_addr_parse_bad, 0, (int)LB_ARRAY_SIZE_T(addr_bad));
	tcase_add_test(tc, test_addr_parse_args);
	tcase_add_test(tc, test_equal);
	suite_add_tcase(s, tc);

	tc = tcase_create("endpoint");
	tcase_add_loop_test(tc, test_endpoint_parse_ok, 0, (int)LB_ARRAY_SIZE_T(ep_ok));
	tcase_add_loop_test(tc, test_endpoint_parse_bad, 0, (int)LB_ARRAY_SIZE_T(ep_bad));
	tcase_add_test(tc, test_endpoint_names_length);
	tcase_add_test(tc, test_endpoint_parse_args);
	tcase_add_test(tc, test_host_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("format");
	tcase_add_test(tc, test_format_errors);
	tcase_add_test(tc, test_round_trip_random);
	tcase_add_test(tc, test_round_trip_names);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(endpoint_suite)
