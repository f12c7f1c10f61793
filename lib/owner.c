/* SPDX-License-Identifier: MIT */
/*
 * Socket owners on Linux: scan /proc/PID/fd for "socket:[INODE]" links,
 * then describe each holding process from /proc/PID/{stat,cmdline,exe}.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "backend/procfs.h"
#include "internal.h"
#include "owner.h"
#include "os/linux/owner-bpf.h"

/* ---- pure parsers ---- */

int lb__proc_stat_parse(const char *text, size_t len, struct lb__proc_stat *ret)
{
	const char *p = text, *end = text + len, *open, *close;
	struct lb__proc_stat st;
	uint64_t v;
	size_t n;
	int i;

	lb_return_if(!text || !ret, LB_EINVAL);
	memset(&st, 0, sizeof(st));
	if (lb__parse_uint(&p, end, 10, UINT32_MAX, &v) < 0 || p >= end || *p != ' ')
		return LB_EBADDATA;
	st.pid = (uint32_t)v;
	open = p + 1;
	close = NULL;
	for (p = end; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (open >= end || *open != '(' || !close)
		return LB_EBADDATA;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st.comm))
		n = sizeof(st.comm) - 1;
	memcpy(st.comm, open + 1, n);
	st.comm[n] = '\0';
	p = close + 1;
	/* Fields 3 (state) .. 22 (starttime), counted from 1. */
	if (end - p < 3 || p[0] != ' ' || p[2] != ' ')
		return LB_EBADDATA;
	st.state = p[1];
	p += 3;
	for (i = 4; i <= 22; i++) {
		/* Signed fields: the sign is skipped, their value is not used. */
		if (p < end && *p == '-' && i != 4 && i != 22)
			p++;
		if (lb__parse_uint(&p, end, 10, UINT64_MAX, &v) < 0)
			return LB_EBADDATA;
		if (i == 4) {
			if (v > UINT32_MAX)
				return LB_EBADDATA;
			st.ppid = (uint32_t)v;
		}
		if (i == 22)
			st.starttime = v;
		if (i < 22) {
			if (p >= end || *p != ' ')
				return LB_EBADDATA;
			p++;
		}
	}
	*ret = st;
	return 0;
}

int lb__socket_link_inode(const char *link, size_t len, uint64_t *ret_inode)
{
	static const char prefix[] = "socket:[";
	const char *p, *end = link + len;
	uint64_t v;

	lb_return_if(!link || !ret_inode, LB_EINVAL);
	if (len < sizeof(prefix) - 1 || memcmp(link, prefix, sizeof(prefix) - 1) != 0)
		return LB_ENOENT;
	p = link + sizeof(prefix) - 1;
	if (lb__parse_uint(&p, end, 10, UINT64_MAX, &v) < 0 || p + 1 != end || *p != ']')
		return LB_EBADDATA;
	*ret_inode = v;
	return 0;
}

int lb__proc_btime_parse(const char *text, size_t len, uint64_t *ret_btime)
{
	const char *p = text, *end = text + len;

	lb_return_if(!text || !ret_btime, LB_EINVAL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le - p > 6 && memcmp(p, "btime ", 6) == 0) {
			const char *q = p + 6;
			uint64_t v;

			if (lb__parse_uint(&q, le, 10, UINT64_MAX / 1000, &v) < 0 || q != le)
				return LB_EBADDATA;
			*ret_btime = v;
			return 0;
		}
		p = nl ? nl + 1 : end;
	}
	return LB_EBADDATA;
}

/* ---- a set of inodes (open addressing) ---- */

struct inode_set {
	uint64_t *keys;     /* 0 = empty */
	unsigned char *found;
	size_t mask;
	size_t n;
	size_t remaining;   /* inodes without a holder yet */
};

static size_t hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

