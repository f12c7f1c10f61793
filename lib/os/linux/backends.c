/* SPDX-License-Identifier: MIT */
/* The socket-table backends of Linux, in the order they are tried
 * (lib/sockets/backend.h): sock_diag, then /proc/net. */
#include "sockets/backend.h"
#include "os/linux/netlink.h"
#include "os/linux/procfs.h"

const struct lb__backend *const lb__os_backends[] = {
	&lb__backend_netlink,
	&lb__backend_procfs,
};
const size_t lb__n_os_backends = sizeof(lb__os_backends) / sizeof(lb__os_backends[0]);
