/* SPDX-License-Identifier: MIT */
/*
 * Windows backend: the owner-PID socket tables of iphlpapi
 * (GetExtendedTcpTable/GetExtendedUdpTable, IPv4 and IPv6), the process
 * list of a Toolhelp snapshot (name, parent), and per process
 * OpenProcess + QueryFullProcessImageNameW (exe), its token (user) and
 * GetProcessTimes (start). A process we may not open is still named (from
 * the snapshot) and marked LB_EPERM, never an error. Rows are turned into
 * records by iphlpapi-table.c.
 *
 * Owners: the tables carry the PID, but the backend interface resolves
 * owners after enumeration, so resolve_owners reads the tables again and
 * joins on the endpoints (protocol, family, local and remote address and
 * port). A socket that closed in between simply has no owner.
 */
#ifdef _WIN32
#include <stdlib.h>
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <tlhelp32.h>

#include "core/grow.h"
#include "core/internal.h"
#include "os/windows/iphlpapi.h"
#include "sockets/owner-join.h"

#define FETCH_TRIES 8

static int fetch(int which, void **ret_buf, size_t *ret_size)
{
	DWORD size = 0, e = 0;
	void *buf = NULL;
	int i;

	for (i = 0; i < FETCH_TRIES; i++) {
		switch (which) {
		case LB_WIN_TCP4:
		case LB_WIN_TCP6:
			e = GetExtendedTcpTable(buf, &size, FALSE,
						which == LB_WIN_TCP4 ? AF_INET : AF_INET6,
						TCP_TABLE_OWNER_PID_ALL, 0);
			break;
		default:
			e = GetExtendedUdpTable(buf, &size, FALSE,
						which == LB_WIN_UDP4 ? AF_INET : AF_INET6,
						UDP_TABLE_OWNER_PID, 0);
			break;
		}
		if (e == NO_ERROR && buf) {
			*ret_buf = buf;
			*ret_size = size;
			return 0;
		}
		free(buf);
		buf = NULL;
		if (e != ERROR_INSUFFICIENT_BUFFER && e != NO_ERROR)
			return e == ERROR_NOT_SUPPORTED ? LB_EAFNOSUPPORT : LB_EIO;
		/* It grows between the two calls: leave room. */
		size += size / 8 + 1024;
		buf = malloc(size);
		if (!buf)
			return LB_ENOMEM;
	}
	free(buf);
	return LB_EIO;
}

static int wanted(const lb_query *q, int which)
{
	unsigned proto = which == LB_WIN_TCP4 || which == LB_WIN_TCP6 ? LB_PROTO_TCP : LB_PROTO_UDP;
	unsigned fam = which == LB_WIN_TCP4 || which == LB_WIN_UDP4 ? LB_FAMILY_INET
								    : LB_FAMILY_INET6;

	return (q->protocols & proto) && (q->families & fam);
}

/* Call @fn for every row of every table the query covers. A family the
 * host lacks (no IPv6) is skipped. */
static int each_row(const lb_query *q, int (*fn)(void *ctx, const struct lb_socket *s, uint32_t pid),
		    void *ctx)
{
	int which, r = 0;

	for (which = 0; which < LB_WIN_TABLES && r >= 0; which++) {
		void *buf;
		size_t size, n, i;

		if (!wanted(q, which))
			continue;
		r = fetch(which, &buf, &size);
		if (r == LB_EAFNOSUPPORT) {
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		r = lb__win_table_rows(which, buf, size, &n);
		for (i = 0; r >= 0 && i < n; i++) {
			struct lb_socket s;
			uint32_t pid;

			r = lb__win_table_row(which, buf, i, &s, &pid);
			if (r >= 0)
				r = fn(ctx, &s, pid);
		}
		free(buf);
	}
	return r < 0 ? r : 0;
}

static int iphlpapi_probe(void)
{
	return 0; /* iphlpapi is part of every Windows since Vista */
}

static int push_row(void *ctx, const struct lb_socket *s, uint32_t pid)
{
	struct lb__sockvec *out = ctx;
	struct lb_socket *d;

	(void)pid;
	d = lb__sockvec_push(out);
	if (!d)
		return LB_ENOMEM;
	*d = *s;
	return 0;
}

static int iphlpapi_enumerate(const lb_query *q, const struct lb__nsctx *ns,
			      struct lb__sockvec *out)
{
	(void)ns; /* Windows has no network namespaces here */
	return each_row(q, push_row, out);
}

/* ---- owners ---- */

struct proc {
	uint32_t pid, ppid;
	char name[MAX_PATH * 3];
};

struct procs {
	struct proc *v;
	size_t n, cap;
};

static char *utf8(const wchar_t *w)
{
	int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
	char *s;

	if (n <= 0)
		return NULL;
	s = malloc((size_t)n);
	if (s && WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL) <= 0) {
		free(s);
		s = NULL;
	}
	return s;
}

static int snapshot(struct procs *ret)
{
	HANDLE h = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
	PROCESSENTRY32W pe;
	struct procs p = { NULL, 0, 0 };
	BOOL more;

	if (h == INVALID_HANDLE_VALUE)
		return LB_EIO;
	pe.dwSize = sizeof(pe);
	for (more = Process32FirstW(h, &pe); more; more = Process32NextW(h, &pe)) {
		struct proc *v = lb__grow(p.v, &p.cap, p.n + 1, sizeof(*v), 64);

		if (!v) {
			free(p.v);
			CloseHandle(h);
			return LB_ENOMEM;
		}
		p.v = v;
		v = &p.v[p.n++];
		v->pid = pe.th32ProcessID;
		v->ppid = pe.th32ParentProcessID;
		if (WideCharToMultiByte(CP_UTF8, 0, pe.szExeFile, -1, v->name,
					(int)sizeof(v->name), NULL, NULL) <= 0)
			v->name[0] = '\0';
	}
	CloseHandle(h);
	*ret = p;
	return 0;
}

