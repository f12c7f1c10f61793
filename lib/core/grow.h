/* SPDX-License-Identifier: MIT */
/*
 * The library's array helpers. The one growth helper (as systemd's
 * GREEDY_REALLOC): every "double the array" goes through it, so the
 * overflow checks and the growth policy are written once; and the one
 * order of the sorted inode arrays.
 */
#ifndef LB_GROW_H
#define LB_GROW_H

#include <stddef.h>

/*
 * lb__grow - make room for @need elements of @size bytes in @array
 * @array: the array (NULL for none yet)
 * @cap: its capacity in elements; updated on success
 * @need: the number of elements that must fit (0 counts as 1)
 * @size: the size of one element (> 0)
 * @first: the capacity to start with when *@cap is 0 (0: 16)
 *
 * Returns @array itself when @need <= *@cap. Otherwise doubles the
 * capacity (at least to @need, at least to @first) with realloc() and
 * returns the new array; the new elements are not initialized. Returns
 * NULL when out of memory or when the size overflows size_t: @array is
 * then still valid and *@cap unchanged.
 *
 *	struct lb_socket *v = lb__grow(sv->v, &sv->cap, sv->n + 1, sizeof(*v), 64);
 *	if (!v)
 *		return LB_ENOMEM;
 *	sv->v = v;
 */
void *lb__grow(void *array, size_t *cap, size_t need, size_t size, size_t first);

/* The smallest power of two that is >= @n and >= @min (a power of two):
 * the size of an open-addressing hash table, or the capacity lb__grow()
 * reached for @n elements starting from @min. SIZE_MAX / 2 + 1 at most. */
size_t lb__pow2_at_least(size_t n, size_t min);

/* The order of two uint64_t for qsort() and bsearch() (socket inodes). */
int lb__cmp_u64(const void *a, const void *b);

#endif /* LB_GROW_H */
