/* SPDX-License-Identifier: MIT */
/* The lease object: accessors, inheritance, release. Portable: the OS
 * calls are lib/os/lease.h's. */
#include <stdlib.h>

#include "core/grow.h"
#include "core/internal.h"
#include "ports/lease-internal.h"

int lb__lease_append(struct lb_lease *lease, uint16_t port, const int fd[2])
{
	struct lb_lease_item *items = lb__grow(lease->items, &lease->cap, lease->n + 1,
					       sizeof(*items), 4);

	if (!items)
		return LB_ENOMEM;
	lease->items = items;
	lease->items[lease->n].port = port;
	lease->items[lease->n].fd[0] = fd[0];
	lease->items[lease->n].fd[1] = fd[1];
	lease->n++;
	return 0;
}

void lb__lease_close_pair(const int fd[2])
{
	if (fd[0] >= 0)
		lb__lease_close(fd[0]);
	if (fd[1] >= 0)
		lb__lease_close(fd[1]);
}

void lb__lease_drop_last(struct lb_lease *lease, size_t n)
{
	while (n-- > 0 && lease->n > 0)
		lb__lease_close_pair(lease->items[--lease->n].fd);
}

LB_EXPORT size_t lb_lease_count(const lb_lease *lease)
{
	return lease ? lease->n : 0;
}

LB_EXPORT uint16_t lb_lease_port(const lb_lease *lease, size_t index)
{
	if (!lease || index >= lease->n)
		return 0;
	return lease->items[index].port;
}

LB_EXPORT unsigned lb_lease_protocols(const lb_lease *lease)
{
	return lease ? lease->protocols : 0;
}

LB_EXPORT unsigned lb_lease_flags(const lb_lease *lease)
{
	return lease ? lease->flags : 0;
}

LB_EXPORT int lb_lease_fd(const lb_lease *lease, size_t index, unsigned protocol)
{
	int i = lb__proto_index(protocol);

	lb_return_if(!lease || index >= lease->n || i < 0, LB_EINVAL);
	lb_return_if(lease->items[index].fd[i] < 0, LB_EINVAL);
	return lease->items[index].fd[i];
}

LB_EXPORT int lb_lease_set_inherit(lb_lease *lease, int inherit)
{
	size_t i;
	int k;

	lb_return_if(!lease, LB_EINVAL);
	for (i = 0; i < lease->n; i++)
		for (k = 0; k < 2; k++) {
			int r;

			if (lease->items[i].fd[k] < 0)
				continue;
			r = lb__lease_inherit(lease->items[i].fd[k], inherit);
			if (r < 0)
				return r;
		}
	return 0;
}

LB_EXPORT void lb_lease_release(lb_lease *lease)
{
	if (!lease)
		return;
	lb__lease_drop_last(lease, lease->n);
	free(lease->items);
	free(lease);
}

LB_EXPORT int lb_lease_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids)
{
	lb_return_if(port == 0 || lb__proto_index(protocol) < 0, LB_EINVAL);
	lb_return_if(!pids && max_pids > 0, LB_EINVAL);
	return lb__lease_find_holders(port, protocol, pids, max_pids);
}
