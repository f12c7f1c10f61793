/* SPDX-License-Identifier: MIT */
/* The kernel's ephemeral port range (lib/os/ports.h reads it per OS). */
#include "core/internal.h"
#include "os/ports.h"

LB_EXPORT int lb_port_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last)
{
	uint16_t first, last;
	int r;

	lb_return_if(!ret_first || !ret_last, LB_EINVAL);
	r = lb__os_ephemeral_range(&first, &last);
	if (r < 0)
		return r;
	*ret_first = first;
	*ret_last = last;
	return 0;
}
