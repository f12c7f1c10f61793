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
