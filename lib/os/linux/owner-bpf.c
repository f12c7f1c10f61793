/* SPDX-License-Identifier: MIT */
/*
 * The BPF owner scan: load bpf/owner-scan.bpf.c (embedded at build time by
 * bpf/embed-bpf.py, offsets patched in from the kernel's BTF), attach it
 * as a task_file iterator, read its records, close everything.
 *
 * Why bpf(2) and not libbpf: four commands (PROG_LOAD, LINK_CREATE,
 * ITER_CREATE, then read()) are all we need, and libbpf's cold start (its
 * full BTF load, 125,851 types, 64-77 ms) is what we must beat. The BTF
 * is mapped (or read, on kernels before 6.16) once per call and scanned
 * linearly for the names it needs (the FUNC and three structs)
 * (lib/os/linux/btf-find.c); no state is kept between calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os/linux/btf-find.h"
#include "core/grow.h"
#include "core/internal.h"
#include "os/linux/owner-bpf.h"
#include "core/read-file.h"

/* From the build (bpf/embed-bpf.py). */
extern const unsigned char lb__owner_bpf_insns[];
extern const size_t lb__owner_bpf_n_insns;
extern const uint32_t lb__owner_bpf_params[11];
extern const char lb__owner_bpf_license[];

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define ITER_FUNC "bpf_iter_task_file"
/* The initial PID namespace's inode number (PROC_PID_INIT_INO). */
#define PID_NS_INIT_INO 0xEFFFFFFCu

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	long r;

	do
		r = syscall(SYS_bpf, cmd, attr, sizeof(*attr));
	while (r < 0 && errno == EINTR);
	return (int)r;
}

/* Kernel refusal (no capability, lockdown, seccomp) is EPERM; the rest
 * (the verifier's EACCES/EINVAL, ENOSYS, E2BIG...) means "not here". */
static int bpf_error(int e)
{
	int r = lb__errno_code(e);

	return r == LB_ENOMEM || (r == LB_EPERM && e != EACCES) ? r : LB_ENOTSUP;
}

/* May this process load a tracing program? Asked first, so that an
 * unprivileged caller pays nothing (no BTF read) before the /proc scan. */
static int may_load(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uint64_t eff;

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return LB_EPERM;
	eff = d[0].effective | (uint64_t)d[1].effective << 32;
	if (eff & (1ULL << CAP_SYS_ADMIN))
		return 0;
	if ((eff & (1ULL << CAP_BPF)) && (eff & (1ULL << CAP_PERFMON)))
		return 0;
	return LB_EPERM;
}

/* The program reports global tgids: they are /proc's pids only in the
 * initial PID namespace, with a /proc of that namespace. */
static int in_initial_pidns(void)
{
	char link[32], want[32];
	struct stat st;
	ssize_t n;

	if (stat("/proc/self/ns/pid", &st) < 0 || st.st_ino != PID_NS_INIT_INO)
		return 0;
	n = readlink("/proc/self", link, sizeof(link) - 1);
	if (n <= 0)
		return 0;
	link[n] = '\0';
	snprintf(want, sizeof(want), "%ld", (long)getpid());
	return strcmp(link, want) == 0;
}

static const char *btf_path(void)
{
#if LB_TEST_DOUBLES
	const char *p = lb__secure_getenv("LOOPBACK_TEST_BTF");

	if (p && *p)
		return p;
#endif
	return VMLINUX_BTF;
}

/* A failure to force, in test builds only (LOOPBACK_TEST_BPF_FAULT=no-iter,
 * verifier, read, no-mmap, or no-sock-helper: as a kernel before 5.11). */
static int fault(const char *name)
{
#if LB_TEST_DOUBLES
	const char *f = lb__secure_getenv("LOOPBACK_TEST_BPF_FAULT");

	return f && strcmp(f, name) == 0;
#else
	(void)name;
	return 0;
#endif
}

