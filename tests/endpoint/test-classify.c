/* SPDX-License-Identifier: MIT */
/* Tests for lib/endpoint/classify.c: address, host and port classification.
 * Ranges from the IANA IPv4/IPv6 special-purpose address registries,
 * RFC 1918, RFC 4193, RFC 5737, RFC 3849, RFC 9637, RFC 6761, RFC 6335. */
#include <stdio.h>
#include <string.h>

#include "lb-test.h"
#include <loopback.h>

static const struct {
	const char *addr;
	int cls;
} addrs[] = {
	{ "0.0.0.0", LB_CLASS_UNSPECIFIED },
	{ "0.1.2.3", LB_CLASS_RESERVED },
	{ "0.255.255.255", LB_CLASS_RESERVED },
	{ "1.1.1.1", LB_CLASS_GLOBAL },
	{ "8.8.8.8", LB_CLASS_GLOBAL },
	{ "9.255.255.255", LB_CLASS_GLOBAL },
	{ "10.0.0.0", LB_CLASS_PRIVATE },
	{ "10.255.255.255", LB_CLASS_PRIVATE },
	{ "11.0.0.0", LB_CLASS_GLOBAL },
	{ "100.63.255.255", LB_CLASS_GLOBAL },
	{ "100.64.0.0", LB_CLASS_RESERVED },
	{ "100.127.255.255", LB_CLASS_RESERVED },
	{ "100.128.0.0", LB_CLASS_GLOBAL },
	{ "126.255.255.255", LB_CLASS_GLOBAL },
	{ "127.0.0.0", LB_CLASS_LOOPBACK },
	{ "127.0.0.1", LB_CLASS_LOOPBACK },
	{ "127.1.2.3", LB_CLASS_LOOPBACK },
	{ "127.255.255.255", LB_CLASS_LOOPBACK },
	{ "128.0.0.0", LB_CLASS_GLOBAL },
	{ "169.253.255.255", LB_CLASS_GLOBAL },
	{ "169.254.0.0", LB_CLASS_LINK_LOCAL },
	{ "169.254.169.254", LB_CLASS_LINK_LOCAL },
	{ "169.255.0.0", LB_CLASS_GLOBAL },
	{ "172.15.255.255", LB_CLASS_GLOBAL },
	{ "172.16.0.0", LB_CLASS_PRIVATE },
	{ "172.31.255.255", LB_CLASS_PRIVATE },
	{ "172.32.0.0", LB_CLASS_GLOBAL },
	{ "192.0.0.8", LB_CLASS_RESERVED },
	{ "192.0.1.0", LB_CLASS_GLOBAL },
	{ "192.0.2.0", LB_CLASS_DOCUMENTATION },
	{ "192.0.2.255", LB_CLASS_DOCUMENTATION },
	{ "192.0.3.0", LB_CLASS_GLOBAL },
	{ "192.167.255.255", LB_CLASS_GLOBAL },
	{ "192.168.0.0", LB_CLASS_PRIVATE },
	{ "192.168.255.255", LB_CLASS_PRIVATE },
	{ "192.169.0.0", LB_CLASS_GLOBAL },
	{ "198.17.255.255", LB_CLASS_GLOBAL },
	{ "198.18.0.0", LB_CLASS_RESERVED },
	{ "198.19.255.255", LB_CLASS_RESERVED },
	{ "198.20.0.0", LB_CLASS_GLOBAL },
	{ "198.51.100.7", LB_CLASS_DOCUMENTATION },
	{ "203.0.113.9", LB_CLASS_DOCUMENTATION },
	{ "203.0.114.0", LB_CLASS_GLOBAL },
	{ "223.255.255.255", LB_CLASS_GLOBAL },
	{ "224.0.0.1", LB_CLASS_MULTICAST },
	{ "239.255.255.255", LB_CLASS_MULTICAST },
	{ "240.0.0.1", LB_CLASS_RESERVED },
	{ "255.255.255.254", LB_CLASS_RESERVED },
	{ "255.255.255.255", LB_CLASS_RESERVED },
	{ "::", LB_CLASS_UNSPECIFIED },
	{ "::1", LB_CLASS_LOOPBACK },
	{ "::2", LB_CLASS_RESERVED },
	{ "::1.2.3.4", LB_CLASS_RESERVED },
	{ "::1:0:0:1", LB_CLASS_RESERVED },
	{ "::ffff:127.0.0.1", LB_CLASS_LOOPBACK },
	{ "::ffff:10.0.0.1", LB_CLASS_PRIVATE },
	{ "::ffff:0.0.0.0", LB_CLASS_UNSPECIFIED },
	{ "::ffff:8.8.8.8", LB_CLASS_GLOBAL },
	{ "::ffff:169.254.1.1", LB_CLASS_LINK_LOCAL },
	{ "::ffff:0:1.2.3.4", LB_CLASS_RESERVED },
	{ "64:ff9b::1.2.3.4", LB_CLASS_GLOBAL },
	{ "64:ff9b:1::1", LB_CLASS_RESERVED },
	{ "100::1", LB_CLASS_RESERVED },
	{ "100:0:0:1::1", LB_CLASS_GLOBAL },
	{ "2001:2::1", LB_CLASS_RESERVED },
	{ "2001:3::1", LB_CLASS_GLOBAL },
	{ "2001:db8::1", LB_CLASS_DOCUMENTATION },
	{ "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", LB_CLASS_DOCUMENTATION },
	{ "2001:db9::1", LB_CLASS_GLOBAL },
	{ "2001:4860:4860::8888", LB_CLASS_GLOBAL },
	{ "2606:4700::1111", LB_CLASS_GLOBAL },
	{ "3fff::1", LB_CLASS_DOCUMENTATION },
	{ "3fff:fff::1", LB_CLASS_DOCUMENTATION },
	{ "3fff:1000::1", LB_CLASS_GLOBAL },
	{ "fbff:ffff::1", LB_CLASS_GLOBAL },
	{ "fc00::1", LB_CLASS_PRIVATE },
	{ "fd00::1", LB_CLASS_PRIVATE },
	{ "fdff:ffff::1", LB_CLASS_PRIVATE },
	{ "fe80::1", LB_CLASS_LINK_LOCAL },
	{ "fe80::1%lo", LB_CLASS_LINK_LOCAL },
	{ "febf:ffff::1", LB_CLASS_LINK_LOCAL },
	{ "fec0::1", LB_CLASS_RESERVED },
	{ "feff::1", LB_CLASS_RESERVED },
	{ "ff00::", LB_CLASS_MULTICAST },
	{ "ff02::1", LB_CLASS_MULTICAST },
	{ "ff02::1%eth0", LB_CLASS_MULTICAST },
	{ "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LB_CLASS_MULTICAST },
};

START_TEST(test_addr_classify)
{
	lb_addr a;
	lb_endpoint e;

	ck_assert_int_eq(lb_addr_parse(addrs[_i].addr, strlen(addrs[_i].addr), &a, NULL), 0);
	ck_assert_msg(lb_addr_classify(&a) == addrs[_i].cls, "%s: %s, want %s", addrs[_i].addr,
		      lb_class_name(lb_addr_classify(&a)), lb_class_name(addrs[_i].cls));
	/* a host of that address classifies the same */
	ck_assert_int_eq(lb_host_parse(addrs[_i].addr, strlen(addrs[_i].addr), &e, NULL), 0);
	ck_assert_int_eq(lb_endpoint_classify(&e), addrs[_i].cls);
}
END_TEST

/* lb_addr_flags(): every flag that applies, named as parse --json names
 * them, in bit order. */
static const struct {
	const char *addr;
	const char *flags;
} flag_cases[] = {
	{ "0.0.0.0", "unspecified" },
	{ "::", "unspecified" },
	{ "127.0.0.1", "loopback" },
	{ "127.255.0.9", "loopback" },
	{ "::1", "loopback" },
	{ "::ffff:127.0.0.1", "loopback,mapped" },
	{ "::ffff:0.0.0.0", "unspecified,mapped" },
	{ "::ffff:10.1.2.3", "private,mapped" },
	{ "::ffff:8.8.8.8", "global,mapped" },
	{ "::ffff:198.18.0.1", "benchmarking,reserved,mapped" },
	{ "::ffff:255.255.255.255", "broadcast,reserved,mapped" },
	{ "169.254.1.1", "link-local" },
	{ "fe80::1%lo", "link-local" },
	{ "10.0.0.1", "private" },
	{ "172.16.5.4", "private" },
	{ "192.168.1.1", "private" },
	{ "fd12:3456::1", "private,unique-local" },
	{ "fc00::", "private,unique-local" },
	{ "224.0.0.1", "multicast" },
	{ "239.255.255.250", "multicast" },
	{ "ff02::1", "multicast" },
	{ "192.0.2.1", "documentation" },
	{ "198.51.100.7", "documentation" },
	{ "203.0.113.9", "documentation" },
	{ "2001:db8::1", "documentation" },
	{ "3fff::1", "documentation" },
	{ "198.18.0.1", "benchmarking,reserved" },
	{ "198.19.255.255", "benchmarking,reserved" },
	{ "198.20.0.0", "global" },
	{ "2001:2::1", "benchmarking,reserved" },
	{ "2001:2:1::1", "global" },
	{ "100.64.0.1", "shared,reserved" },
	{ "100.127.255.255", "shared,reserved" },
	{ "255.255.255.255", "broadcast,reserved" },
	{ "240.0.0.1", "reserved" },
	{ "0.1.2.3", "reserved" },
	{ "fec0::1", "reserved" },
	{ "100::1", "reserved" },
	{ "64:ff9b::8.8.8.8", "global,nat64" },
	{ "64:ff9b:1::1", "reserved,nat64" },
	{ "8.8.8.8", "global" },
	{ "2606:4700::1111", "global" },
	{ "::ffff:1.2.3.4", "global,mapped" },
	{ "::1.2.3.4", "reserved" }, /* IPv4-compatible, deprecated: not mapped */
};

static void flags_text(int flags, char *buf, size_t size)
{
	unsigned bit;

	buf[0] = '\0';
	for (bit = 1; bit && bit <= LB_ADDR_FLAG_ALL; bit <<= 1)
		if ((unsigned)flags & bit)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s%s", buf[0] ? "," : "",
				 lb_addr_flag_name(bit));
}

