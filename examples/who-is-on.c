/* SPDX-License-Identifier: MIT */
/*
 * Who is on this port? The sockets bound to a local port, with the
 * processes that hold them: `loopback who PORT` in a dozen lines.
 *
 *   cc who-is-on.c $(pkg-config --cflags --libs loopback)
 *   ./who-is-on 8080
 */
#include <stdio.h>
#include <stdlib.h>

#include <loopback.h>

int main(int argc, char **argv)
{
	lb_query *q = NULL;
	lb_socket_list *list;
	size_t i, j;
	int r;

	if (argc != 2 || atoi(argv[1]) < 1 || atoi(argv[1]) > 65535) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	if ((r = lb_query_new(&q)) < 0 ||
	    (r = lb_query_set_local_port(q, (uint16_t)atoi(argv[1]))) < 0 ||
	    (r = lb_socket_list_get(q, &list)) < 0) {
		fprintf(stderr, "who-is-on: %s\n", lb_strerror(r));
		lb_query_free(q);
		return 1;
	}
	for (i = 0; i < lb_socket_list_count(list); i++) {
		const lb_socket *s = lb_socket_list_at(list, i);
		char addr[LB_ADDR_STRLEN];

		lb_addr_format(lb_socket_local_addr(s), addr, sizeof(addr));
		printf("%s %s %s port %u\n", lb_socket_protocol(s) == LB_PROTO_TCP ? "tcp" : "udp",
		       lb_state_name(lb_socket_protocol(s), lb_socket_state(s)), addr,
		       lb_socket_local_port(s));
		for (j = 0; j < lb_socket_owner_count(s); j++) {
			const lb_owner *o = lb_socket_owner_at(s, j);
			printf("  pid %u %s (user %s)\n", lb_owner_pid(o), lb_owner_name(o),
			       lb_owner_user(o));
		}
		if (lb_socket_owner_error(s) == LB_EPERM)
			printf("  owner hidden: run as root to see it\n");
	}
	lb_socket_list_free(list);
	lb_query_free(q);
	return 0;
}
