/* SPDX-License-Identifier: MIT */
/*
 * The result list: socket records, the owner pool, selection, and the
 * public accessors of lists, sockets and owners. The backends fill lists
 * through these helpers; nothing here calls a backend.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/internal.h"
#include "sockets/backend.h"

/* ---- records ---- */

struct lb_socket *lb__sockvec_push(struct lb__sockvec *sv)
{
	struct lb_socket *v = lb__grow(sv->v, &sv->cap, sv->n + 1, sizeof(*v), 64);

	if (!v)
		return NULL;
	sv->v = v;
	memset(&sv->v[sv->n], 0, sizeof(sv->v[0]));
	sv->v[sv->n].v6only = -1;
	return &sv->v[sv->n++];
}

int lb__sockvec_reserve(struct lb__sockvec *sv, size_t need)
{
	struct lb_socket *v = lb__grow(sv->v, &sv->cap, need, sizeof(*v), 64);

	if (!v)
		return LB_ENOMEM;
	sv->v = v;
	return 0;
}

void lb__sockvec_clear(struct lb__sockvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i].owners);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

void lb__owner_free(struct lb_owner *o)
{
	if (!o)
		return;
	free(o->name);
	free(o->cmdline);
	free(o->argv);
	free(o->exe);
	free(o->user);
	free(o);
}

char *lb__cmdline_join(const char *buf, size_t len)
{
	char *s;
	size_t i;

	while (len > 0 && buf[len - 1] == '\0')
		len--;
	s = malloc(len + 1);
	if (!s)
		return NULL;
	for (i = 0; i < len; i++)
		s[i] = buf[i] == '\0' ? ' ' : buf[i];
	s[len] = '\0';
	return s;
}

int lb__owner_set_args(struct lb_owner *o, const char *buf, size_t len)
{
	size_t argc = 0, i;
	char **v, *text;

	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		argc += buf[i] == '\0';
	if (len > 0)
		argc++;
	/* (argc + 1) pointers, then the arguments, each NUL-terminated. */
	v = malloc((argc + 1) * sizeof(*v) + len + 1);
	if (!v)
		return LB_ENOMEM;
	text = (char *)(v + argc + 1);
	if (len)
		memcpy(text, buf, len);
	text[len] = '\0';
	for (i = 0, argc = 0; len > 0 && i <= len; i++)
		if (i == 0 || text[i - 1] == '\0')
			v[argc++] = text + i;
	v[argc] = NULL;
	free(o->cmdline);
	o->cmdline = lb__cmdline_join(buf, len);
	if (!o->cmdline) {
		free(v);
		return LB_ENOMEM;
	}
	free(o->argv);
	o->argv = v;
	o->argc = argc;
	return 0;
}

/* The capacity of a pool of @n owners, grown only by lb__list_adopt_owner():
 * 0, then 8, doubled as needed (lb__grow). Not stored, so that the list's
 * layout stays what the ABI baseline's debug information describes. */
static size_t pool_cap(size_t n)
{
	return n ? lb__pow2_at_least(n, 8) : 0;
}

int lb__list_adopt_owner(lb_socket_list *list, struct lb_owner *o)
{
	size_t cap = pool_cap(list->n_pool);
	struct lb_owner **p = lb__grow(list->pool, &cap, list->n_pool + 1, sizeof(*p), 8);

	if (!p)
		return LB_ENOMEM;
	list->pool = p;
	list->pool[list->n_pool++] = o;
	return 0;
}

int lb__socket_add_owner(struct lb_socket *s, const struct lb_owner *o)
{
	const struct lb_owner **v;
	size_t i;

	for (i = 0; i < s->n_owners && s->owners[i]->pid < o->pid; i++)
		;
	if (i < s->n_owners && s->owners[i]->pid == o->pid)
		return 0;
	if (s->n_owners == UINT32_MAX)
		return LB_ENOMEM;
	v = realloc(s->owners, (s->n_owners + 1) * sizeof(*v));
	if (!v)
		return LB_ENOMEM;
	memmove(&v[i + 1], &v[i], (s->n_owners - i) * sizeof(*v));
	v[i] = o;
	s->owners = v;
	s->n_owners++;
	return 0;
}

/* ---- lists ---- */

lb_socket_list *lb__socket_list_new(const char *backend)
{
	lb_socket_list *list = calloc(1, sizeof(*list));

	if (list)
		list->backend = backend;
	return list;
}

