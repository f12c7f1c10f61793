/* SPDX-License-Identifier: MIT */
/* Tests for lib/endpoint/endpoint-sockaddr.c: lb_addr <-> struct sockaddr, on
 * constructed values and on real sockets bound through them. */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lb-test.h"
#include <loopback.h>

static lb_addr parse(const char *s)
{
	lb_addr a;

	ck_assert_msg(lb_addr_parse(s, strlen(s), &a, NULL) == 0, "%s", s);
	return a;
}

START_TEST(test_to_sockaddr_v4)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	lb_addr a = parse("192.0.2.7");

	memset(&ss, 0xee, sizeof(ss));
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 8080, sizeof(ss), (struct sockaddr *)&ss),
			 (int)sizeof(struct sockaddr_in));
	ck_assert_int_eq(sin->sin_family, AF_INET);
	ck_assert_uint_eq(ntohs(sin->sin_port), 8080);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0xc0000207u);
	/* the rest of the buffer is zeroed */
	ck_assert_int_eq(((unsigned char *)&ss)[sizeof(ss) - 1], 0);
	/* exactly sizeof(sockaddr_in) is enough; one less is LB_ENOSPC, untouched */
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 1, sizeof(struct sockaddr_in),
					     (struct sockaddr *)&ss), (int)sizeof(struct sockaddr_in));
	memset(&ss, 0xee, sizeof(ss));
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 1, sizeof(struct sockaddr_in) - 1,
					     (struct sockaddr *)&ss), LB_ENOSPC);
	ck_assert_int_eq(((unsigned char *)&ss)[0], 0xee);
}
END_TEST

START_TEST(test_to_sockaddr_v6)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct in6_addr want;
	lb_addr a = parse("2001:db8::1%7");

	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 443, sizeof(ss), (struct sockaddr *)&ss),
			 (int)sizeof(struct sockaddr_in6));
	ck_assert_int_eq(sin6->sin6_family, AF_INET6);
	ck_assert_uint_eq(ntohs(sin6->sin6_port), 443);
	ck_assert_uint_eq(sin6->sin6_scope_id, 7);
	ck_assert_int_eq(inet_pton(AF_INET6, "2001:db8::1", &want), 1);
	ck_assert_mem_eq(&sin6->sin6_addr, &want, 16);

	/* a named zone resolves to the interface index */
	a = parse("fe80::1%lo");
	ck_assert_int_gt(lb_addr_to_sockaddr(&a, 22, sizeof(ss), (struct sockaddr *)&ss), 0);
	ck_assert_uint_eq(sin6->sin6_scope_id, if_nametoindex("lo"));
	ck_assert_uint_ne(sin6->sin6_scope_id, 0);
	/* no such interface */
	a = parse("fe80::1%nosuchif0");
	memset(&ss, 0xee, sizeof(ss));
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 22, sizeof(ss), (struct sockaddr *)&ss), LB_ENOENT);
	ck_assert_int_eq(((unsigned char *)&ss)[0], 0xee);
	/* short buffer: a sockaddr_in fits, a sockaddr_in6 does not */
	a = parse("::1");
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 1, sizeof(struct sockaddr_in6) - 1,
					     (struct sockaddr *)&ss), LB_ENOSPC);
	ck_assert_int_eq(((unsigned char *)&ss)[0], 0xee);
	/* no zone: scope 0 */
	ck_assert_int_gt(lb_addr_to_sockaddr(&a, 1, sizeof(ss), (struct sockaddr *)&ss), 0);
	ck_assert_uint_eq(sin6->sin6_scope_id, 0);
}
END_TEST

START_TEST(test_to_sockaddr_errors)
{
	struct sockaddr_storage ss;
	lb_addr a = parse("::1");
	lb_endpoint e;

	ck_assert_int_eq(lb_addr_to_sockaddr(NULL, 1, sizeof(ss), (struct sockaddr *)&ss), LB_EINVAL);
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 1, sizeof(ss), NULL), LB_EINVAL);
	a.family = LB_AF_NONE;
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 1, sizeof(ss), (struct sockaddr *)&ss), LB_EINVAL);
	a = parse("::1");
	strcpy(a.zone, "bad zone");
	ck_assert_int_eq(lb_addr_to_sockaddr(&a, 1, sizeof(ss), (struct sockaddr *)&ss), LB_EINVAL);

	ck_assert_int_eq(lb_endpoint_parse("localhost:80", 12, &e, NULL), 0);
	ck_assert_int_eq(lb_endpoint_to_sockaddr(&e, sizeof(ss), (struct sockaddr *)&ss), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_to_sockaddr(NULL, sizeof(ss), (struct sockaddr *)&ss), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_parse("[::1]:80", 8, &e, NULL), 0);
	ck_assert_int_eq(lb_endpoint_to_sockaddr(&e, sizeof(ss), NULL), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_to_sockaddr(&e, 4, (struct sockaddr *)&ss), LB_ENOSPC);
	ck_assert_int_eq(lb_endpoint_to_sockaddr(&e, sizeof(ss), (struct sockaddr *)&ss),
			 (int)sizeof(struct sockaddr_in6));
	ck_assert_uint_eq(ntohs(((struct sockaddr_in6 *)&ss)->sin6_port), 80);
}
END_TEST

