/* SPDX-License-Identifier: MIT */
/* The owner-scan choice of a query and the scan a list reports (issue 13).
 * Linux runs it in lib/os/linux/owner-select.c. */
#include "sockets/backend.h"
#include "core/internal.h"

#ifndef LB_HAVE_BPF
#define LB_HAVE_BPF 0
#endif

LB_EXPORT int lb_query_set_owner_scan(lb_query *q, int scan)
{
	lb_return_if(!q, LB_EINVAL);
	lb_return_if(scan != LB_OWNER_SCAN_AUTO && scan != LB_OWNER_SCAN_PROC &&
		     scan != LB_OWNER_SCAN_BPF, LB_EINVAL);
	if (scan == LB_OWNER_SCAN_BPF && !LB_HAVE_BPF)
		return LB_ENOTSUP;
	q->owner_scan = scan;
	return 0;
}

LB_EXPORT const char *lb_socket_list_owner_scan(const lb_socket_list *list)
{
	return list ? list->owner_scan : NULL;
}
