/* SPDX-License-Identifier: MIT */
/* What every POSIX system shares of lib/os/ports.h. */
#include "core/internal.h"
#include "os/ports.h"

/* An ephemeral range that cannot be read is none: nothing to avoid. */
int lb__os_ephemeral_default(uint16_t *ret_first, uint16_t *ret_last)
{
	(void)ret_first;
	(void)ret_last;
	return LB_ENOTSUP;
}

enum lb__bind_denied lb__os_bind_denied(void)
{
	return LB__BIND_DENIED_PRIVILEGED;
}
