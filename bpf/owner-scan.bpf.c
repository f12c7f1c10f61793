/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * The owner scan in one in-kernel pass: an iter/task_file program that
 * writes one record per socket descriptor of every process,
 * (tgid, fd, inode), which lib/os/linux/owner-bpf.c reads from the
 * iterator's file.
 *
 * No CO-RE and no headers of the running kernel: the program reads the
 * kernel's structures with direct loads (the context's task and file are
 * BTF-typed pointers: the verifier checks each load against the kernel's
 * BTF and makes it fault-safe, with no helper call) at offsets that are
 * placeholders here (PARAM below, 64-bit immediates of a known pattern).
 * bpf/embed-bpf.py records where each sits when it turns the object into
 * a C array, and the loader writes the offsets it found in the kernel's BTF
 * (lib/os/linux/btf-find.c) into them before loading.
 *
 * The kernel's iterator already skips tasks that share their leader's
 * file table (threads) and kernel threads (no file table); a thread with
 * a table of its own is skipped here (pid != tgid), because /proc/PID/fd
 * shows the leader's table only, and both scans must agree.
 */
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;

/* The context of iter/task_file: pointers with the kernel's own layout
 * (struct bpf_iter__task_file, include/linux/bpf.h + kernel/bpf/task_iter.c). */
struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	void *task;
	__u32 fd;
	void *file;
};

/* Helper ids are part of the kernel's ABI (enum bpf_func_id). */
static long (*bpf_seq_write)(void *m, const void *data, __u32 len) = (void *)127;
/* The file's socket, or NULL when the file is no socket: a test of
 * file->f_op against socket_file_ops (Linux 5.11), on the file the
 * iterator already holds, so other files cost no read of their inode. */
static void *(*bpf_sock_from_file)(void *file) = (void *)162;

/* A 64-bit immediate the loader replaces: 0x4c424f46 ("LBOF") above the
 * parameter's number. The asm keeps the compiler from folding it. */
#define PARAM(n) ({ __u64 v_; asm volatile("%0 = 0x4c424f460000000" #n " ll" : "=r"(v_)); v_; })
#define P_TASK_TGID  1
#define P_TASK_PID   2
#define P_FILE_INODE 3
#define P_INODE_INO  4
#define P_WANT_N     5  /* 0: every socket; 1-4: only the inodes P_WANT_1.. */
#define P_WANT_1     6
#define P_WANT_2     7
#define P_WANT_3     8
#define P_WANT_4     9
#define P_SOCK_HELPER 0xa /* 1: bpf_sock_from_file() (5.11); 0: the inode's mode */
#define P_INODE_MODE  0xb

/* One record, as lib/os/linux/owner-bpf.c reads it. */
struct owner_rec {
	__u32 tgid;
	__u32 fd;
	__u64 inode;
};

__attribute__((section("iter/task_file"), used))
int lb_owner_scan(struct bpf_iter__task_file *ctx)
{
	void *seq = ctx->meta->seq;
	char *task = ctx->task, *file = ctx->file, *inode;
	struct owner_rec rec;
	__u32 tgid;

	if (!task || !file)
		return 0;
	/* Direct loads (the verifier turns them into fault-safe loads):
	 * no helper call per field. f_inode shares its cache line with f_op. */
	inode = *(char *volatile *)(file + PARAM(3));
	if (!inode)
		return 0;
	/* A socket: its file's operations are the socket's (the helper; a
	 * socket file's path opened O_PATH is no socket, as in /proc/PID/fd),
	 * which spares other files a read of their inode. Kernels before 5.11
	 * lack the helper: the loader patches 0 here and the verifier drops
	 * the call as dead code; the inode's mode tells them instead. */
	if (PARAM(a)) {
		if (!bpf_sock_from_file(file))
			return 0;
	} else if ((*(volatile __u16 *)(inode + PARAM(b)) & 0170000) != 0140000) {
		return 0;  /* S_IFMT, S_IFSOCK */
	}
	tgid = *(volatile __u32 *)(task + PARAM(1));
	if (tgid != *(volatile __u32 *)(task + PARAM(2)))
		return 0;
	rec.inode = *(volatile __u64 *)(inode + PARAM(4));
	/* A few sockets asked for (who PORT): only theirs are written, so
	 * that a read() of one record returns as soon as one is found, and
	 * the caller can stop the walk once each has a holder. Unused
	 * slots are 0, which no socket inode is. */
	if (PARAM(5) && rec.inode != PARAM(6) && rec.inode != PARAM(7) &&
	    rec.inode != PARAM(8) && rec.inode != PARAM(9))
		return 0;
	rec.tgid = tgid;
	rec.fd = ctx->fd;
	bpf_seq_write(seq, &rec, sizeof(rec));
	return 0;
}

/* bpf_seq_write() is a GPL-only helper; the
 * program is dual-licensed so that the kernel accepts it. */
char lb_owner_scan_license[] __attribute__((section("license"), used)) = "Dual MIT/GPL";
