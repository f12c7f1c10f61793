/* SPDX-License-Identifier: MIT */
/*
 * The owner scan's entry points (owner.h): which processes hold some
 * socket inodes, or every socket of a process, from /proc/PID/fd. Both
 * produce a struct lb__owner_scan; another source of (inode, pid) links
 * plugs in here.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/internal.h"
#include "os/linux/fd-scan.h"

/* A scan for @inodes (@n) into @sc, with /proc open (*@procfd) and the
 * set @want of the inodes: 0, or an error with nothing left to free. */
static int begin_for(struct lb__scan *sc, struct lb__inode_set *want, const uint64_t *inodes,
		     size_t n, int *procfd)
{
	int r = lb__inode_set_init(want, inodes, n);

	if (r < 0)
		return r;
	r = lb__scan_begin(sc, procfd);
	if (r < 0) {
		lb__inode_set_free(want);
		return r;
	}
	sc->want = want;
	return 0;
}

int lb__owners_of_inodes(const uint64_t *inodes, size_t n, int mode,
			 struct lb__owner_scan **ret_scan)
{
	struct lb__inode_set want;
	struct lb__scan sc;
	int procfd, r;

	lb_return_if((!inodes && n) || !ret_scan, LB_EINVAL);
	lb_return_if(mode != LB_OWNERS_DEFAULT && mode != LB_OWNERS_ALL, LB_EINVAL);
	r = begin_for(&sc, &want, inodes, n, &procfd);
	if (r < 0)
		return r;
	/* PID 1 exists in every PID namespace: when /proc does not show it,
	 * /proc hides processes from us (hidepid=invisible or ptraceable),
	 * and a holder may be among them. */
	if (faccessat(procfd, "1", F_OK, 0) < 0)
		sc.res->procs_hidden = 1;
	if (want.n > 0) {
		r = lb__scan_all(&sc, procfd, mode == LB_OWNERS_DEFAULT);
		/* Relatives only matter after an early stop: a full scan saw them. */
		if (r == 0 && mode == LB_OWNERS_DEFAULT && sc.stopped_early) {
			lb__owner_scan_sort(sc.res);
			r = lb__scan_relatives(&sc, procfd);
		}
	}
	lb__inode_set_free(&want);
	return lb__scan_end(&sc, procfd, r, ret_scan);
}

int lb__owners_add_relatives(struct lb__owner_scan *scan, const uint64_t *inodes, size_t n)
{
	struct lb__inode_set want;
	struct lb__scan sc;
	uint32_t *pids = NULL;
	size_t n_pids = 0, i;
	int procfd, r;

	lb_return_if(!scan || (!inodes && n), LB_EINVAL);
	if (!scan->walked_below || scan->n_links == 0)
		return 0;
	r = begin_for(&sc, &want, inodes, n, &procfd);
	if (r < 0)
		return r;
	/* The walk's links are the result to add to; every process below
	 * the pid it stopped at was walked, and so was each holder. */
	lb__owner_scan_free(sc.res);
	sc.res = scan;
	sc.cap = scan->n_links;
	r = lb__proc_pids(procfd, &pids, &n_pids);
	for (i = 0; i < n_pids && r == 0; i++)
		if (pids[i] < scan->walked_below)
			r = lb__scan_mark_done(&sc, pids[i]);
	for (i = 0; i < scan->n_links && r == 0; i++)
		if (scan->links[i].pid != scan->walked_below)
			r = lb__scan_mark_done(&sc, scan->links[i].pid);
	free(pids);
	/* The walk stopped inside the last holder's table: its descriptors
	 * after that one (another of the inodes, say) are read here. */
	if (r == 0)
		r = lb__scan_extra(&sc, procfd, scan->walked_below);
	if (r == 0) {
		lb__owner_scan_sort(scan);
		r = lb__scan_relatives(&sc, procfd);
	}
	close(procfd);
	free(sc.done);
	lb__inode_set_free(&want);
	return r;
}

int lb__owners_of_pid(uint32_t pid, int descendants, struct lb__owner_scan **ret_scan)
{
	struct lb__scan sc;
	uint32_t *desc = NULL;
	size_t n_desc = 0, i;
	char path[32];
	int procfd, r;

	lb_return_if(pid == 0 || !ret_scan, LB_EINVAL);
	r = lb__scan_begin(&sc, &procfd);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%u", (unsigned)pid);
	if (faccessat(procfd, path, F_OK, 0) < 0)
		return lb__scan_end(&sc, procfd, LB_ENOENT, ret_scan);
	r = lb__scan_pid(&sc, procfd, pid);
	if (r == 0 && descendants)
		r = lb__descendants_of(procfd, pid, &desc, &n_desc);
	for (i = 0; i < n_desc && r == 0; i++)
		r = lb__scan_extra(&sc, procfd, desc[i]);
	free(desc);
	return lb__scan_end(&sc, procfd, r, ret_scan);
}
