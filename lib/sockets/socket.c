/* SPDX-License-Identifier: MIT */
/*
 * The socket-table API: queries, result lists, accessors, and the choice
 * of backend. The backends live in lib/backend/, owners in lib/owner.c.
 */
#include <stdlib.h>
#include <string.h>

#include "sockets/backend.h"
#if defined(__linux__)
#include "os/linux/pidfd.h"
#endif
#include "core/internal.h"
#include "sockets/netns.h"
#include "os/linux/owner.h"

LB_EXPORT int lb_query_new(lb_query **ret_query)
{
	lb_query *q;

	lb_return_if(!ret_query, LB_EINVAL);
	q = calloc(1, sizeof(*q));
	if (!q)
		return LB_ENOMEM;
	q->protocols = LB_PROTO_ALL;
	q->families = LB_FAMILY_ALL;
	q->states = LB_STATES_ALL;
	q->uid = -1;
	q->owners = LB_OWNERS_DEFAULT;
	*ret_query = q;
	return 0;
}

LB_EXPORT void lb_query_free(lb_query *q)
{
	if (!q)
		return;
	free(q->netns_path);
	free(q);
}

LB_EXPORT int lb_query_set_protocols(lb_query *q, unsigned mask)
{
	lb_return_if(!q || mask == 0 || (mask & ~(unsigned)LB_PROTO_ALL), LB_EINVAL);
	q->protocols = mask;
	return 0;
}

LB_EXPORT int lb_query_set_families(lb_query *q, unsigned mask)
{
	lb_return_if(!q || mask == 0 || (mask & ~(unsigned)LB_FAMILY_ALL), LB_EINVAL);
	q->families = mask;
	return 0;
}

LB_EXPORT int lb_query_set_states(lb_query *q, unsigned long mask)
{
	lb_return_if(!q || mask == 0 || (mask & ~LB_STATES_ALL), LB_EINVAL);
	q->states = mask;
	return 0;
}

LB_EXPORT int lb_query_set_local_port(lb_query *q, uint16_t port)
{
	lb_return_if(!q, LB_EINVAL);
	q->local_port = port;
	return 0;
}

static int addr_valid(const lb_addr *a)
{
	return a->family == LB_AF_INET || a->family == LB_AF_INET6;
}

LB_EXPORT int lb_query_set_local_addr(lb_query *q, const lb_addr *addr)
{
	lb_return_if(!q || (addr && !addr_valid(addr)), LB_EINVAL);
	q->has_local_addr = addr != NULL;
	if (addr)
		q->local_addr = *addr;
	return 0;
}

LB_EXPORT int lb_query_set_remote(lb_query *q, const lb_addr *addr, uint16_t port)
{
	lb_return_if(!q || (addr && !addr_valid(addr)), LB_EINVAL);
	q->has_remote_addr = addr != NULL;
	if (addr)
		q->remote_addr = *addr;
	q->remote_port = port;
	return 0;
}

LB_EXPORT int lb_query_set_pid(lb_query *q, uint32_t pid, unsigned flags)
{
	lb_return_if(!q || (flags & ~(unsigned)LB_PID_DESCENDANTS), LB_EINVAL);
	q->pid = pid;
	q->pid_flags = flags;
	return 0;
}

LB_EXPORT int lb_query_set_uid(lb_query *q, int64_t uid)
{
	lb_return_if(!q || uid < -1 || uid > (int64_t)UINT32_MAX, LB_EINVAL);
	q->uid = uid;
	return 0;
}

LB_EXPORT int lb_query_set_owners(lb_query *q, int mode)
{
	lb_return_if(!q || mode < LB_OWNERS_NONE || mode > LB_OWNERS_ALL, LB_EINVAL);
	q->owners = mode;
	return 0;
}

LB_EXPORT int lb_query_set_netns_pid(lb_query *q, uint32_t pid)
{
	lb_return_if(!q, LB_EINVAL);
	free(q->netns_path);
	q->netns_path = NULL;
	q->netns_pid = pid;
	return 0;
}

LB_EXPORT int lb_query_set_netns_path(lb_query *q, const char *path)
{
	char *copy = NULL;

	lb_return_if(!q || (path && !*path), LB_EINVAL);
	if (path) {
		copy = strdup(path);
		if (!copy)
			return LB_ENOMEM;
	}
	free(q->netns_path);
	q->netns_path = copy;
	q->netns_pid = 0;
	return 0;
}

LB_EXPORT int lb_query_set_all_netns(lb_query *q, int all)
{
	lb_return_if(!q, LB_EINVAL);
	q->all_netns = all != 0;
	return 0;
}

/* ---- records ---- */

struct lb_socket *lb__sockvec_push(struct lb__sockvec *sv)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 64;
		struct lb_socket *v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		sv->v = v;
		sv->cap = cap;
	}
	memset(&sv->v[sv->n], 0, sizeof(sv->v[0]));
	sv->v[sv->n].v6only = -1;
	return &sv->v[sv->n++];
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

