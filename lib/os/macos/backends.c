/* SPDX-License-Identifier: MIT */
/* The socket-table backend of macOS (lib/sockets/backend.h). */
#include "sockets/backend.h"
#include "os/macos/libproc.h"

const struct lb__backend *const lb__os_backends[] = {
	&lb__backend_libproc,
};
const size_t lb__n_os_backends = sizeof(lb__os_backends) / sizeof(lb__os_backends[0]);