/*
 * Map the kernel's BTF (Linux 6.16 and later allow a read-only private
 * mapping of /sys/kernel/btf/vmlinux): no copy, and not ~1,340 read()s,
 * since sysfs hands the file out a page at a time. Measured (whole
 * processes, a loaded machine): 8 ms of CPU for the map and the scan of
 * lb__btf_find() vs 40 ms to read the file and scan it. The file is the
 * kernel's own read-only data, fixed in size, so the mapping cannot shrink
 * under us (no SIGBUS): only that path is mapped; others (test files) are
 * read. Returns 0, or < 0 when it cannot be mapped (older kernels:
 * the caller reads it).
 */
static int map_btf(const char *path, void **ret_map, size_t *ret_len)
{
	struct stat st;
	void *m;
	int fd;

	if (strcmp(path, VMLINUX_BTF) != 0 || fault("no-mmap"))
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (uint64_t)st.st_size > LB_READ_ALL_MAX) {
		close(fd);
		return -1;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	*ret_map = m;
	*ret_len = (size_t)st.st_size;
	return 0;
}

/* The FUNC to attach to and the five offsets the program reads. */
static int find_layout(uint32_t *func_id, uint32_t off[LB_OWNER_BPF_N_OFF])
{
	struct lb__btf_field f[LB_OWNER_BPF_N_OFF] = {
		{ "task_struct", "tgid", 0, 0 },
		{ "task_struct", "pid", 0, 0 },
		{ "file", "f_inode", 0, 0 },
		{ "inode", "i_ino", 0, 0 },
		{ "inode", "i_mode", 0, 0 },
	};
	struct lb__btf_want w = { ITER_FUNC, 0, f, LB_OWNER_BPF_N_OFF };
	const char *path = btf_path();
	char *btf = NULL;
	void *map = NULL;
	size_t len, i;
	int r;

	if (fault("no-iter"))
		w.func = ITER_FUNC "_absent"; /* as on a kernel before 5.9 */
	if (map_btf(path, &map, &len) < 0) {
		r = lb__read_all(path, &btf, &len);
		if (r < 0)
			return r == LB_ENOMEM ? r : LB_ENOTSUP;
	}
	r = lb__btf_find(map ? map : btf, len, &w);
	if (map)
		munmap(map, len);
	free(btf);
	if (r < 0)
		return r == LB_ENOMEM ? r : LB_ENOTSUP;
	*func_id = w.func_id;
	for (i = 0; i < LB_OWNER_BPF_N_OFF; i++)
		off[i] = f[i].offset;
	return 0;
}

/* Write @v into the 64-bit immediate of parameter @i (0-based). */
static void set_param(struct bpf_insn *insns, size_t i, uint64_t v)
{
	insns[lb__owner_bpf_params[i]].imm = (int32_t)(uint32_t)v;
	insns[lb__owner_bpf_params[i] + 1].imm = (int32_t)(uint32_t)(v >> 32);
}

/* Load the program with @lay's offsets and, for 1-4 @want, the inodes
 * it keeps (bpf/owner-scan.bpf.c's P_WANT_*); telling sockets by
 * bpf_sock_from_file() when @helper, else by the inode's mode. */
static int load_variant(const struct lb__owner_bpf_layout *lay, const uint64_t *want,
			size_t n_want, int helper)
{
	struct bpf_insn *insns;
	union bpf_attr a;
	size_t i;
	int fd;

	insns = malloc(lb__owner_bpf_n_insns * sizeof(*insns));
	if (!insns)
		return LB_ENOMEM;
	memcpy(insns, lb__owner_bpf_insns, lb__owner_bpf_n_insns * sizeof(*insns));
	for (i = 0; i < 4; i++)
		set_param(insns, i, lay->off[i]);
	set_param(insns, 9, helper ? 1 : 0);
	set_param(insns, 10, lay->off[4]);
	set_param(insns, 4, n_want <= LB_OWNER_BPF_WANT_MAX ? n_want : 0);
	for (i = 0; i < LB_OWNER_BPF_WANT_MAX; i++)
		set_param(insns, 5 + i, n_want <= LB_OWNER_BPF_WANT_MAX && i < n_want ? want[i] : 0);
	if (fault("verifier"))
		insns[0].dst_reg = 10; /* write to the frame pointer: rejected */
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_TRACING;
	a.expected_attach_type = BPF_TRACE_ITER;
	a.attach_btf_id = lay->func_id;
	a.insns = (uint64_t)(uintptr_t)insns;
	a.insn_cnt = (uint32_t)lb__owner_bpf_n_insns;
	a.license = (uint64_t)(uintptr_t)lb__owner_bpf_license;
	memcpy(a.prog_name, "lb_owner_scan", sizeof("lb_owner_scan"));
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	if (fd < 0)
		fd = bpf_error(errno);
	free(insns);
	return fd;
}

