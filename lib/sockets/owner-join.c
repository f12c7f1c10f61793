/* SPDX-License-Identifier: MIT */
/* See owner-join.h. */
#include <stdlib.h>

#include "core/internal.h"
#include "sockets/owner-join.h"

int lb__owner_for(lb_socket_list *list, uint32_t pid, struct lb_owner *(*make)(void *ctx, uint32_t pid),
		  void *ctx, const struct lb_owner **ret)
{
	struct lb_owner *o;
	size_t i;
	int r;

	for (i = 0; i < list->n_pool; i++)
		if (list->pool[i]->pid == pid) {
			*ret = list->pool[i];
			return 0;
		}
	o = make(ctx, pid);
	if (!o)
		return LB_ENOMEM;
	r = lb__list_adopt_owner(list, o);
	if (r < 0) {
		lb__owner_free(o);
		return r;
	}
	*ret = o;
	return 0;
}

void lb__sockvec_keep(struct lb__sockvec *sv, const char *keep)
{
	size_t i, j = 0;

	for (i = 0; i < sv->n; i++) {
		if (keep[i])
			sv->v[j++] = sv->v[i];
		else
			free(sv->v[i].owners);
	}
	sv->n = j;
}

int lb__pid_in_tree(uint32_t pid, uint32_t root, int descendants,
		    int (*ppid)(void *ctx, uint32_t pid, uint32_t *ret_ppid), void *ctx)
{
	int depth;

	for (depth = 0; depth < 64 && pid > 0; depth++) {
		uint32_t parent;

		if (pid == root)
			return 1;
		if (!descendants || ppid(ctx, pid, &parent) < 0 || parent == pid)
			return 0;
		pid = parent;
	}
	return 0;
}

int lb__owner_join_begin(struct lb__owner_join *j, const lb_query *q, lb_socket_list *list)
{
	j->q = q;
	j->list = list;
	j->keep = list->socks.n ? calloc(list->socks.n, 1) : NULL;
	return list->socks.n && !j->keep ? LB_ENOMEM : 0;
}

int lb__owner_join(struct lb__owner_join *j, size_t i, uint32_t pid)
{
	struct lb__sockvec *sv = &j->list->socks;
	const struct lb_owner *o;
	int r;

	if (j->q->pid && lb__pid_in_tree(pid, j->q->pid, (j->q->pid_flags & LB_PID_DESCENDANTS) != 0,
					 j->ppid, j->ppid_ctx))
		j->keep[i] = 1;
	if (j->q->owners == LB_OWNERS_NONE)
		return 0;
	r = lb__owner_for(j->list, pid, j->make, j->make_ctx, &o);
	return r < 0 ? r : lb__socket_add_owner(&sv->v[i], o);
}

int lb__owner_join_end(struct lb__owner_join *j, int r)
{
	if (r >= 0 && j->q->pid)
		lb__sockvec_keep(&j->list->socks, j->keep);
	free(j->keep);
	j->keep = NULL;
	return r < 0 ? r : 0;
}
