/* SPDX-License-Identifier: MIT */
/*
 * Tests for lib/os/freebsd/proc-parse.c on constructed bytes:
 * kern.proc.pid (struct kinfo_proc), kern.proc.args, kern.proc.pathname.
 * The kinfo_proc fixtures are written at raw byte offsets of FreeBSD 14
 * amd64/arm64 (numbers here, not the parser's struct), so a slip in either
 * shows.
 */
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "core/internal.h"
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"
#include "fixture-bytes.h"
#include <loopback.h>

#define KP_SIZE 1088
#define O_STRUCTSIZE 0
#define O_PID 72
#define O_PPID 76
#define O_UID 168
#define O_RUID 172
#define O_START_SEC 336
#define O_START_USEC 344
#define O_COMM 447
#define COMM_SIZE 20

/* A kinfo_proc of @pid with every other byte set to 0xa5 (so nothing is
 * read from where it should not be), then the fields the parser reads. */
static uint8_t *kinfo(uint32_t pid, const char *comm)
{
	uint8_t *b = malloc(KP_SIZE);

	ck_assert_ptr_nonnull(b);
	memset(b, 0xa5, KP_SIZE);
	lb_fx_put(b, O_STRUCTSIZE, KP_SIZE, 4);
	lb_fx_put(b, O_PID, pid, 4);
	lb_fx_put(b, O_PPID, 1, 4);
	lb_fx_put(b, O_UID, 1001, 4);
	lb_fx_put(b, O_RUID, 1002, 4);
	lb_fx_put(b, O_START_SEC, 1700000000, 8);
	lb_fx_put(b, O_START_USEC, 123456, 8);
	memset(b + O_COMM, 0, COMM_SIZE);
	memcpy(b + O_COMM, comm, strlen(comm));
	return b;
}

static const struct lb__fbsd_proc untouched = { 7, 7, 7, 7, 7, "untouched" };

/* Parsing @b fails with @want and leaves the output as it was. */
static void expect_bad(const uint8_t *b, size_t len, uint32_t pid, int want)
{
	struct lb__fbsd_proc p;

	memcpy(&p, &untouched, sizeof(p)); /* padding included */
	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, len, pid, &p), want);
	ck_assert_mem_eq(&p, &untouched, sizeof(p));
}

START_TEST(test_kinfo_parse)
{
	uint8_t *b = kinfo(4242, "nginx");
	struct lb__fbsd_proc p;

	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, KP_SIZE, 4242, &p), 0);
	ck_assert_uint_eq(p.pid, 4242);
	ck_assert_uint_eq(p.ppid, 1);
	ck_assert_uint_eq(p.uid, 1001);
	ck_assert_uint_eq(p.ruid, 1002);
	ck_assert_uint_eq(p.start_time, 1700000000123ULL);
	ck_assert_str_eq(p.comm, "nginx");
	free(b);

	/* The longest name, COMMLEN 19 characters and its NUL. */
	b = kinfo(99999, "abcdefghijklmnopqrs");
	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, KP_SIZE, 99999, &p), 0);
	ck_assert_str_eq(p.comm, "abcdefghijklmnopqrs");
	ck_assert_uint_eq(p.pid, 99999);
	free(b);
}
END_TEST

START_TEST(test_kinfo_truncated)
{
	uint8_t *b = kinfo(4242, "nginx");
	uint8_t *two = malloc(2 * KP_SIZE);

	expect_bad(b, KP_SIZE - 1, 4242, LB_EBADDATA);
	expect_bad(b, O_COMM + 5, 4242, LB_EBADDATA);
	expect_bad(b, 3, 4242, LB_EBADDATA); /* not even ki_structsize */
	expect_bad(b, 0, 4242, LB_EBADDATA);
	/* Two records where one is asked for. */
	ck_assert_ptr_nonnull(two);
	memcpy(two, b, KP_SIZE);
	memcpy(two + KP_SIZE, b, KP_SIZE);
	expect_bad(two, 2 * KP_SIZE, 4242, LB_EBADDATA);
	free(two);
	free(b);
}
END_TEST

START_TEST(test_kinfo_structsize)
{
	uint8_t *b = kinfo(4242, "nginx");
	uint8_t *big = calloc(1, 1096);

	/* Another layout: i386's 768 bytes, a larger future one; the length
	 * given matches the record's claim, the claim is refused. */
	lb_fx_put(b, O_STRUCTSIZE, 768, 4);
	expect_bad(b, 768, 4242, LB_EBADDATA);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	ck_assert_ptr_nonnull(big);
	memcpy(big, b, KP_SIZE);
	lb_fx_put(big, O_STRUCTSIZE, 1096, 4);
	expect_bad(big, 1096, 4242, LB_EBADDATA);
	lb_fx_put(b, O_STRUCTSIZE, 0, 4);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	lb_fx_put(b, O_STRUCTSIZE, (uint32_t)-KP_SIZE, 4);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	free(big);
	free(b);
}
END_TEST

START_TEST(test_kinfo_comm_unterminated)
{
	uint8_t *b = kinfo(4242, "nginx");

	memset(b + O_COMM, 'x', COMM_SIZE); /* 20 bytes, no NUL */
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	b[O_COMM + COMM_SIZE - 1] = '\0'; /* the NUL in its last byte: fine */
	{
		struct lb__fbsd_proc p;

		ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, KP_SIZE, 4242, &p), 0);
		ck_assert_uint_eq(strlen(p.comm), COMM_SIZE - 1);
	}
	free(b);
}
END_TEST