/* The program, with the helper where the kernel has it (5.11 and later):
 * a kernel that refuses it (the verifier: an unknown helper) gets the
 * variant that reads the inode's mode. */
static int load_prog(const struct lb__owner_bpf_layout *lay, const uint64_t *want, size_t n_want)
{
	int fd = fault("no-sock-helper") ? LB_ENOTSUP : load_variant(lay, want, n_want, 1);

	if (fd == LB_ENOTSUP)
		fd = load_variant(lay, want, n_want, 0);
	return fd;
}

/* The id of a program (@link 0) or link (@link 1), or 0 if the kernel
 * will not say. Only asked for the tests (lb__owner_bpf_scan_ids()). */
static uint32_t obj_id(int fd, int link)
{
	struct bpf_prog_info pi;
	struct bpf_link_info li;
	union bpf_attr a;

	memset(&pi, 0, sizeof(pi));
	memset(&li, 0, sizeof(li));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = link ? sizeof(li) : sizeof(pi);
	a.info.info = link ? (uint64_t)(uintptr_t)&li : (uint64_t)(uintptr_t)&pi;
	if (sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0)
		return 0;
	return link ? li.id : pi.id;
}

/* Whether every one of @want (@n) has a link in @scan. */
static int all_found(const struct lb__owner_scan *scan, const uint64_t *want, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < scan->n_links && scan->links[j].inode != want[i]; j++)
			;
		if (j == scan->n_links)
			return 0;
	}
	return 1;
}

/* Attach @prog as an iterator and read every record into @scan; between
 * two reads (each ~1.5 ms of walking on a busy host), give up with
 * LB_ENOTSUP once *@stop is set. With @stop_found (a program keeping only
 * @want), read one record at a time (a read() of the iterator returns
 * once it holds as many bytes as asked) and stop once each of @want has a
 * holder: the walk goes by increasing pid, so every process below the
 * last holder's pid was walked (scan->walked_below). */
static int run_iter(int prog, const uint64_t *want, size_t n_want, int stop_found,
		    struct lb__owner_scan *scan, struct lb__owner_bpf_ids *ids,
		    const atomic_int *stop)
{
	size_t cap = 0, have = 0, bufsz = 1 << 16, ask = stop_found ? 16 : bufsz;
	unsigned char *buf;
	union bpf_attr a;
	int link, it, r = 0;

	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)prog;
	a.link_create.attach_type = BPF_TRACE_ITER;
	link = sys_bpf(BPF_LINK_CREATE, &a);
	if (link < 0)
		return bpf_error(errno);
	if (ids)
		ids->link_id = obj_id(link, 1);
	memset(&a, 0, sizeof(a));
	a.iter_create.link_fd = (uint32_t)link;
	it = sys_bpf(BPF_ITER_CREATE, &a);
	if (it < 0) {
		r = bpf_error(errno);
		close(link);
		return r;
	}
	buf = malloc(bufsz);
	if (!buf)
		r = LB_ENOMEM;
	else if (fault("read"))
		r = LB_ENOTSUP; /* as a read() of the iterator that fails */
	while (r == 0) {
		ssize_t n;
		size_t whole;

		if (stop && atomic_load(stop)) {
			r = LB_ENOTSUP;
			break;
		}
		n = read(it, buf + have, ask - have);
		/* EAGAIN: the kernel reads at most a million objects a call and,
		 * having written nothing (a filter that keeps a few sockets),
		 * says so; the next read goes on from there. */
		if (n < 0 && errno == EAGAIN)
			continue;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = bpf_error(errno);
			break;
		}
		if (n == 0) {
			if (have)
				r = LB_EBADDATA; /* a partial record at the end */
			break;
		}
		have += (size_t)n;
		whole = have - have % 16;
		r = lb__owner_bpf_records(buf, whole, want, n_want, scan, &cap);
		memmove(buf, buf + whole, have - whole);
		have -= whole;
		if (r == 0 && stop_found && scan->n_links && all_found(scan, want, n_want)) {
			scan->walked_below = scan->links[scan->n_links - 1].pid;
			break;
		}
	}
	free(buf);
	close(it);
	close(link);
	return r;
}

