/* SPDX-License-Identifier: MIT */
/*
 * The environment as the library may read it: lib/os/posix/getenv.c and
 * lib/os/windows/getenv.c. Declared for every library file through
 * lib/core/internal.h.
 */
#ifndef LB_OS_ENV_H
#define LB_OS_ENV_H

/* getenv() for the library: NULL in a setuid or setgid program (glibc's
 * secure_getenv(); elsewhere issetugid() decides; Windows has no such
 * programs), so that no variable changes what a privileged caller reads
 * or answers. */
const char *lb__secure_getenv(const char *name);

#endif /* LB_OS_ENV_H */