START_TEST(test_from_sockaddr)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr_un_like {
		sa_family_t family;
		char path[30];
	} un;
	lb_addr a;
	lb_endpoint e;
	uint16_t port = 0;
	char buf[LB_ENDPOINT_STRLEN];
	unsigned lo = if_nametoindex("lo");

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(62893);
	sin.sin_addr.s_addr = htonl(0x7f000001);
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin, sizeof(sin), &a, &port), 0);
	ck_assert_int_eq(a.family, LB_AF_INET);
	ck_assert_uint_eq(port, 62893);
	ck_assert_int_eq(lb_addr_format(&a, buf, sizeof(buf)), 9);
	ck_assert_str_eq(buf, "127.0.0.1");
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin, sizeof(sin), &a, NULL), 0);
	ck_assert_int_eq(lb_endpoint_from_sockaddr((struct sockaddr *)&sin, sizeof(sin), &e), 0);
	ck_assert_int_eq(lb_endpoint_format(&e, buf, sizeof(buf)), 15);
	ck_assert_str_eq(buf, "127.0.0.1:62893");

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_port = htons(22);
	ck_assert_int_eq(inet_pton(AF_INET6, "fe80::1", &sin6.sin6_addr), 1);
	sin6.sin6_scope_id = lo;
	ck_assert_int_eq(lb_endpoint_from_sockaddr((struct sockaddr *)&sin6, sizeof(sin6), &e), 0);
	ck_assert_int_eq(e.kind, LB_HOST_ADDR);
	ck_assert_str_eq(e.addr.zone, "lo");   /* the index became the name */
	ck_assert_uint_eq(e.addr.scope_id, lo);
	ck_assert_int_gt(lb_endpoint_format(&e, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "[fe80::1%lo]:22");
	/* an index without an interface becomes a numeric zone */
	sin6.sin6_scope_id = 999999;
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin6, sizeof(sin6), &a, NULL), 0);
	ck_assert_str_eq(a.zone, "999999");
	ck_assert_uint_eq(a.scope_id, 999999);
	{
		lb_addr b = parse("fe80::1%999999");

		ck_assert_int_eq(lb_addr_equal(&a, &b), 1);   /* parses back the same */
	}

	/* errors: NULL, short, other families; out-params untouched */
	memset(&a, 0x11, sizeof(a));
	port = 7;
	ck_assert_int_eq(lb_addr_from_sockaddr(NULL, sizeof(sin), &a, &port), LB_EINVAL);
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin, sizeof(sin), NULL, &port), LB_EINVAL);
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin, sizeof(sin) - 1, &a, &port), LB_EINVAL);
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin, 1, &a, &port), LB_EINVAL);
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&sin6, sizeof(sin6) - 1, &a, &port), LB_EINVAL);
	memset(&un, 0, sizeof(un));
	un.family = AF_UNIX;
	ck_assert_int_eq(lb_addr_from_sockaddr((struct sockaddr *)&un, sizeof(un), &a, &port), LB_EAFNOSUPPORT);
	ck_assert_int_eq(a.family, 0x11111111);
	ck_assert_uint_eq(port, 7);
	ck_assert_int_eq(lb_endpoint_from_sockaddr(NULL, sizeof(sin), &e), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_from_sockaddr((struct sockaddr *)&sin, sizeof(sin), NULL), LB_EINVAL);
	ck_assert_int_eq(lb_endpoint_from_sockaddr((struct sockaddr *)&un, sizeof(un), &e), LB_EAFNOSUPPORT);
}
END_TEST

/* Bind a real socket through lb_endpoint_to_sockaddr() and read its name
 * back through lb_endpoint_from_sockaddr(); @host on a port leased for
 * the test (never port 0: an ephemeral port). */
static void bind_round_trip(const char *host, int family)
{
	struct sockaddr_storage ss;
	socklen_t len;
	lb_endpoint e, got;
	char buf[LB_ENDPOINT_STRLEN], text[64];
	lb_lease *lease = lb_test_lease(LB_PICK_TCP, family, 1);
	uint16_t port = lb_lease_port(lease, 0);
	int fd, sl;

	snprintf(text, sizeof(text), "%s:%u", host, (unsigned)port);

	ck_assert_int_eq(lb_endpoint_parse(text, strlen(text), &e, NULL), 0);
	sl = lb_endpoint_to_sockaddr(&e, sizeof(ss), (struct sockaddr *)&ss);
	ck_assert_int_gt(sl, 0);
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(bind(fd, (struct sockaddr *)&ss, (socklen_t)sl) == 0, "bind %s", text);
	len = sizeof(ss);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	close(fd);
	ck_assert_int_eq(lb_endpoint_from_sockaddr((struct sockaddr *)&ss, len, &got), 0);
	ck_assert_int_eq(lb_addr_equal(&got.addr, &e.addr), 1);
	ck_assert_uint_eq(got.port, port);
	ck_assert_int_gt(lb_endpoint_format(&got, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, text);
	ck_assert_int_eq(lb_endpoint_parse(buf, strlen(buf), &e, NULL), 0);
	ck_assert_uint_eq(e.port, got.port);
	lb_lease_release(lease);
}

START_TEST(test_real_sockets)
{
	int fd;

	bind_round_trip("127.0.0.1", LB_PICK_FAMILY_IPV4);
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	if (fd < 0)
		return; /* no IPv6 here: the IPv4 half still ran */
	close(fd);
	bind_round_trip("[::1]", LB_PICK_FAMILY_IPV6);
}
END_TEST

static Suite *sockaddr_suite(void)
{
	Suite *s = suite_create("endpoint-sockaddr");
	TCase *tc = tcase_create("sockaddr");

	tcase_add_test(tc, test_to_sockaddr_v4);
	tcase_add_test(tc, test_to_sockaddr_v6);
	tcase_add_test(tc, test_to_sockaddr_errors);
	tcase_add_test(tc, test_from_sockaddr);
	tcase_add_test(tc, test_real_sockets);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(sockaddr_suite)