int lb__owner_bpf_allowed(void)
{
	int r = may_load();

	if (r < 0)
		return r;
	return in_initial_pidns() ? 0 : LB_ENOTSUP;
}

int lb__owner_bpf_scan(const uint64_t *want, size_t n_want, struct lb__owner_scan **ret_scan)
{
	return lb__owner_bpf_scan_ids(want, n_want, ret_scan, NULL);
}

int lb__owner_bpf_scan_ids(const uint64_t *want, size_t n_want, struct lb__owner_scan **ret_scan,
			   struct lb__owner_bpf_ids *ret_ids)
{
	struct lb__owner_bpf_layout lay;
	int r;

	if (ret_ids)
		ret_ids->prog_id = ret_ids->link_id = 0;
	lb_return_if(!ret_scan || (!want && n_want), LB_EINVAL);
	r = lb__owner_bpf_allowed();
	if (r == 0)
		r = lb__owner_bpf_prepare(&lay);
	if (r == 0)
		r = lb__owner_bpf_run(&lay, want, n_want, 0, NULL, ret_scan, ret_ids);
	if (r == 0)
		lb__owner_scan_sort(*ret_scan);
	return r;
}

int lb__owner_bpf_prepare(struct lb__owner_bpf_layout *lay)
{
	lb_return_if(!lay, LB_EINVAL);
	return find_layout(&lay->func_id, lay->off);
}

int lb__owner_bpf_run(const struct lb__owner_bpf_layout *lay, const uint64_t *want,
		      size_t n_want, int stop_found, const atomic_int *stop,
		      struct lb__owner_scan **ret_scan, struct lb__owner_bpf_ids *ret_ids)
{
	struct lb__owner_scan *scan;
	uint64_t *sorted;
	int prog, r;

	if (ret_ids)
		ret_ids->prog_id = ret_ids->link_id = 0;
	lb_return_if(!lay || !ret_scan || (!want && n_want), LB_EINVAL);
	if (stop && atomic_load(stop))
		return LB_ENOTSUP;
	if (!want || n_want == 0 || n_want > LB_OWNER_BPF_WANT_MAX)
		stop_found = 0;
	prog = load_prog(lay, want, want ? n_want : 0);
	if (prog < 0)
		return prog;
	if (ret_ids)
		ret_ids->prog_id = obj_id(prog, 0);
	scan = calloc(1, sizeof(*scan));
	/* @want sorted, for the records filter's bsearch(); NULL stays NULL
	 * (every socket), an empty @want keeps nothing. */
	sorted = want ? malloc((n_want + 1) * sizeof(*sorted)) : NULL;
	if (!scan || (want && !sorted)) {
		r = LB_ENOMEM;
	} else {
		if (want) {
			memcpy(sorted, want, n_want * sizeof(*sorted));
			qsort(sorted, n_want, sizeof(*sorted), lb__cmp_u64);
		}
		r = run_iter(prog, sorted, n_want, stop_found, scan, ret_ids, stop);
	}
	free(sorted);
	close(prog);
	if (r < 0) {
		lb__owner_scan_free(scan);
		return r == LB_EBADDATA ? LB_ENOTSUP : r;
	}
	*ret_scan = scan;
	return 0;
}
