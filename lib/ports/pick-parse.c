/* SPDX-License-Identifier: MIT */
/* Pure parts of picking: the default range, candidate lists. */
#include "core/internal.h"
#include "ports/pick-internal.h"

uint16_t lb__pick_default_first(unsigned long unprivileged_start)
{
	if (unprivileged_start < 1024)
		return 1024;
	return unprivileged_start > 65535 ? 65535 : (uint16_t)unprivileged_start;
}

size_t lb__pick_candidates(uint16_t first, uint16_t last, const uint8_t *excluded,
			   uint16_t *out)
{
	size_t n = 0;
	unsigned long p;

	for (p = first; p <= last; p++)
		if (!excluded || !lb__port_set_has(excluded, p))
			out[n++] = (uint16_t)p;
	return n;
}
