/* SPDX-License-Identifier: MIT */
/* The socket-table backends of Linux, in the order they are tried
 * (lib/sockets/backend.h): sock_diag, then /proc/net. */
#include "sockets/backend.h"
#include "os/linux/netlink.h"
#include "os/linux/procfs.h"

const struct lb__backend *lb__os_backend(size_t i)
{
	static const struct lb__backend *const backends[] = {
		&lb__backend_netlink,
		&lb__backend_procfs,
	};

	return i < sizeof(backends) / sizeof(backends[0]) ? backends[i] : NULL;
}