START_TEST(test_addr_flags_table)
{
	char got[256];
	lb_addr a;
	int f;

	ck_assert_int_eq(lb_addr_parse(flag_cases[_i].addr, strlen(flag_cases[_i].addr), &a, NULL), 0);
	f = lb_addr_flags(&a);
	ck_assert_int_ge(f, 0);
	flags_text(f, got, sizeof(got));
	ck_assert_msg(strcmp(got, flag_cases[_i].flags) == 0, "%s: %s, want %s", flag_cases[_i].addr,
		      got, flag_cases[_i].flags);
}
END_TEST

/* Over the whole classification table: exactly one class flag, the class's. */
START_TEST(test_addr_flags_match_class)
{
	static const unsigned class_flags = LB_ADDR_FLAG_UNSPECIFIED | LB_ADDR_FLAG_LOOPBACK |
		LB_ADDR_FLAG_LINK_LOCAL | LB_ADDR_FLAG_PRIVATE | LB_ADDR_FLAG_MULTICAST |
		LB_ADDR_FLAG_DOCUMENTATION | LB_ADDR_FLAG_RESERVED | LB_ADDR_FLAG_GLOBAL;
	size_t i;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		lb_addr a;
		unsigned f, c;

		ck_assert_int_eq(lb_addr_parse(addrs[i].addr, strlen(addrs[i].addr), &a, NULL), 0);
		f = (unsigned)lb_addr_flags(&a);
		c = f & class_flags;
		ck_assert_msg(c && !(c & (c - 1)), "%s: flags %#x", addrs[i].addr, f);
		ck_assert_str_eq(lb_addr_flag_name(c), lb_class_name(addrs[i].cls));
		ck_assert_uint_eq(f & ~(unsigned)LB_ADDR_FLAG_ALL, 0);
	}
	ck_assert_int_eq(lb_addr_flags(NULL), LB_EINVAL);
	{
		lb_addr none;

		memset(&none, 0, sizeof(none));
		ck_assert_int_eq(lb_addr_flags(&none), LB_EINVAL);
	}
	ck_assert_ptr_null(lb_addr_flag_name(0));
	ck_assert_ptr_null(lb_addr_flag_name(LB_ADDR_FLAG_LOOPBACK | LB_ADDR_FLAG_MAPPED));
	ck_assert_ptr_null(lb_addr_flag_name(LB_ADDR_FLAG_ALL + 1));
	ck_assert_str_eq(lb_addr_flag_name(LB_ADDR_FLAG_MAPPED), "mapped");
	ck_assert_str_eq(lb_addr_flag_name(LB_ADDR_FLAG_NAT64), "nat64");
}
END_TEST

