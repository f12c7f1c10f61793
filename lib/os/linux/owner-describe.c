/* SPDX-License-Identifier: MIT */
/*
 * Each holder of an owner scan described once, from /proc/PID/{stat,
 * cmdline,exe} (lb__proc_owner_at()): on the caller's thread and, for many
 * holders, a second one, as the reads of one process do not depend on
 * another's. A listing of 26,000 sockets has ~400 holders, ~10 system
 * calls each; two threads halve that part on a machine with a core to
 * spare, and cost nothing otherwise but the thread's start.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/internal.h"
#include "os/linux/fd-scan.h"

/* Fewer holders than this: one thread (the other's start costs more). */
#define TWO_THREADS_FROM 32

struct part {
	int procfd;
	uint64_t btime;
	struct lb__holder *h;
	size_t n;
};

static void describe(struct part *p)
{
	struct lb__user_cache uc = { { 0 }, { 0 }, 0 };
	size_t i;

	for (i = 0; i < p->n; i++) {
		p->h[i].owner = NULL;
		p->h[i].r = lb__proc_owner_at(p->procfd, p->h[i].pid, p->btime, &uc, &p->h[i].owner);
		if (p->h[i].r == LB_ENOMEM) {
			for (i++; i < p->n; i++) { /* no more reads: out of memory */
				p->h[i].owner = NULL;
				p->h[i].r = LB_ENOMEM;
			}
		}
	}
	lb__user_cache_free(&uc);
}

static void *describe_run(void *arg)
{
	describe(arg);
	return NULL;
}

int lb__holders_describe(int procfd, const struct lb__owner_scan *scan, struct lb__holder **ret,
			 size_t *ret_n)
{
	struct lb__holder *h;
	struct part parts[2];
	pthread_t th;
	sigset_t all, old;
	size_t i, n = 0;
	int two = 0;

	lb_return_if(procfd < 0 || !scan || !ret || !ret_n, LB_EINVAL);
	h = malloc((scan->n_links + 1) * sizeof(*h));
	if (!h)
		return LB_ENOMEM;
	/* The links are grouped by pid (lb__owner_scan_sort()). */
	for (i = 0; i < scan->n_links; i++) {
		if (n && h[n - 1].pid == scan->links[i].pid) {
			h[n - 1].n_links++;
			continue;
		}
		h[n].pid = scan->links[i].pid;
		h[n].first = i;
		h[n++].n_links = 1;
	}
	parts[0].procfd = parts[1].procfd = procfd;
	parts[0].btime = parts[1].btime = lb__proc_boot_time(procfd);
	parts[0].h = h;
	parts[0].n = n;
	if (n >= TWO_THREADS_FROM) {
		parts[0].n = n / 2;
		parts[1].h = h + n / 2;
		parts[1].n = n - n / 2;
		sigfillset(&all);
		if (pthread_sigmask(SIG_SETMASK, &all, &old) == 0) {
			two = pthread_create(&th, NULL, describe_run, &parts[1]) == 0;
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		}
		if (!two)
			parts[0].n = n;
	}
	describe(&parts[0]);
	if (two)
		pthread_join(th, NULL);
	*ret = h;
	*ret_n = n;
	return 0;
}
