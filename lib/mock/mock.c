/* SPDX-License-Identifier: MIT */
/*
 * The mock backend: a socket table read from the fixture file named by
 * LOOPBACK_MOCK_FILE, so every layer above the backends (API filters,
 * owners, the CLI) can be tested deterministically. Fixture format, one
 * record per line; '#' comments and blank lines are ignored:
 *
 *   socket PROTO STATE LADDR LPORT RADDR RPORT [KEY=VALUE ...]
 *       PROTO tcp|udp; STATE as ss prints it (LISTEN, ESTAB, UNCONN,
 *       TIME-WAIT, SYN-SENT, SYN-RECV, FIN-WAIT-1, FIN-WAIT-2, CLOSE,
 *       CLOSE-WAIT, LAST-ACK, CLOSING); addresses as lb_addr_parse()
 *       takes them, zones included (the family of LADDR is the socket's); keys: uid, inode, rxq, txq,
 *       v6only (0/1), netns, owner_error=permission.
 *   owner INODE PID [KEY=VALUE ...] [cmdline=REST OF THE LINE]
 *       keys: ppid, uid, user, start (ms since the epoch), name, exe,
 *       error=permission; cmdline, when present, is last and takes the
 *       rest of the line: its arguments are separated by spaces, and
 *       "\0" (backslash zero) separates arguments that contain spaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockets/backend.h"
#include "mock/mock.h"
#include "core/grow.h"
#include "core/internal.h"
#include "core/read-file.h"

/* The arguments of a fixture's cmdline=: split at "\0" when it has one,
 * else at each space. */
static int mock_args(struct lb_owner *o, const char *v, size_t n)
{
	char *buf = malloc(n + 1);
	size_t i, k = 0;
	int explicit = 0, r;

	if (!buf)
		return LB_ENOMEM;
	for (i = 0; i + 1 < n; i++)
		explicit |= v[i] == '\\' && v[i + 1] == '0';
	for (i = 0; i < n; i++) {
		if (explicit && v[i] == '\\' && i + 1 < n && v[i + 1] == '0') {
			buf[k++] = '\0';
			i++;
		} else {
			buf[k++] = !explicit && v[i] == ' ' ? '\0' : v[i];
		}
	}
	r = lb__owner_set_args(o, buf, k);
	free(buf);
	return r;
}

static int next_word(const char **pp, const char *end, const char **ret_w, size_t *ret_n)
{
	const char *p = *pp;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end)
		return 0;
	*ret_w = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	*ret_n = (size_t)(p - *ret_w);
	*pp = p;
	return 1;
}