int lb__list_adopt_owner(lb_socket_list *list, struct lb_owner *o)
{
	struct lb_owner **p;

	if ((list->n_pool & (list->n_pool - 1)) == 0) {
		size_t cap = list->n_pool ? list->n_pool * 2 : 8;

		p = realloc(list->pool, cap * sizeof(*p));
		if (!p)
			return LB_ENOMEM;
		list->pool = p;
	}
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
	v = realloc(s->owners, (s->n_owners + 1) * sizeof(*v));
	if (!v)
		return LB_ENOMEM;
	memmove(&v[i + 1], &v[i], (s->n_owners - i) * sizeof(*v));
	v[i] = o;
	s->owners = v;
	s->n_owners++;
	return 0;
}

int lb__parse_uint(const char **pp, const char *end, int base, uint64_t max, uint64_t *ret)
{
	const char *p = *pp;
	uint64_t v = 0;
	size_t digits = 0;

	for (; p < end; p++, digits++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			break;
		if (v > (max - d) / (unsigned)base)
			return LB_EBADDATA;
		v = v * (unsigned)base + d;
	}
	if (digits == 0)
		return LB_EBADDATA;
	*pp = p;
	*ret = v;
	return 0;
}

/* ---- matching ---- */

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* Exact address equality; an IPv4 address also equals its mapped form. */
static int addr_eq(const lb_addr *want, const lb_addr *have)
{
	if (want->family == have->family) {
		size_t len = want->family == LB_AF_INET ? 4 : 16;

		return memcmp(want->bytes, have->bytes, len) == 0;
	}
	if (want->family == LB_AF_INET && have->family == LB_AF_INET6)
		return memcmp(have->bytes, v4mapped_prefix, 12) == 0 &&
		       memcmp(have->bytes + 12, want->bytes, 4) == 0;
	return 0;
}

int lb__query_match(const lb_query *q, const struct lb_socket *s)
{
	unsigned fam = s->family == LB_AF_INET ? LB_FAMILY_INET : LB_FAMILY_INET6;

	if (!(q->protocols & (unsigned)s->protocol) || !(q->families & fam))
		return 0;
	if (s->state <= 0 || s->state > 11 || !(q->states & LB_STATE_BIT(s->state)))
		return 0;
	if (q->local_port && s->local_port != q->local_port)
		return 0;
	if (q->remote_port && s->remote_port != q->remote_port)
		return 0;
	if (q->has_local_addr && !addr_eq(&q->local_addr, &s->local))
		return 0;
	if (q->has_remote_addr && !addr_eq(&q->remote_addr, &s->remote))
		return 0;
	if (q->uid >= 0 && (uint32_t)q->uid != s->uid)
		return 0;
	return 1;
}

/* ---- backends ---- */

static const struct lb__backend *const backends[] = {
#if defined(__linux__)
	&lb__backend_netlink,
	&lb__backend_procfs,
#elif defined(_WIN32)
	&lb__backend_iphlpapi,
#elif defined(__APPLE__)
	&lb__backend_libproc,
#elif defined(__FreeBSD__)
	&lb__backend_sysctl,
#endif
#if LB_TEST_DOUBLES
	&lb__backend_mock, /* test builds only (meson -Dtest_doubles=true) */
#endif
};

/* The /proc owner scan is Linux's; other backends resolve their own. */
#if defined(__linux__)
#define default_resolve lb__owner_resolve
#else
static int default_resolve(const lb_query *q, lb_socket_list *list)
{
	(void)q;
	(void)list;
	return LB_ENOTSUP;
}
#endif

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
	size_t i;

	for (i = 0; i < LB_ARRAY_SIZE(backends); i++) {
		if (force) {
			if (strcmp(force, backends[i]->name) == 0) {
				int r = backends[i]->probe();

				if (r < 0)
					return r;
				*ret = backends[i];
				return 0;
			}
			continue;
		}
#if LB_TEST_DOUBLES
		if (backends[i] == &lb__backend_mock)
			continue; /* only when asked for */
#endif
		if (backends[i]->probe() == 0) {
			*ret = backends[i];
			return 0;
		}
	}
	return LB_ENOBACKEND;
}

/* Keep the records that match the query, in place. */
static void filter_records(const lb_query *q, struct lb__sockvec *sv, size_t from)
{
	size_t i, j = from;

	for (i = from; i < sv->n; i++)
		if (lb__query_match(q, &sv->v[i]))
			sv->v[j++] = sv->v[i];
	sv->n = j;
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
		filter_records(q, out, from);
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
	/* The ports of one process, fast, unless a backend is forced. */
	r = LB_ENOTSUP;
#if defined(__linux__)
	if (q->pid && !forced_backend()) {
		r = lb__pidfd_list(q, list);
		if (r == 0) {
			list->backend = "pidfd";
			mark_owner_errors(q, list);
			*ret_list = list;
			goto out;
		}
		if (r != LB_ENOTSUP) {
			lb_socket_list_free(list);
			goto out;
		}
		lb__sockvec_clear(&list->socks);
	}
#endif
	r = enumerate_all(be, q, &list->socks);
	if (r >= 0 && (q->owners != LB_OWNERS_NONE || q->pid))
		r = be->resolve_owners ? be->resolve_owners(q, list) : default_resolve(q, list);
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
