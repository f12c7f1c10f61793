/* SPDX-License-Identifier: MIT */
/* Tests for lib/os/linux/btf-find.c: the one-pass BTF scanner, on BTF
 * built here (every kind it must step over, and every way to break it),
 * and on the running kernel's BTF when there is one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "os/linux/btf-find.h"

/* A tiny BTF writer: types and strings, then the header in front. */
struct blob {
	unsigned char types[4096];
	size_t n_types;
	char strs[1024];
	size_t n_strs;
	unsigned char out[8192];
	size_t len;
};

static void put32(struct blob *b, uint32_t v)
{
	memcpy(b->types + b->n_types, &v, 4);
	b->n_types += 4;
}

static uint32_t str(struct blob *b, const char *s)
{
	uint32_t off = (uint32_t)b->n_strs;

	if (!*s)
		return 0;
	memcpy(b->strs + b->n_strs, s, strlen(s) + 1);
	b->n_strs += strlen(s) + 1;
	return off;
}

static void type(struct blob *b, const char *name, unsigned kind, unsigned vlen, int kflag, uint32_t size)
{
	put32(b, str(b, name));
	put32(b, (uint32_t)kind << 24 | vlen | (uint32_t)(kflag ? 1u << 31 : 0));
	put32(b, size);
}

static void member(struct blob *b, const char *name, uint32_t type_id, uint32_t bit_off)
{
	put32(b, str(b, name));
	put32(b, type_id);
	put32(b, bit_off);
}

static void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->n_strs = 1; /* string 0 is "" */
}

static void finish(struct blob *b)
{
	uint16_t magic = 0xeB9F;
	uint32_t h[5] = { 24, 0, (uint32_t)b->n_types, (uint32_t)b->n_types, (uint32_t)b->n_strs };

	memcpy(b->out, &magic, 2);
	b->out[2] = 1;
	b->out[3] = 0;
	memcpy(b->out + 4, h, sizeof(h));
	memcpy(b->out + 24, b->types, b->n_types);
	memcpy(b->out + 24 + b->n_types, b->strs, b->n_strs);
	b->len = 24 + b->n_types + b->n_strs;
}

/* A kernel-like BTF: every kind the scanner steps over, a decoy struct
 * of the same name without the member, and the wanted names. */
static void kernel_like(struct blob *b, int with_func)
{
	blob_init(b);
	type(b, "int", 1, 0, 0, 4); put32(b, 32);              /* 1 INT */
	type(b, "", 2, 0, 0, 1);                               /* 2 PTR */
	type(b, "", 3, 0, 0, 0); put32(b, 1); put32(b, 1); put32(b, 16); /* 3 ARRAY */
	type(b, "file", 4, 1, 0, 8); member(b, "f_mode", 1, 0); /* 4 decoy: other "file"s lack f_inode */
	type(b, "task_struct", 4, 3, 0, 4096);                 /* 5 */
	member(b, "state", 1, 0);
	member(b, "pid", 1, 0x9c0 * 8);
	member(b, "tgid", 1, 0x9c4 * 8);
	type(b, "u", 5, 2, 0, 8); member(b, "a", 1, 0); member(b, "b", 1, 0); /* 6 UNION */
	type(b, "e", 6, 2, 0, 4); put32(b, str(b, "A")); put32(b, 0); put32(b, str(b, "B")); put32(b, 1); /* 7 ENUM */
	type(b, "fw", 7, 0, 0, 0);                             /* 8 FWD */
	type(b, "umode_t", 8, 0, 0, 1);                        /* 9 TYPEDEF */
	type(b, "", 9, 0, 0, 1); type(b, "", 10, 0, 0, 1); type(b, "", 11, 0, 0, 1); /* 10-12 */
	type(b, "inode", 4, 3, 1, 600);                        /* 13, kind_flag: bitfield encoding */
	member(b, "i_mode", 9, 0);
	member(b, "i_flags", 1, (3u << 24) | 16);             /* a bitfield */
	member(b, "i_ino", 1, 64 * 8);
	type(b, "", 13, 2, 0, 1); put32(b, str(b, "ctx")); put32(b, 2); put32(b, 0); put32(b, 0); /* 14 FUNC_PROTO */
	type(b, "v", 14, 0, 0, 1); put32(b, 0);                /* 15 VAR */
	type(b, ".data", 15, 1, 0, 8); put32(b, 15); put32(b, 0); put32(b, 4); /* 16 DATASEC */
	type(b, "double", 16, 0, 0, 8);                        /* 17 FLOAT */
	type(b, "tag", 17, 0, 0, 5); put32(b, (uint32_t)-1);   /* 18 DECL_TAG */
	type(b, "tt", 18, 0, 0, 2);                            /* 19 TYPE_TAG */
	type(b, "e64", 19, 1, 0, 8); put32(b, str(b, "C")); put32(b, 0); put32(b, 1); /* 20 ENUM64 */
	type(b, "file", 4, 2, 0, 256);                         /* 21 */
	member(b, "f_mode", 1, 0);
	member(b, "f_inode", 2, 32 * 8);
	type(b, with_func ? "bpf_iter_task_file" : "bpf_iter_task", 12, 0, 0, 14); /* 22 FUNC */
	finish(b);
}

