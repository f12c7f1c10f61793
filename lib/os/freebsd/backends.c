/* SPDX-License-Identifier: MIT */
/* The socket-table backend of FreeBSD (lib/sockets/backend.h). */
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"

const struct lb__backend *lb__os_backend(size_t i)
{
	static const struct lb__backend *const backends[] = {
		&lb__backend_sysctl,
	};

	return i < sizeof(backends) / sizeof(backends[0]) ? backends[i] : NULL;
}
