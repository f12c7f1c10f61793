/* SPDX-License-Identifier: MIT */
/* The array helpers (lib/core/grow.c): lb__grow() and
 * lb__pow2_at_least(), including the overflow edges, and lb__cmp_u64(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lb-test.h"
#include "core/grow.h"

START_TEST(test_grow_from_nothing)
{
	size_t cap = 0;
	int *v = lb__grow(NULL, &cap, 1, sizeof(*v), 64);

	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 64);
	v[63] = 7;
	free(v);
	cap = 0;
	v = lb__grow(NULL, &cap, 0, sizeof(*v), 0); /* 0 counts as 1, first 0 as 16 */
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 16);
	free(v);
}
END_TEST

START_TEST(test_grow_doubles_and_keeps)
{
	size_t cap = 0, i, n = 0;
	int *v = NULL;

	for (i = 0; i < 1000; i++) {
		int *nv = lb__grow(v, &cap, n + 1, sizeof(*v), 4);

		ck_assert_ptr_nonnull(nv);
		v = nv;
		v[n++] = (int)i;
		ck_assert_uint_ge(cap, n);
		ck_assert_uint_eq(cap & (cap - 1), 0); /* 4 doubled: a power of two */
	}
	ck_assert_uint_eq(cap, 1024);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(v[i], (int)i);
	/* Room already there: the same array back, capacity unchanged. */
	ck_assert_ptr_eq(lb__grow(v, &cap, 10, sizeof(*v), 4), v);
	ck_assert_uint_eq(cap, 1024);
	/* A jump past double goes straight to a power-of-two multiple. */
	v = lb__grow(v, &cap, 5000, sizeof(*v), 4);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(cap, 8192);
	free(v);
}
END_TEST

START_TEST(test_grow_overflow)
{
	size_t cap = 16;
	char *v = malloc(16);

	ck_assert_ptr_nonnull(v);
	memset(v, 'x', 16);
	/* Elements whose total size overflows size_t: NULL, array intact. */
	ck_assert_ptr_null(lb__grow(v, &cap, SIZE_MAX / 8, 64, 0));
	ck_assert_uint_eq(cap, 16);
	ck_assert_ptr_null(lb__grow(v, &cap, SIZE_MAX, 1, 0));
	ck_assert_uint_eq(cap, 16);
	ck_assert_int_eq(v[15], 'x');
	/* Bad arguments. */
	ck_assert_ptr_null(lb__grow(v, NULL, 32, 1, 0));
	ck_assert_ptr_null(lb__grow(v, &cap, 32, 0, 0));
	free(v);
}
END_TEST

START_TEST(test_pow2_at_least)
{
	ck_assert_uint_eq(lb__pow2_at_least(0, 16), 16);
	ck_assert_uint_eq(lb__pow2_at_least(16, 16), 16);
	ck_assert_uint_eq(lb__pow2_at_least(17, 16), 32);
	ck_assert_uint_eq(lb__pow2_at_least(1000, 1024), 1024);
	ck_assert_uint_eq(lb__pow2_at_least(1025, 1024), 2048);
	ck_assert_uint_eq(lb__pow2_at_least(3, 0), 4);
	ck_assert_uint_eq(lb__pow2_at_least(SIZE_MAX, 1), SIZE_MAX / 2 + 1);
}
END_TEST

START_TEST(test_cmp_u64)
{
	uint64_t v[] = { UINT64_MAX, 0, (uint64_t)INT64_MAX + 1, 7, 7, 1 };
	uint64_t k = (uint64_t)INT64_MAX + 1, absent = 8;
	size_t i;

	qsort(v, 6, sizeof(v[0]), lb__cmp_u64);
	for (i = 1; i < 6; i++)
		ck_assert_uint_le(v[i - 1], v[i]); /* no overflow of a difference */
	ck_assert_uint_eq(v[5], UINT64_MAX);
	ck_assert_ptr_eq(bsearch(&k, v, 6, sizeof(v[0]), lb__cmp_u64), &v[4]);
	ck_assert_ptr_null(bsearch(&absent, v, 6, sizeof(v[0]), lb__cmp_u64));
}
END_TEST

static Suite *grow_suite(void)
{
	Suite *s = suite_create("grow");
	TCase *tc = tcase_create("grow");

	tcase_add_test(tc, test_grow_from_nothing);
	tcase_add_test(tc, test_grow_doubles_and_keeps);
	tcase_add_test(tc, test_grow_overflow);
	tcase_add_test(tc, test_pow2_at_least);
	tcase_add_test(tc, test_cmp_u64);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(grow_suite)