START_TEST(test_names_classify)
{
	static const struct {
		const char *name;
		int cls;
	} names[] = {
		{ "localhost", LB_CLASS_LOCALHOST_NAME },
		{ "localhost.", LB_CLASS_LOCALHOST_NAME },
		{ "LocalHost", LB_CLASS_LOCALHOST_NAME },
		{ "foo.localhost", LB_CLASS_LOCALHOST_NAME },
		{ "a.b.LOCALHOST.", LB_CLASS_LOCALHOST_NAME },
		{ "xlocalhost", LB_CLASS_NAME },
		{ "localhostx", LB_CLASS_NAME },
		{ "localhost.example", LB_CLASS_NAME },
		{ "foo-localhost", LB_CLASS_NAME },
		{ "example.com", LB_CLASS_NAME },
		{ "ip6-localhost", LB_CLASS_NAME },
	};
	lb_endpoint e;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_int_eq(lb_host_parse(names[i].name, strlen(names[i].name), &e, NULL), 0);
		ck_assert_msg(lb_endpoint_classify(&e) == names[i].cls, "%s", names[i].name);
	}
}
END_TEST

START_TEST(test_classify_errors)
{
	lb_addr a;
	lb_endpoint e;

	memset(&a, 0, sizeof(a));
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(lb_addr_classify(NULL), LB_EINVAL);
	ck_assert_int_eq(lb_addr_classify(&a), LB_EINVAL);      /* LB_AF_NONE */
	a.family = 5;
	ck_assert_int_eq(lb_addr_classify(&a), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_classify(NULL), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_classify(&e), LB_EINVAL);  /* LB_HOST_NONE */
	e.kind = LB_HOST_ADDR;                                  /* with no family */
	ck_assert_int_eq(lb_endpoint_classify(&e), LB_EINVAL);
}
END_TEST

