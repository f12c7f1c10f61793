/* SPDX-License-Identifier: MIT */
/*
 * Port leases as flock()ed files in a private per-user directory: the
 * lease mechanism where abstract unix sockets do not exist (macOS,
 * FreeBSD). The kernel drops the lock when the holder's last descriptor
 * closes (the process dies), like the Linux lease. Plain POSIX, so it is
 * built and tested on Linux too (tests/test-lease-flock.c).
 */
#ifndef LB_LEASE_FLOCK_H
#define LB_LEASE_FLOCK_H

#include <stdint.h>

/* The protocol of a lease file: its name is "tcp-62893" or "udp-62893". */
#define LB_FLOCK_TCP 0
#define LB_FLOCK_UDP 1

/* Open (creating it if needed) the lease directory @path: it must be a
 * directory owned by the caller's effective uid, mode 0700 or stricter,
 * and not a symbolic link. Returns a directory descriptor (close-on-exec),
 * or LB_EPERM when it exists but is not safe, LB_EIO. */
int lb__flock_dir_open(const char *path);

/* The default directory of the calling user: "$TMPDIR/loopback-UID" (or
 * /tmp when TMPDIR is unset or relative). 0, or LB_ENOSPC. */
int lb__flock_dir_path(char *buf, size_t size);

/* Take the lease of @port/@proto in directory @dirfd: *ret_fd holds it
 * (close-on-exec). LB_ELEASED when another open file holds it, LB_EPERM
 * when the file is not a regular file of ours, LB_EINVAL, LB_EIO. */
int lb__flock_take(int dirfd, uint16_t port, int proto, int *ret_fd);

#endif
