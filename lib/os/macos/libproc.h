/* SPDX-License-Identifier: MIT */
/*
 * macOS socket table through libproc: the pure part that turns one
 * struct socket_info (from proc_pidfdinfo(PROC_PIDFDSOCKETINFO)) into a
 * record, kept apart from the calls in libproc.c. macOS only: it reads the
 * SDK's own struct.
 */
#ifndef LB_BACKEND_LIBPROC_H
#define LB_BACKEND_LIBPROC_H

#ifdef __APPLE__
#include <sys/proc_info.h>

#include "sockets/backend.h"

extern const struct lb__backend lb__backend_libproc;

/* 1 and *ret filled for a TCP or UDP IPv4/IPv6 socket, 0 for any other
 * socket (unix, kernel control ...), LB_EBADDATA for a TCP state or an
 * address family that does not fit. The record's .inode is the socket's
 * opaque handle (soi_so), the key that joins it to its holders. */
int lb__libproc_socket(const struct socket_info *si, struct lb_socket *ret);

/* A TSI_S_* TCP state as an LB_STATE_*, or -1. */
int lb__libproc_tcp_state(int tsi_state);
#endif

#endif
