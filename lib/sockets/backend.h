/* SPDX-License-Identifier: MIT */
/*
 * The socket-table backends: one internal interface for every OS.
 *
 * A backend enumerates the sockets matching a query into internal records
 * (struct lb_socket), and optionally resolves their owners. It may filter
 * in the kernel; lib/sockets/socket.c applies the whole query again afterwards
 * (lb__query_match), so a backend that filters less is still correct.
 * The helpers declared here (records, result lists, the owner pool, the
 * query) live in lib/sockets/{list,query}.c and never call a backend.
 */
#ifndef LB_BACKEND_H
#define LB_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "loopback.h"
#include "core/parse.h" /* lb__parse_uint(), for the backends' parsers */

/* The mock backend exists in builds configured for tests only (meson
 * -Dtest_doubles=true defines this to 1). */
#ifndef LB_TEST_DOUBLES
#define LB_TEST_DOUBLES 0
#endif

/* One process holding a socket. Owned by the list's owner pool and
 * shared by every socket it holds. */
struct lb_owner {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;
	uint64_t start_time;  /* ms since the epoch, 0 unknown */
	char *name;           /* never NULL once filled */
	char *cmdline;        /* NULL if unreadable */
	char *exe;            /* NULL if unreadable */
	char *user;           /* never NULL once filled */
	int error;            /* 0 or LB_EPERM */
	char **argv;          /* the arguments (one block, strings after the pointers), or NULL */
	size_t argc;
};

/* The fields every pass over a list reads (matching, owners, the owner
 * errors) come first, in the first 64 bytes: a list of 26,000 records is
 * 7 MB, and each pass then touches one cache line per record, not two.
 * The addresses (104 bytes each, public lb_addr) follow. */
struct lb_socket {
	int protocol;         /* LB_PROTO_TCP / LB_PROTO_UDP */
	int family;           /* LB_AF_INET / LB_AF_INET6 */
	int state;            /* LB_STATE_* */
	uint16_t local_port;
	uint16_t remote_port;
	uint32_t uid;
	int v6only;           /* 1, 0, -1 unknown */
	int owner_error;      /* 0 or why owners are unknown: see lb_socket_owner_error() */
	uint32_t n_owners;
	uint64_t inode;
	uint64_t netns;
	const struct lb_owner **owners;
	uint32_t rx_queue;
	uint32_t tx_queue;
	lb_addr local;
	lb_addr remote;
};

/* A growable array of socket records. */
struct lb__sockvec {
	struct lb_socket *v;
	size_t n;
	size_t cap;
};

/* Append a zeroed record; returns it, or NULL when out of memory. */
struct lb_socket *lb__sockvec_push(struct lb__sockvec *sv);
/* Room for @need records in all: 0, or LB_ENOMEM. The records past
 * sv->n are not initialized. */
int lb__sockvec_reserve(struct lb__sockvec *sv, size_t need);
/* Free the records' owner arrays and the array itself (not the owners). */
void lb__sockvec_clear(struct lb__sockvec *sv);

/* The query, readable by backends. */
struct lb_query {
	unsigned protocols;     /* LB_PROTO_* mask */
	unsigned families;      /* LB_FAMILY_* mask */
	unsigned long states;   /* LB_STATE_BIT mask */
	uint16_t local_port;    /* 0 any */
	int has_local_addr;
	lb_addr local_addr;
	int has_remote_addr;
	lb_addr remote_addr;
	uint16_t remote_port;   /* 0 any */
	uint32_t pid;           /* 0 any */
	unsigned pid_flags;
	int64_t uid;            /* -1 any */
	int owners;             /* LB_OWNERS_* */
	uint32_t netns_pid;     /* 0: own namespace (unless netns_path) */
	char *netns_path;
	int all_netns;
	int owner_scan;         /* LB_OWNER_SCAN_* */
};

/* Whether a record matches everything the query asks (pid aside). Pure. */
int lb__query_match(const lb_query *q, const struct lb_socket *s);
/* Keep the records of @sv from index @from on that lb__query_match()
 * accepts, in place and in order. Pure. */
void lb__sockvec_keep_matching(const lb_query *q, struct lb__sockvec *sv, size_t from);

/* Open the namespace handle for one enumeration: the backend's I/O goes
 * through descriptors opened inside the namespace. */
struct lb__nsctx {
	int netns_fd;          /* -1: the caller's own namespace */
	uint64_t netns_ino;    /* the namespace's inode, 0 unknown */
};

/*
 * A socket-table backend. probe and enumerate are required; the hooks
 * after them are optional: each may be NULL, and the comment says what
 * shared code does then (as libinput's evdev_dispatch_interface).
 */
