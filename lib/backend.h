/* SPDX-License-Identifier: MIT */
/*
 * The socket-table backends: one internal interface for every OS.
 *
 * A backend enumerates the sockets matching a query into internal records
 * (struct lb_socket), and optionally resolves their owners. It may filter
 * in the kernel; lib/socket.c applies the whole query again afterwards
 * (lb__query_match), so a backend that filters less is still correct.
 */
#ifndef LB_BACKEND_H
#define LB_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "loopback.h"

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

struct lb_socket {
	int protocol;         /* LB_PROTO_TCP / LB_PROTO_UDP */
	int family;           /* LB_AF_INET / LB_AF_INET6 */
	int state;            /* LB_STATE_* */
	lb_addr local;
	lb_addr remote;
	uint16_t local_port;
	uint16_t remote_port;
	uint32_t uid;
	uint32_t rx_queue;
	uint32_t tx_queue;
	uint64_t inode;
	uint64_t netns;
	int v6only;           /* 1, 0, -1 unknown */
	int owner_error;      /* 0 or why owners are unknown: see lb_socket_owner_error() */
	size_t n_owners;
	const struct lb_owner **owners;
};

/* A growable array of socket records. */
struct lb__sockvec {
	struct lb_socket *v;
	size_t n;
	size_t cap;
};

/* Append a zeroed record; returns it, or NULL when out of memory. */
struct lb_socket *lb__sockvec_push(struct lb__sockvec *sv);
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

/* Open the namespace handle for one enumeration: the backend's I/O goes
 * through descriptors opened inside the namespace. */
struct lb__nsctx {
	int netns_fd;          /* -1: the caller's own namespace */
	uint64_t netns_ino;    /* the namespace's inode, 0 unknown */
};

struct lb__backend {
	const char *name;
	/* 0 if the backend can work here, LB_ENOBACKEND/LB_ENOTSUP if not. */
	int (*probe)(void);
	/* Append the sockets matching @q (at least) in namespace @ns to @out.
	 * Sets .netns of each record to ns->netns_ino. */
	int (*enumerate)(const lb_query *q, const struct lb__nsctx *ns, struct lb__sockvec *out);
	/* Resolve owners of the records in @list, or NULL to use the
	 * /proc scan in lib/owner.c (Linux). */
	int (*resolve_owners)(const lb_query *q, lb_socket_list *list);
};

extern const struct lb__backend lb__backend_netlink;
extern const struct lb__backend lb__backend_procfs;
#if LB_TEST_DOUBLES
extern const struct lb__backend lb__backend_mock; /* -Dtest_doubles=true only */
#endif
extern const struct lb__backend lb__backend_iphlpapi; /* Windows */
extern const struct lb__backend lb__backend_libproc;  /* macOS */
extern const struct lb__backend lb__backend_sysctl;   /* FreeBSD */

/* The result list. */
struct lb_socket_list {
	struct lb__sockvec socks;
	struct lb_owner **pool;   /* every owner, each allocated once */
	size_t n_pool;
	const char *backend;
	const char *owner_scan;   /* "proc", "bpf", NULL when none ran */
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
 * only when out of memory. Pure (lib/socket.c). */
char *lb__cmdline_join(const char *buf, size_t len);
/* Set @o's cmdline (joined) and argv/argc from such a vector, copied.
 * Returns 0 or LB_ENOMEM (then neither is set). */
int lb__owner_set_args(struct lb_owner *o, const char *buf, size_t len);

/* Parse a decimal or hexadecimal unsigned number from [p, end); sets *pp
 * past it. Returns 0, or LB_EBADDATA when there are no digits or it
 * overflows @max. Shared by the text parsers. */
int lb__parse_uint(const char **pp, const char *end, int base, uint64_t max, uint64_t *ret);

#endif /* LB_BACKEND_H */
