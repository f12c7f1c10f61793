/* SPDX-License-Identifier: MIT */
/* The Windows side of lib/os/env.h: no setuid programs there. */
#include <stdlib.h>

#include "os/env.h"

const char *lb__secure_getenv(const char *name)
{
	return getenv(name);
}