START_TEST(test_kinfo_pid_mismatch)
{
	uint8_t *b = kinfo(4242, "nginx");

	expect_bad(b, KP_SIZE, 4243, LB_EBADDATA);
	expect_bad(b, KP_SIZE, 0, LB_EBADDATA);
	lb_fx_put(b, O_PID, 0, 4);
	expect_bad(b, KP_SIZE, 0, LB_EBADDATA);
	lb_fx_put(b, O_PID, (uint32_t)-5, 4);
	expect_bad(b, KP_SIZE, (uint32_t)-5, LB_EBADDATA);
	lb_fx_put(b, O_PID, 4242, 4);
	lb_fx_put(b, O_PPID, (uint32_t)-1, 4);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	free(b);
}
END_TEST

START_TEST(test_kinfo_start_time)
{
	uint8_t *b = kinfo(4242, "nginx");
	struct lb__fbsd_proc p;

	lb_fx_put(b, O_START_USEC, 1000000, 8);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	lb_fx_put(b, O_START_USEC, (uint64_t)-1, 8);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	lb_fx_put(b, O_START_USEC, 999999, 8);
	lb_fx_put(b, O_START_SEC, (uint64_t)-1, 8);
	expect_bad(b, KP_SIZE, 4242, LB_EBADDATA);
	lb_fx_put(b, O_START_SEC, 0, 8);
	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, KP_SIZE, 4242, &p), 0);
	ck_assert_uint_eq(p.start_time, 999);
	free(b);
}
END_TEST

START_TEST(test_kinfo_einval)
{
	uint8_t *b = kinfo(1, "init");
	struct lb__fbsd_proc p;

	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(NULL, KP_SIZE, 1, &p), LB_EINVAL);
	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, KP_SIZE, 1, NULL), LB_EINVAL);
	ck_assert_int_eq(lb__fbsd_kinfo_proc_parse(b, KP_SIZE, 1, &p), 0);
	ck_assert_str_eq(p.comm, "init");
	free(b);
}
END_TEST

typedef int (*string_parser)(const void *buf, size_t len, char **ret);

struct string_case {
	const char *in;
	size_t len;
	int want;          /* the return */
	const char *out;   /* the string on success */
};

/* Each case through @parse; a failure leaves the output as it was. */
static void check_strings(string_parser parse, const struct string_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *s = (char *)"untouched";

		ck_assert_msg(parse(c[i].in, c[i].len, &s) == c[i].want, "case %zu", i);
		if (c[i].want == 0) {
			ck_assert_str_eq(s, c[i].out);
			free(s);
		} else {
			ck_assert_str_eq(s, "untouched");
		}
	}
	ck_assert_int_eq(parse("a\0", 2, NULL), LB_EINVAL);
}

START_TEST(test_args)
{
	static const struct string_case cases[] = {
		{ "python3\0-m\0http.server\0", 23, 0, "python3 -m http.server" },
		{ "/usr/sbin/sshd\0", 15, 0, "/usr/sbin/sshd" },
		{ "a\0\0b\0", 5, 0, "a  b" },  /* an empty argument: two spaces */
		{ "", 0, LB_ENOENT, NULL },     /* a kernel process, a zombie */
		{ NULL, 0, LB_ENOENT, NULL },
		{ "python3\0-m\0http.ser", 19, LB_EBADDATA, NULL }, /* cut: no last NUL */
		{ "x", 1, LB_EBADDATA, NULL },
		{ NULL, 3, LB_EINVAL, NULL },
	};

	check_strings(lb__fbsd_args_parse, cases, LB_ARRAY_SIZE(cases));
}
END_TEST

START_TEST(test_pathname)
{
	static const struct string_case cases[] = {
		{ "/usr/local/sbin/nginx\0", 22, 0, "/usr/local/sbin/nginx" },
		{ "", 0, LB_ENOENT, NULL },
		{ "\0", 1, LB_ENOENT, NULL },
		{ "/bin/sh", 7, LB_EBADDATA, NULL },      /* no NUL */
		{ "/bin\0/sh\0", 9, LB_EBADDATA, NULL },  /* two strings */
		{ "/bin/sh\0\0", 9, LB_EBADDATA, NULL },
		{ NULL, 1, LB_EINVAL, NULL },
	};

	check_strings(lb__fbsd_pathname_parse, cases, LB_ARRAY_SIZE(cases));
}
END_TEST

static Suite *freebsd_proc_suite(void)
{
	Suite *s = suite_create("freebsd-proc");
	TCase *tc = tcase_create("kinfo_proc");
	TCase *ts = tcase_create("strings");

	tcase_add_test(tc, test_kinfo_parse);
	tcase_add_test(tc, test_kinfo_truncated);
	tcase_add_test(tc, test_kinfo_structsize);
	tcase_add_test(tc, test_kinfo_comm_unterminated);
	tcase_add_test(tc, test_kinfo_pid_mismatch);
	tcase_add_test(tc, test_kinfo_start_time);
	tcase_add_test(tc, test_kinfo_einval);
	suite_add_tcase(s, tc);
	tcase_add_test(ts, test_args);
	tcase_add_test(ts, test_pathname);
	suite_add_tcase(s, ts);
	return s;
}

LB_TEST_MAIN(freebsd_proc_suite)
