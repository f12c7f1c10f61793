/* SPDX-License-Identifier: MIT */
/*
 * Latency of picking one port: lb_port_pick() + lb_lease_release() (pick,
 * lease, check TCP on IPv4 and IPv6), next to the racy bind(0)-and-close
 * that most pickers do. Prints "name median_us p99_us".
 *   bench-pick [N]
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <loopback.h>

#include "bench-time.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 2000, i;
	double *t = calloc((size_t)(n > 0 ? n : 1), sizeof(*t));
	lb_pick_options udp = LB_PICK_OPTIONS_INIT;

	if (!t || n <= 0)
		return 2;
	udp.protocols = LB_PICK_TCP | LB_PICK_UDP;
	for (i = 0; i < n; i++) {
		lb_lease *l;
		double a = now_us();

		if (lb_port_pick(NULL, &l) < 0)
			return 1;
		lb_lease_release(l);
		t[i] = now_us() - a;
	}
	report("lb_port_pick(tcp,ipv4+ipv6)+release", t, n);
	for (i = 0; i < n; i++) {
		lb_lease *l;
		double a = now_us();

		if (lb_port_pick(&udp, &l) < 0)
			return 1;
		lb_lease_release(l);
		t[i] = now_us() - a;
	}
	report("lb_port_pick(tcp+udp,ipv4+ipv6)+release", t, n);
	for (i = 0; i < n; i++) {
		struct sockaddr_in in;
		socklen_t len = sizeof(in);
		double a = now_us();
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		memset(&in, 0, sizeof(in));
		in.sin_family = AF_INET;
		if (bind(fd, (struct sockaddr *)&in, sizeof(in)) < 0 ||
		    getsockname(fd, (struct sockaddr *)&in, &len) < 0)
			return 1;
		close(fd);
		t[i] = now_us() - a;
	}
	report("bind(0)+getsockname+close(racy)", t, n);
	free(t);
	return 0;
}
