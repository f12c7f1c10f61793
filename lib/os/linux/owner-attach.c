/* SPDX-License-Identifier: MIT */
/*
 * Owners onto a result list on Linux (owner.h): the owners hook of the
 * netlink and procfs backends (lb__owner_resolve), and the attaching of a
 * scan's links to the list's sockets, by inode, each holder described
 * once from /proc.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/linux/fd-scan.h"
#include "os/linux/owner-bpf.h"

/* The socket with inode @ino, through a sorted (inode, index) table. */
struct ino_idx {
	uint64_t inode;
	size_t index;
};

static int cmp_ino_idx(const void *a, const void *b)
{
	return lb__cmp_u64(a, b);
}


/* The (inode, index) table of @sv's sockets that have an inode, sorted.
 * NULL when out of memory. */
static struct ino_idx *index_inodes(const struct lb__sockvec *sv, size_t *ret_n)
{
	struct ino_idx *idx = malloc((sv->n + 1) * sizeof(*idx));
	size_t i, n = 0;

	if (!idx)
		return NULL;
	for (i = 0; i < sv->n; i++)
		if (sv->v[i].inode) {
			idx[n].inode = sv->v[i].inode;
			idx[n++].index = i;
		}
	if (n)
		qsort(idx, n, sizeof(*idx), cmp_ino_idx);
	*ret_n = n;
	return idx;
}

/* Attach holder @o (NULL and @gone: it exited before it could be
 * described) to the sockets of its links [from, to). */
static int attach_links(struct lb__sockvec *sv, const struct ino_idx *idx, size_t n_idx,
			const struct lb__owner_link *links, size_t from, size_t to,
			const struct lb_owner *o, int gone)
{
	size_t j;
	int r = 0;

	for (j = from; j < to && r == 0; j++) {
		struct ino_idx key = { links[j].inode, 0 }, *hit;

		hit = n_idx ? bsearch(&key, idx, n_idx, sizeof(*idx), cmp_ino_idx) : NULL;
		if (hit && gone)
			sv->v[hit->index].owner_error = LB_EEXITED; /* unless another holder shows */
		else if (hit && o)
			r = lb__socket_add_owner(&sv->v[hit->index], o);
	}
	return r;
}

/* Why a socket without owner has none, after the scan. */
static void mark_unowned(struct lb__sockvec *sv, const struct lb__owner_scan *scan)
{
	size_t i;

	for (i = 0; i < sv->n; i++) {
		struct lb_socket *s = &sv->v[i];

		if (s->n_owners > 0)
			s->owner_error = 0;
		else if (s->inode && s->owner_error != LB_EEXITED &&
			 (scan->n_hidden > 0 || scan->procs_hidden))
			s->owner_error = LB_EPERM;
	}
}

int lb__owner_attach(lb_socket_list *list, const struct lb__owner_scan *scan)
{
	struct lb__sockvec *sv = &list->socks;
	struct lb__user_cache uc = { { 0 }, { 0 }, 0 };
	struct ino_idx *idx;
	uint64_t btime;
	size_t i, j, n_idx = 0;
	int procfd, r = 0;

	idx = index_inodes(sv, &n_idx);
	if (!idx)
		return LB_ENOMEM;
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0) {
		free(idx);
		return LB_EIO;
	}
	btime = lb__proc_boot_time(procfd);
	for (i = 0; i < scan->n_links && r == 0; i = j) {
		uint32_t pid = scan->links[i].pid;
		struct lb_owner *o = NULL;
		int gone = 0;

		for (j = i; j < scan->n_links && scan->links[j].pid == pid; j++)
			;
		r = lb__proc_owner_at(procfd, pid, btime, &uc, &o);
		if (r == LB_ENOENT || r == LB_EBADDATA) {
			r = 0; /* exited mid-scan: no longer an owner */
			gone = 1;
		} else if (r == 0 && (r = lb__list_adopt_owner(list, o)) < 0) {
			lb__owner_free(o);
		}
		if (r == 0)
			r = attach_links(sv, idx, n_idx, scan->links, i, j, o, gone);
	}
	close(procfd);
	lb__user_cache_free(&uc);
	free(idx);
	if (r < 0)
		return r;
	mark_unowned(sv, scan);
	return 0;
}

