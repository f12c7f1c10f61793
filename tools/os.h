/* SPDX-License-Identifier: MIT */
/*
 * What the tool does differently per OS, one declaration each; the files
 * are chosen by tools/meson.build, never by #if: tools/os/posix/ or
 * tools/os/windows/ (with proc.c, starting commands: see cli.h), and
 * tools/os/linux/ or tools/os/no-linux/ for what only Linux has. They
 * implement lb_cli_now_ms() and lb_cli_getline() of cli.h too.
 */
#ifndef LB_CLI_OS_H
#define LB_CLI_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <loopback.h>

/* --user NAME: the uid of user @name into *@ret_uid: 0, or -1 after an
 * error line (no such user; Windows: no numeric user ids). */
int lb_cli_user_uid(const char *verb, const char *name, uint32_t *ret_uid);

/* Enter the network namespace of the namespace file @file (for --netns
 * @arg): 0, or -1 after an error line (Linux setns; elsewhere there are
 * no network namespaces). */
int lb_cli_setns(const char *verb, const char *arg, const char *file);

/* The lease backends besides flock, as " or NAME" for an error line
 * (Linux: " or abstract"), or "". */
const char *lb_cli_more_lease_backends(void);

/* Where leases are files (POSIX): when lb_lease_dir() said @r and taking
 * a lease failed with @err because of the directory @path, say so and
 * return true; false when there is nothing to say about a directory. */
bool lb_cli_lease_dir_error(const char *verb, int r, int err, char *path, size_t size);

/* The interface index of the zone of the IPv6 address @a, as the system
 * resolves it (lb_addr_to_sockaddr()): 0, or -1 when it names no
 * interface here. */
int lb_cli_zone_index(const lb_addr *a, unsigned long *ret_index);

/* Whether loopback run --listen-fds can pass sockets here; false after
 * an error line (Windows programs have no fds 3 and up). */
bool lb_cli_listen_fds_supported(void);

/* In a child of loopback run, before exec: die when @parent does (Linux
 * PR_SET_PDEATHSIG, and @parent still being the parent); nothing where
 * the OS cannot. 0, or -1 when it could not be set. */
int lb_cli_die_with_parent(long parent);

#endif /* LB_CLI_OS_H */
