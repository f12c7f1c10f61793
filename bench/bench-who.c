/* SPDX-License-Identifier: MIT */
/*
 * bench-who: time the socket API in-process on a busy host, checking every
 * answer against busyhost's manifest. Used by bench/run-who.py.
 *
 *   bench-who MANIFEST who PORT [--runs N]  owners of the TCP listener on PORT
 *   bench-who MANIFEST ls [--runs N]        every listener, with owners
 *   bench-who MANIFEST pid PID [--runs N]   the TCP sockets of one process
 *
 * Prints "samples_ms: T1 T2 ..." (one per run: building the query,
 * lb_socket_list_get and freeing; the check is not timed) and exits 0, or names the first wrong answer and exits 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <loopback.h>

struct listen_rec {
	uint32_t pid;
	uint16_t port;
};

struct manifest {
	struct listen_rec *lis;
	size_t nlis;
	/* local ports each worker's sockets are on: listeners, accepted ends
	 * (the listener's port) and client ends */
	struct { uint32_t pid; uint16_t port; } *held;
	size_t nheld;
};

static void *grow(void *p, size_t n, size_t size)
{
	/* doubling at powers of two */
	if (n == 0 || (n & (n - 1)) == 0) {
		p = realloc(p, (n ? 2 * n : 16) * size);
		if (!p) {
			fputs("bench-who: out of memory\n", stderr);
			exit(2);
		}
	}
	return p;
}

static void add_held(struct manifest *m, uint32_t pid, uint16_t port)
{
	m->held = grow(m->held, m->nheld, sizeof(*m->held));
	m->held[m->nheld].pid = pid;
	m->held[m->nheld].port = port;
	m->nheld++;
}

static void read_manifest(const char *path, struct manifest *m)
{
	char line[512];
	FILE *f = fopen(path, "re");

	if (!f) {
		perror(path);
		exit(2);
	}
	memset(m, 0, sizeof(*m));
	while (fgets(line, sizeof(line), f)) {
		unsigned idx, fam, cidx, sidx, cport, sport, port;
		unsigned long pid, cpid, spid;
		char addr[64];

		if (sscanf(line, "listen\t%u\t%lu\t%u\t%63s\t%u", &idx, &pid, &fam, addr,
			   &port) == 5) {
			m->lis = grow(m->lis, m->nlis, sizeof(*m->lis));
			m->lis[m->nlis].pid = (uint32_t)pid;
			m->lis[m->nlis].port = (uint16_t)port;
			m->nlis++;
			add_held(m, (uint32_t)pid, (uint16_t)port);
		} else if (sscanf(line, "conn\t%u\t%u\t%u\t%lu\t%u\t%u\t%lu\t%u", &idx, &fam,
				  &cidx, &cpid, &cport, &sidx, &spid, &sport) == 8) {
			add_held(m, (uint32_t)cpid, (uint16_t)cport);
			add_held(m, (uint32_t)spid, (uint16_t)sport);
		}
	}
	fclose(f);
	if (m->nlis == 0) {
		fprintf(stderr, "bench-who: no listeners in %s\n", path);
		exit(2);
	}
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int has_owner(const lb_socket *s, uint32_t pid)
{
	size_t i;

	for (i = 0; i < lb_socket_owner_count(s); i++)
		if (lb_owner_pid(lb_socket_owner_at(s, i)) == pid)
			return 1;
	return 0;
}

/* who: exactly one socket, owned by exactly the manifest's pid. */
static int check_who(const lb_socket_list *l, uint16_t port, uint32_t pid, char *why, size_t n)
{
	const lb_socket *s;

	if (lb_socket_list_count(l) != 1) {
		snprintf(why, n, "%zu sockets on port %u, want 1", lb_socket_list_count(l), port);
		return 0;
	}
	s = lb_socket_list_at(l, 0);
	if (lb_socket_owner_count(s) != 1 || !has_owner(s, pid)) {
		snprintf(why, n, "port %u: %zu owners (first %" PRIu32 "), want pid %" PRIu32,
			 port, lb_socket_owner_count(s),
			 lb_owner_pid(lb_socket_owner_at(s, 0)), pid);
		return 0;
	}
	return 1;
}

/* ls: every manifest listener is listed with its owner. */
static int check_ls(const lb_socket_list *l, const struct manifest *m, char *why, size_t n)
{
	static uint32_t owner_of[65536];
	size_t i;

	memset(owner_of, 0, sizeof(owner_of));
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		if (lb_socket_protocol(s) == LB_PROTO_TCP && lb_socket_state(s) == LB_STATE_LISTEN &&
		    lb_socket_owner_count(s) > 0)
			owner_of[lb_socket_local_port(s)] = lb_owner_pid(lb_socket_owner_at(s, 0));
	}
	for (i = 0; i < m->nlis; i++) {
		if (owner_of[m->lis[i].port] != m->lis[i].pid) {
			snprintf(why, n, "listener on port %u: owner %" PRIu32 ", want %" PRIu32,
				 m->lis[i].port, owner_of[m->lis[i].port], m->lis[i].pid);
			return 0;
		}
	}
	return 1;
}