void lb__socket_list_select(lb_socket_list *list,
			    int (*rank)(const struct lb_socket *s, const void *ctx),
			    const void *ctx)
{
	struct lb__sockvec *sv = &list->socks;
	size_t i, j, n = 0;
	int *ranks;

	ranks = sv->n ? malloc(sv->n * sizeof(*ranks)) : NULL;
	for (i = 0; i < sv->n; i++) {
		int r = rank(&sv->v[i], ctx);
		struct lb_socket s = sv->v[i];

		if (r < 0) {
			free(s.owners);
			continue;
		}
		/* Insertion sort: these lists are a handful of sockets. Without
		 * memory for the ranks, keep the table's order. */
		if (!ranks)
			r = 0;
		for (j = n; j > 0 && ranks && ranks[j - 1] > r; j--) {
			sv->v[j] = sv->v[j - 1];
			ranks[j] = ranks[j - 1];
		}
		sv->v[j] = s;
		if (ranks)
			ranks[j] = r;
		n++;
	}
	sv->n = n;
	free(ranks);
}

LB_EXPORT const char *lb_socket_list_backend(const lb_socket_list *list)
{
	return list ? list->backend : NULL;
}

LB_EXPORT size_t lb_socket_list_count(const lb_socket_list *list)
{
	return list ? list->socks.n : 0;
}

LB_EXPORT const lb_socket *lb_socket_list_at(const lb_socket_list *list, size_t index)
{
	if (!list || index >= list->socks.n)
		return NULL;
	return &list->socks.v[index];
}

LB_EXPORT void lb_socket_list_free(lb_socket_list *list)
{
	size_t i;

	if (!list)
		return;
	lb__sockvec_clear(&list->socks);
	for (i = 0; i < list->n_pool; i++)
		lb__owner_free(list->pool[i]);
	free(list->pool);
	free(list);
}

/* ---- accessors ---- */

LB_EXPORT int lb_socket_protocol(const lb_socket *s) { return s ? s->protocol : 0; }
LB_EXPORT int lb_socket_family(const lb_socket *s) { return s ? s->family : 0; }
LB_EXPORT int lb_socket_state(const lb_socket *s) { return s ? s->state : 0; }
LB_EXPORT const lb_addr *lb_socket_local_addr(const lb_socket *s) { return s ? &s->local : NULL; }
LB_EXPORT uint16_t lb_socket_local_port(const lb_socket *s) { return s ? s->local_port : 0; }
LB_EXPORT const lb_addr *lb_socket_remote_addr(const lb_socket *s) { return s ? &s->remote : NULL; }
LB_EXPORT uint16_t lb_socket_remote_port(const lb_socket *s) { return s ? s->remote_port : 0; }
LB_EXPORT uint32_t lb_socket_uid(const lb_socket *s) { return s ? s->uid : 0; }
LB_EXPORT uint64_t lb_socket_inode(const lb_socket *s) { return s ? s->inode : 0; }
LB_EXPORT uint32_t lb_socket_rx_queue(const lb_socket *s) { return s ? s->rx_queue : 0; }
LB_EXPORT uint32_t lb_socket_tx_queue(const lb_socket *s) { return s ? s->tx_queue : 0; }
LB_EXPORT int lb_socket_v6only(const lb_socket *s) { return s ? s->v6only : -1; }
LB_EXPORT uint64_t lb_socket_netns(const lb_socket *s) { return s ? s->netns : 0; }
LB_EXPORT int lb_socket_owner_error(const lb_socket *s) { return s ? s->owner_error : 0; }
LB_EXPORT size_t lb_socket_owner_count(const lb_socket *s) { return s ? s->n_owners : 0; }

LB_EXPORT const lb_owner *lb_socket_owner_at(const lb_socket *s, size_t index)
{
	if (!s || index >= s->n_owners)
		return NULL;
	return s->owners[index];
}

LB_EXPORT const char *lb_state_name(int protocol, int state)
{
	static const char *const names[] = {
		NULL, "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};

	if (state <= 0 || state >= (int)LB_ARRAY_SIZE(names))
		return "UNKNOWN";
	if (protocol == LB_PROTO_UDP && state == LB_STATE_CLOSE)
		return "UNCONN";
	return names[state];
}

LB_EXPORT uint32_t lb_owner_pid(const lb_owner *o) { return o ? o->pid : 0; }
LB_EXPORT const char *lb_owner_name(const lb_owner *o) { return o ? o->name : NULL; }
LB_EXPORT const char *lb_owner_cmdline(const lb_owner *o) { return o ? o->cmdline : NULL; }
LB_EXPORT size_t lb_owner_argc(const lb_owner *o) { return o ? o->argc : 0; }

LB_EXPORT const char *lb_owner_argv_at(const lb_owner *o, size_t index)
{
	return o && index < o->argc ? o->argv[index] : NULL;
}

LB_EXPORT const char *lb_owner_exe(const lb_owner *o) { return o ? o->exe : NULL; }
LB_EXPORT uint32_t lb_owner_uid(const lb_owner *o) { return o ? o->uid : 0; }
LB_EXPORT const char *lb_owner_user(const lb_owner *o) { return o ? o->user : NULL; }
LB_EXPORT uint64_t lb_owner_start_time(const lb_owner *o) { return o ? o->start_time : 0; }
LB_EXPORT int lb_owner_error(const lb_owner *o) { return o ? o->error : 0; }
