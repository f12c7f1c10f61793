/* SPDX-License-Identifier: MIT */
/*
 * The one user-name lookup: the name of a user id, for the owners of
 * sockets. POSIX (lib/os/posix/user.c, getpwuid_r) for Linux, macOS and
 * FreeBSD. Windows has no user ids: its backend names a process's user
 * from the process's token (lib/os/windows/iphlpapi.c) and does not use
 * this.
 */
#ifndef LB_OS_USER_H
#define LB_OS_USER_H

#include <stddef.h>
#include <stdint.h>

/* The last few names looked up, for a caller that describes many
 * processes at once (most belong to a handful of users). Zero it before
 * use; free with lb__user_cache_free(). */
struct lb__user_cache {
	uint32_t uid[16];
	char *name[16];
	size_t n;
};

/* The name of user @uid, or its number in decimal when it has none: a
 * malloc'd string, NULL only when out of memory. @cache may be NULL. */
char *lb__user_name(uint32_t uid, struct lb__user_cache *cache);
void lb__user_cache_free(struct lb__user_cache *cache);

#endif /* LB_OS_USER_H */
