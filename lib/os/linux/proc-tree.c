/* SPDX-License-Identifier: MIT */
/*
 * Process trees on Linux (fd-scan.h): the descendants of a process (from
 * /proc/PID/task/TID/children), and after an early stop of the fd scan,
 * the relatives of the holders found.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/linux/fd-scan.h"
#include "os/posix/read-file-at.h"

struct pid_vec {
	uint32_t *v;
	size_t n, cap;
};

/* Append the pids of a children file's text to @pv. */
static int add_children(struct pid_vec *pv, const char *p, const char *end)
{
	while (p < end) {
		uint64_t c;
		uint32_t *nv;

		if (*p == ' ' || *p == '\n') {
			p++;
			continue;
		}
		if (lb__parse_uint(&p, end, 10, UINT32_MAX, &c) < 0)
			break;
		nv = lb__grow(pv->v, &pv->cap, pv->n + 1, sizeof(*nv), 16);
		if (!nv)
			return LB_ENOMEM;
		pv->v = nv;
		nv[pv->n++] = (uint32_t)c;
	}
	return 0;
}

/* Append the children of @pid (from /proc/PID/task/TID/children) to @pv. */
static int children_of(int procfd, uint32_t pid, struct pid_vec *pv)
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

		if (de->d_name[0] == '.' || strlen(de->d_name) > 20)
			continue;
		snprintf(path, sizeof(path), "%.20s/children", de->d_name);
		if (lb__read_file_at(dirfd(d), path, &buf, &len) < 0)
			continue;
		r = add_children(pv, buf, buf + len);
		free(buf);
	}
	closedir(d);
	return r;
}

/* All descendants of @pid, breadth first, into a malloc'd array. */
int lb__descendants_of(int procfd, uint32_t pid, uint32_t **ret, size_t *ret_n)
{
	struct pid_vec pv = { NULL, 0, 0 };
	size_t i;
	int r = children_of(procfd, pid, &pv);

	for (i = 0; r == 0 && i < pv.n && pv.n < 1000000; i++)
		r = children_of(procfd, pv.v[i], &pv);
	if (r < 0) {
		free(pv.v);
		return r;
	}
	*ret = pv.v;
	*ret_n = pv.n;
	return 0;
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
	m->val[h] = lb__proc_read_stat(procfd, pid, &st) == 0 ? st.ppid : 0;
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

/* The ancestors of the holders, each parent pid read once. */
static int walk_ancestors(struct lb__scan *sc, struct ppid_map *m, int procfd,
			  const uint32_t *holders, size_t n_h)
{
	size_t i;
	int r = 0;

	/* Stop at one whose own ancestors were walked already. */
	for (i = 0; i < n_h && r == 0; i++) {
		uint32_t p = holders[i];
		int depth;

		for (depth = 0; depth < 4096 && r == 0; depth++) {
			size_t h;
			uint32_t pp;
			int known = 0;

			pp = ppid_of(m, procfd, p);
			if (pp <= 1)
				break;
			for (h = (pp * 2654435761u) & m->mask; m->key[h]; h = (h + 1) & m->mask)
				if (m->key[h] == pp)
					known = 1;
			r = lb__scan_extra(sc, procfd, pp);
			if (known)
				break; /* its chain is walked (or being walked) */
			p = pp;
		}
	}
	return r;
}

/* The descendants of the holders: by the parents of the @rest (processes
 * not scanned yet) when there are many holders, else by their children. */
static int walk_descendants(struct lb__scan *sc, struct ppid_map *m, int procfd,
			    const uint32_t *holders, size_t n_h, const uint32_t *rest, size_t n_rest)
{
	size_t i;
	int r = 0;

	if (n_h * 4 > n_rest) {
		for (i = 0; i < n_rest && r == 0; i++)
			if (descends(m, procfd, rest[i], holders, n_h))
				r = lb__scan_extra(sc, procfd, rest[i]);
		return r;
	}
	for (i = 0; i < n_h && r == 0; i++) {
		uint32_t *desc = NULL;
		size_t n_desc = 0, j;

		r = lb__descendants_of(procfd, holders[i], &desc, &n_desc);
		for (j = 0; j < n_desc && r == 0; j++)
			r = lb__scan_extra(sc, procfd, desc[j]);
		free(desc);
	}
	return r;
}

/* The processes of /proc not scanned yet, into @pids (reused), counted in
 * *ret_n. Each is looked up in the sorted done list (a linear search per
 * pid is quadratic on a big host). */
static int unscanned(struct lb__scan *sc, int procfd, uint32_t **pids, size_t *n_pids,
		     size_t *ret_n)
{
	size_t i, n = 0;
	int r = lb__proc_pids(procfd, pids, n_pids);

	if (r < 0)
		return r;
	if (sc->n_done)
		qsort(sc->done, sc->n_done, sizeof(*sc->done), cmp_u32);
	for (i = 0; i < *n_pids; i++)
		if (!sc->n_done || !bsearch(&(*pids)[i], sc->done, sc->n_done, sizeof(*sc->done), cmp_u32))
			(*pids)[n++] = (*pids)[i];
	*ret_n = n;
	return 0;
}

/* After an early stop: the ancestors and descendants of each holder found
 * may hold the same socket (a listener shared after fork). Each parent
 * pid is read once; descendants come from the children lists of a few
 * holders, or, with many holders, from the parent pids of the processes
 * not scanned yet (the same set, found faster). */
int lb__scan_relatives(struct lb__scan *sc, int procfd)
{
	size_t n_links = sc->res->n_links, n_h = 0, i, n_pids = 0, n_rest = 0;
	uint32_t *holders = malloc((n_links + 1) * sizeof(*holders)), *pids = NULL;
	struct ppid_map m = { NULL, NULL, 0 };
	size_t cap;
	int r;

	if (!holders)
		return LB_ENOMEM;
	for (i = 0; i < n_links; i++)
		if (n_h == 0 || holders[n_h - 1] != sc->res->links[i].pid)
			holders[n_h++] = sc->res->links[i].pid; /* links are sorted by pid */
	r = unscanned(sc, procfd, &pids, &n_pids, &n_rest);
	cap = lb__pow2_at_least(4 * (n_pids + n_h) + 64, 1024);
	m.key = calloc(cap, sizeof(*m.key));
	m.val = calloc(cap, sizeof(*m.val));
	m.mask = cap - 1;
	if (r == 0 && (!m.key || !m.val))
		r = LB_ENOMEM;
	if (r == 0)
		r = walk_ancestors(sc, &m, procfd, holders, n_h);
	if (r == 0)
		r = walk_descendants(sc, &m, procfd, holders, n_h, pids, n_rest);
	free(m.key);
	free(m.val);
	free(pids);
	free(holders);
	return r;
}
