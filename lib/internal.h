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

#endif /* LB_INTERNAL_H */
