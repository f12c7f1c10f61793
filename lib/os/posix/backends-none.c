/* SPDX-License-Identifier: MIT */
/* An OS without a socket-table backend yet (lib/meson.build picks this
 * for any host it has none for): every query says LB_ENOBACKEND, and
 * lb__process_info() LB_ENOTSUP. */
#include "sockets/backend.h"

const struct lb__backend *lb__os_backend(size_t i)
{
	(void)i;
	return NULL;
}
