/* SPDX-License-Identifier: MIT */
/*
 * Scanning every process's descriptors (fd-scan.h): a few threads take
 * pids in /proc order; the result is then cut to what a scan in that
 * order, alone, would have found before stopping, so threads change the
 * speed, never the answer.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/linux/fd-scan.h"

#define MAX_WORKERS 4

struct scan_job {
	const uint32_t *pids;
	size_t n;
	size_t next;            /* atomic: the next pid index to take */
	int stop_when_found;
	int procfd;
};

struct scan_worker {
	struct scan_job *job;
	struct lb__scan sc;     /* its own links and done list; want shared */
	size_t *hidden;         /* pid indexes whose descriptors were hidden */
	size_t n_hidden, cap_hidden;
	int r;
};

static void *scan_worker_run(void *p)
{
	struct scan_worker *w = p;
	struct scan_job *job = w->job;

	while (w->r == 0) {
		size_t i, *nv;
		int r;

		if (job->stop_when_found && w->sc.want &&
		    __atomic_load_n(&w->sc.want->remaining, __ATOMIC_RELAXED) == 0)
			break;
		i = __atomic_fetch_add(&job->next, 1, __ATOMIC_RELAXED);
		if (i >= job->n)
			break;
		r = lb__scan_pid(&w->sc, job->procfd, job->pids[i]);
		if (r == LB_EPERM) {
			nv = lb__grow(w->hidden, &w->cap_hidden, w->n_hidden + 1, sizeof(*nv), 64);
			if (!nv) {
				w->r = LB_ENOMEM;
				break;
			}
			w->hidden = nv;
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

/* Run @nw workers on @job (the caller's thread is the first). */
static int run_workers(struct lb__scan *sc, struct scan_job *job, struct scan_worker *w, int nw)
{
	pthread_t th[MAX_WORKERS];
	int started = 1, r = 0, i;

	for (i = 0; i < nw; i++) {
		w[i].job = job;
		w[i].sc.want = sc->want;
		w[i].sc.res = calloc(1, sizeof(*w[i].sc.res));
		if (!w[i].sc.res)
			r = LB_ENOMEM;
	}
	for (i = 1; r == 0 && i < nw; i++) {
		if (pthread_create(&th[i], NULL, scan_worker_run, &w[i]) != 0)
			break;
		started++;
	}
	if (r == 0)
		scan_worker_run(&w[0]);
	for (i = 1; i < started; i++)
		pthread_join(th[i], NULL);
	return r;
}

/* Merge the workers' links and done lists into @sc. */
static int merge_workers(struct lb__scan *sc, const struct scan_worker *w, int nw, int r)
{
	int i;

	for (i = 0; i < nw; i++) {
		size_t j;

		if (r == 0)
			r = w[i].r;
		for (j = 0; r == 0 && w[i].sc.res && j < w[i].sc.res->n_links; j++)
			r = lb__scan_add_link(sc, w[i].sc.res->links[j].inode, w[i].sc.res->links[j].pid);
		for (j = 0; r == 0 && j < w[i].sc.n_done; j++)
			r = lb__scan_mark_done(sc, w[i].sc.done[j]);
	}
	return r;
}

/* Where a lone scan in pid order would have stopped: once the last wanted
 * inode found its first holder. @order maps pids to their index in the
 * scan order; the links are sorted by inode first. */
static size_t lone_scan_cut(struct lb__owner_scan *res, const struct pid_idx *order, size_t n)
{
	size_t cut = 0, first = 0, i;

	if (res->n_links)
		qsort(res->links, res->n_links, sizeof(res->links[0]), cmp_link_inode);
	for (i = 0; i <= res->n_links; i++) {
		if (i == res->n_links || res->links[i].inode != res->links[first].inode) {
			size_t lo = n, j;

			for (j = first; j < i; j++) {
				size_t x = index_of(order, n, res->links[j].pid);

				lo = x < lo ? x : lo;
			}
			if (i > first && lo + 1 > cut)
				cut = lo + 1;
			first = i;
		}
	}
	return cut;
}

/* Cut @sc to what a lone scan of @pids (in that order) would have found.
 * Sets *ret_cut (n: nothing cut). 0 or LB_ENOMEM. */
static int cut_to_lone_scan(struct lb__scan *sc, const uint32_t *pids, size_t n, size_t *ret_cut)
{
	struct pid_idx *order = malloc(n * sizeof(*order));
	size_t i, k, cut;

	if (!order)
		return LB_ENOMEM;
	for (i = 0; i < n; i++) {
		order[i].pid = pids[i];
		order[i].idx = i;
	}
	qsort(order, n, sizeof(*order), cmp_pid_idx);
	cut = lone_scan_cut(sc->res, order, n);
	for (i = 0, k = 0; i < sc->res->n_links; i++)
		if (index_of(order, n, sc->res->links[i].pid) < cut)
			sc->res->links[k++] = sc->res->links[i];
	sc->res->n_links = k;
	for (i = 0, k = 0; i < sc->n_done; i++)
		if (index_of(order, n, sc->done[i]) < cut)
			sc->done[k++] = sc->done[i];
	sc->n_done = k;
	sc->stopped_early = cut < n;
	free(order);
	*ret_cut = cut;
	return 0;
}

int lb__scan_all(struct lb__scan *sc, int procfd, int stop_when_found)
{
	struct scan_job job;
	struct scan_worker w[MAX_WORKERS];
	uint32_t *pids = NULL;
	size_t n = 0, cut;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nw = ncpu < 1 ? 1 : ncpu > MAX_WORKERS ? MAX_WORKERS : (int)ncpu, r, i;

	r = lb__proc_pids(procfd, &pids, &n);
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
	r = run_workers(sc, &job, w, nw);
	r = merge_workers(sc, w, nw, r);
	cut = n;
	if (r == 0 && job.stop_when_found && sc->want->remaining == 0 && n > 0)
		r = cut_to_lone_scan(sc, pids, n, &cut);
	for (i = 0; i < nw; i++) {
		size_t j;

		for (j = 0; j < w[i].n_hidden; j++)
			if (w[i].hidden[j] < cut)
				sc->res->n_hidden++;
		lb__owner_scan_free(w[i].sc.res);
		free(w[i].sc.done);
		free(w[i].hidden);
	}
	free(pids);
	return r;
}
