/* SPDX-License-Identifier: MIT */
/* The pure part of Linux's abstract-socket leases (lib/os/linux/lease-parse.c). */
#ifndef LB_LINUX_LEASE_PARSE_H
#define LB_LINUX_LEASE_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Longest lease name: "loopback/lease/tcp/65535" plus NUL. */
#define LB_LEASE_NAME_MAX 32

/* The lease name of a port, without the leading NUL/@ of an abstract
 * socket: "loopback/lease/tcp/62893". 0, LB_EINVAL, LB_ENOSPC. */
int lb__lease_name(char *buf, size_t size, uint16_t port, unsigned protocol);

/* Find the socket inode of the abstract AF_UNIX socket @path ("@name")
 * in the text of /proc/net/unix. Pure. 0 and *ret_inode, LB_ENOENT when
 * absent, LB_EBADDATA when the text is not that table. */
int lb__unix_table_find(const char *text, size_t len, const char *path,
			uint64_t *ret_inode);

#endif /* LB_LINUX_LEASE_PARSE_H */
