/* SPDX-License-Identifier: MIT */
/*
 * What the kernel settings cost a pick: every lb_port_pick() reads
 * ip_local_reserved_ports, ip_unprivileged_port_start and
 * ip_local_port_range (and marks the excluded ports), and
 * conf/lo/disable_ipv6, each once. Times those steps alone (bench-pick
 * times the whole pick) to decide whether caching them would pay. Prints
 * "name median_us p99_us".
 *   bench-pick-sysctl [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ports/pick-internal.h"
#include "core/read-file.h"
#include <loopback.h>

#include "bench-time.h"

int main(int argc, char **argv)
{
	static uint8_t set[LB_PORT_SET_BYTES];
	int n = argc > 1 ? atoi(argv[1]) : 2000, i;
	double *t = calloc((size_t)(n > 0 ? n : 1), sizeof(*t));
	char buf[64];
	size_t len;
	uint16_t first, last;

	if (!t || n <= 0)
		return 2;
	for (i = 0; i < n; i++) {
		double a = now_us();

		memset(set, 0, sizeof(set));
		if (lb__pick_exclusions(set, &first) < 0)
			return 1;
		t[i] = now_us() - a;
	}
	report("exclusions(reserved+unprivileged_start+local_port_range,parsed)", t, n);
	for (i = 0; i < n; i++) {
		double a = now_us();

		if (lb_port_ephemeral_range(&first, &last) < 0)
			return 1;
		t[i] = now_us() - a;
	}
	report("lb_port_ephemeral_range(one_sysctl_read)", t, n);
	for (i = 0; i < n; i++) {
		double a = now_us();

		if (lb__read_small("/proc/sys/net/ipv6/conf/lo/disable_ipv6", buf, sizeof(buf),
				   &len) < 0)
			return 1;
		t[i] = now_us() - a;
	}
	report("read(disable_ipv6)", t, n);
	free(t);
	return 0;
}
