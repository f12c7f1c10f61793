/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers shared by the library's modules. Never installed.
 * Internal non-static functions are named lb__* and are not exported
 * (-fvisibility=hidden; only LB_EXPORT symbols in libloopback.sym are).
 */
#ifndef LB_INTERNAL_H
#define LB_INTERNAL_H

#include <stddef.h>

#include "loopback.h"

#define LB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Argument checks at the top of public functions, sd-bus style: a bad
 * argument is an error code, never a crash. */
#define lb_return_if(cond, err) \
	do {                    \
		if (cond)       \
			return (err); \
	} while (0)

/* The common errno -> LB_E* mapping (lib/core/error.c): ENOENT, ENOTDIR and
 * ESRCH are LB_ENOENT, EACCES and EPERM LB_EPERM, ENOMEM and ENOBUFS
 * LB_ENOMEM, EMFILE and ENFILE LB_EMFILE, anything else LB_EIO. Callers
 * handle first what means more to them (EADDRINUSE, ELOOP...). */
int lb__errno_code(int e);

/* The same for the errno of a bind() or socket() call, where a refusal is
 * about the address, not about reading something: EADDRINUSE,
 * EADDRNOTAVAIL, EACCES and EPERM (LB_EACCES: privileged port or OS
 * policy), EAFNOSUPPORT and EPROTONOSUPPORT (LB_EAFNOSUPPORT), the rest as
 * lb__errno_code(). */
int lb__errno_bind_code(int e);

/* lb__secure_getenv(): getenv() for the library, NULL in a setuid or
 * setgid program; per OS (lib/os/env.h). */
#include "os/env.h"

#endif /* LB_INTERNAL_H */
