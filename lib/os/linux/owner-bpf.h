/* SPDX-License-Identifier: MIT */
/*
 * The owner scan in one in-kernel pass (Linux, issue 13): a BPF
 * iter/task_file program (bpf/owner-scan.bpf.c) lists every socket
 * descriptor of every process, and gives the same links as the /proc scan
 * of lib/os/linux/owner-scan.c, for callers that may load BPF tracing programs (root,
 * or CAP_BPF + CAP_PERFMON) in the initial PID namespace. Talks to bpf(2)
 * directly: no libbpf. Nothing stays in the kernel or in bpffs after a
 * call (the program, link and iterator are descriptors, closed before
 * returning).
 *
 * lib/os/linux/owner-select.c chooses between it and the /proc scan.
 */
#ifndef LB_OWNER_BPF_H
#define LB_OWNER_BPF_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "os/linux/owner.h"

/* Built with meson -Dbpf=enabled (or auto, when clang can target BPF). */
#ifndef LB_HAVE_BPF
#define LB_HAVE_BPF 0
#endif

/*
 * lb__owner_bpf_scan - every (pid, socket inode) link, from the kernel
 * @want: the socket inodes to keep (any order, duplicates allowed), or
 *        NULL for every socket; sorted into a copy only once the caller
 *        is known to be allowed, so that a refusal costs nothing
 * @n_want: the number of @want
 * @ret_scan: set to the links, sorted by (pid, inode), no duplicates;
 *            free with lb__owner_scan_free()
 *
 * Returns 0; LB_EPERM when the caller may not load the program (no
 * capability) or the kernel refuses it (EPERM: lockdown, seccomp);
 * LB_ENOTSUP when this kernel or build cannot (no BTF, no task_file
 * iterator, the fields not found, the verifier rejects the program, another
 * PID namespace than the initial one, bpf(2) missing or failing otherwise);
 * LB_ENOMEM. Never leaves anything behind.
 */
/*
 * The kernel objects that one scan created, by id (0: not created, or not
 * known). For the tests, which check that no id is alive after the call:
 * ids, not names, so that other processes loading the same program at the
 * same time cannot confuse them (the kernel hands ids out cyclically).
 */
struct lb__owner_bpf_ids {
	uint32_t prog_id;
	uint32_t link_id;
};

/*
 * lb__owner_bpf_scan_ids - lb__owner_bpf_scan(), and what it created
 * @ret_ids: NULL, or set to the ids of the program and link the call
 *           loaded (asked with BPF_OBJ_GET_INFO_BY_FD before closing them),
 *           even when it fails after loading them; zero when not created
 */
/* The BPF scan in two steps, so that a caller can do other work between
 * them (lib/os/linux/owner-early.c): what the kernel's BTF says, then the
 * program loaded and walked. */
#define LB_OWNER_BPF_N_OFF 5
#define LB_OWNER_BPF_WANT_MAX 4
struct lb__owner_bpf_layout {
	uint32_t func_id;                     /* bpf_iter_task_file's BTF id */
	uint32_t off[LB_OWNER_BPF_N_OFF];     /* task tgid, pid; file f_inode; inode i_ino, i_mode */
};

/*
 * lb__owner_bpf_prepare - the layout the program needs (the BTF read,
 * ~5 ms), for a caller lb__owner_bpf_allowed() allowed already: 0, or the
 * errors of lb__owner_bpf_scan()
 */
/*
 * lb__owner_bpf_run - load the program with @lay, walk, read the links
 * @want, @n_want: as lb__owner_bpf_scan(); 1 to LB_OWNER_BPF_WANT_MAX
 *        inodes are also filtered in the kernel, so that only their
 *        records are written
 * @stop_found: with such a @want, stop the walk once each inode has a
 *        holder (LB_OWNERS_DEFAULT: the first holder, relatives to be added
 *        by the caller); scan->walked_below then says how far it went
 * @stop: NULL, or a flag read between two reads of the iterator (each
 *        ~1.5 ms of the kernel's walk on a busy host): once set, the scan
 *        stops, frees what it had and returns LB_ENOTSUP
 * The links are not sorted (nor duplicates dropped): the caller keeps what
 * it needs first, then sorts that.
 */
