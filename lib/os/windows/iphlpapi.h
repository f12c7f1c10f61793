/* SPDX-License-Identifier: MIT */
/*
 * Windows socket tables (iphlpapi GetExtendedTcpTable/GetExtendedUdpTable
 * with owner PIDs): the pure part that turns a table's bytes into records,
 * kept apart from the calls (iphlpapi.c) so it is tested on constructed
 * tables (tests/os/windows/test-win-iphlpapi.c).
 */
#ifndef LB_BACKEND_IPHLPAPI_H
#define LB_BACKEND_IPHLPAPI_H

#ifdef _WIN32
#include <stddef.h>
#include <stdint.h>

#include "sockets/backend.h"

extern const struct lb__backend lb__backend_iphlpapi;

/* The four tables, as asked from the OS. */
enum {
	LB_WIN_TCP4,
	LB_WIN_TCP6,
	LB_WIN_UDP4,
	LB_WIN_UDP6,
	LB_WIN_TABLES
};

/* The number of rows of table @which held in @buf (@size bytes): 0 and
 * *ret_n, or LB_EBADDATA when the header or the rows do not fit. */
int lb__win_table_rows(int which, const void *buf, size_t size, size_t *ret_n);

/* Row @i of a checked table as a record, with the PID that owns it (0:
 * none known, as for TIME-WAIT, or every listener under wine). Returns 0,
 * or LB_EBADDATA for an unknown TCP state. */
int lb__win_table_row(int which, const void *buf, size_t i, struct lb_socket *ret,
		      uint32_t *ret_pid);

/* A MIB_TCP_STATE as an LB_STATE_*, or -1 if unknown. */
int lb__win_tcp_state(unsigned long mib_state);

/* Whether two records are the same socket: protocol, family, local and
 * remote endpoints (not the state, which may move on between two reads). */
int lb__win_same_socket(const struct lb_socket *a, const struct lb_socket *b);

#endif /* _WIN32 */
#endif
