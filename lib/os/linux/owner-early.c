/* SPDX-License-Identifier: MIT */
/*
 * The BPF owner scan on a thread of its own (issue 13): started by
 * lb_socket_list_get() before the socket table is read, so that the BTF
 * read, the kernel's walk of every descriptor (~20 ms on a busy host) and
 * the sock_diag dumps run at the same time, on two cores. The backends'
 * owners_start/owners_stop hooks; lb__owner_resolve() hands over the
 * inodes it wants (lb__owner_early_give()) and takes the result.
 *
 * A query for a port (who PORT) matches a few sockets: the thread reads
 * the BTF, then waits for their inodes, so that the program keeps only
 * theirs and the walk stops once each has a holder. Any other query's
 * walk starts at once and keeps every socket.
 *
 * The thread blocks every signal (they stay the caller's threads'), and
 * is always joined before lb_socket_list_get() returns: nothing of it
 * outlives the call. A scan nobody needs (an empty table, a failed
 * enumeration) is stopped between two reads of the iterator.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "os/linux/owner-bpf.h"

struct lb__owner_early {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int wait_want;          /* wait for lb__owner_early_give() before loading */
	int given;              /* under mu: the want below is set, or stop is */
	uint64_t want[LB_OWNER_BPF_WANT_MAX];
	size_t n_want;          /* 0: every socket */
	int stop_found;
	atomic_int stop;
	int r;
	struct lb__owner_scan *scan;
};

static void *early_run(void *arg)
{
	struct lb__owner_early *e = arg;
	struct lb__owner_bpf_layout lay;

	e->r = lb__owner_bpf_prepare(&lay); /* allowed: lb__owner_early_start() asked */
	if (e->r < 0)
		return NULL;
	if (e->wait_want) {
		pthread_mutex_lock(&e->mu);
		while (!e->given)
			pthread_cond_wait(&e->cv, &e->mu);
		pthread_mutex_unlock(&e->mu);
	}
	e->r = lb__owner_bpf_run(&lay, e->n_want ? e->want : NULL, e->n_want, e->stop_found,
				 &e->stop, &e->scan, NULL);
	return NULL;
}

void lb__owner_early_start(const lb_query *q, lb_socket_list *list)
{
	struct lb__owner_early *e;
	sigset_t all, old;

	/* Only what the BPF scan would answer anyway: not a pid's sockets
	 * (lb__owners_of_pid), not a forced /proc scan, not a caller who may
	 * not load the program (asked without loading anything). */
	if (!LB_HAVE_BPF || list->owners_early || q->owners == LB_OWNERS_NONE || q->pid ||
	    q->owner_scan == LB_OWNER_SCAN_PROC || lb__owner_bpf_allowed() < 0)
		return;
	e = calloc(1, sizeof(*e));
	if (!e)
		return; /* then lb__owner_resolve() scans, as without this */
	atomic_init(&e->stop, 0);
	e->wait_want = q->local_port || q->remote_port;
	if (pthread_mutex_init(&e->mu, NULL) != 0) {
		free(e);
		return;
	}
	if (pthread_cond_init(&e->cv, NULL) != 0)
		goto fail_cv;
	sigfillset(&all);
	if (pthread_sigmask(SIG_SETMASK, &all, &old) != 0)
		goto fail;
	if (pthread_create(&e->thread, NULL, early_run, e) != 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		goto fail;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	list->owners_early = e;
	return;
fail:
	pthread_cond_destroy(&e->cv);
fail_cv:
	pthread_mutex_destroy(&e->mu);
	free(e);
}

/* Let the thread go on: with @inodes (sorted or not) to keep, or none
 * (NULL: every socket). */
static void give(struct lb__owner_early *e, const uint64_t *inodes, size_t n, int stop_found)
{
	pthread_mutex_lock(&e->mu);
	if (!e->given) {
		/* Only a thread that waits reads these (under the lock); one
		 * already walking keeps every socket. */
		if (e->wait_want && inodes && n > 0 && n <= LB_OWNER_BPF_WANT_MAX) {
			memcpy(e->want, inodes, n * sizeof(*inodes));
			e->n_want = n;
			e->stop_found = stop_found;
		}
		e->given = 1;
		pthread_cond_signal(&e->cv);
	}
	pthread_mutex_unlock(&e->mu);
}

void lb__owner_early_give(lb_socket_list *list, const uint64_t *inodes, size_t n, int mode)
{
	struct lb__owner_early *e = list->owners_early;

	if (e)
		give(e, inodes, n, mode == LB_OWNERS_DEFAULT);
}

int lb__owner_early_take(lb_socket_list *list, struct lb__owner_scan **ret_scan)
{
	struct lb__owner_early *e = list->owners_early;
	int r;

	if (!e)
		return LB_ENOENT;
	give(e, NULL, 0, 0); /* never given: every socket */
	pthread_join(e->thread, NULL);
	list->owners_early = NULL;
	r = e->r;
	if (r == 0)
		*ret_scan = e->scan;
	else
		lb__owner_scan_free(e->scan);
	pthread_cond_destroy(&e->cv);
	pthread_mutex_destroy(&e->mu);
	free(e);
	return r;
}

void lb__owner_early_stop(lb_socket_list *list)
{
	struct lb__owner_early *e = list->owners_early;
	struct lb__owner_scan *scan = NULL;

	if (!e)
		return;
	atomic_store(&e->stop, 1);
	if (lb__owner_early_take(list, &scan) == 0)
		lb__owner_scan_free(scan);
}