/* pid: the set of local ports equals the manifest's for that pid, and
 * every socket names it as an owner. */
static int check_pid(const lb_socket_list *l, const struct manifest *m, uint32_t pid, char *why,
		     size_t n)
{
	static unsigned char want[65536], got[65536];
	size_t i;

	memset(want, 0, sizeof(want));
	memset(got, 0, sizeof(got));
	for (i = 0; i < m->nheld; i++)
		if (m->held[i].pid == pid)
			want[m->held[i].port] = 1;
	for (i = 0; i < lb_socket_list_count(l); i++) {
		const lb_socket *s = lb_socket_list_at(l, i);

		if (!has_owner(s, pid)) {
			snprintf(why, n, "socket on port %u listed without pid %" PRIu32,
				 lb_socket_local_port(s), pid);
			return 0;
		}
		got[lb_socket_local_port(s)] = 1;
	}
	for (i = 0; i < 65536; i++) {
		if (want[i] != got[i]) {
			snprintf(why, n, "port %zu %s", i, want[i] ? "missing" : "not expected");
			return 0;
		}
	}
	return 1;
}

static void usage(void)
{
	fputs("usage: bench-who MANIFEST who PORT | ls | pid PID [--runs N]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct manifest m;
	const char *mode;
	unsigned long arg = 0, runs = 11, i;
	uint32_t want_pid = 0;
	double *samples;
	int argi;

	if (argc < 3)
		usage();
	read_manifest(argv[1], &m);
	mode = argv[2];
	argi = 3;
	if (strcmp(mode, "who") == 0 || strcmp(mode, "pid") == 0) {
		if (argc < 4)
			usage();
		arg = strtoul(argv[3], NULL, 10);
		argi = 4;
	} else if (strcmp(mode, "ls") != 0) {
		usage();
	}
	if (argi + 1 < argc && strcmp(argv[argi], "--runs") == 0)
		runs = strtoul(argv[argi + 1], NULL, 10);
	else if (argi != argc)
		usage();
	if (runs < 1 || runs > 100000)
		usage();
	if (strcmp(mode, "who") == 0) {
		for (i = 0; i < m.nlis; i++)
			if (m.lis[i].port == arg)
				want_pid = m.lis[i].pid;
		if (!want_pid) {
			fprintf(stderr, "bench-who: port %lu is not in the manifest\n", arg);
			return 2;
		}
	}
	samples = calloc(runs, sizeof(*samples));
	if (!samples)
		return 2;

	for (i = 0; i < runs; i++) {
		lb_query *q = NULL;
		lb_socket_list *l = NULL;
		char why[256] = "";
		double t0 = now_ms(), t1, t2;
		int r, good;

		r = lb_query_new(&q);
		if (r == 0 && strcmp(mode, "who") == 0) {
			r = lb_query_set_protocols(q, LB_PROTO_TCP);
			if (r == 0)
				r = lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN));
			if (r == 0)
				r = lb_query_set_local_port(q, (uint16_t)arg);
		} else if (r == 0 && strcmp(mode, "ls") == 0) {
			/* what ss -tulpn shows: TCP listeners and unconnected UDP */
			r = lb_query_set_states(q, LB_STATE_BIT(LB_STATE_LISTEN) |
						   LB_STATE_BIT(LB_STATE_CLOSE));
		} else if (r == 0) {
			r = lb_query_set_protocols(q, LB_PROTO_TCP);
			if (r == 0)
				r = lb_query_set_pid(q, (uint32_t)arg, 0);
		}
		if (r == 0)
			r = lb_socket_list_get(q, &l);
		t1 = now_ms();
		if (r < 0) {
			fprintf(stderr, "bench-who: %s: %s\n", mode, lb_strerror(r));
			return 1;
		}
		/* The check is not timed; freeing is. */
		if (strcmp(mode, "who") == 0)
			good = check_who(l, (uint16_t)arg, want_pid, why, sizeof(why));
		else if (strcmp(mode, "ls") == 0)
			good = check_ls(l, &m, why, sizeof(why));
		else
			good = check_pid(l, &m, (uint32_t)arg, why, sizeof(why));
		t2 = now_ms();
		lb_socket_list_free(l);
		lb_query_free(q);
		samples[i] = (t1 - t0) + (now_ms() - t2);
		if (!good) {
			fprintf(stderr, "bench-who: wrong answer in run %lu: %s\n", i + 1, why);
			return 1;
		}
	}
	printf("samples_ms:");
	for (i = 0; i < runs; i++)
		printf(" %.3f", samples[i]);
	printf("\n");
	free(samples);
	free(m.lis);
	free(m.held);
	return 0;
}
