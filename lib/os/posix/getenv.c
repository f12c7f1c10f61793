/* SPDX-License-Identifier: MIT */
/* The POSIX side of lib/os/env.h. */
#include <stdlib.h>
#include <unistd.h>

#include "os/env.h"

const char *lb__secure_getenv(const char *name)
{
#if defined(__GLIBC__)
	return secure_getenv(name);
#else
	/* musl has secure_getenv() too, the BSDs and macOS issetugid(). */
	return issetugid() ? NULL : getenv(name);
#endif
}
