/* SPDX-License-Identifier: MIT */
/*
 * The BPF owner scan on a thread of its own (issue 13): started by
 * lb_socket_list_get() before the socket table is read, so that the
 * kernel's walk of every descriptor (~20 ms on a busy host) and the
 * sock_diag dumps run at the same time, on two cores. The backends'
 * owners_start/owners_stop hooks; lb__owner_resolve() takes the result.
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

#include "core/internal.h"
#include "os/linux/owner-bpf.h"

struct lb__owner_early {
	pthread_t thread;
	atomic_int stop;
	int r;
	struct lb__owner_scan *scan;
};

static void *early_run(void *arg)
{
	struct lb__owner_early *e = arg;

	e->r = lb__owner_bpf_scan_stop(NULL, 0, &e->scan, NULL, &e->stop);
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
	sigfillset(&all);
	if (pthread_sigmask(SIG_SETMASK, &all, &old) != 0) {
		free(e);
		return;
	}
	if (pthread_create(&e->thread, NULL, early_run, e) != 0) {
		free(e);
		e = NULL;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	list->owners_early = e;
}

int lb__owner_early_take(lb_socket_list *list, struct lb__owner_scan **ret_scan)
{
	struct lb__owner_early *e = list->owners_early;
	int r;

	if (!e)
		return LB_ENOENT;
	pthread_join(e->thread, NULL);
	list->owners_early = NULL;
	r = e->r;
	if (r == 0)
		*ret_scan = e->scan;
	else
		lb__owner_scan_free(e->scan);
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
