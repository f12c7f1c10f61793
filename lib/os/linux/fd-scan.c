/* SPDX-License-Identifier: MIT */
/*
 * The /proc fd scan's parts (fd-scan.h): the set of wanted inodes, the
 * descriptors of one process ("socket:[INODE]" links of /proc/PID/fd,
 * read with getdents64 in large batches), and the list of every pid.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/linux/fd-scan.h"

/* ---- a set of inodes ---- */

static size_t hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

int lb__inode_set_init(struct lb__inode_set *s, const uint64_t *inodes, size_t n)
{
	size_t cap = lb__pow2_at_least(2 * n + 2, 16), i;

	s->keys = calloc(cap, sizeof(*s->keys));
	s->found = calloc(cap, 1);
	if (!s->keys || !s->found) {
		free(s->keys);
		free(s->found);
		return LB_ENOMEM;
	}
	s->mask = cap - 1;
	s->n = s->remaining = 0;
	for (i = 0; i < n; i++) {
		size_t h;

		if (inodes[i] == 0)
			continue;
		for (h = hash64(inodes[i]) & s->mask; s->keys[h]; h = (h + 1) & s->mask)
			if (s->keys[h] == inodes[i])
				break;
		if (!s->keys[h]) {
			s->keys[h] = inodes[i];
			s->n++;
			s->remaining++;
		}
	}
	return 0;
}

size_t lb__inode_set_find(const struct lb__inode_set *s, uint64_t k)
{
	size_t h;

	for (h = hash64(k) & s->mask; s->keys[h]; h = (h + 1) & s->mask)
		if (s->keys[h] == k)
			return h;
	return (size_t)-1;
}

void lb__inode_set_free(struct lb__inode_set *s)
{
	free(s->keys);
	free(s->found);
}

/* ---- one scan ---- */

int lb__scan_add_link(struct lb__scan *sc, uint64_t inode, uint32_t pid)
{
	struct lb__owner_scan *r = sc->res;
	struct lb__owner_link *v = lb__grow(r->links, &sc->cap, r->n_links + 1, sizeof(*v), 64);

	if (!v)
		return LB_ENOMEM;
	r->links = v;
	r->links[r->n_links].inode = inode;
	r->links[r->n_links].pid = pid;
	r->n_links++;
	return 0;
}

int lb__scan_mark_done(struct lb__scan *sc, uint32_t pid)
{
	uint32_t *v = lb__grow(sc->done, &sc->cap_done, sc->n_done + 1, sizeof(*v), 256);

	if (!v)
		return LB_ENOMEM;
	sc->done = v;
	sc->done[sc->n_done++] = pid;
	return 0;
}

static int was_done(const struct lb__scan *sc, uint32_t pid)
{
	size_t i;

	for (i = 0; i < sc->n_done; i++)
		if (sc->done[i] == pid)
			return 1;
	return 0;
}

/* One "socket:[INODE]" link of a process's fd directory @fd: recorded
 * when wanted. LB_EPERM when the links of that directory do not read. */
static int scan_link(struct lb__scan *sc, int fd, const char *name, uint32_t pid)
{
	char link[64];
	ssize_t ll = readlinkat(fd, name, link, sizeof(link));
	uint64_t ino;

	if (ll < 0 && lb__errno_code(errno) == LB_EPERM)
		return LB_EPERM;
	if (ll < 8 || lb__socket_link_inode(link, (size_t)ll, &ino) < 0)
		return 0;
	if (sc->want) {
		size_t h = lb__inode_set_find(sc->want, ino);

		if (h == (size_t)-1)
			return 0;
		/* Shared by the scanning threads. */
		if (!__atomic_exchange_n(&sc->want->found[h], 1, __ATOMIC_RELAXED))
			__atomic_sub_fetch(&sc->want->remaining, 1, __ATOMIC_RELAXED);
	}
	return lb__scan_add_link(sc, ino, pid);
}

/* Hidden means the fd directory does not open, or (root without
 * CAP_SYS_PTRACE facing a process with more capabilities, such as PID 1)
 * it opens and lists but its links do not read. */
int lb__scan_pid(struct lb__scan *sc, int procfd, uint32_t pid)
{
	char path[32], buf[16384];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%u/fd", (unsigned)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) /* hidden, or gone (not an error) */
		return lb__errno_code(errno) == LB_EPERM ? LB_EPERM : 0;
	r = lb__scan_mark_done(sc, pid);
	while (r == 0) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf)), off;

		if (n <= 0)
			break;
		for (off = 0; off < n && r == 0;) {
			struct lb__dirent64 *de = (struct lb__dirent64 *)(buf + off);

			off += de->d_reclen;
			if (de->d_name[0] != '.')
				r = scan_link(sc, fd, de->d_name, pid); /* LB_EPERM: every other link too */
		}
	}
	close(fd);
	return r;
}

