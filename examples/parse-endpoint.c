/* SPDX-License-Identifier: MIT */
/*
 * Parse host:port strings the way a server's --listen option should:
 * strictly, with a precise error, then bind to the result.
 *
 *   cc parse-endpoint.c $(pkg-config --cflags --libs loopback)
 *   ./parse-endpoint 127.0.0.1:0 '[::1]:0' 010.1.1.1:80 localhost:8080
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <loopback.h>

static int try_one(const char *text)
{
	lb_parse_error err;
	lb_endpoint ep;
	struct sockaddr_storage ss;
	socklen_t sslen;
	char buf[LB_ENDPOINT_STRLEN];
	int r, fd;

	r = lb_endpoint_parse(text, strlen(text), &ep, &err);
	if (r < 0) {
		/* Show where the problem is: the offset is a byte index. */
		fprintf(stderr, "%s: %s\n  %s\n  %*s^\n", text, err.reason, text,
			(int)err.offset, "");
		return 1;
	}
	if (ep.kind == LB_HOST_NAME) {
		printf("%s: host name '%s', port %u (%s): resolve it with lb_resolve()\n", text,
		       ep.name, ep.port,
		       lb_class_name(lb_endpoint_classify(&ep)));
		return 0;
	}
	r = lb_endpoint_to_sockaddr(&ep, sizeof(ss), (struct sockaddr *)&ss);
	if (r < 0) {
		fprintf(stderr, "%s: %s\n", text, lb_strerror(r));
		return 1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, (socklen_t)r) < 0) {
		perror(text);
		if (fd >= 0)
			close(fd);
		return 1;
	}
	/* Read back what the kernel bound (port 0 becomes a real port). */
	sslen = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sslen);
	close(fd);
	if (lb_endpoint_from_sockaddr((struct sockaddr *)&ss, sslen, &ep) < 0 ||
	    lb_endpoint_format(&ep, buf, sizeof(buf)) < 0)
		return 1;
	printf("%s: bound %s (%s address, port %s)\n", text, buf,
	       lb_class_name(lb_endpoint_classify(&ep)),
	       lb_port_class_name(lb_port_classify(ep.port)));
	return 0;
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s HOST:PORT...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		failed |= try_one(argv[i]);
	return failed;
}
