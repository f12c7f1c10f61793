/* SPDX-License-Identifier: MIT */
/*
 * The /proc fd scan, inside lib/os/linux/ (the rest of the library uses
 * lib/os/linux/owner.h): which processes hold which socket inodes, read
 * from /proc/PID/fd. Files, bottom up:
 *   proc-parse.c       the /proc text parsers (pure)
 *   proc-info.c        one process's details (stat, cmdline, exe, user)
 *   fd-scan.c          the inode set, one process's descriptors, the pid list
 *   fd-scan-threads.c  every process, by a few threads, same answer as one
 *   proc-tree.c        descendants, and the relatives of holders found
 *   owner-scan.c       lb__owners_of_inodes(), lb__owners_of_pid()
 *   owner-attach.c     owners onto a result list (the backends' owners hook)
 */
#ifndef LB_FD_SCAN_H
#define LB_FD_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "os/linux/owner.h"
#include "os/user.h"

/* A set of socket inodes (open addressing; 0 = empty slot), shared by the
 * scanning threads: ->found and ->remaining change atomically. */
struct lb__inode_set {
	uint64_t *keys;
	unsigned char *found;
	size_t mask;
	size_t n;
	size_t remaining;   /* inodes without a holder yet */
};

/* The set of the non-zero @inodes (duplicates once). 0 or LB_ENOMEM. */
int lb__inode_set_init(struct lb__inode_set *s, const uint64_t *inodes, size_t n);
/* The slot of @k, or (size_t)-1. */
size_t lb__inode_set_find(const struct lb__inode_set *s, uint64_t k);
void lb__inode_set_free(struct lb__inode_set *s);

/* One scan in progress: its links, and the processes scanned. */
struct lb__scan {
	struct lb__owner_scan *res;
	size_t cap;
	struct lb__inode_set *want;  /* NULL: every socket */
	uint32_t *done;              /* pids already scanned (sorted by lb__scan_relatives) */
	int stopped_early;           /* lb__scan_all stopped before the last process */
	size_t n_done, cap_done;
};

/* Record a link / a scanned pid. 0 or LB_ENOMEM. */
int lb__scan_add_link(struct lb__scan *sc, uint64_t inode, uint32_t pid);
int lb__scan_mark_done(struct lb__scan *sc, uint32_t pid);

/* Scan the descriptors of one process. Returns 0 (also when the process
 * is gone), LB_EPERM when its descriptors are hidden, or LB_ENOMEM. */
int lb__scan_pid(struct lb__scan *sc, int procfd, uint32_t pid);
/* Scan one more process unless done; hidden counts in res->n_hidden. */
int lb__scan_extra(struct lb__scan *sc, int procfd, uint32_t pid);
/* Every pid in /proc, in directory order. 0, LB_EIO or LB_ENOMEM. */
int lb__proc_pids(int procfd, uint32_t **ret, size_t *ret_n);

/* Open /proc and a new result. 0, LB_ENOMEM or LB_EIO. */
int lb__scan_begin(struct lb__scan *sc, int *procfd);
/* Close; on success (@r 0) sort the links and hand the result over. */
int lb__scan_end(struct lb__scan *sc, int procfd, int r, struct lb__owner_scan **ret);

/* Scan every process (fd-scan-threads.c), stopping early when
 * @stop_when_found and every wanted inode has a holder. */
int lb__scan_all(struct lb__scan *sc, int procfd, int stop_when_found);

/* After an early stop: scan the relatives of the holders found
 * (proc-tree.c). */
int lb__scan_relatives(struct lb__scan *sc, int procfd);

/* /proc/PID/stat, read and parsed (proc-info.c). 0, or as
 * lb__read_file_at() and lb__proc_stat_parse(). */
int lb__proc_read_stat(int procfd, uint32_t pid, struct lb__proc_stat *ret);
/* The boot time (/proc/stat btime), 0 unknown. */
uint64_t lb__proc_boot_time(int procfd);
/* lb__owner_info() through an open /proc, with the boot time and a user
 * name cache (may be NULL) of a caller describing many processes. */
/* One holder of an owner scan, described (lib/os/linux/owner-describe.c):
 * its links are scan->links[first, first + n_links); @r is what
 * lb__proc_owner_at() said (0 and @owner, or LB_ENOENT / LB_EBADDATA when
 * the process is gone, or another error). */
struct lb__holder {
	uint32_t pid;
	size_t first, n_links;
	struct lb_owner *owner;
	int r;
};

/* Every holder of @scan (links grouped by pid) described, on two threads
 * for many: 0 and a malloc'd array (*ret_n entries; the caller owns the
 * owners), or LB_ENOMEM / LB_EINVAL. @procfd is an open /proc. */
int lb__holders_describe(int procfd, const struct lb__owner_scan *scan, struct lb__holder **ret,
			 size_t *ret_n);

int lb__proc_owner_at(int procfd, uint32_t pid, uint64_t btime, struct lb__user_cache *uc,
		      struct lb_owner **ret);

#endif /* LB_FD_SCAN_H */
