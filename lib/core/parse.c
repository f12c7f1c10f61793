/* SPDX-License-Identifier: MIT */
/* See parse.h. */
#include "core/internal.h"
#include "core/parse.h"

int lb__parse_uint(const char **pp, const char *end, int base, uint64_t max, uint64_t *ret)
{
	const char *p = *pp;
	uint64_t v = 0;
	size_t digits = 0;

	for (; p < end; p++, digits++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (v > (max - d) / (unsigned)base)
			return LB_EBADDATA;
		v = v * (unsigned)base + d;
	}
	if (digits == 0)
		return LB_EBADDATA;
	*pp = p;
	*ret = v;
	return 0;
}
