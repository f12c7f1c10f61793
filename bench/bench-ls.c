/* SPDX-License-Identifier: MIT */
/*
 * bench-ls: what `loopback ls` costs besides the owner scan, in-process,
 * on whatever socket table the host has (bench/busyhost for a busy one):
 *
 *   bench-ls api [--owners] [--listening] [--runs N]
 *       lb_socket_list_get() with owners off (or the default owners):
 *       building the query, the call, freeing the list.
 *   bench-ls json|table [--listening] [--runs N]
 *       the CLI's own writers (tools/socket-out.c, linked in) on one list
 *       taken once without owners: every socket to /dev/null through a
 *       stdio stream buffered as `loopback ls` buffers stdout.
 *
 * Prints "sockets: N", "samples_ms: T1 T2 ..." (wall clock per run) and
 * "cpu_ms: T1 T2 ..." (user + system time of this process per run).
 * Run by bench/run-startup.sh; see bench/README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <loopback.h>

#include "../tools/cli.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static lb_socket_list *get(int owners, int listening)
{
	lb_query *q = NULL;
	lb_socket_list *l = NULL;
	int r = lb_query_new(&q);

	if (r == 0 && !owners)
		r = lb_query_set_owners(q, LB_OWNERS_NONE);
	if (r == 0 && listening)
		r = lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) |
					   LB_STATE_BIT(LB_STATE_CLOSE));
	if (r == 0)
		r = lb_socket_list_get(q, &l);
	lb_query_free(q);
	if (r < 0) {
		fprintf(stderr, "bench-ls: %s\n", lb_strerror(r));
		exit(1);
	}
	return l;
}

static void usage(void)
{
	fputs("usage: bench-ls api|json|table [--owners] [--listening] [--runs N]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode;
	unsigned long runs = 11, i;
	int owners = 0, listening = 0, argi;
	double *wall, *cpu;
	size_t count = 0;
	lb_socket_list *l = NULL;
	FILE *null = NULL;

	if (argc < 2)
		usage();
	mode = argv[1];
	if (strcmp(mode, "api") != 0 && strcmp(mode, "json") != 0 && strcmp(mode, "table") != 0)
		usage();
	for (argi = 2; argi < argc; argi++) {
		if (strcmp(argv[argi], "--owners") == 0 && strcmp(mode, "api") == 0)
			owners = 1;
		else if (strcmp(argv[argi], "--listening") == 0)
			listening = 1;
		else if (strcmp(argv[argi], "--runs") == 0 && argi + 1 < argc)
			runs = strtoul(argv[++argi], NULL, 10);
		else
			usage();
	}
	if (runs < 1 || runs > 100000)
		usage();
	wall = calloc(runs, sizeof(*wall));
	cpu = calloc(runs, sizeof(*cpu));
	if (!wall || !cpu)
		return 2;
	if (strcmp(mode, "api") != 0) {
		l = get(0, listening);
		null = fopen("/dev/null", "w");
		if (!null || lb_cli_listing_buffer(null) != 0) {
			perror("/dev/null");
			return 2;
		}
	}
	for (i = 0; i < runs; i++) {
		double t0 = now_ms(), c0 = cpu_ms();
		size_t k, n;

		if (!l) {
			lb_socket_list *one = get(owners, listening);

			count = lb_socket_list_count(one);
			lb_socket_list_free(one);
		} else if (strcmp(mode, "json") == 0) {
			n = lb_socket_list_count(l);
			fputc('[', null);
			for (k = 0; k < n; k++) {
				if (k)
					fputc(',', null);
				lb_cli_socket_json(null, lb_socket_list_at(l, k), lb_socket_list_owner_scan(l), NULL, 0);
			}
			fputs("]\n", null);
			fflush(null);
			count = n;
		} else {
			n = lb_socket_list_count(l);
			lb_cli_table_header(null);
			for (k = 0; k < n; k++)
				lb_cli_table_row(null, lb_socket_list_at(l, k));
			fflush(null);
			count = n;
		}
		wall[i] = now_ms() - t0;
		cpu[i] = cpu_ms() - c0;
	}
	printf("sockets: %zu\nsamples_ms:", count);
	for (i = 0; i < runs; i++)
		printf(" %.3f", wall[i]);
	printf("\ncpu_ms:");
	for (i = 0; i < runs; i++)
		printf(" %.3f", cpu[i]);
	printf("\n");
	if (null)
		fclose(null);
	lb_socket_list_free(l);
	free(wall);
	free(cpu);
	return 0;
}