static struct lb__btf_field fields[5];

static struct lb__btf_want want_all(void)
{
	struct lb__btf_field f[5] = {
		{ "task_struct", "tgid", 0, 0 }, { "task_struct", "pid", 0, 0 },
		{ "file", "f_inode", 0, 0 }, { "inode", "i_mode", 0, 0 }, { "inode", "i_ino", 0, 0 },
	};
	struct lb__btf_want w = { "bpf_iter_task_file", 0, fields, 5 };

	memcpy(fields, f, sizeof(f));
	return w;
}

START_TEST(test_find)
{
	static struct blob b;
	struct lb__btf_want w = want_all();

	kernel_like(&b, 1);
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), 0);
	ck_assert_uint_eq(w.func_id, 22);
	ck_assert_uint_eq(fields[0].offset, 0x9c4);
	ck_assert_uint_eq(fields[1].offset, 0x9c0);
	ck_assert_uint_eq(fields[2].offset, 32);
	ck_assert_uint_eq(fields[3].offset, 0);
	ck_assert_uint_eq(fields[4].offset, 64);
	/* An old kernel: no iterator. */
	kernel_like(&b, 0);
	w = want_all();
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_ENOENT);
	ck_assert_uint_eq(w.func_id, 0);
	/* A bitfield member is not ours to read. */
	kernel_like(&b, 1);
	w = want_all();
	fields[4].member = "i_flags";
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_ENOENT);
	/* No such member. */
	w = want_all();
	fields[2].member = "f_nope";
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_ENOENT);
	ck_assert_int_eq(lb__btf_find(NULL, b.len, &w), LB_EINVAL);
	ck_assert_int_eq(lb__btf_find(b.out, b.len, NULL), LB_EINVAL);
}
END_TEST

/* Names are matched by their offset in the string section; BTF that
 * does not deduplicate its strings holds a name at several offsets, and
 * past four of them the scanner compares strings instead. Both must find
 * the same thing. */