static const struct proc *find_proc(const struct procs *p, uint32_t pid)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->v[i].pid == pid)
			return &p->v[i];
	return NULL;
}

static int ppid_of(void *ctx, uint32_t pid, uint32_t *ret)
{
	const struct proc *e = find_proc(ctx, pid);

	if (!e)
		return LB_ENOENT;
	*ret = e->ppid;
	return 0;
}

static char *token_user(HANDLE proc)
{
	HANDLE tok;
	union {
		TOKEN_USER tu;
		char buf[256];
	} u;
	DWORD len = 0, nname = 128, ndom = 128;
	wchar_t name[128], dom[128];
	SID_NAME_USE use;
	char *s = NULL;

	if (!OpenProcessToken(proc, TOKEN_QUERY, &tok))
		return NULL;
	if (GetTokenInformation(tok, TokenUser, &u, sizeof(u), &len) &&
	    LookupAccountSidW(NULL, u.tu.User.Sid, name, &nname, dom, &ndom, &use)) {
		char *d = utf8(dom), *n = utf8(name);

		/* DOMAIN\user, as Task Manager and psutil show it */
		if (d && n) {
			size_t dl = strlen(d), nl = strlen(n);

			s = malloc(dl + nl + 2);
			if (s) {
				memcpy(s, d, dl);
				s[dl] = '\\';
				memcpy(s + dl + (dl ? 1 : 0), n, nl + 1);
			}
		}
		free(d);
		free(n);
	}
	CloseHandle(tok);
	return s;
}

static struct lb_owner *owner_new(const struct procs *p, uint32_t pid)
{
	const struct proc *e = find_proc(p, pid);
	struct lb_owner *o = calloc(1, sizeof(*o));
	HANDLE h;

	if (!o)
		return NULL;
	o->pid = pid;
	o->ppid = e ? e->ppid : 0;
	o->name = strdup(e && e->name[0] ? e->name : "?");
	h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
	if (h) {
		wchar_t path[4096];
		DWORD n = (DWORD)(sizeof(path) / sizeof(path[0]));
		FILETIME c, x, k, u;

		if (QueryFullProcessImageNameW(h, 0, path, &n))
			o->exe = utf8(path);
		else
			o->error = LB_EPERM;
		if (GetProcessTimes(h, &c, &x, &k, &u)) {
			uint64_t t = ((uint64_t)c.dwHighDateTime << 32) | c.dwLowDateTime;

			/* 100 ns ticks since 1601 -> ms since 1970 */
			if (t > 116444736000000000ULL)
				o->start_time = (t - 116444736000000000ULL) / 10000;
		}
		o->user = token_user(h);
		CloseHandle(h);
	} else {
		/* Access denied (another user's or a protected process) or gone:
		 * an owner-unknown mark, not an error. */
		o->error = LB_EPERM;
	}
	if (!o->user)
		o->user = strdup("");
	if (!o->name || !o->user) {
		lb__owner_free(o);
		return NULL;
	}
	return o;
}

static struct lb_owner *make_owner(void *ctx, uint32_t pid)
{
	return owner_new(ctx, pid);
}

static int join_row(void *ctx, const struct lb_socket *row, uint32_t pid)
{
	struct lb__owner_join *j = ctx;
	struct lb__sockvec *sv = &j->list->socks;
	size_t i;
	int r = 0;

	if (pid == 0) /* TIME-WAIT, or a listener under wine: nobody known */
		return 0;
	for (i = 0; i < sv->n && r >= 0; i++)
		if (lb__win_same_socket(&sv->v[i], row))
			r = lb__owner_join(j, i, pid);
	return r;
}

static int iphlpapi_resolve_owners(const lb_query *q, lb_socket_list *list)
{
	struct procs procs = { NULL, 0, 0 };
	struct lb__owner_join j = { .make = make_owner, .make_ctx = &procs,
				    .ppid = ppid_of, .ppid_ctx = &procs };
	int r;

	if (list->socks.n == 0)
		return 0;
	r = snapshot(&procs);
	if (r >= 0)
		r = lb__owner_join_begin(&j, q, list);
	if (r >= 0)
		r = lb__owner_join_end(&j, each_row(q, join_row, &j));
	free(procs.v);
	return r;
}

/* One process, from a snapshot (name, parent) and the process itself. */
static int iphlpapi_process_info(uint32_t pid, struct lb_owner **ret)
{
	struct procs procs = { NULL, 0, 0 };
	struct lb_owner *o = NULL;
	int r = snapshot(&procs);

	if (r == 0 && !find_proc(&procs, pid))
		r = LB_ENOENT;
	if (r == 0 && !(o = owner_new(&procs, pid)))
		r = LB_ENOMEM;
	free(procs.v);
	if (r == 0)
		*ret = o;
	return r;
}

const struct lb__backend lb__backend_iphlpapi = {
	.name = "iphlpapi",
	.probe = iphlpapi_probe,
	.enumerate = iphlpapi_enumerate,
	.resolve_owners = iphlpapi_resolve_owners,
	.pid_sockets = NULL,  /* enumerate + owners: the tables carry the pid */
	.process_info = iphlpapi_process_info,
};
#endif /* _WIN32 */