static int word_eq(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

static int word_uint(const char *w, size_t n, uint64_t max, uint64_t *ret)
{
	const char *p = w;

	return lb__parse_uint(&p, w + n, 10, max, ret) == 0 && p == w + n ? 0 : LB_EBADDATA;
}

/* Addresses as the library itself parses them (zones included). */
static int word_addr(const char *w, size_t n, lb_addr *ret)
{
	return lb_addr_parse(w, n, ret, NULL) == 0 ? 0 : LB_EBADDATA;
}

static int word_state(const char *w, size_t n, int proto, int *ret)
{
	int s;

	if (proto == LB_PROTO_UDP && word_eq(w, n, "UNCONN")) {
		*ret = LB_STATE_CLOSE;
		return 0;
	}
	for (s = LB_STATE_ESTABLISHED; s <= LB_STATE_CLOSING; s++)
		if (word_eq(w, n, lb_state_name(LB_PROTO_TCP, s))) {
			*ret = s;
			return 0;
		}
	return LB_EBADDATA;
}

/* KEY=VALUE: sets the value and its length, and returns 1 when the word's key is @key. */
static int kv(const char *w, size_t n, const char *key, const char **ret_v, size_t *ret_vn)
{
	size_t kl = strlen(key);

	if (n <= kl || memcmp(w, key, kl) != 0 || w[kl] != '=')
		return 0;
	*ret_v = w + kl + 1;
	*ret_vn = n - kl - 1;
	return 1;
}

static int parse_socket(const char *p, const char *end, struct lb_socket *s)
{
	const char *w, *v;
	size_t n, vn;
	uint64_t x;
	lb_addr ra;

	memset(s, 0, sizeof(*s));
	s->v6only = -1;
	if (!next_word(&p, end, &w, &n))
		return LB_EBADDATA;
	if (word_eq(w, n, "tcp"))
		s->protocol = LB_PROTO_TCP;
	else if (word_eq(w, n, "udp"))
		s->protocol = LB_PROTO_UDP;
	else
		return LB_EBADDATA;
	if (!next_word(&p, end, &w, &n) || word_state(w, n, s->protocol, &s->state) < 0 ||
	    !next_word(&p, end, &w, &n) || word_addr(w, n, &s->local) < 0 ||
	    !next_word(&p, end, &w, &n) || word_uint(w, n, 65535, &x) < 0)
		return LB_EBADDATA;
	s->local_port = (uint16_t)x;
	if (!next_word(&p, end, &w, &n) || word_addr(w, n, &ra) < 0 ||
	    ra.family != s->local.family ||
	    !next_word(&p, end, &w, &n) || word_uint(w, n, 65535, &x) < 0)
		return LB_EBADDATA;
	s->remote = ra;
	s->remote_port = (uint16_t)x;
	s->family = s->local.family;
	if (s->family == LB_AF_INET)
		s->v6only = 0;
	while (next_word(&p, end, &w, &n)) {
		if (kv(w, n, "uid", &v, &vn) && word_uint(v, vn, UINT32_MAX, &x) == 0)
			s->uid = (uint32_t)x;
		else if (kv(w, n, "inode", &v, &vn) && word_uint(v, vn, UINT64_MAX, &x) == 0)
			s->inode = x;
		else if (kv(w, n, "rxq", &v, &vn) && word_uint(v, vn, UINT32_MAX, &x) == 0)
			s->rx_queue = (uint32_t)x;
		else if (kv(w, n, "txq", &v, &vn) && word_uint(v, vn, UINT32_MAX, &x) == 0)
			s->tx_queue = (uint32_t)x;
		else if (kv(w, n, "netns", &v, &vn) && word_uint(v, vn, UINT64_MAX, &x) == 0)
			s->netns = x;
		else if (kv(w, n, "v6only", &v, &vn) && word_uint(v, vn, 1, &x) == 0 &&
			 s->family == LB_AF_INET6)
			s->v6only = (int)x;
		else if (kv(w, n, "owner_error", &v, &vn) && word_eq(v, vn, "permission"))
			s->owner_error = LB_EPERM;
		else
			return LB_EBADDATA;
	}
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Replace *dst with a copy of [v, v+vn). */
static int set_str(char **dst, const char *v, size_t vn)
{
	char *d = dup_n(v, vn);

	if (!d)
		return LB_ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

static int parse_owner(const char *p, const char *end, struct lb__mock_owner *ret)
{
	struct lb_owner *o;
	const char *w, *v;
	size_t n, vn;
	uint64_t ino, x;
	int r = 0;

	if (!next_word(&p, end, &w, &n) || word_uint(w, n, UINT64_MAX, &ino) < 0 || ino == 0 ||
	    !next_word(&p, end, &w, &n) || word_uint(w, n, UINT32_MAX, &x) < 0 || x == 0)
		return LB_EBADDATA;
	o = calloc(1, sizeof(*o));
	if (!o)
		return LB_ENOMEM;
	o->pid = (uint32_t)x;
	while (r == 0 && next_word(&p, end, &w, &n)) {
		if (kv(w, n, "cmdline", &v, &vn)) {
			r = mock_args(o, v, (size_t)(end - v));
			break;
		}
		if (kv(w, n, "ppid", &v, &vn) && word_uint(v, vn, UINT32_MAX, &x) == 0)
			o->ppid = (uint32_t)x;
		else if (kv(w, n, "uid", &v, &vn) && word_uint(v, vn, UINT32_MAX, &x) == 0)
			o->uid = (uint32_t)x;
		else if (kv(w, n, "start", &v, &vn) && word_uint(v, vn, UINT64_MAX, &x) == 0)
			o->start_time = x;
		else if (kv(w, n, "user", &v, &vn))
			r = set_str(&o->user, v, vn);
		else if (kv(w, n, "name", &v, &vn))
			r = set_str(&o->name, v, vn);
		else if (kv(w, n, "exe", &v, &vn))
			r = set_str(&o->exe, v, vn);
		else if (kv(w, n, "error", &v, &vn) && word_eq(v, vn, "permission"))
			o->error = LB_EPERM;
		else
			r = LB_EBADDATA;
	}
	if (r == 0 && !o->name)
		r = set_str(&o->name, "?", 1);
	if (r == 0 && !o->user) {
		char num[16];
		int len = snprintf(num, sizeof(num), "%u", (unsigned)o->uid);

		r = set_str(&o->user, num, (size_t)len);
	}
	if (r < 0) {
		lb__owner_free(o);
		return r;
	}
	ret->inode = ino;
	ret->owner = o;
	return 0;
}

void lb__mock_free(struct lb__mock *m)
{
	size_t i;

	if (!m)
		return;
	lb__sockvec_clear(&m->socks);
	for (i = 0; i < m->n_owners; i++)
		lb__owner_free(m->owners[i].owner);
	free(m->owners);
	free(m);
}

int lb__mock_parse(const char *text, size_t len, struct lb__mock **ret_mock, size_t *ret_line)
{
	const char *p = text, *end = text + len;
	struct lb__mock *m;
	size_t line = 0;
	int r = 0;

	lb_return_if((!text && len) || !ret_mock || !ret_line, LB_EINVAL);
	m = calloc(1, sizeof(*m));
	if (!m)
		return LB_ENOMEM;
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q = p, *w;
		size_t n;

		line++;
		if (!next_word(&q, le, &w, &n) || w[0] == '#') {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (word_eq(w, n, "socket")) {
			struct lb_socket s, *slot;

			r = parse_socket(q, le, &s);
			if (r == 0) {
				slot = lb__sockvec_push(&m->socks);
				if (slot)
					*slot = s;
				else
					r = LB_ENOMEM;
			}
		} else if (word_eq(w, n, "owner")) {
			struct lb__mock_owner mo, *v;

			r = parse_owner(q, le, &mo);
			if (r == 0) {
				v = lb__grow(m->owners, &m->cap_owners, m->n_owners + 1, sizeof(*v), 8);
				if (v) {
					m->owners = v;
					v[m->n_owners++] = mo;
				} else {
					lb__owner_free(mo.owner);
					r = LB_ENOMEM;
				}
			}
		} else {
			r = LB_EBADDATA;
		}
		p = nl ? nl + 1 : end;
	}
	if (r < 0) {
		lb__mock_free(m);
		*ret_line = line;
		return r;
	}
	*ret_mock = m;
	return 0;
}

static int mock_load(struct lb__mock **ret)
{
	const char *path = lb__secure_getenv("LOOPBACK_MOCK_FILE");
	char *buf;
	size_t len, line;
	int r;

	if (!path || !*path)
		return LB_ENOBACKEND;
	r = lb__read_all(path, &buf, &len);
	if (r < 0)
		return r;
	r = lb__mock_parse(buf, len, ret, &line);
	free(buf);
	return r;
}

static int mock_probe(void)
{
	const char *path = lb__secure_getenv("LOOPBACK_MOCK_FILE");

	return path && *path ? 0 : LB_ENOBACKEND;
}

static int mock_enumerate(const lb_query *q, const struct lb__nsctx *ns, struct lb__sockvec *out)
{
	struct lb__mock *m;
	size_t i;
	int r = mock_load(&m);

	if (r < 0)
		return r;
	for (i = 0; i < m->socks.n && r == 0; i++) {
		struct lb_socket *slot = lb__sockvec_push(out);

		if (!slot)
			r = LB_ENOMEM;
		else
			*slot = m->socks.v[i];
	}
	lb__mock_free(m);
	return r;
}

/* Whether @pid is @root or (with descendants) below it, by ppid chains. */
static int in_tree(const struct lb__mock *m, uint32_t pid, uint32_t root, int descendants)
{
	int depth;

	for (depth = 0; depth < 64 && pid; depth++) {
		size_t i;
		uint32_t parent = 0;

		if (pid == root)
			return 1;
		if (!descendants)
			return 0;
		for (i = 0; i < m->n_owners; i++)
			if (m->owners[i].owner->pid == pid)
				parent = m->owners[i].owner->ppid;
		pid = parent;
	}
	return 0;
}

static int mock_resolve(const lb_query *q, lb_socket_list *list)
{
	struct lb__sockvec *sv = &list->socks;
	int desc = (q->pid_flags & LB_PID_DESCENDANTS) != 0;
	struct lb__mock *m;
	size_t i, j, k = 0;
	int r = mock_load(&m);

	if (r < 0)
		return r;
	/* The pid filter keeps the sockets the process (tree) holds. */
	for (j = 0; j < sv->n; j++) {
		int keep = !q->pid;

		for (i = 0; !keep && i < m->n_owners; i++)
			keep = sv->v[j].inode && m->owners[i].inode == sv->v[j].inode &&
			       in_tree(m, m->owners[i].owner->pid, q->pid, desc);
		if (keep)
			sv->v[k++] = sv->v[j];
		else
			free(sv->v[j].owners);
	}
	sv->n = k;
	for (i = 0; i < m->n_owners && r == 0 && q->owners != LB_OWNERS_NONE; i++) {
		struct lb_owner *o = m->owners[i].owner;

		if (q->pid && q->owners != LB_OWNERS_ALL && !in_tree(m, o->pid, q->pid, desc))
			continue;
		for (j = 0; j < sv->n && r == 0; j++)
			if (sv->v[j].inode == m->owners[i].inode)
				r = lb__socket_add_owner(&sv->v[j], o);
		if (r == 0)
			r = lb__list_adopt_owner(list, o);
		if (r == 0)
			m->owners[i].inode = 0; /* adopted: the list frees it */
	}
	/* in_tree() needs every owner until here. */
	for (i = 0; i < m->n_owners; i++)
		if (m->owners[i].inode == 0)
			m->owners[i].owner = NULL;
	lb__mock_free(m);
	return r;
}

/* The fixture's owner line of @pid (the first), handed over. */
static int mock_process_info(uint32_t pid, struct lb_owner **ret)
{
	struct lb__mock *m;
	size_t i;
	int r = mock_load(&m);

	if (r < 0)
		return r;
	r = LB_ENOENT;
	for (i = 0; i < m->n_owners && r == LB_ENOENT; i++)
		if (m->owners[i].owner->pid == pid) {
			*ret = m->owners[i].owner;
			m->owners[i].owner = NULL; /* the caller frees it */
			r = 0;
		}
	lb__mock_free(m);
	return r;
}

const struct lb__backend lb__backend_mock = {
	.name = "mock",
	.probe = mock_probe,
	.enumerate = mock_enumerate,
	.resolve_owners = mock_resolve,
	.pid_sockets = NULL,  /* enumerate + owners answer pid queries from the fixture */
	.process_info = mock_process_info,
};
