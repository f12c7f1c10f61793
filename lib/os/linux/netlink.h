/* SPDX-License-Identifier: MIT */
#ifndef LB_BACKEND_NETLINK_H
#define LB_BACKEND_NETLINK_H

#include <stddef.h>
#include <stdint.h>

#include "sockets/backend.h"

/* Linux sock_diag over netlink: the first choice (lib/os/linux/backends.c). */
extern const struct lb__backend lb__backend_netlink;

/* lb__diag_parse() result when the kernel flagged the dump as
 * inconsistent (NLM_F_DUMP_INTR): discard and dump again. */
#define LB__DIAG_INTR 1

/*
 * Build the inet_diag bytecode filter for @q when dumping @family
 * (LB_AF_INET/LB_AF_INET6, or LB_AF_NONE for one dump of both, which
 * takes no address: LB_EINVAL): local and remote address/port conditions, so
 * the kernel only returns matching sockets. Pure. Writes at most @size
 * bytes; *ret_len is 0 when no filter is needed. Returns 0, LB_ENOSPC, or
 * LB_ENOENT when nothing of @family can match (skip the dump).
 */
int lb__diag_bytecode(const lb_query *q, int family, uint8_t *buf, size_t size,
		      size_t *ret_len);

/*
 * Parse one buffer of SOCK_DIAG_BY_FAMILY replies (or TCPDIAG_GETSOCK
 * ones, for LB_PROTO_TCP) for @protocol and append
 * the sockets to @out. Pure. Sets *ret_done when NLMSG_DONE was seen.
 * Returns 0, LB__DIAG_INTR, LB_EBADDATA for a malformed message, a
 * negative LB_E* for an NLMSG_ERROR (LB_ENOENT: no diag module for this
 * protocol, LB_EPERM, LB_EIO), or LB_ENOMEM.
 */
int lb__diag_parse(const void *buf, size_t len, int protocol, struct lb__sockvec *out,
		   int *ret_done);

/* An errno of sock_diag as an LB_E* code: a protocol or family this
 * kernel lacks (EOPNOTSUPP, EPROTONOSUPPORT, EAFNOSUPPORT) is LB_ENOENT,
 * a missing table, as ENOENT itself; the rest as lb__errno_code(). */
int lb__diag_errno(int e);

/* The states a request for @protocol asks: q->states, less CLOSE for
 * TCP (no TCP socket in CLOSE is in a table sock_diag walks). 0: the
 * query can match nothing of @protocol, send nothing. Pure. */
uint32_t lb__diag_states(const lb_query *q, int protocol);

/*
 * Build the dump request for @family (LB_AF_INET, LB_AF_INET6, or
 * LB_AF_NONE for TCP of both families in one TCPDIAG_GETSOCK dump) and
 * @protocol into @buf (at least NLMSG_HDRLEN + 128 + NLA_HDRLEN + @bc_len
 * bytes, zeroed), the ports of @q in the request itself and @bc (of
 * lb__diag_bytecode()) attached. Returns the request's length. Pure.
 */
size_t lb__diag_request(void *buf, const lb_query *q, int family, int protocol,
			const uint8_t *bc, size_t bc_len);

#endif
