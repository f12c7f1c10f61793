/* SPDX-License-Identifier: MIT */
/*
 * Which owner scan runs (issue 13): the BPF pass when allowed and
 * possible, else the /proc scan.
 */
#include "core/internal.h"
#include "os/linux/owner-bpf.h"

int lb__owner_scan_inodes(int how, const uint64_t *inodes, size_t n, int mode,
			  struct lb__owner_scan **ret_scan, const char **ret_name)
{
	int r = LB_ENOTSUP;

	lb_return_if(!ret_scan || !ret_name || (!inodes && n), LB_EINVAL);
	if (how != LB_OWNER_SCAN_PROC) {
		r = lb__owner_bpf_scan(inodes, n, ret_scan);
		if (r == 0) {
			*ret_name = "bpf";
			return 0;
		}
		if (how == LB_OWNER_SCAN_BPF)
			return r;
	}
	r = lb__owners_of_inodes(inodes, n, mode, ret_scan);
	if (r == 0)
		*ret_name = "proc";
	return r;
}
