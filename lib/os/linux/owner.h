/* SPDX-License-Identifier: MIT */
/*
 * Owners on Linux: which processes hold a socket (/proc/PID/fd), and what
 * those processes are. The netlink and procfs backends set their owners
 * and process_info hooks from here (lb__owner_resolve, lb__owner_info);
 * the lease code names a lease's holders (lb__owners_of_inodes). The
 * files behind it are listed in fd-scan.h.
 *
 * The text parsers (lb__proc_stat_parse, lb__socket_link_inode,
 * lb__proc_btime_parse, and lb__cmdline_join of backend.h) are pure and
 * tested on fixtures.
 */
#ifndef LB_OWNER_H
#define LB_OWNER_H

#include <stddef.h>
#include <stdint.h>

#include "sockets/backend.h"

/* One descriptor of process @pid that points at socket @inode. */
struct lb__owner_link {
	uint64_t inode;
	uint32_t pid;
};

/* The result of a scan: links sorted by (pid, inode), no duplicates. */
struct lb__owner_scan {
	struct lb__owner_link *links;
	size_t n_links;
	size_t n_hidden;   /* processes whose descriptors could not be read (EACCES) */
	int procs_hidden;  /* /proc hides processes from us (hidepid): PID 1 not shown */
	uint32_t walked_below; /* a BPF walk stopped at the holder of this pid (every
				* process below it was walked); 0: the walk was whole */
};
void lb__owner_scan_free(struct lb__owner_scan *scan);
/* After a BPF walk that stopped at the first holders (scan->walked_below,
 * LB_OWNERS_DEFAULT): add the links of their ancestors and descendants
 * holding one of @inodes, read from /proc as lb__owners_of_inodes() does
 * after its own early stop. Nothing to do for a whole walk. */
int lb__owners_add_relatives(struct lb__owner_scan *scan, const uint64_t *inodes, size_t n);
/* Sort @scan's links by (pid, inode) and drop duplicates. */
void lb__owner_scan_sort(struct lb__owner_scan *scan);

/*
 * lb__owners_of_inodes - find the processes holding some sockets
 * @inodes: socket inodes (0 entries and duplicates are ignored)
 * @mode: LB_OWNERS_DEFAULT (stop once each inode has a holder, then add
 *        that holder's ancestors and descendants holding it) or
 *        LB_OWNERS_ALL (scan every process)
 * @ret_scan: set to the links found; free with lb__owner_scan_free()
 *
 * A process that exits mid-scan is skipped. Returns 0, LB_EINVAL, LB_ENOMEM,
 * or LB_EIO if /proc cannot be read.
 */
int lb__owners_of_inodes(const uint64_t *inodes, size_t n, int mode,
			 struct lb__owner_scan **ret_scan);

/*
 * lb__owners_of_pid - every socket a process holds
 * @descendants: also scan its descendants
 * Returns 0, LB_ENOENT if @pid does not exist, LB_EPERM if its descriptors
 * cannot be read, LB_ENOMEM.
 */
int lb__owners_of_pid(uint32_t pid, int descendants, struct lb__owner_scan **ret_scan);

/*
 * lb__owner_info - what process @pid is (name, command line, exe, user,
 * start time). Returns 0, LB_ENOENT if it is gone, LB_ENOMEM. Details that
 * permissions hide are NULL with ->error = LB_EPERM. Free with lb__owner_free().
 */
int lb__owner_info(uint32_t pid, struct lb_owner **ret_owner);

/* Attach owners to the sockets of @list as the query asks (and apply the
 * query's pid filter). */
int lb__owner_resolve(const lb_query *q, lb_socket_list *list);

/* The owners_start/owners_stop hooks (lib/os/linux/owner-early.c): the
 * BPF scan of every socket descriptor, begun on a thread while the table
 * is read. lb__owner_early_take() waits for it: 0 and its links (every
 * socket's, unfiltered, unsorted), LB_ENOENT when none was begun, or why
 * it failed. */
void lb__owner_early_start(const lb_query *q, lb_socket_list *list);
/* The inodes the list's sockets have (@n of them), once the table is
 * read: 1-4 are kept by the program itself, and with @mode
 * LB_OWNERS_DEFAULT its walk stops once each has a holder. */
void lb__owner_early_give(lb_socket_list *list, const uint64_t *inodes, size_t n, int mode);
int lb__owner_early_take(lb_socket_list *list, struct lb__owner_scan **ret_scan);
void lb__owner_early_stop(lb_socket_list *list);

/* The descendants of @pid (breadth first, from /proc/PID/task/TID/children)
 * into a malloc'd array; @procfd is an open /proc. */
int lb__descendants_of(int procfd, uint32_t pid, uint32_t **ret, size_t *ret_n);

/* Attach the owners found by @scan to the sockets of @list (by inode),
 * reading each process's details; a process gone meanwhile drops out.
 * @scan's links to sockets not in @list are dropped first (their holders
 * are not described), and the rest sorted (lb__owner_scan_sort()).
 * A socket left without owner gets LB_EEXITED when its only holders found
 * exited before they could be described, else LB_EPERM when @scan saw
 * hidden processes; lb_socket_list_get() marks the rest LB_ENOTVISIBLE. */
int lb__owner_attach(lb_socket_list *list, struct lb__owner_scan *scan);

/* A record of getdents64(2): /proc is read with it directly, in large
 * batches, rather than through readdir(). */
struct lb__dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* ---- pure parsers ---- */

struct lb__proc_stat {
	uint32_t pid;
	char comm[64];
	char state;
	uint32_t ppid;
	uint64_t starttime;    /* clock ticks after boot */
};

/* Parse /proc/PID/stat. The name may contain spaces and ')' : the fields
 * resume after the last ')'. Returns 0 or LB_EBADDATA. */
int lb__proc_stat_parse(const char *text, size_t len, struct lb__proc_stat *ret);

/* "socket:[12345]" -> 12345. Returns 0, LB_ENOENT when the link is not a
 * socket, LB_EBADDATA when it claims to be one but is malformed. */
int lb__socket_link_inode(const char *link, size_t len, uint64_t *ret_inode);

/* The "btime SECONDS" line of /proc/stat. Returns 0 or LB_EBADDATA. */
int lb__proc_btime_parse(const char *text, size_t len, uint64_t *ret_btime);

#endif
