/* SPDX-License-Identifier: MIT */
/*
 * Answering a socket query: the choice of backend (the OS's table,
 * lib/os/<os>/backends.c, and the mock in test builds), the namespaces
 * the query covers, and the backend's hooks (sockets/backend.h): the PID
 * fast path, owners, and process details (lb__process_info).
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "sockets/backend.h"
#include "sockets/netns.h"

/* The backend named @name: one of the OS's, or in test builds the mock.
 * NULL when there is none by that name. */
static const struct lb__backend *backend_named(const char *name)
{
	const struct lb__backend *be;
	size_t i;

	for (i = 0; (be = lb__os_backend(i)); i++)
		if (strcmp(name, be->name) == 0)
			return be;
#if LB_TEST_DOUBLES
	if (strcmp(name, lb__backend_mock.name) == 0)
		return &lb__backend_mock; /* test builds only, and only when asked for */
#endif
	return NULL;
}

/* The backend LOOPBACK_BACKEND forces, or NULL. Never for a setuid or
 * setgid caller: the environment must not change what it is told. */
static const char *forced_backend(void)
{
	const char *force = lb__secure_getenv("LOOPBACK_BACKEND");

	return force && *force ? force : NULL;
}

static int choose_backend(const struct lb__backend **ret)
{
	const char *force = forced_backend();
	const struct lb__backend *be;
	size_t i;

	if (force) {
		int r;

		be = backend_named(force);
		if (!be)
			return LB_ENOBACKEND;
		r = be->probe();
		if (r < 0)
			return r;
		*ret = be;
		return 0;
	}
	for (i = 0; (be = lb__os_backend(i)); i++)
		if (be->probe() == 0) {
			*ret = be;
			return 0;
		}
	return LB_ENOBACKEND;
}

static int enumerate_all(const struct lb__backend *be, const lb_query *q,
			 struct lb__sockvec *out)
{
	struct lb__nsctx *ns = NULL;
	size_t n_ns = 0, i;
	int r;

	r = lb__netns_open(q, &ns, &n_ns);
	if (r < 0)
		return r;
	for (i = 0; i < n_ns; i++) {
		size_t from = out->n;

		r = be->enumerate(q, &ns[i], out);
		if (r < 0)
			break;
		if (!be->enumerate_exact)
			lb__sockvec_keep_matching(q, out, from);
	}
	lb__netns_close(ns, n_ns);
	return r < 0 ? r : 0;
}

/* Say why a socket has no owner, for every backend alike: not asked for,
 * or (a socket some process holds, inode set, and no reason given by the
 * backend) held by no process the scan could see. */
static void mark_owner_errors(const lb_query *q, lb_socket_list *list)
{
	size_t i;

	for (i = 0; i < list->socks.n; i++) {
		struct lb_socket *s = &list->socks.v[i];

		if (q->owners == LB_OWNERS_NONE)
			s->owner_error = LB_ENOTREQUESTED;
		else if (s->n_owners == 0 && s->owner_error == 0 && s->inode)
			s->owner_error = LB_ENOTVISIBLE;
	}
}

/* The ports of one process, fast, through the backend's pid_sockets hook
 * (unless a backend is forced, which must answer itself). 0 when it
 * answered, LB_ENOTSUP when enumerate + owners must, or an error. */
static int pid_fast_path(const struct lb__backend *be, const lb_query *q, lb_socket_list *list)
{
	int r;

	if (!q->pid || !be->pid_sockets || forced_backend())
		return LB_ENOTSUP;
	r = be->pid_sockets(q, list);
	if (r == LB_ENOTSUP)
		lb__sockvec_clear(&list->socks);
	return r;
}

static int list_get(const struct lb__backend *be, const lb_query *q, lb_socket_list *list)
{
	int r = pid_fast_path(be, q, list);

	if (r != LB_ENOTSUP)
		return r;
	if (be->owners_start && be->resolve_owners)
		be->owners_start(q, list);
	r = enumerate_all(be, q, &list->socks);
	if (r >= 0 && (q->owners != LB_OWNERS_NONE || q->pid))
		r = be->resolve_owners ? be->resolve_owners(q, list) : LB_ENOTSUP;
	if (be->owners_stop)
		be->owners_stop(list);
	return r;
}

LB_EXPORT int lb_socket_list_get(const lb_query *q, lb_socket_list **ret_list)
{
	const struct lb__backend *be;
	lb_socket_list *list;
	lb_query *defq = NULL;
	int r;

	lb_return_if(!ret_list, LB_EINVAL);
	if (!q) {
		r = lb_query_new(&defq);
		if (r < 0)
			return r;
		q = defq;
	}
	r = choose_backend(&be);
	if (r < 0)
		goto out;
	list = lb__socket_list_new(be->name);
	if (!list) {
		r = LB_ENOMEM;
		goto out;
	}
	r = list_get(be, q, list);
	if (r < 0) {
		lb_socket_list_free(list);
		goto out;
	}
	mark_owner_errors(q, list);
	*ret_list = list;
	r = 0;
out:
	lb_query_free(defq);
	return r;
}

int lb__process_info(uint32_t pid, struct lb_owner **ret_owner)
{
	const char *force = forced_backend();
	const struct lb__backend *be;
	size_t i;

	lb_return_if(pid == 0 || !ret_owner, LB_EINVAL);
	be = force ? backend_named(force) : NULL;
	if (be && be->process_info && be->probe() == 0)
		return be->process_info(pid, ret_owner);
	for (i = 0; (be = lb__os_backend(i)); i++)
		if (be->process_info && be->probe() == 0)
			return be->process_info(pid, ret_owner);
	return LB_ENOTSUP;
}