static int set_init(struct inode_set *s, const uint64_t *inodes, size_t n)
{
	size_t cap = 16, i;

	while (cap < 2 * n + 2)
		cap *= 2;
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

/* The slot of @k, or (size_t)-1. */
static size_t set_find(const struct inode_set *s, uint64_t k)
{
	size_t h;

	for (h = hash64(k) & s->mask; s->keys[h]; h = (h + 1) & s->mask)
		if (s->keys[h] == k)
			return h;
	return (size_t)-1;
}

static void set_free(struct inode_set *s)
{
	free(s->keys);
	free(s->found);
}

/* ---- scanning ---- */

struct scan {
	struct lb__owner_scan *res;
	size_t cap;
	struct inode_set *want;   /* NULL: every socket */
	uint32_t *done;           /* pids already scanned (complete_relatives sorts it) */
	int stopped_early;        /* scan_all stopped before the last process */
	size_t n_done, cap_done;
};

static int add_link(struct scan *sc, uint64_t inode, uint32_t pid)
{
	struct lb__owner_scan *r = sc->res;

	if (r->n_links == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 64;
		struct lb__owner_link *v = realloc(r->links, cap * sizeof(*v));

		if (!v)
			return LB_ENOMEM;
		r->links = v;
		sc->cap = cap;
	}
	r->links[r->n_links].inode = inode;
	r->links[r->n_links].pid = pid;
	r->n_links++;
	return 0;
}

static int mark_done(struct scan *sc, uint32_t pid)
{
	if (sc->n_done == sc->cap_done) {
		size_t cap = sc->cap_done ? sc->cap_done * 2 : 256;
		uint32_t *v = realloc(sc->done, cap * sizeof(*v));

		if (!v)
			return LB_ENOMEM;
		sc->done = v;
		sc->cap_done = cap;
	}
	sc->done[sc->n_done++] = pid;
	return 0;
}

static int was_done(const struct scan *sc, uint32_t pid)
{
	size_t i;

	for (i = 0; i < sc->n_done; i++)
		if (sc->done[i] == pid)
			return 1;
	return 0;
}

/* Scan the descriptors of one process. Returns 0 (also when the process
 * is gone), LB_EPERM when its descriptors are hidden, or LB_ENOMEM.
 * Hidden means the fd directory does not open, or (root without
 * CAP_SYS_PTRACE facing a process with more capabilities, such as PID 1)
 * it opens and lists but its links do not read. */
static int scan_pid(struct scan *sc, int procfd, uint32_t pid)
{
	char path[32], buf[16384], link[64];
	int fd, r = 0, denied = 0;

	snprintf(path, sizeof(path), "%u/fd", (unsigned)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return (errno == EACCES || errno == EPERM) ? LB_EPERM : 0;
	r = mark_done(sc, pid);
	for (;;) {
		long n = r < 0 || denied ? 0 : syscall(SYS_getdents64, fd, buf, sizeof(buf));
		long off;

		if (n <= 0)
			break;
		for (off = 0; off < n;) {
			struct lb__dirent64 *de = (struct lb__dirent64 *)(buf + off);
			ssize_t ll;
			uint64_t ino;

			off += de->d_reclen;
			if (de->d_name[0] == '.')
				continue;
			ll = readlinkat(fd, de->d_name, link, sizeof(link));
			if (ll < 0 && (errno == EACCES || errno == EPERM)) {
				denied = 1; /* every other link of it is denied too */
				break;
			}
			if (ll < 8 || lb__socket_link_inode(link, (size_t)ll, &ino) < 0)
				continue;
			if (sc->want) {
				size_t h = set_find(sc->want, ino);

				if (h == (size_t)-1)
					continue;
				/* Shared by the scanning threads. */
				if (!__atomic_exchange_n(&sc->want->found[h], 1, __ATOMIC_RELAXED))
					__atomic_sub_fetch(&sc->want->remaining, 1, __ATOMIC_RELAXED);
			}
			r = add_link(sc, ino, pid);
			if (r < 0)
				break;
		}
	}
	close(fd);
	return r == 0 && denied ? LB_EPERM : r;
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

/* Every pid in /proc, in directory order. */
static int list_pids(int procfd, uint32_t **ret, size_t *ret_n)
{
	char buf[32768];
	uint32_t *v = NULL;
	size_t n = 0, cap = 0;
	int dfd = openat(procfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r = 0;

	if (dfd < 0)
		return LB_EIO;
	for (;;) {
		long got = syscall(SYS_getdents64, dfd, buf, sizeof(buf)), off;

		if (got < 0)
			r = LB_EIO;
		if (got <= 0)
			break;
		for (off = 0; off < got && r == 0;) {
			struct lb__dirent64 *de = (struct lb__dirent64 *)(buf + off);
			uint32_t pid;

			off += de->d_reclen;
			if (de->d_name[0] < '1' || de->d_name[0] > '9' || parse_pid(de->d_name, &pid) < 0)
				continue;
			if (n == cap) {
				uint32_t *nv;

				cap = cap ? cap * 2 : 1024;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					r = LB_ENOMEM;
					break;
				}
				v = nv;
			}
			v[n++] = pid;
		}
		if (r < 0)
			break;
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

/* The processes are scanned by a few threads taking pids in order; the
 * result is then cut to what a scan in that order, alone, would have
 * found before stopping, so threads change the speed, never the answer. */
struct scan_job {
	const uint32_t *pids;
	size_t n;
	size_t next;            /* atomic: the next pid index to take */
	int stop_when_found;
	int procfd;
};

struct scan_worker {
	struct scan_job *job;
	struct scan sc;         /* its own links and done list; want shared */
	size_t *hidden;         /* pid indexes whose descriptors were hidden */
	size_t n_hidden, cap_hidden;
	int r;
};

static void *scan_worker_run(void *p)
{
	struct scan_worker *w = p;
	struct scan_job *job = w->job;

	while (w->r == 0) {
		size_t i;
		int r;

		if (job->stop_when_found && w->sc.want &&
		    __atomic_load_n(&w->sc.want->remaining, __ATOMIC_RELAXED) == 0)
			break;
		i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
		if (i >= job->n)
			break;
		r = scan_pid(&w->sc, job->procfd, job->pids[i]);
		if (r == LB_EPERM) {
			if (w->n_hidden == w->cap_hidden) {
				size_t cap = w->cap_hidden ? w->cap_hidden * 2 : 64;
				size_t *nv = realloc(w->hidden, cap * sizeof(*nv));

				if (!nv) {
					w->r = LB_ENOMEM;
					break;
				}
				w->hidden = nv;
				w->cap_hidden = cap;
			}
			w->hidden[w->n_hidden++] = i;
			r = 0;
		}
		w->r = r;
	}
	return NULL;
}

struct pid_idx {
	uint32_t pid;
	size_t idx;
};

static int cmp_pid_idx(const void *a, const void *b)
{
	const struct pid_idx *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static int cmp_link_inode(const void *a, const void *b)
{
	const struct lb__owner_link *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/* The index of @pid in the scan order. */
static size_t index_of(const struct pid_idx *order, size_t n, uint32_t pid)
{
	struct pid_idx key = { pid, 0 }, *hit = bsearch(&key, order, n, sizeof(*order), cmp_pid_idx);

	return hit ? hit->idx : n;
}

/* Scan every process, stopping early when @stop_when_found and every
 * wanted inode has a holder. */
static int scan_all(struct scan *sc, int procfd, int stop_when_found)
{
	struct scan_job job;
	struct scan_worker w[4];
	pthread_t th[4];
	struct pid_idx *order = NULL;
	uint32_t *pids = NULL;
	size_t n = 0, i, k, cut;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nw = ncpu < 1 ? 1 : ncpu > 4 ? 4 : (int)ncpu, started = 1, r;

	r = list_pids(procfd, &pids, &n);
	if (r < 0)
		return r;
	if (n < 64)
		nw = 1; /* not worth a thread */
	memset(&job, 0, sizeof(job));
	job.pids = pids;
	job.n = n;
	job.stop_when_found = stop_when_found && sc->want;
	job.procfd = procfd;
	memset(w, 0, sizeof(w));
	for (i = 0; i < (size_t)nw; i++) {
		w[i].job = &job;
		w[i].sc.want = sc->want;
		w[i].sc.res = calloc(1, sizeof(*w[i].sc.res));
		if (!w[i].sc.res)
			r = LB_ENOMEM;
	}
	for (i = 1; r == 0 && i < (size_t)nw; i++) {
		if (pthread_create(&th[i], NULL, scan_worker_run, &w[i]) != 0)
			break;
		started++;
	}
	if (r == 0)
		scan_worker_run(&w[0]);
	for (i = 1; i < (size_t)started; i++)
		pthread_join(th[i], NULL);
	/* Merge the workers' links, done lists and hidden counts. */
	for (i = 0; i < (size_t)nw; i++) {
		size_t j;

		if (r == 0)
			r = w[i].r;
		for (j = 0; r == 0 && w[i].sc.res && j < w[i].sc.res->n_links; j++)
			r = add_link(sc, w[i].sc.res->links[j].inode, w[i].sc.res->links[j].pid);
		for (j = 0; r == 0 && j < w[i].sc.n_done; j++)
			r = mark_done(sc, w[i].sc.done[j]);
	}
	/* Where a lone scan in pid order would have stopped: once the last
	 * wanted inode found its first holder. */
	cut = n;
	if (r == 0 && job.stop_when_found && sc->want->remaining == 0 && n > 0) {
		order = malloc(n * sizeof(*order));
		if (!order)
			r = LB_ENOMEM;
		for (i = 0; order && i < n; i++) {
			order[i].pid = pids[i];
			order[i].idx = i;
		}
		if (order) {
			size_t first = 0;

			qsort(order, n, sizeof(*order), cmp_pid_idx);
			if (sc->res->n_links)
				qsort(sc->res->links, sc->res->n_links, sizeof(sc->res->links[0]), cmp_link_inode);
			cut = 0;
			for (i = 0; i <= sc->res->n_links; i++) {
				if (i == sc->res->n_links || sc->res->links[i].inode != sc->res->links[first].inode) {
					size_t lo = n, j;

					for (j = first; j < i; j++) {
						size_t x = index_of(order, n, sc->res->links[j].pid);

						lo = x < lo ? x : lo;
					}
					if (i > first && lo + 1 > cut)
						cut = lo + 1;
					first = i;
				}
			}
			for (i = 0, k = 0; i < sc->res->n_links; i++)
				if (index_of(order, n, sc->res->links[i].pid) < cut)
					sc->res->links[k++] = sc->res->links[i];
			sc->res->n_links = k;
			for (i = 0, k = 0; i < sc->n_done; i++)
				if (index_of(order, n, sc->done[i]) < cut)
					sc->done[k++] = sc->done[i];
			sc->n_done = k;
			sc->stopped_early = cut < n;
		}
	}
	for (i = 0; i < (size_t)nw; i++) {
		size_t j;

		for (j = 0; j < w[i].n_hidden; j++)
			if (w[i].hidden[j] < cut)
				sc->res->n_hidden++;
		lb__owner_scan_free(w[i].sc.res);
		free(w[i].sc.done);
		free(w[i].hidden);
	}
	free(order);
	free(pids);
	return r;
}

static int read_stat(int procfd, uint32_t pid, struct lb__proc_stat *ret)
{
	char path[32];
	char *buf;
	size_t len;
	int r;

	snprintf(path, sizeof(path), "%u/stat", (unsigned)pid);
	r = lb__read_file_at(procfd, path, &buf, &len);
	if (r < 0)
		return r;
	r = lb__proc_stat_parse(buf, len, ret);
	free(buf);
	return r;
}

/* Append the children of @pid (from /proc/PID/task/TID/children) to @v. */
static int children_of(int procfd, uint32_t pid, uint32_t **v, size_t *n)
{
	char path[64];
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	snprintf(path, sizeof(path), "%u/task", (unsigned)pid);
	fd = openat(procfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	while (r == 0 && (de = readdir(d))) {
		char *buf;
		size_t len;
		const char *p, *end;

		if (de->d_name[0] == '.' || strlen(de->d_name) > 20)
			continue;
		snprintf(path, sizeof(path), "%.20s/children", de->d_name);
		if (lb__read_file_at(dirfd(d), path, &buf, &len) < 0)
			continue;
		for (p = buf, end = buf + len; p < end && r == 0;) {
			uint64_t c;
			uint32_t *nv;

			if (*p == ' ' || *p == '\n') {
				p++;
				continue;
			}
			if (lb__parse_uint(&p, end, 10, UINT32_MAX, &c) < 0)
				break;
			nv = realloc(*v, (*n + 1) * sizeof(**v));
			if (!nv) {
				r = LB_ENOMEM;
				break;
			}
			*v = nv;
			nv[(*n)++] = (uint32_t)c;
		}
		free(buf);
	}
	closedir(d);
	return r;
}

/* All descendants of @pid, breadth first, into a malloc'd array. */
int lb__descendants_of(int procfd, uint32_t pid, uint32_t **ret, size_t *ret_n)
{
	uint32_t *v = NULL;
	size_t n = 0, i;
	int r = children_of(procfd, pid, &v, &n);

	for (i = 0; r == 0 && i < n && n < 1000000; i++)
		r = children_of(procfd, v[i], &v, &n);
	if (r < 0) {
		free(v);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* Scan one more process unless done; its hidden state counts. */
static int scan_extra(struct scan *sc, int procfd, uint32_t pid)
{
	int r;

	if (pid == 0 || was_done(sc, pid))
		return 0;
	r = scan_pid(sc, procfd, pid);
	if (r == LB_EPERM) {
		sc->res->n_hidden++;
		r = 0;
	}
	return r;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A memo of parent pids (open addressing; 0 = empty slot). */
struct ppid_map {
	uint32_t *key, *val;
	size_t mask;
};

static uint32_t ppid_of(struct ppid_map *m, int procfd, uint32_t pid)
{
	struct lb__proc_stat st;
	size_t h = (pid * 2654435761u) & m->mask;

	for (; m->key[h]; h = (h + 1) & m->mask)
		if (m->key[h] == pid)
			return m->val[h];
	m->key[h] = pid;
	m->val[h] = read_stat(procfd, pid, &st) == 0 ? st.ppid : 0;
	return m->val[h];
}

/* Whether @pid descends from one of the sorted @holders. */
static int descends(struct ppid_map *m, int procfd, uint32_t pid, const uint32_t *holders, size_t n)
{
	int depth;

	for (depth = 0; depth < 4096 && pid > 1; depth++) {
		pid = ppid_of(m, procfd, pid);
		if (pid && bsearch(&pid, holders, n, sizeof(*holders), cmp_u32))
			return 1;
	}
	return 0;
}

/* After an early stop: the ancestors and descendants of each holder found
 * may hold the same socket (a listener shared after fork). Each parent
 * pid is read once; descendants come from the children lists of a few
 * holders, or, with many holders, from the parent pids of the processes
 * not scanned yet (the same set, found faster). */
static int complete_relatives(struct scan *sc, int procfd)
{
	size_t n_links = sc->res->n_links, n_h = 0, i, n_pids = 0, n_rest = 0;
	uint32_t *holders = malloc((n_links + 1) * sizeof(*holders)), *pids = NULL;
	struct ppid_map m = { NULL, NULL, 0 };
	size_t cap = 1024;
	int r;

	if (!holders)
		return LB_ENOMEM;
	for (i = 0; i < n_links; i++)
		if (n_h == 0 || holders[n_h - 1] != sc->res->links[i].pid)
			holders[n_h++] = sc->res->links[i].pid; /* links are sorted by pid */
	r = list_pids(procfd, &pids, &n_pids);
	/* The processes not scanned yet: look each up in the sorted done
	 * list (a linear was_done() per pid is quadratic on a big host). */
	if (r == 0 && sc->n_done)
		qsort(sc->done, sc->n_done, sizeof(*sc->done), cmp_u32);
	for (i = 0; r == 0 && i < n_pids; i++)
		if (!sc->n_done || !bsearch(&pids[i], sc->done, sc->n_done, sizeof(*sc->done), cmp_u32))
			pids[n_rest++] = pids[i];
	while (cap < 4 * (n_pids + n_h) + 64)
		cap *= 2;
	m.key = calloc(cap, sizeof(*m.key));
	m.val = calloc(cap, sizeof(*m.val));
	m.mask = cap - 1;
	if (r == 0 && (!m.key || !m.val))
		r = LB_ENOMEM;
	/* Ancestors: stop at one whose own ancestors were walked already. */
	for (i = 0; i < n_h && r == 0; i++) {
		uint32_t p = holders[i];
		int depth;

		for (depth = 0; depth < 4096 && r == 0; depth++) {
			size_t h;
			uint32_t pp;
			int known = 0;

			pp = ppid_of(&m, procfd, p);
			if (pp <= 1)
				break;
			for (h = (pp * 2654435761u) & m.mask; m.key[h]; h = (h + 1) & m.mask)
				if (m.key[h] == pp)
					known = 1;
			r = scan_extra(sc, procfd, pp);
			if (known)
				break; /* its chain is walked (or being walked) */
			p = pp;
		}
	}
	if (r == 0 && n_h * 4 > n_rest) {
		for (i = 0; i < n_rest && r == 0; i++)
			if (descends(&m, procfd, pids[i], holders, n_h))
				r = scan_extra(sc, procfd, pids[i]);
	} else {
		for (i = 0; i < n_h && r == 0; i++) {
			uint32_t *desc = NULL;
			size_t n_desc = 0, j;

			r = lb__descendants_of(procfd, holders[i], &desc, &n_desc);
			for (j = 0; j < n_desc && r == 0; j++)
				r = scan_extra(sc, procfd, desc[j]);
			free(desc);
		}
	}
	free(m.key);
	free(m.val);
	free(pids);
	free(holders);
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

static void sort_unique(struct lb__owner_scan *res)
{
	size_t i, j = 0;

	if (res->n_links == 0)
		return;
	qsort(res->links, res->n_links, sizeof(res->links[0]), cmp_link);
	for (i = 0; i < res->n_links; i++)
		if (j == 0 || cmp_link(&res->links[j - 1], &res->links[i]) != 0)
			res->links[j++] = res->links[i];
	res->n_links = j;
}

void lb__owner_scan_sort(struct lb__owner_scan *scan)
{
	sort_unique(scan);
}

static int scan_begin(struct scan *sc, int *procfd)
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

static int scan_end(struct scan *sc, int procfd, int r, struct lb__owner_scan **ret)
{
	close(procfd);
	free(sc->done);
	if (r < 0) {
		lb__owner_scan_free(sc->res);
		return r;
	}
	sort_unique(sc->res);
	*ret = sc->res;
	return 0;
}

int lb__owners_of_inodes(const uint64_t *inodes, size_t n, int mode,
			 struct lb__owner_scan **ret_scan)
{
	struct inode_set want;
	struct scan sc;
	int procfd, r;

	lb_return_if((!inodes && n) || !ret_scan, LB_EINVAL);
	lb_return_if(mode != LB_OWNERS_DEFAULT && mode != LB_OWNERS_ALL, LB_EINVAL);
	r = set_init(&want, inodes, n);
	if (r < 0)
		return r;
	r = scan_begin(&sc, &procfd);
	if (r < 0) {
		set_free(&want);
		return r;
	}
	sc.want = &want;
	/* PID 1 exists in every PID namespace: when /proc does not show it,
	 * /proc hides processes from us (hidepid=invisible or ptraceable),
	 * and a holder may be among them. */
	if (faccessat(procfd, "1", F_OK, 0) < 0)
		sc.res->procs_hidden = 1;
	if (want.n > 0) {
		r = scan_all(&sc, procfd, mode == LB_OWNERS_DEFAULT);
		/* Relatives only matter after an early stop: a full scan saw them. */
		if (r == 0 && mode == LB_OWNERS_DEFAULT && sc.stopped_early) {
			sort_unique(sc.res);
			r = complete_relatives(&sc, procfd);
		}
	}
	set_free(&want);
	return scan_end(&sc, procfd, r, ret_scan);
}

int lb__owners_of_pid(uint32_t pid, int descendants, struct lb__owner_scan **ret_scan)
{
	struct scan sc;
	uint32_t *desc = NULL;
	size_t n_desc = 0, i;
	char path[32];
	int procfd, r;

	lb_return_if(pid == 0 || !ret_scan, LB_EINVAL);
	r = scan_begin(&sc, &procfd);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), "%u", (unsigned)pid);
	if (faccessat(procfd, path, F_OK, 0) < 0)
		return scan_end(&sc, procfd, LB_ENOENT, ret_scan);
	r = scan_pid(&sc, procfd, pid);
	if (r == 0 && descendants)
		r = lb__descendants_of(procfd, pid, &desc, &n_desc);
	for (i = 0; i < n_desc && r == 0; i++)
		r = scan_extra(&sc, procfd, desc[i]);
	free(desc);
	return scan_end(&sc, procfd, r, ret_scan);
}

void lb__owner_scan_free(struct lb__owner_scan *scan)
{
	if (!scan)
		return;
	free(scan->links);
	free(scan);
}

/* ---- process details ---- */

struct user_cache {
	uint32_t uid[16];
	char *name[16];
	size_t n;
};

static char *user_name(uint32_t uid, struct user_cache *uc)
{
	struct passwd pw, *res = NULL;
	char buf[1024], num[16];
	size_t i;

	for (i = 0; uc && i < uc->n; i++)
		if (uc->uid[i] == uid)
			return strdup(uc->name[i]);
	snprintf(num, sizeof(num), "%u", (unsigned)uid);
	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) != 0 || !res)
		res = NULL;
	if (uc && uc->n < LB_ARRAY_SIZE(uc->uid)) {
		char *c = strdup(res ? res->pw_name : num);

		if (c) {
			uc->uid[uc->n] = uid;
			uc->name[uc->n++] = c;
		}
	}
	return strdup(res ? res->pw_name : num);
}

static void user_cache_free(struct user_cache *uc)
{
	size_t i;

	for (i = 0; i < uc->n; i++)
		free(uc->name[i]);
}

static uint64_t read_btime(int procfd)
{
	char *buf;
	size_t len;
	uint64_t bt = 0;

	if (lb__read_file_at(procfd, "stat", &buf, &len) == 0) {
		if (lb__proc_btime_parse(buf, len, &bt) < 0)
			bt = 0;
		free(buf);
	}
	return bt;
}

static int owner_info_at(int procfd, uint32_t pid, uint64_t btime, struct user_cache *uc,
			 struct lb_owner **ret)
{
	struct lb__proc_stat st;
	struct lb_owner *o;
	struct stat sb;
	char path[32], link[4096];
	char *buf;
	size_t len;
	ssize_t ll;
	long hz = sysconf(_SC_CLK_TCK);
	int r;

	snprintf(path, sizeof(path), "%u", (unsigned)pid);
	if (fstatat(procfd, path, &sb, 0) < 0)
		return LB_ENOENT;
	r = read_stat(procfd, pid, &st);
	if (r < 0)
		return r == LB_EBADDATA ? r : LB_ENOENT;
	o = calloc(1, sizeof(*o));
	if (!o)
		return LB_ENOMEM;
	o->pid = pid;
	o->ppid = st.ppid;
	o->uid = (uint32_t)sb.st_uid;
	if (btime && hz > 0)
		o->start_time = btime * 1000 + st.starttime * 1000 / (uint64_t)hz;
	o->name = strdup(st.comm);
	o->user = user_name(o->uid, uc);
	snprintf(path, sizeof(path), "%u/cmdline", (unsigned)pid);
	r = lb__read_file_at(procfd, path, &buf, &len);
	if (r == 0) {
		r = lb__owner_set_args(o, buf, len);
		free(buf);
		if (r < 0) {
			lb__owner_free(o);
			return r;
		}
	} else if (r == LB_EPERM) {
		o->error = LB_EPERM;
	}
	snprintf(path, sizeof(path), "%u/exe", (unsigned)pid);
	ll = readlinkat(procfd, path, link, sizeof(link) - 1);
	if (ll >= 0) {
		link[ll] = '\0';
		o->exe = strdup(link);
	} else if (errno == EACCES || errno == EPERM) {
		o->error = LB_EPERM;
	}
	if (!o->name || !o->user || (r == 0 && !o->cmdline) || (ll >= 0 && !o->exe)) {
		lb__owner_free(o);
		return LB_ENOMEM;
	}
	*ret = o;
	return 0;
}

int lb__owner_info(uint32_t pid, struct lb_owner **ret_owner)
{
	int procfd, r;

	lb_return_if(pid == 0 || !ret_owner, LB_EINVAL);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return LB_EIO;
	r = owner_info_at(procfd, pid, read_btime(procfd), NULL, ret_owner);
	close(procfd);
	return r;
}

/* ---- attaching owners to a list ---- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The socket with inode @ino, through a sorted (inode, index) table. */
struct ino_idx {
	uint64_t inode;
	size_t index;
};

static int cmp_ino_idx(const void *a, const void *b)
{
	return cmp_u64(a, b);
}

int lb__owner_attach(lb_socket_list *list, const struct lb__owner_scan *scan)
{
	struct lb__sockvec *sv = &list->socks;
	struct ino_idx *idx = malloc((sv->n + 1) * sizeof(*idx));
	struct user_cache uc = { { 0 }, { 0 }, 0 };
	uint64_t btime;
	size_t i, n_idx = 0;
	int procfd, r = 0;

	if (!idx)
		return LB_ENOMEM;
	for (i = 0; i < sv->n; i++)
		if (sv->v[i].inode) {
			idx[n_idx].inode = sv->v[i].inode;
			idx[n_idx++].index = i;
		}
	if (n_idx)
		qsort(idx, n_idx, sizeof(*idx), cmp_ino_idx);
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0) {
		free(idx);
		return LB_EIO;
	}
	btime = read_btime(procfd);
	for (i = 0; i < scan->n_links && r == 0;) {
		uint32_t pid = scan->links[i].pid;
		struct lb_owner *o = NULL;
		int gone = 0;
		size_t j;

		r = owner_info_at(procfd, pid, btime, &uc, &o);
		if (r == LB_ENOENT || r == LB_EBADDATA) {
			r = 0; /* exited mid-scan: no longer an owner */
			gone = 1;
		} else if (r == 0 && (r = lb__list_adopt_owner(list, o)) < 0) {
			lb__owner_free(o);
		}
		for (j = i; j < scan->n_links && scan->links[j].pid == pid; j++) {
			struct ino_idx key = { scan->links[j].inode, 0 }, *hit;

			if ((!o && !gone) || r < 0)
				continue;
			hit = n_idx ? bsearch(&key, idx, n_idx, sizeof(*idx), cmp_ino_idx) : NULL;
			if (hit && gone)
				sv->v[hit->index].owner_error = LB_EEXITED; /* unless another holder shows */
			else if (hit)
				r = lb__socket_add_owner(&sv->v[hit->index], o);
		}
		i = j;
	}
	close(procfd);
	user_cache_free(&uc);
	free(idx);
	if (r < 0)
		return r;
	for (i = 0; i < sv->n; i++) {
		struct lb_socket *s = &sv->v[i];

		if (s->n_owners > 0)
			s->owner_error = 0;
		else if (s->inode && s->owner_error != LB_EEXITED &&
			 (scan->n_hidden > 0 || scan->procs_hidden))
			s->owner_error = LB_EPERM;
	}
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
		qsort(inodes, scan->n_links, sizeof(*inodes), cmp_u64);
	for (i = 0; i < sv->n; i++) {
		if (sv->v[i].inode && scan->n_links &&
		    bsearch(&sv->v[i].inode, inodes, scan->n_links, sizeof(*inodes), cmp_u64))
			sv->v[j++] = sv->v[i];
		else
			free(sv->v[i].owners);
	}
	sv->n = j;
	free(inodes);
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
	/* The owner scan: BPF or /proc (lib/os/linux/owner-scan.c, issue 13). */
	r = n ? lb__owner_scan_inodes(q->owner_scan, inodes, n, q->owners, &scan,
				      &list->owner_scan) : 0;
	free(inodes);
	if (r < 0 || !scan)
		return r;
	r = lb__owner_attach(list, scan);
	lb__owner_scan_free(scan);
	return r;
}
