/* SPDX-License-Identifier: MIT */
/*
 * A development server that needs no --port: pick a port (outside the
 * ephemeral range, skipped by every other libloopback picker while we
 * hold its lease), get a socket already listening on it, print the URL.
 * No window between choosing the port and binding it.
 *
 *   cc dev-server.c $(pkg-config --cflags --libs loopback)
 *   ./dev-server            # serves until killed
 *   ./dev-server 1 10       # serves 1 request, gives up after 10 s idle
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <loopback.h>

int main(int argc, char **argv)
{
	long max_requests = argc > 1 ? atol(argv[1]) : 0; /* 0: forever */
	int idle_ms = argc > 2 ? atoi(argv[2]) * 1000 : -1;
	lb_lease *lease;
	long served = 0;
	int fd, r;

	/* The few lines this example is about: pick + lease, then listen. */
	r = lb_port_pick(NULL, &lease);
	if (r == 0)
		r = lb_lease_listen(lease, 0, LB_PICK_TCP, NULL, &fd);
	if (r < 0) {
		fprintf(stderr, "dev-server: %s\n", lb_strerror(r));
		return 1;
	}
	printf("http://127.0.0.1:%u/\n", lb_lease_port(lease, 0));
	fflush(stdout);

	while (max_requests == 0 || served < max_requests) {
		struct pollfd p = { fd, POLLIN, 0 };
		char req[1024], body[128], resp[256];
		int c;

		if (poll(&p, 1, idle_ms) <= 0) {
			fprintf(stderr, "dev-server: no request within %d s\n", idle_ms / 1000);
			break;
		}
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		if (read(c, req, sizeof(req)) > 0) {
			snprintf(body, sizeof(body), "hello from pid %ld on port %u\n",
				 (long)getpid(), lb_lease_port(lease, 0));
			snprintf(resp, sizeof(resp), "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
				 "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
			if (write(c, resp, strlen(resp)) > 0)
				served++;
		}
		close(c);
	}
	close(fd);
	lb_lease_release(lease); /* the port is free for the next picker */
	return served > 0 || max_requests == 0 ? 0 : 1;
}