struct lb__backend {
	const char *name;
	/* 0 if the backend can work here, LB_ENOBACKEND/LB_ENOTSUP if not. */
	int (*probe)(void);
	/* Append the sockets matching @q (at least) in namespace @ns to @out.
	 * Sets .netns of each record to ns->netns_ino. */
	int (*enumerate)(const lb_query *q, const struct lb__nsctx *ns, struct lb__sockvec *out);
	/* enumerate_exact: 1 when enumerate keeps only what lb__query_match()
	 * accepts (while each reply is in the cache): socket.c then skips its
	 * own pass over the records. 0: socket.c filters. */
	int enumerate_exact;
	/* owners: attach the owners of the records of @list (q->owners says
	 * how many) and apply the query's pid filter (q->pid), keeping only
	 * the sockets that process (tree) holds. Called after enumerate when
	 * owners or a pid are asked for.
	 * May be NULL: the backend cannot tell who holds a socket; then such
	 * a query fails with LB_ENOTSUP. */
	int (*resolve_owners)(const lb_query *q, lb_socket_list *list);
	/* owners_start: begin finding the owners @q asks for on a thread of
	 * its own, before enumerate reads the table, keeping the work in
	 * list->owners_early for resolve_owners to take.
	 * May be NULL: resolve_owners does all the work after enumerate. */
	void (*owners_start)(const lb_query *q, lb_socket_list *list);
	/* owners_stop: stop and wait for what owners_start began and
	 * resolve_owners did not take (always called, last, when
	 * owners_start is set). NULL when owners_start is. */
	void (*owners_stop)(lb_socket_list *list);
	/* pid_sockets: the sockets of process q->pid (and its descendants
	 * with LB_PID_DESCENDANTS) with their owners, straight from the
	 * process rather than from the whole table; fills @list's records
	 * and pool (and may set list->backend to name the path taken).
	 * LB_ENOTSUP when it cannot answer this query here: @list is then
	 * left with no records and no owners, and enumerate + owners answer.
	 * Not called when a backend is forced (LOOPBACK_BACKEND).
	 * May be NULL: enumerate + owners always answer pid queries. */
	int (*pid_sockets)(const lb_query *q, lb_socket_list *list);
	/* process_info: what process @pid is (name, command line, exe, user,
	 * start time) as a new owner freed with lb__owner_free(); details the
	 * OS hides are NULL with ->error = LB_EPERM. 0, LB_ENOENT if there is
	 * no such process (visible to us), LB_ENOMEM.
	 * May be NULL: lb__process_info() asks the next backend that works
	 * here, and says LB_ENOTSUP when none can. */
	int (*process_info)(uint32_t pid, struct lb_owner **ret_owner);
};

/* The @i-th backend of this OS (lib/os/<os>/backends.c, chosen by
 * lib/meson.build), or NULL after the last: the order they are tried in,
 * the first whose probe succeeds answers. The mock backend is not among
 * them: lib/sockets/socket.c adds it in test builds, used only when
 * forced. */
const struct lb__backend *lb__os_backend(size_t i);

#if LB_TEST_DOUBLES
extern const struct lb__backend lb__backend_mock; /* -Dtest_doubles=true only */
#endif

/*
 * lb__process_info - describe process @pid
 *
 * Through the process_info hook of the backend LOOPBACK_BACKEND forces
 * (test builds), else of the first backend that works here and has one.
 * The owner is freed with lb__owner_free(). Returns 0, LB_EINVAL (pid 0),
 * LB_ENOENT if there is no such process, LB_ENOMEM, or LB_ENOTSUP when no
 * backend here can describe a process.
 */
int lb__process_info(uint32_t pid, struct lb_owner **ret_owner);

/* The result list. */
struct lb_socket_list {
	struct lb__sockvec socks;
	struct lb_owner **pool;   /* every owner, each allocated once */
	size_t n_pool;
	const char *backend;
	const char *owner_scan;   /* "proc", "bpf", NULL when none ran */
	void *owners_early;       /* the backend's owners_start work, during lb_socket_list_get() */
};

/* A new empty list (for a result that has no socket to show, e.g. when
 * the table could not be read); NULL when out of memory. */
lb_socket_list *lb__socket_list_new(const char *backend);
/* Keep the sockets of @list for which @rank() is >= 0, ordered by rank
 * (stable: equal ranks keep their order); the others are dropped. No I/O. */
void lb__socket_list_select(lb_socket_list *list,
			    int (*rank)(const struct lb_socket *s, const void *ctx),
			    const void *ctx);
/* Add an owner (taking ownership of it) to the list's pool. */
int lb__list_adopt_owner(lb_socket_list *list, struct lb_owner *o);
/* Attach an owner of the pool to a socket (kept sorted by pid, no duplicates). */
int lb__socket_add_owner(struct lb_socket *s, const struct lb_owner *o);
void lb__owner_free(struct lb_owner *o);
/* An argument vector, each argument NUL-terminated (Linux /proc/PID/cmdline,
 * FreeBSD kern.proc.args), as a malloc'd string with spaces. Returns NULL
 * only when out of memory. Pure (lib/sockets/list.c). */
char *lb__cmdline_join(const char *buf, size_t len);
/* Set @o's cmdline (joined) and argv/argc from such a vector, copied.
 * Returns 0 or LB_ENOMEM (then neither is set). */
int lb__owner_set_args(struct lb_owner *o, const char *buf, size_t len);

#endif /* LB_BACKEND_H */