static int parse_pid(const char *name, uint32_t *ret)
{
	const char *p = name, *end = name + strlen(name);
	uint64_t v;

	if (lb__parse_uint(&p, end, 10, UINT32_MAX, &v) < 0 || p != end || v == 0)
		return -1;
	*ret = (uint32_t)v;
	return 0;
}

/* The pids of one batch of /proc entries, appended to @v. */
static int batch_pids(const char *buf, long got, uint32_t **v, size_t *n, size_t *cap)
{
	long off;

	for (off = 0; off < got;) {
		const struct lb__dirent64 *de = (const struct lb__dirent64 *)(buf + off);
		uint32_t pid, *nv;

		off += de->d_reclen;
		if (de->d_name[0] < '1' || de->d_name[0] > '9' || parse_pid(de->d_name, &pid) < 0)
			continue;
		nv = lb__grow(*v, cap, *n + 1, sizeof(*nv), 1024);
		if (!nv)
			return LB_ENOMEM;
		*v = nv;
		nv[(*n)++] = pid;
	}
	return 0;
}

int lb__proc_pids(int procfd, uint32_t **ret, size_t *ret_n)
{
	char buf[32768];
	uint32_t *v = NULL;
	size_t n = 0, cap = 0;
	int dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (dfd < 0)
		return LB_EIO;
	while (r == 0) {
		long got = syscall(SYS_getdents64, dfd, buf, sizeof(buf));

		if (got < 0)
			r = LB_EIO;
		if (got <= 0)
			break;
		r = batch_pids(buf, got, &v, &n, &cap);
	}
	close(dfd);
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

int lb__scan_extra(struct lb__scan *sc, int procfd, uint32_t pid)
{
	int r;

	if (pid == 0 || was_done(sc, pid))
		return 0;
	r = lb__scan_pid(sc, procfd, pid);
	if (r == LB_EPERM) {
		sc->res->n_hidden++;
		r = 0;
	}
	return r;
}

static int cmp_link(const void *a, const void *b)
{
	const struct lb__owner_link *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->inode != y->inode)
		return x->inode < y->inode ? -1 : 1;
	return 0;
}

/* Whether @res's links are in pid order already (the BPF walk's order). */
static int pid_ordered(const struct lb__owner_scan *res)
{
	size_t i;

	for (i = 1; i < res->n_links; i++)
		if (res->links[i].pid < res->links[i - 1].pid)
			return 0;
	return 1;
}

void lb__owner_scan_sort(struct lb__owner_scan *res)
{
	size_t i, j = 0, k;

	if (res->n_links == 0)
		return;
	if (pid_ordered(res)) {
		/* Only each process's links (a few dozen) to order: not a sort
		 * of tens of thousands. */
		for (i = 0; i < res->n_links; i = k) {
			for (k = i + 1; k < res->n_links && res->links[k].pid == res->links[i].pid; k++)
				;
			if (k - i > 1)
				qsort(res->links + i, k - i, sizeof(res->links[0]), cmp_link);
		}
	} else {
		qsort(res->links, res->n_links, sizeof(res->links[0]), cmp_link);
	}
	for (i = 0; i < res->n_links; i++)
		if (j == 0 || cmp_link(&res->links[j - 1], &res->links[i]) != 0)
			res->links[j++] = res->links[i];
	res->n_links = j;
}

int lb__scan_begin(struct lb__scan *sc, int *procfd)
{
	memset(sc, 0, sizeof(*sc));
	sc->res = calloc(1, sizeof(*sc->res));
	if (!sc->res)
		return LB_ENOMEM;
	*procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*procfd < 0) {
		free(sc->res);
		return LB_EIO;
	}
	return 0;
}

int lb__scan_end(struct lb__scan *sc, int procfd, int r, struct lb__owner_scan **ret)
{
	close(procfd);
	free(sc->done);
	if (r < 0) {
		lb__owner_scan_free(sc->res);
		return r;
	}
	lb__owner_scan_sort(sc->res);
	*ret = sc->res;
	return 0;
}

void lb__owner_scan_free(struct lb__owner_scan *scan)
{
	if (!scan)
		return;
	free(scan->links);
	free(scan);
}
