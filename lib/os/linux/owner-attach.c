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

/* The sockets by inode: an open-addressing table (inode 0 marks a free
 * slot; no socket has inode 0), built in one pass. Looking 26,000 links
 * up in it replaced a sort of the sockets and a binary search per link. */
struct ino_map {
	uint64_t *key;
	size_t *index;
	size_t mask;
};

static size_t ino_slot(const struct ino_map *m, uint64_t ino)
{
	size_t h = (size_t)((ino * 0x9E3779B97F4A7C15ull) >> 17) & m->mask;

	while (m->key[h] && m->key[h] != ino)
		h = (h + 1) & m->mask;
	return h;
}

/* The map of @sv's sockets that have an inode: 0, or LB_ENOMEM. */
static int ino_map_init(struct ino_map *m, const struct lb__sockvec *sv)
{
	size_t cap = lb__pow2_at_least(2 * sv->n + 2, 16), i;

	m->key = calloc(cap, sizeof(*m->key));
	m->index = malloc(cap * sizeof(*m->index));
	m->mask = cap - 1;
	if (!m->key || !m->index) {
		free(m->key);
		free(m->index);
		return LB_ENOMEM;
	}
	for (i = 0; i < sv->n; i++) {
		size_t h;

		if (!sv->v[i].inode)
			continue;
		h = ino_slot(m, sv->v[i].inode);
		if (!m->key[h]) {
			m->key[h] = sv->v[i].inode;
			m->index[h] = i;
		}
	}
	return 0;
}

/* The index of the socket with inode @ino, or -1. */
static long ino_map_get(const struct ino_map *m, uint64_t ino)
{
	size_t h;

	if (!ino)
		return -1;
	h = ino_slot(m, ino);
	return m->key[h] ? (long)m->index[h] : -1;
}

/* Keep only the links to a listed socket: a holder of none of them is
 * not described at all. */
static void keep_listed(struct lb__owner_scan *scan, const struct ino_map *m)
{
	size_t i, j = 0;

	for (i = 0; i < scan->n_links; i++)
		if (ino_map_get(m, scan->links[i].inode) >= 0)
			scan->links[j++] = scan->links[i];
	scan->n_links = j;
}

/* Attach holder @o (NULL and @gone: it exited before it could be
 * described) to the sockets of its links [from, to). */
static int attach_links(struct lb__sockvec *sv, const struct ino_map *m,
			const struct lb__owner_link *links, size_t from, size_t to,
			const struct lb_owner *o, int gone)
{
	size_t j;
	int r = 0;

	for (j = from; j < to && r == 0; j++) {
		long hit = ino_map_get(m, links[j].inode);

		if (hit >= 0 && gone)
			sv->v[hit].owner_error = LB_EEXITED; /* unless another holder shows */
		else if (hit >= 0 && o)
			r = lb__socket_add_owner(&sv->v[hit], o);
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

int lb__owner_attach(lb_socket_list *list, struct lb__owner_scan *scan)
{
	struct lb__sockvec *sv = &list->socks;
	struct lb__holder *h = NULL;
	struct ino_map m;
	size_t i, n_h = 0;
	int procfd, r = 0;

	r = ino_map_init(&m, sv);
	if (r < 0)
		return r;
	keep_listed(scan, &m);
	lb__owner_scan_sort(scan);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		r = LB_EIO;
	else
		r = lb__holders_describe(procfd, scan, &h, &n_h);
	for (i = 0; i < n_h; i++) {
		struct lb_owner *o = h[i].owner;
		int gone = h[i].r == LB_ENOENT || h[i].r == LB_EBADDATA; /* exited mid-scan */

		h[i].owner = NULL;
		if (r == 0 && h[i].r < 0 && !gone)
			r = h[i].r;
		if (r == 0 && o && (r = lb__list_adopt_owner(list, o)) == 0)
			o = NULL; /* the list's now */
		lb__owner_free(o);
		if (r == 0)
			r = attach_links(sv, &m, scan->links, h[i].first, h[i].first + h[i].n_links,
					 gone ? NULL : list->pool[list->n_pool - 1], gone);
	}
	if (procfd >= 0)
		close(procfd);
	free(h);
	free(m.key);
	free(m.index);
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
		/* Kept to the listed sockets and sorted by lb__owner_attach(). */
		r = lb__owners_add_relatives(scan, inodes, n);
		if (r < 0) {
			lb__owner_scan_free(scan);
			return r;
		}
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
