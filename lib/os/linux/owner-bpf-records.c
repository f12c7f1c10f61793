/* SPDX-License-Identifier: MIT */
/*
 * The pure part of the BPF owner scan (issue 13): the iterator's records
 * into links. Built whether or not BPF is, so that it is tested everywhere.
 */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/linux/owner-bpf.h"

/* The record bpf/owner-scan.bpf.c writes. */
struct bpf_rec {
	uint32_t tgid;
	uint32_t fd;
	uint64_t inode;
};

int lb__owner_bpf_records(const void *buf, size_t len, const uint64_t *want, size_t n_want,
			  struct lb__owner_scan *scan, size_t *cap)
{
	const unsigned char *p = buf;
	size_t i;

	lb_return_if((!buf && len) || !scan || !cap || (!want && n_want), LB_EINVAL);
	if (len % sizeof(struct bpf_rec))
		return LB_EBADDATA;
	for (i = 0; i < len; i += sizeof(struct bpf_rec)) {
		struct bpf_rec rec;

		memcpy(&rec, p + i, sizeof(rec));
		if (rec.tgid == 0 || rec.inode == 0)
			continue;
		if (want && !bsearch(&rec.inode, want, n_want, sizeof(*want), lb__cmp_u64))
			continue;
		if (scan->n_links == *cap) {
			struct lb__owner_link *v = lb__grow(scan->links, cap, scan->n_links + 1,
							    sizeof(*v), 256);

			if (!v)
				return LB_ENOMEM;
			scan->links = v;
		}
		scan->links[scan->n_links].inode = rec.inode;
		scan->links[scan->n_links].pid = rec.tgid;
		scan->n_links++;
	}
	return 0;
}
