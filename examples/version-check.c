/* SPDX-License-Identifier: MIT */
/*
 * The smallest program linked against libloopback: check that the library
 * found at run time is at least the one we compiled against.
 *
 *   cc version-check.c $(pkg-config --cflags --libs loopback)
 */
#include <stdio.h>

#include <loopback.h>

int main(void)
{
	if (lb_version_number() < LB_VERSION_NUMBER) {
		fprintf(stderr, "libloopback %s is older than the headers (%s)\n",
			lb_version(), LB_VERSION_STRING);
		return 1;
	}
	printf("libloopback %s\n", lb_version());
	printf("%d = %s: %s\n", LB_EADDRINUSE, lb_error_name(LB_EADDRINUSE),
	       lb_strerror(LB_EADDRINUSE));
	return 0;
}
