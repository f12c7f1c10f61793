/* SPDX-License-Identifier: MIT */
/* The socket-table backend of FreeBSD (lib/sockets/backend.h). */
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"

const struct lb__backend *const lb__os_backends[] = {
	&lb__backend_sysctl,
};
const size_t lb__n_os_backends = sizeof(lb__os_backends) / sizeof(lb__os_backends[0]);