/* Keep only the sockets whose inode a scan found (the pid filter). */
static void keep_scanned(struct lb__sockvec *sv, const struct lb__owner_scan *scan)
{
	size_t i, j = 0, k;
	uint64_t *inodes = malloc((scan->n_links + 1) * sizeof(*inodes));

	if (!inodes) {
		sv->n = 0; /* cannot happen in practice; never report extra sockets */
		return;
	}
	for (k = 0; k < scan->n_links; k++)
		inodes[k] = scan->links[k].inode;
	if (scan->n_links)
		qsort(inodes, scan->n_links, sizeof(*inodes), lb__cmp_u64);
	for (i = 0; i < sv->n; i++) {
		if (sv->v[i].inode && scan->n_links &&
		    bsearch(&sv->v[i].inode, inodes, scan->n_links, sizeof(*inodes), lb__cmp_u64))
			sv->v[j++] = sv->v[i];
		else
			free(sv->v[i].owners);
	}
	sv->n = j;
	free(inodes);
}

/* The owner scan of @inodes (@n, n > 0): what the early BPF scan found, if
 * one ran (lib/os/linux/owner-early.c), kept to @inodes; else the scan
 * lb__owner_scan_inodes() chooses (BPF or /proc). A failed early scan is
 * not tried again: /proc answers, unless the query forces BPF. */
static int scan_inodes(const lb_query *q, lb_socket_list *list, uint64_t *inodes, size_t n,
		       struct lb__owner_scan **ret_scan)
{
	struct lb__owner_scan *scan = NULL;
	int r;

	lb__owner_early_give(list, inodes, n, q->owners);
	r = lb__owner_early_take(list, &scan);
	if (r == 0) {
		qsort(inodes, n, sizeof(*inodes), lb__cmp_u64);
		r = lb__owners_add_relatives(scan, inodes, n);
		if (r < 0) {
			lb__owner_scan_free(scan);
			return r;
		}
		lb__owner_scan_keep(scan, inodes, n);
		lb__owner_scan_sort(scan);
		list->owner_scan = "bpf";
		*ret_scan = scan;
		return 0;
	}
	if (r == LB_ENOENT)
		return lb__owner_scan_inodes(q->owner_scan, inodes, n, q->owners, ret_scan,
					     &list->owner_scan);
	if (q->owner_scan == LB_OWNER_SCAN_BPF || r == LB_ENOMEM)
		return r;
	return lb__owner_scan_inodes(LB_OWNER_SCAN_PROC, inodes, n, q->owners, ret_scan,
				     &list->owner_scan);
}

int lb__owner_resolve(const lb_query *q, lb_socket_list *list)
{
	struct lb__owner_scan *scan = NULL;
	uint64_t *inodes;
	size_t i, n = 0;
	int r;

	if (q->pid) {
		r = lb__owners_of_pid(q->pid, (q->pid_flags & LB_PID_DESCENDANTS) != 0, &scan);
		if (r < 0)
			return r;
		keep_scanned(&list->socks, scan);
		list->owner_scan = "proc";
		if (q->owners != LB_OWNERS_ALL) {
			r = q->owners == LB_OWNERS_NONE ? 0 : lb__owner_attach(list, scan);
			lb__owner_scan_free(scan);
			return r;
		}
		lb__owner_scan_free(scan);
		scan = NULL;
	}
	inodes = malloc((list->socks.n + 1) * sizeof(*inodes));
	if (!inodes)
		return LB_ENOMEM;
	for (i = 0; i < list->socks.n; i++)
		if (list->socks.v[i].inode)
			inodes[n++] = list->socks.v[i].inode;
	/* The owner scan: BPF or /proc (lib/os/linux/owner-select.c, issue 13). */
	r = n ? scan_inodes(q, list, inodes, n, &scan) : 0;
	free(inodes);
	if (r < 0 || !scan)
		return r;
	r = lb__owner_attach(list, scan);
	lb__owner_scan_free(scan);
	return r;
}