START_TEST(test_class_names)
{
	static const char *const want[] = {
		NULL, "unspecified", "loopback", "link-local", "private", "multicast",
		"documentation", "reserved", "global", "localhost-name", "name", NULL,
	};
	int i;

	for (i = 0; i <= 11; i++) {
		if (want[i])
			ck_assert_str_eq(lb_class_name(i), want[i]);
		else
			ck_assert_ptr_null(lb_class_name(i));
	}
	ck_assert_ptr_null(lb_class_name(-1));
	ck_assert_ptr_null(lb_class_name(LB_EINVAL));
}
END_TEST

START_TEST(test_port_classify)
{
	static const struct {
		uint16_t port;
		int cls;
		const char *name;
	} ports[] = {
		{ 0, LB_PORT_ZERO, "zero" },
		{ 1, LB_PORT_WELL_KNOWN, "well-known" },
		{ 80, LB_PORT_WELL_KNOWN, "well-known" },
		{ 1023, LB_PORT_WELL_KNOWN, "well-known" },
		{ 1024, LB_PORT_REGISTERED, "registered" },
		{ 8080, LB_PORT_REGISTERED, "registered" },
		{ 49151, LB_PORT_REGISTERED, "registered" },
		{ 49152, LB_PORT_DYNAMIC, "dynamic" },
		{ 62893, LB_PORT_DYNAMIC, "dynamic" },
		{ 65535, LB_PORT_DYNAMIC, "dynamic" },
	};
	size_t i;

	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		ck_assert_int_eq(lb_port_classify(ports[i].port), ports[i].cls);
		ck_assert_str_eq(lb_port_class_name(ports[i].cls), ports[i].name);
	}
	ck_assert_ptr_null(lb_port_class_name(0));
	ck_assert_ptr_null(lb_port_class_name(5));
	ck_assert_ptr_null(lb_port_class_name(-1));
}
END_TEST

START_TEST(test_port_is_ephemeral)
{
	unsigned first, last;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%u %u", &first, &last), 2);
	fclose(f);
	ck_assert_int_eq(lb_port_is_ephemeral((uint16_t)first), 1);
	ck_assert_int_eq(lb_port_is_ephemeral((uint16_t)last), 1);
	ck_assert_int_eq(lb_port_is_ephemeral((uint16_t)((first + last) / 2)), 1);
	if (first > 1)
		ck_assert_int_eq(lb_port_is_ephemeral((uint16_t)(first - 1)), 0);
	if (last < 65535)
		ck_assert_int_eq(lb_port_is_ephemeral((uint16_t)(last + 1)), 0);
	ck_assert_int_eq(lb_port_is_ephemeral(0), 0);
}
END_TEST

static Suite *classify_suite(void)
{
	Suite *s = suite_create("classify");
	TCase *tc = tcase_create("addr");

	tcase_add_loop_test(tc, test_addr_classify, 0, (int)(sizeof(addrs) / sizeof(addrs[0])));
	tcase_add_loop_test(tc, test_addr_flags_table, 0, (int)(sizeof(flag_cases) / sizeof(flag_cases[0])));
	tcase_add_test(tc, test_addr_flags_match_class);
	tcase_add_test(tc, test_names_classify);
	tcase_add_test(tc, test_classify_errors);
	tcase_add_test(tc, test_class_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("port");
	tcase_add_test(tc, test_port_classify);
	tcase_add_test(tc, test_port_is_ephemeral);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(classify_suite)
