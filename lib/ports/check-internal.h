/* SPDX-License-Identifier: MIT */
/*
 * The bind check's use of the socket table (lib/ports/check-table.c): which
 * sockets conflict with an address, and how to name them in one line.
 * lb__check_conflict() and lb__check_describe() are pure.
 */
#ifndef LB_CHECK_INTERNAL_H
#define LB_CHECK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "sockets/backend.h"

/*
 * lb__check_conflict - how socket @s stops a bind of @addr on its port
 * (same port and protocol assumed)
 *
 * Returns LB_CHECK_IN_USE (the same address; for a check of 0.0.0.0 or
 * [::], any socket of that family), LB_CHECK_BLOCKED_WILDCARD (a 0.0.0.0
 * socket against an IPv4 address, a [::] one against an IPv6 address),
 * LB_CHECK_BLOCKED_DUALSTACK (a dual-stack [::] socket against an IPv4
 * address, or an IPv4 socket against a check of [::], which is checked
 * dual-stack), or -1 when it does not conflict. A [::] socket whose
 * v6only is unknown (-1, procfs) counts as dual-stack. IPv4-mapped
 * addresses (::ffff:a.b.c.d) count as IPv4.
 */
int lb__check_conflict(const lb_addr *addr, const struct lb_socket *s);

/*
 * lb__check_rank - the order of blockers: listeners (and bound UDP
 * sockets), then other live sockets, then TIME-WAIT ones; within each,
 * same address, wildcard, dual-stack.
 * -1 when @s does not conflict with @addr (a const lb_addr *).
 */
int lb__check_rank(const struct lb_socket *s, const void *addr);

/*
 * lb__check_describe - one socket and its owner as a phrase: "python3
 * (pid 4242, user alice) listening on 127.0.0.1:8080", "a process of uid
 * 0 (owner unknown: permission denied) listening on ...", "a connection
 * in TIME-WAIT on 127.0.0.1:8080 to 127.0.0.1:40000". Always
 * NUL-terminates @buf (truncating).
 */
void lb__check_describe(const struct lb_socket *s, char *buf, size_t size);

/* Control characters (from process names, say) to spaces, in place: a
 * line stays one line. */
void lb__check_one_line(char *s);

/* "127.0.0.1:8080", "[::1]:8080" into @buf (at least LB_ADDR_STRLEN + 8). */
void lb__check_endpoint_text(const lb_addr *addr, uint16_t port, char *buf, size_t size);

/*
 * lb__check_blockers - the sockets of the table that conflict with
 * @addr:@port for @protocol (LB_PICK_TCP/UDP), best blocker first, with
 * their owners (LB_OWNERS_DEFAULT), every TCP state included
 * @ret_list: set to the list; an empty one when the table cannot be read
 * @ret_table_error: set to 0, or the error of lb_socket_list_get()
 *
 * Returns 0 or LB_ENOMEM.
 */
int lb__check_blockers(const lb_addr *addr, uint16_t port, unsigned protocol,
		       lb_socket_list **ret_list, int *ret_table_error);

/* 1 if @a is 0.0.0.0 or :: (compared by bytes, so ::ffff:0.0.0.0 is not). */
int lb__check_unspecified(const lb_addr *a);

/* What the texts of a check depend on (struct lb__check_facts.has). */
#define LB__CHECK_HAS_BLOCKER 0x1   /* the table shows a blocker */
#define LB__CHECK_HAS_V4 0x2        /* the address checked is IPv4 */
#define LB__CHECK_HAS_OWNER 0x4     /* the blocker's owner (lease holder) is named */
#define LB__CHECK_HAS_TIME_WAIT 0x8 /* the first blocker is in TIME-WAIT */
#define LB__CHECK_HAS_EXCLUDED 0x10 /* a refused bind means an excluded range (Windows) */

/* The facts a check's explanation and suggestion are made of, as text. */
struct lb__check_facts {
	int reason;           /* LB_CHECK_* */
	unsigned has;         /* LB__CHECK_HAS_* */
	const char *proto;    /* "TCP", "UDP" */
	const char *protocol; /* "tcp", "udp" */
	const char *endpoint; /* "127.0.0.1:8080" */
	const char *address;  /* "127.0.0.1" */
	const char *port;     /* "8080" */
	const char *who;      /* the first blocker, lb__check_describe() */
	const char *more;     /* " and 2 more", "" */
	const char *owner;    /* "python3 (pid 4242)", "" */
	const char *note;     /* how the reason was inferred without a blocker, "" */
};

/*
 * lb__check_texts - the explanation and suggestion of @f
 * (lib/ports/check-text.c: a table of templates), into @explanation
 * (@esize) and @suggestion (@ssize), truncated as snprintf() truncates;
 * the suggestion is "" when there is none (LB_CHECK_BINDABLE).
 */
void lb__check_texts(const struct lb__check_facts *f, char *explanation, size_t esize,
		     char *suggestion, size_t ssize);

/* lb__check_bind() flags. */
#define LB__CHECK_NO_TABLE 0x1 /* infer the reason from trial binds only; no warnings */

/*
 * lb__check_bind - lb_check_bind() with @flags: LB__CHECK_NO_TABLE skips
 * the socket table (no blockers, the reason from trial binds only) and the
 * warnings' sysctl reads (no LB_CHECK_WARN_* bits), for
 * callers that only need bindable or not, often: a table query with its
 * owner scan costs milliseconds, a trial bind a tenth of one. Returns as
 * lb_check_bind(); LB_EINVAL for unknown flags.
 */
int lb__check_bind(const lb_addr *addr, uint16_t port, unsigned protocol, unsigned flags,
		   lb_check **ret_check);

#endif /* LB_CHECK_INTERNAL_H */
