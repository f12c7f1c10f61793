/* SPDX-License-Identifier: MIT */
/* Tests for the pure parser of lib/os/linux/procfs.c, on recorded tables. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "sockets/backend.h"
#include "os/linux/procfs.h"

static char *slurp(const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf = malloc(1 << 16);

	snprintf(path, sizeof(path), "%s/%s", LB_TEST_DATA, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void assert_v4(const lb_addr *a, const char *text)
{
	struct in_addr want;

	ck_assert_int_eq(inet_pton(AF_INET, text, &want), 1);
	ck_assert_int_eq(a->family, LB_AF_INET);
	ck_assert_mem_eq(a->bytes, &want, 4);
}

static void assert_v6(const lb_addr *a, const char *text)
{
	struct in6_addr want;

	ck_assert_int_eq(inet_pton(AF_INET6, text, &want), 1);
	ck_assert_int_eq(a->family, LB_AF_INET6);
	ck_assert_mem_eq(a->bytes, &want, 16);
}

START_TEST(test_tcp4_recorded)
{
	struct lb__sockvec sv = { 0 };
	size_t len;
	char *buf = slurp("sock-procfs-tcp.txt", &len);

	ck_assert_int_eq(lb__procfs_parse(buf, len, LB_PROTO_TCP, LB_AF_INET, &sv), 0);
	ck_assert_uint_eq(sv.n, 3);
	assert_v4(&sv.v[0].local, "127.0.0.1");
	ck_assert_uint_eq(sv.v[0].local_port, 41001);
	assert_v4(&sv.v[0].remote, "0.0.0.0");
	ck_assert_uint_eq(sv.v[0].remote_port, 0);
	ck_assert_int_eq(sv.v[0].state, LB_STATE_LISTEN);
	ck_assert_uint_eq(sv.v[0].inode, 135973);
	ck_assert_uint_eq(sv.v[0].uid, 0);
	ck_assert_int_eq(sv.v[0].protocol, LB_PROTO_TCP);
	ck_assert_int_eq(sv.v[1].state, LB_STATE_ESTABLISHED);
	ck_assert_uint_eq(sv.v[1].local_port, 43056);
	ck_assert_uint_eq(sv.v[1].remote_port, 41001);
	assert_v4(&sv.v[1].remote, "127.0.0.1");
	ck_assert_uint_eq(sv.v[2].rx_queue, 5);
	ck_assert_uint_eq(sv.v[2].tx_queue, 0);
	ck_assert_uint_eq(sv.v[2].inode, 135975);
	lb__sockvec_clear(&sv);
	free(buf);
}
END_TEST

START_TEST(test_tcp6_udp_recorded)
{
	struct lb__sockvec sv = { 0 };
	size_t len;
	char *buf = slurp("sock-procfs-tcp6.txt", &len);

	ck_assert_int_eq(lb__procfs_parse(buf, len, LB_PROTO_TCP, LB_AF_INET6, &sv), 0);
	ck_assert_uint_eq(sv.n, 2);
	assert_v6(&sv.v[0].local, "::");
	ck_assert_uint_eq(sv.v[0].local_port, 41005);
	assert_v6(&sv.v[1].local, "::1");
	ck_assert_uint_eq(sv.v[1].local_port, 41002);
	ck_assert_int_eq(sv.v[1].v6only, -1);
	free(buf);
	buf = slurp("sock-procfs-udp.txt", &len);
	ck_assert_int_eq(lb__procfs_parse(buf, len, LB_PROTO_UDP, LB_AF_INET, &sv), 0);
	ck_assert_uint_eq(sv.n, 3);
	ck_assert_int_eq(sv.v[2].protocol, LB_PROTO_UDP);
	ck_assert_int_eq(sv.v[2].state, LB_STATE_CLOSE);
	ck_assert_uint_eq(sv.v[2].local_port, 41003);
	ck_assert_uint_eq(sv.v[2].inode, 135978);
	free(buf);
	buf = slurp("sock-procfs-udp6.txt", &len);
	ck_assert_int_eq(lb__procfs_parse(buf, len, LB_PROTO_UDP, LB_AF_INET6, &sv), 0);
	ck_assert_uint_eq(sv.n, 4);
	assert_v6(&sv.v[3].local, "::");
	ck_assert_uint_eq(sv.v[3].local_port, 41004);
	lb__sockvec_clear(&sv);
	free(buf);
}
END_TEST

/* A table read while sockets came and went lists one socket twice (seen
 * under load: `ls --pid` gave 7 sockets for 6, the copy without owner):
 * one record per inode, the first kept; inode 0 (TIME-WAIT) is no socket
 * and every such line stays. */
