/* SPDX-License-Identifier: MIT */
/* Pick a port with the library pkg-config found, check it is usable, release it. */
#include <stdio.h>

#include <loopback.h>

int main(void)
{
	lb_lease *lease;
	uint16_t port;
	int r = lb_port_pick(NULL, &lease);

	if (r < 0) {
		fprintf(stderr, "pick-one: %s\n", lb_strerror(r));
		return 1;
	}
	port = lb_lease_port(lease, 0);
	r = lb_port_is_ephemeral(port);
	printf("picked port %u with libloopback %s\n", port, lb_version());
	lb_lease_release(lease);
	return port >= 1024 && r == 0 ? 0 : 1;
}