START_TEST(test_repeated_names)
{
	static struct blob b;
	struct lb__btf_want w;
	int i;

	blob_init(&b);
	type(&b, "int", 1, 0, 0, 4); put32(&b, 32);             /* 1 */
	for (i = 0; i < 6; i++) {                               /* 2-7: decoys, each its own "file" string */
		type(&b, "file", 4, 1, 0, 8);
		member(&b, "f_mode", 1, 0);
	}
	type(&b, "task_struct", 4, 2, 0, 4096);                 /* 8 */
	member(&b, "pid", 1, 0x10 * 8);
	member(&b, "tgid", 1, 0x14 * 8);
	type(&b, "inode", 4, 2, 0, 600);                        /* 9 */
	member(&b, "i_mode", 1, 0);
	member(&b, "i_ino", 1, 64 * 8);
	type(&b, "file", 4, 1, 0, 256);                         /* 10: the 7th "file" string */
	member(&b, "f_inode", 1, 40 * 8);
	type(&b, "bpf_iter_task_file", 12, 0, 0, 1);            /* 11 */
	type(&b, "bpf_iter_task_file", 12, 0, 0, 1);            /* 12: the first one counts */
	finish(&b);
	w = want_all();
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), 0);
	ck_assert_uint_eq(w.func_id, 11);
	ck_assert_uint_eq(fields[0].offset, 0x14);
	ck_assert_uint_eq(fields[1].offset, 0x10);
	ck_assert_uint_eq(fields[2].offset, 40);
	ck_assert_uint_eq(fields[4].offset, 64);
	/* More struct names than the scanner holds: refused, not misread. */
	{
		struct lb__btf_field many[8] = {
			{ "a", "x", 0, 0 }, { "b", "x", 0, 0 }, { "c", "x", 0, 0 }, { "d", "x", 0, 0 },
			{ "e", "x", 0, 0 }, { "f", "x", 0, 0 }, { "g", "x", 0, 0 }, { "h", "x", 0, 0 },
		};
		struct lb__btf_want wm = { "bpf_iter_task_file", 0, many, 8 };

		ck_assert_int_eq(lb__btf_find(b.out, b.len, &wm), LB_EINVAL);
		wm.n_fields = 7;
		ck_assert_int_eq(lb__btf_find(b.out, b.len, &wm), LB_ENOENT);
	}
}
END_TEST

START_TEST(test_truncated)
{
	static struct blob b;
	struct lb__btf_want w;
	size_t len;

	kernel_like(&b, 1);
	/* Every cut is an error, never a read past the end (ASan, valgrind). */
	for (len = 0; len < b.len; len++) {
		unsigned char *cut = malloc(len ? len : 1);

		memcpy(cut, b.out, len);
		w = want_all();
		ck_assert_int_eq(lb__btf_find(cut, len, &w), LB_EBADDATA);
		free(cut);
	}
}
END_TEST

START_TEST(test_bad)
{
	static struct blob b;
	struct lb__btf_want w;
	uint32_t v;

	kernel_like(&b, 1);
	w = want_all();
	b.out[0] ^= 0xff; /* magic (or the other byte order) */
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
	kernel_like(&b, 1);
	b.out[2] = 2; /* version */
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
	kernel_like(&b, 1);
	v = 0xffff; /* type_len past the end */
	memcpy(b.out + 12, &v, 4);
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
	kernel_like(&b, 1);
	b.out[b.len - 1] = 'x'; /* strings not terminated */
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
	kernel_like(&b, 1);
	b.out[24 + 7] = 31; /* an unknown kind in the first type */
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
	kernel_like(&b, 1);
	v = 0x7fffffff; /* the first type's name outside the strings */
	memcpy(b.out + 24 + 16 + 12 + 24, &v, 4); /* type 4's name ("file", a STRUCT) */
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
	/* A type whose members run past type_len. */
	blob_init(&b);
	type(&b, "file", 4, 100, 0, 8);
	finish(&b);
	ck_assert_int_eq(lb__btf_find(b.out, b.len, &w), LB_EBADDATA);
}
END_TEST

/* The running kernel's BTF: the fields the BPF owner scan reads exist. */
START_TEST(test_vmlinux)
{
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "rb");
	struct lb__btf_want w = want_all();
	unsigned char *buf;
	size_t len = 0, cap = 16 << 20, n;

	if (!f)
		return; /* no BTF here: the constructed cases above still ran */
	buf = malloc(cap);
	while ((n = fread(buf + len, 1, cap - len, f)) > 0 && (len += n) < cap)
		;
	fclose(f);
	ck_assert_uint_lt(len, cap);
	ck_assert_int_eq(lb__btf_find(buf, len, &w), 0);
	ck_assert_uint_gt(w.func_id, 0);
	ck_assert_uint_ne(fields[0].offset, fields[1].offset);
	free(buf);
}
END_TEST

static Suite *btf_find_suite(void)
{
	Suite *s = suite_create("btf-find");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_repeated_names);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_bad);
	tcase_add_test(tc, test_vmlinux);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(btf_find_suite)