START_TEST(test_duplicate_lines)
{
	static const char t[] =
		"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
		"   0: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 135973 1 0 100 0 0 10 0\n"
		"   1: 0100007F:A029 0100007F:A830 01 00000000:00000000 00:00000000 00000000     0        0 135975 1 0 20 4 30 10 -1\n"
		"   2: 0100007F:A029 0100007F:B830 06 00000000:00000000 03:00001000 00000000     0        0 0 3 0\n"
		"   3: 0100007F:A029 0100007F:A830 01 00000000:00000005 00:00000000 00000000     0        0 135975 1 0 20 4 30 10 -1\n"
		"   4: 0100007F:A029 0100007F:B831 06 00000000:00000000 03:00001000 00000000     0        0 0 3 0\n"
		"   5: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 135973 1 0 100 0 0 10 0\n";
	struct lb__sockvec sv = { 0 };

	ck_assert_int_eq(lb__procfs_parse(t, sizeof(t) - 1, LB_PROTO_TCP, LB_AF_INET, &sv), 0);
	ck_assert_uint_eq(sv.n, 4);
	ck_assert_uint_eq(sv.v[0].inode, 135973);
	ck_assert_uint_eq(sv.v[1].inode, 135975);
	ck_assert_uint_eq(sv.v[1].rx_queue, 0); /* the first line of the inode */
	ck_assert_uint_eq(sv.v[2].inode, 0);
	ck_assert_uint_eq(sv.v[2].remote_port, 0xB830);
	ck_assert_uint_eq(sv.v[3].inode, 0);
	ck_assert_uint_eq(sv.v[3].remote_port, 0xB831);
	lb__sockvec_clear(&sv);
}
END_TEST

START_TEST(test_bad_tables)
{
	static const char *const bad[] = {
		"",                                 /* no header */
		"garbage\n",                        /* wrong header */
		"  sl  local\n   0: 0100007F:A029\n", /* truncated */
		"  sl  local\n   0: 0100007G:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n",
		"  sl  local\n   0: 0100007F:A029 00000000:0000 0C 00000000:00000000 00:00000000 00000000     0        0 1\n",
		"  sl  local\n   0: 0100007F:A029 00000000:0000 00 00000000:00000000 00:00000000 00000000     0        0 1\n",
		"  sl  local\n   0: 0100007F:1A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n",
		"  sl  local\n   0: 100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n",
		"  sl  local\n   0: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000 99999999999 0 1\n",
		"  sl  local\n   0: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1x\n",
		"  sl  local\n   0: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0\n",
	};
	struct lb__sockvec sv = { 0 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(lb__procfs_parse(bad[i], strlen(bad[i]), LB_PROTO_TCP, LB_AF_INET, &sv) ==
			      LB_EBADDATA, "accepted case %zu", i);
		ck_assert_uint_eq(sv.n, 0); /* nothing appended on error */
	}
	/* A good line after a bad one still rejects the table as a whole. */
	{
		const char *t = "  sl\n   0: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 7\n x\n";

		ck_assert_int_eq(lb__procfs_parse(t, strlen(t), LB_PROTO_TCP, LB_AF_INET, &sv), LB_EBADDATA);
	}
	ck_assert_uint_eq(sv.n, 0);
	/* An empty table (header only) is fine. */
	ck_assert_int_eq(lb__procfs_parse("  sl  local\n", 12, LB_PROTO_TCP, LB_AF_INET, &sv), 0);
	ck_assert_uint_eq(sv.n, 0);
	ck_assert_int_eq(lb__procfs_parse(NULL, 0, LB_PROTO_TCP, LB_AF_INET, &sv), LB_EINVAL);
	ck_assert_int_eq(lb__procfs_parse("  sl\n", 5, 9, LB_AF_INET, &sv), 0);
	lb__sockvec_clear(&sv);
}
END_TEST

START_TEST(test_line_family_checked)
{
	struct lb_socket s;
	const char *l = "   0: 0100007F:A029 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 7";

	ck_assert_int_eq(lb__procfs_parse_line(l, strlen(l), LB_PROTO_TCP, 5, &s), LB_EINVAL);
	ck_assert_int_eq(lb__procfs_parse_line(l, strlen(l), 3, LB_AF_INET, &s), LB_EINVAL);
	/* An IPv4 line read as IPv6 is malformed. */
	ck_assert_int_eq(lb__procfs_parse_line(l, strlen(l), LB_PROTO_TCP, LB_AF_INET6, &s), LB_EBADDATA);
	ck_assert_int_eq(lb__procfs_parse_line(l, strlen(l), LB_PROTO_TCP, LB_AF_INET, &s), 0);
	ck_assert_uint_eq(s.inode, 7);
}
END_TEST

static Suite *procfs_suite(void)
{
	Suite *s = suite_create("socket-procfs");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_tcp4_recorded);
	tcase_add_test(tc, test_tcp6_udp_recorded);
	tcase_add_test(tc, test_duplicate_lines);
	tcase_add_test(tc, test_bad_tables);
	tcase_add_test(tc, test_line_family_checked);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(procfs_suite)