/*
 * lb__owner_bpf_allowed - may this process run the BPF scan: 0, LB_EPERM
 * (no CAP_SYS_ADMIN, nor CAP_BPF + CAP_PERFMON) or LB_ENOTSUP (not the
 * initial PID namespace). No BTF read, nothing loaded: cheap.
 */
#if LB_HAVE_BPF
int lb__owner_bpf_scan(const uint64_t *want, size_t n_want, struct lb__owner_scan **ret_scan);
int lb__owner_bpf_scan_ids(const uint64_t *want, size_t n_want, struct lb__owner_scan **ret_scan,
			   struct lb__owner_bpf_ids *ret_ids);
int lb__owner_bpf_prepare(struct lb__owner_bpf_layout *lay);
int lb__owner_bpf_run(const struct lb__owner_bpf_layout *lay, const uint64_t *want,
		      size_t n_want, int stop_found, const atomic_int *stop,
		      struct lb__owner_scan **ret_scan, struct lb__owner_bpf_ids *ret_ids);
int lb__owner_bpf_allowed(void);
#else
static inline int lb__owner_bpf_allowed(void)
{
	return LB_ENOTSUP;
}

static inline int lb__owner_bpf_prepare(struct lb__owner_bpf_layout *lay)
{
	(void)lay;
	return LB_ENOTSUP;
}

static inline int lb__owner_bpf_run(const struct lb__owner_bpf_layout *lay,
				    const uint64_t *want, size_t n_want, int stop_found,
				    const atomic_int *stop, struct lb__owner_scan **ret_scan,
				    struct lb__owner_bpf_ids *ret_ids)
{
	(void)lay;
	(void)want;
	(void)n_want;
	(void)stop_found;
	(void)stop;
	(void)ret_scan;
	if (ret_ids)
		ret_ids->prog_id = ret_ids->link_id = 0;
	return LB_ENOTSUP;
}

static inline int lb__owner_bpf_scan_ids(const uint64_t *want, size_t n_want,
					 struct lb__owner_scan **ret_scan,
					 struct lb__owner_bpf_ids *ret_ids)
{
	(void)want;
	(void)n_want;
	(void)ret_scan;
	if (ret_ids)
		ret_ids->prog_id = ret_ids->link_id = 0;
	return LB_ENOTSUP;
}

static inline int lb__owner_bpf_scan(const uint64_t *want, size_t n_want,
				     struct lb__owner_scan **ret_scan)
{
	return lb__owner_bpf_scan_ids(want, n_want, ret_scan, NULL);
}
#endif

/*
 * lb__owner_bpf_records - turn the iterator's output into links (pure)
 * @buf, @len: whole records (u32 tgid, u32 fd, u64 inode, native order)
 * @want, @n_want: as lb__owner_bpf_scan()
 * @scan: links are appended to it (unsorted); @cap its capacity, updated
 *
 * Records with a zero pid or inode are skipped. Returns 0, LB_EBADDATA
 * when @len is not a whole number of records, or LB_ENOMEM.
 */
int lb__owner_bpf_records(const void *buf, size_t len, const uint64_t *want, size_t n_want,
			  struct lb__owner_scan *scan, size_t *cap);

/*
 * lb__owner_scan_inodes - the owner scan that lb__owner_resolve() runs:
 * BPF first when @how (LB_OWNER_SCAN_*) allows it, else the /proc scan
 * (lb__owners_of_inodes() with @mode). Any failure of the BPF path falls
 * back to /proc silently, unless @how is LB_OWNER_SCAN_BPF: then its error
 * is returned. Sets *@ret_name to "bpf" or "proc" on success.
 */
int lb__owner_scan_inodes(int how, const uint64_t *inodes, size_t n, int mode,
			  struct lb__owner_scan **ret_scan, const char **ret_name);

#endif
