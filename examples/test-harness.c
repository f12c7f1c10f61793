/* SPDX-License-Identifier: MIT */
/*
 * A test harness that needs a group of consecutive ports (a server with
 * a data port next to its control port, a small cluster): reserve them at
 * once, hand one to each child process, and let the children hold them.
 * The parent drops its own copy of the lease: the ports stay leased as
 * long as the children live, so no other libloopback picker on the host
 * (another test run in parallel) is given one of them meanwhile.
 *
 *   cc test-harness.c $(pkg-config --cflags --libs loopback)
 *   ./test-harness [COUNT]     # default 3 workers; exit 0 when all checks pass
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <loopback.h>

#define MAX_WORKERS 16

/* A worker: listen on its port and answer "who" with a line naming
 * itself, then exit. Connections that send nothing (the probes of
 * lb_wait(), which close with a reset) are skipped. */
static int worker(const lb_lease *lease, size_t index)
{
	char line[64], req[16];
	int fd, c, r;

	alarm(20); /* bounded, whatever happens to the parent */
	r = lb_lease_listen(lease, index, LB_PICK_TCP, NULL, &fd);
	if (r < 0) {
		fprintf(stderr, "worker %zu: %s\n", index, lb_strerror(r));
		return 1;
	}
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			return 1;
		if (read(c, req, sizeof(req)) > 0)
			break;
		close(c);
	}
	snprintf(line, sizeof(line), "worker %zu port %u\n", index, lb_lease_port(lease, index));
	r = write(c, line, strlen(line)) == (ssize_t)strlen(line) ? 0 : 1;
	close(c);
	close(fd);
	return r;
}

/* Ask a worker who it is. */
static int ask(uint16_t port, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	lb_addr lo;
	ssize_t n;
	int fd, len;

	if (lb_addr_parse("127.0.0.1", 9, &lo, NULL) < 0 ||
	    lb_wait(&lo, port, LB_WAIT_ACCEPTING, 10000) < 0 ||
	    (len = lb_addr_to_sockaddr(&lo, port, sizeof(ss), (struct sockaddr *)&ss)) < 0)
		return -1;
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, (socklen_t)len) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (write(fd, "who\n", 4) != 4) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	lb_pick_options opt = LB_PICK_OPTIONS_INIT;
	uint16_t ports[MAX_WORKERS];
	pid_t pids[MAX_WORKERS];
	lb_lease *lease;
	size_t i, n = argc > 1 ? (size_t)atoi(argv[1]) : 3;
	int r, failed = 0;

	if (n < 1 || n > MAX_WORKERS) {
		fprintf(stderr, "usage: %s [COUNT 1..%d]\n", argv[0], MAX_WORKERS);
		return 2;
	}
	opt.count = (uint32_t)n;
	opt.flags = LB_PICK_CONTIGUOUS;
	r = lb_port_pick(&opt, &lease);
	if (r < 0) {
		fprintf(stderr, "test-harness: %s\n", lb_strerror(r));
		return 1;
	}
	for (i = 0; i < n; i++) {
		ports[i] = lb_lease_port(lease, i);
		if (i > 0 && ports[i] != ports[i - 1] + 1) {
			fprintf(stderr, "ports %u and %u are not consecutive\n", ports[i - 1], ports[i]);
			failed = 1;
		}
	}
	printf("reserved ports %u-%u\n", ports[0], ports[n - 1]);

	/* Each child inherits the lease descriptors with fork() (with exec,
	 * call lb_lease_set_inherit(lease, 1) first) and so holds them all. */
	fflush(stdout);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			_exit(worker(lease, i));
		if (pids[i] < 0) {
			perror("fork");
			return 1;
		}
	}
	lb_lease_release(lease); /* our copy only: the children still hold the ports */

	for (i = 0; i < n; i++) {
		char want[64], got[64];
		int holders[MAX_WORKERS + 1];

		r = lb_lease_holders(ports[i], LB_PICK_TCP, holders, MAX_WORKERS + 1);
		if (r < 1 || holders[0] == (int)getpid()) {
			fprintf(stderr, "port %u: the lease is not held by the workers (%d)\n", ports[i], r);
			failed = 1;
		}
		snprintf(want, sizeof(want), "worker %zu port %u\n", i, ports[i]);
		if (ask(ports[i], got, sizeof(got)) < 0 || strcmp(got, want) != 0) {
			fprintf(stderr, "port %u: no answer, or not from worker %zu\n", ports[i], i);
			failed = 1;
		} else {
			printf("port %u: %s (lease held by %d process%s)\n", ports[i],
			       strtok(got, "\n"), r, r == 1 ? "" : "es");
		}
	}
	for (i = 0; i < n; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed = 1;
	}
	/* Every worker is gone: the kernel has dropped its leases. */
	for (i = 0; i < n; i++) {
		if (lb_lease_holders(ports[i], LB_PICK_TCP, NULL, 0) != LB_ENOENT) {
			fprintf(stderr, "port %u is still leased after its worker exited\n", ports[i]);
			failed = 1;
		}
	}
	printf("%s\n", failed ? "FAILED" : "ok");
	return failed;
}
