/* SPDX-License-Identifier: MIT */
/*
 * Test-only helper (built with -Dtest_doubles=true only), made setuid root
 * by tests/env/test-env-setuid.sh in a private directory: prints what the
 * library answers under the caller's environment, one fact per line, so
 * that the test can show the environment changes nothing for a setuid
 * program. Linked statically: a setuid program ignores LD_LIBRARY_PATH.
 */
#include <stdio.h>
#include <unistd.h>

#include <loopback.h>

int main(void)
{
	lb_socket_list *l = NULL;
	char dir[4096];
	int r;

	printf("euid %lu\n", (unsigned long)geteuid());
	r = lb_socket_list_get(NULL, &l);
	if (r == 0)
		printf("backend %s %zu\n", lb_socket_list_backend(l), lb_socket_list_count(l));
	else
		printf("backend error %s\n", lb_error_name(r));
	lb_socket_list_free(l);
	r = lb_lease_dir(dir, sizeof(dir));
	printf("lease_dir %s\n", r == 0 ? dir : lb_error_name(r));
	return 0;
}
