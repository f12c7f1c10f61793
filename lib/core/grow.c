/* SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>

#include "core/grow.h"

void *lb__grow(void *array, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t ncap;
	void *v;

	if (!cap || size == 0)
		return NULL;
	if (need == 0)
		need = 1;
	if (array && need <= *cap)
		return array;
	ncap = *cap ? *cap : (first ? first : 16);
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return NULL;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return NULL;
	v = realloc(array, ncap * size);
	if (!v)
		return NULL;
	*cap = ncap;
	return v;
}

size_t lb__pow2_at_least(size_t n, size_t min)
{
	size_t v = min ? min : 1;

	while (v < n && v <= SIZE_MAX / 4)
		v *= 2;
	return v < n ? SIZE_MAX / 2 + 1 : v;
}

int lb__cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}
