/* SPDX-License-Identifier: MIT */
/*
 * Test helper: pick ports with the public API and hold the leases until
 * stdin reaches end of file, so that many processes hold at once.
 *   lb-pick-hold [--rounds R] [--count N] [--contiguous] [--udp]
 *                [--range A-B] [--release-exhausted]
 * Prints one line per round: "ports P1 P2 ..." or "exhausted", then
 * "ready". Exit 0, or 2 on an unexpected error.
 *   lb-pick-hold [OPTIONS] --exec CMD [ARGS...]
 * Picks once and executes CMD with the lease ($PORT, the first port):
 * CMD is then the lease's only holder, which `loopback run` (the lease's
 * other holder while its command runs) cannot offer. The first port's
 * lease descriptors are fd 9 (TCP) and 8 (UDP), so a shell CMD can start
 * children without them (`cmd 9>&- 8>&-`) and exec the program that must
 * hold the lease alone. Exit 1 when no port was found, 2 on an error, 127
 * when CMD could not be executed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <loopback.h>

/* Pass the lease of the first port on @protocol to the executed program
 * as descriptor @target, and only as that one (the lease's own stay
 * close-on-exec). */
static int inherit_as(const lb_lease *l, unsigned protocol, int target)
{
	int fd;

	if (!(lb_lease_protocols(l) & protocol))
		return 0;
	fd = lb_lease_fd(l, 0, protocol);
	if (fd == target)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, target) < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	lb_pick_options o = LB_PICK_OPTIONS_INIT;
	lb_lease **held;
	unsigned long rounds = 1, r;
	char buf[256];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			o.count = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--contiguous") == 0)
			o.flags |= LB_PICK_CONTIGUOUS;
		else if (strcmp(argv[i], "--udp") == 0)
			o.protocols |= LB_PICK_UDP;
		else if (strcmp(argv[i], "--range") == 0 && i + 1 < argc) {
			unsigned a, b;

			if (sscanf(argv[++i], "%u-%u", &a, &b) != 2)
				return 2;
			o.first = (uint16_t)a;
			o.last = (uint16_t)b;
		} else if (strcmp(argv[i], "--exec") == 0 && i + 1 < argc) {
			lb_lease *l = NULL;
			char port[8];
			int e = lb_port_pick(&o, &l);

			if (e < 0) {
				fprintf(stderr, "lb-pick-hold: %s\n", lb_strerror(e));
				return e == LB_EEXHAUSTED ? 1 : 2;
			}
			snprintf(port, sizeof(port), "%u", (unsigned)lb_lease_port(l, 0));
			if (setenv("PORT", port, 1) < 0 ||
			    inherit_as(l, LB_PICK_TCP, 9) < 0 || inherit_as(l, LB_PICK_UDP, 8) < 0)
				return 2;
			execvp(argv[i + 1], argv + i + 1);
			perror("lb-pick-hold: exec");
			return 127;
		} else {
			fprintf(stderr, "lb-pick-hold: bad argument %s\n", argv[i]);
			return 2;
		}
	}
	held = calloc(rounds ? rounds : 1, sizeof(*held));
	if (!held)
		return 2;
	for (r = 0; r < rounds; r++) {
		int e = lb_port_pick(&o, &held[r]);
		size_t k;

		if (e == LB_EEXHAUSTED) {
			puts("exhausted");
			continue;
		}
		if (e < 0) {
			fprintf(stderr, "lb-pick-hold: %s\n", lb_strerror(e));
			return 2;
		}
		fputs("ports", stdout);
		for (k = 0; k < lb_lease_count(held[r]); k++)
			printf(" %u", (unsigned)lb_lease_port(held[r], k));
		putchar('\n');
	}
	puts("ready");
	fflush(stdout);
	while (read(0, buf, sizeof(buf)) > 0)
		;
	for (r = 0; r < rounds; r++)
		lb_lease_release(held[r]);
	free(held);
	return 0;
}
