/* SPDX-License-Identifier: MIT */
/*
 * busyhost: make this host (or the current network namespace) look busy,
 * reproducibly, so that "who is on this port" tools can be timed on it.
 *
 * It forks --procs worker processes that together hold --listeners TCP
 * listeners (on 127.0.0.1 and ::1, ports outside the kernel's ephemeral
 * range and its reserved ports), --conns established loopback connections
 * (client end in one worker, accepted end in another), and extra fds
 * (pipes, eventfds, /dev/null) so that the workers hold at least --fds
 * fds in all. The layout (which worker gets which port and which
 * connection) follows from --seed alone; where a chosen port is already
 * taken by someone else the next port of the worker's share is used.
 *
 * When everything is set up it writes the manifest (TSV, see below),
 * prints "ready" on stdout, and waits. It stops after --lifetime seconds,
 * or on SIGTERM/SIGINT/SIGHUP, by killing its own workers (and only them);
 * workers also die with it (PR_SET_PDEATHSIG) and on their own alarm.
 *
 * It changes no host setting: listeners use a backlog of LISTEN_BACKLOG
 * and connections are spread so that no listener ever has more pending
 * than that, which every kernel's net.core.somaxconn allows (>= 128).
 *
 * Manifest lines (tab-separated, '#' lines are comments):
 *   meta   KEY  VALUE
 *   proc   IDX  PID  NFDS                 (NFDS: fds the worker holds)
 *   listen IDX  PID  FAMILY  ADDR  PORT   (FAMILY 4 or 6)
 *   conn   CIDX FAMILY CLIENT_IDX CLIENT_PID CLIENT_PORT SERVER_IDX SERVER_PID SERVER_PORT
 * Linux only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LISTEN_BACKLOG 128
#define MAX_PENDING 64          /* connections per listener, < backlog */
#define FD_MARGIN 32            /* fds kept free under the hard limit */
#define SETUP_TIMEOUT 120       /* seconds a worker may take to set up */

struct options {
	unsigned procs, listeners, conns, fds, lifetime;
	uint64_t seed;
	const char *manifest;
};

struct listener {
	unsigned worker;
	int family;             /* AF_INET or AF_INET6 */
	uint16_t port;          /* the bound port, once bound */
	unsigned pending;       /* connections aimed at it */
	int fd;                 /* parent's fd until the fork */
};

struct conn {
	unsigned client, listener;
};

/* Per-worker results, in memory shared with the parent. */
struct worker_report {
	int status;             /* 0 running, 1 ready, -errno failure */
	unsigned nfds;
};

struct layout {
	struct listener *lis;
	struct conn *conns;
	unsigned *extras;       /* extra fds per worker */
	unsigned *lis_first;    /* first listener index of each worker */
	uint16_t eph_lo, eph_hi;
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("busyhost: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* splitmix64: small, seedable, the same everywhere. */
static uint64_t rnd_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rnd_below(uint64_t *s, unsigned n)
{
	return (unsigned)(rnd_next(s) % n);
}

static void read_ephemeral(uint16_t *lo, uint16_t *hi)
{
	unsigned a = 0, b = 0;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

	if (!f || fscanf(f, "%u %u", &a, &b) != 2 || a > b || b > 65535)
		die("cannot read /proc/sys/net/ipv4/ip_local_port_range");
	fclose(f);
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
}

/* Mark the ports of ip_local_reserved_ports ("1,2-5,...") in reserved[]. */
static void read_reserved(unsigned char *reserved)
{
	char buf[65536];
	char *p, *tok, *save = NULL;
	size_t n;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_reserved_ports", "re");

	if (!f)
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	for (p = buf; (tok = strtok_r(p, ",\n ", &save)); p = NULL) {
		unsigned a = 0, b = 0;

		if (sscanf(tok, "%u-%u", &a, &b) == 2 || (b = 0, sscanf(tok, "%u", &a) == 1)) {
			if (b < a)
				b = a;
			for (; a <= b && a <= 65535; a++)
				reserved[a] = 1;
		} else {
			die("cannot parse ip_local_reserved_ports near '%s'", tok);
		}
	}
}

static unsigned long parse_num(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || v > max || *s == '-')
		die("bad %s '%s'", what, s);
	if (*end == 's' && strcmp(what, "--lifetime") == 0)
		end++;
	if (*end)
		die("bad %s '%s'", what, s);
	return v;
}

static void usage(FILE *f)
{
	fputs("usage: busyhost [--procs N] [--listeners N] [--conns N] [--fds N]\n"
	      "                [--seed S] [--lifetime SECONDS] [--manifest PATH]\n"
	      "defaults: 400 procs, 10000 listeners, 8000 connections, 40000 fds,\n"
	      "seed 1, lifetime 300s, manifest busyhost.tsv\n"
	      "Prints \"ready\" once set up; stops after the lifetime or on SIGTERM.\n", f);
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "procs", required_argument, NULL, 'p' },
		{ "listeners", required_argument, NULL, 'l' },
		{ "conns", required_argument, NULL, 'c' },
		{ "fds", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "lifetime", required_argument, NULL, 't' },
		{ "manifest", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (struct options){ .procs = 400, .listeners = 10000, .conns = 8000,
			       .fds = 40000, .lifetime = 300, .seed = 1,
			       .manifest = "busyhost.tsv" };
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->procs = (unsigned)parse_num(optarg, "--procs", 4000); break;
		case 'l': o->listeners = (unsigned)parse_num(optarg, "--listeners", 60000); break;
		case 'c': o->conns = (unsigned)parse_num(optarg, "--conns", 200000); break;
		case 'f': o->fds = (unsigned)parse_num(optarg, "--fds", 10000000); break;
		case 's': o->seed = parse_num(optarg, "--seed", ~0UL); break;
		case 't': o->lifetime = (unsigned)parse_num(optarg, "--lifetime", 86400); break;
		case 'm': o->manifest = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc)
		die("unexpected argument '%s'", argv[optind]);
	if (o->procs < 1)
		die("--procs must be at least 1");
	if (o->lifetime < 1)
		die("--lifetime must be at least 1 second");
	if (o->conns > 0 && (o->procs < 2 || o->listeners < 1))
		die("connections need at least 2 procs and 1 listener");
	if (o->conns > (unsigned long)o->listeners * MAX_PENDING)
		die("too many connections for %u listeners (at most %u each)",
		    o->listeners, MAX_PENDING);
}

/*
 * The layout from the seed: listener l belongs to worker l*procs/listeners
 * (blocks, so workers differ by one at most), its family is a coin toss,
 * its port the next of a shuffled pool of usable ports (bound later);
 * connection c starts in worker c*procs/conns and goes to a random
 * listener of another worker that has room in its backlog.
 */
static void make_layout(const struct options *o, struct layout *ly, uint16_t **ret_pool,
			unsigned *ret_npool)
{
	static unsigned char reserved[65536];
	uint64_t rs = o->seed;
	uint16_t *pool;
	unsigned npool = 0, i;

	read_ephemeral(&ly->eph_lo, &ly->eph_hi);
	read_reserved(reserved);
	pool = calloc(65536, sizeof(*pool));
	ly->lis = calloc(o->listeners + 1, sizeof(*ly->lis));
	ly->conns = calloc(o->conns + 1, sizeof(*ly->conns));
	ly->extras = calloc(o->procs, sizeof(*ly->extras));
	ly->lis_first = calloc(o->procs + 1, sizeof(*ly->lis_first));
	if (!pool || !ly->lis || !ly->conns || !ly->extras || !ly->lis_first)
		die("out of memory");
	for (i = 1024; i <= 65535; i++)
		if ((i < ly->eph_lo || i > ly->eph_hi) && !reserved[i])
			pool[npool++] = (uint16_t)i;
	if (npool < o->listeners)
		die("only %u ports outside the ephemeral range, %u listeners wanted",
		    npool, o->listeners);
	for (i = npool - 1; i > 0; i--) {
		unsigned j = rnd_below(&rs, i + 1);
		uint16_t t = pool[i];

		pool[i] = pool[j];
		pool[j] = t;
	}
	for (i = 0; i < o->listeners; i++) {
		ly->lis[i].worker = (unsigned)((uint64_t)i * o->procs / o->listeners);
		ly->lis[i].family = (rnd_next(&rs) & 1) ? AF_INET6 : AF_INET;
		ly->lis[i].fd = -1;
	}
	for (unsigned w = 0, l = 0; w <= o->procs; w++) {
		while (l < o->listeners && ly->lis[l].worker < w)
			l++;
		ly->lis_first[w] = l;
	}
	for (i = 0; i < o->conns; i++) {
		unsigned client = (unsigned)((uint64_t)i * o->procs / o->conns), l, tries = 0;

		do {
			l = rnd_below(&rs, o->listeners);
			if (++tries > 1000000)
				die("cannot place connection %u", i);
		} while (ly->lis[l].worker == client || ly->lis[l].pending >= MAX_PENDING);
		ly->lis[l].pending++;
		ly->conns[i] = (struct conn){ .client = client, .listener = l };
	}
	*ret_pool = pool;
	*ret_npool = npool;
}

/* Extra fds so that the workers hold at least o->fds in all, spread evenly,
 * then check that no worker would exceed its fd limit. */
static void plan_fds(const struct options *o, struct layout *ly, rlim_t hard)
{
	unsigned *sockets = calloc(o->procs, sizeof(*sockets));
	unsigned long total = (unsigned long)o->listeners + 2UL * o->conns, extra, i;

	if (!sockets)
		die("out of memory");
	for (i = 0; i < o->listeners; i++)
		sockets[ly->lis[i].worker] += 1 + ly->lis[i].pending;
	for (i = 0; i < o->conns; i++)
		sockets[ly->conns[i].client]++;
	extra = o->fds > total ? o->fds - total : 0;
	for (i = 0; i < o->procs; i++) {
		unsigned need;

		ly->extras[i] = (unsigned)(extra / o->procs + (i < extra % o->procs));
		need = sockets[i] + ly->extras[i];
		if ((rlim_t)need + FD_MARGIN > hard) {
			free(sockets);
			die("worker %lu would need %u fds, over the hard limit %llu: use more --procs",
			    i, need, (unsigned long long)hard);
		}
	}
	free(sockets);
}

static void loopback_addr(int family, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		a->sin6_addr = in6addr_loopback;
		*len = sizeof(*a);
	}
}

/*
 * Bind and listen every listener in the parent, in order, so that their fds
 * are contiguous and each worker keeps just its own block after the fork.
 * Each worker has its own share of the port pool, so a port that is taken
 * (by something else on the host) is replaced the same way every time.
 */
static void open_listeners(const struct options *o, struct layout *ly, const uint16_t *pool,
			   unsigned npool)
{
	unsigned share = npool / o->procs, w;

	for (w = 0; w < o->procs; w++) {
		unsigned next = w * share, end = next + share, l;

		for (l = ly->lis_first[w]; l < ly->lis_first[w + 1]; l++) {
			struct listener *li = &ly->lis[l];
			struct sockaddr_storage ss;
			socklen_t len;
			int fd, one = 1;

			fd = socket(li->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd < 0)
				die("socket: %s", strerror(errno));
			/* As servers do: a port left in TIME_WAIT by an earlier
			 * run is free again (a live listener still is not). */
			if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
				die("SO_REUSEADDR: %s", strerror(errno));
			if (li->family == AF_INET6 &&
			    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0)
				die("IPV6_V6ONLY: %s", strerror(errno));
			for (;;) {
				if (next >= end)
					die("worker %u ran out of free ports in its share", w);
				loopback_addr(li->family, pool[next++], &ss, &len);
				if (bind(fd, (struct sockaddr *)&ss, len) == 0)
					break;
				if (errno != EADDRINUSE)
					die("bind: %s", strerror(errno));
			}
			if (listen(fd, LISTEN_BACKLOG) < 0)
				die("listen: %s", strerror(errno));
			li->port = pool[next - 1];
			li->fd = fd;
			if (l > 0 && fd != ly->lis[l - 1].fd + 1)
				die("listener fds are not contiguous");
		}
	}
}

static unsigned count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	unsigned n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the directory's own fd */
}

static int open_extra(unsigned k, unsigned left)
{
	int p[2];

	/* A pipe takes two fds; with one left, an eventfd instead. */
	if (k % 3 == 0 && left >= 2)
		return pipe2(p, O_CLOEXEC) < 0 ? -errno : 2;
	if (k % 3 != 2)
		return eventfd(0, EFD_CLOEXEC) < 0 ? -errno : 1;
	return open("/dev/null", O_RDONLY | O_CLOEXEC) < 0 ? -errno : 1;
}

/* A worker: keep its listeners, connect its clients, accept what comes to
 * its listeners, open its extra fds, report, then wait to be killed. */
static void worker(unsigned w, const struct options *o, const struct layout *ly,
		   uint16_t *client_ports, struct worker_report *rep, int ctl_rd,
		   int status_wr)
{
	unsigned lo = ly->lis_first[w], hi = ly->lis_first[w + 1], i, left;
	int nul, base = o->listeners ? ly->lis[0].fd : -1, r = 0;
	char c = 0;

	/* Only our block of listeners stays open. */
	if (o->listeners) {
		if (lo > 0)
			close_range((unsigned)base, (unsigned)(base + (int)lo - 1), 0);
		if (hi < o->listeners)
			close_range((unsigned)(base + (int)hi),
				    (unsigned)(base + (int)o->listeners - 1), 0);
	}
	nul = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (nul < 0 || dup2(nul, 0) < 0 || dup2(nul, 1) < 0)
		_exit(3);
	close(nul);
	alarm(SETUP_TIMEOUT);

	for (i = 0; i < o->conns && r == 0; i++) {
		const struct listener *li = &ly->lis[ly->conns[i].listener];
		struct sockaddr_storage ss;
		socklen_t len;
		int fd;

		if (ly->conns[i].client != w)
			continue;
		loopback_addr(li->family, li->port, &ss, &len);
		fd = socket(li->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) < 0) {
			r = -errno;
			break;
		}
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
			r = -errno;
			break;
		}
		client_ports[i] = ntohs(li->family == AF_INET ?
					((struct sockaddr_in *)&ss)->sin_port :
					((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	for (i = lo; i < hi && r == 0; i++) {
		unsigned k;

		for (k = 0; k < ly->lis[i].pending; k++) {
			if (accept4(ly->lis[i].fd, NULL, NULL, SOCK_CLOEXEC) < 0) {
				r = -errno;
				break;
			}
		}
	}
	for (i = 0, left = ly->extras[w]; left > 0 && r == 0; i++) {
		int n = open_extra(i, left);

		if (n < 0)
			r = n;
		else
			left -= (unsigned)n;
	}
	rep->nfds = count_fds() - 1;    /* status_wr is closed below */
	rep->status = r < 0 ? r : 1;
	alarm(o->lifetime + 60);        /* a last resort; the parent kills us first */
	if (write(status_wr, &c, 1) != 1)
		_exit(3);
	close(status_wr);
	/* The parent holds the write end: EOF means it is gone. */
	while (read(ctl_rd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void kill_workers(const pid_t *pids, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
}

static void write_manifest(const struct options *o, const struct layout *ly, const pid_t *pids,
			   const struct worker_report *reps, const uint16_t *client_ports)
{
	char tmp[4096];
	unsigned long nfds = 0;
	unsigned i;
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", o->manifest) >= (int)sizeof(tmp))
		die("manifest path too long");
	f = fopen(tmp, "we");
	if (!f)
		die("%s: %s", tmp, strerror(errno));
	for (i = 0; i < o->procs; i++)
		nfds += reps[i].nfds;
	fprintf(f, "# busyhost manifest: see bench/busyhost.c for the format\n");
	fprintf(f, "meta\tseed\t%llu\n", (unsigned long long)o->seed);
	fprintf(f, "meta\tprocs\t%u\nmeta\tlisteners\t%u\nmeta\tconns\t%u\n",
		o->procs, o->listeners, o->conns);
	fprintf(f, "meta\tfds\t%lu\n", nfds);
	fprintf(f, "meta\tparent\t%ld\n", (long)getpid());
	fprintf(f, "meta\tephemeral\t%u-%u\n", ly->eph_lo, ly->eph_hi);
	for (i = 0; i < o->procs; i++)
		fprintf(f, "proc\t%u\t%ld\t%u\n", i, (long)pids[i], reps[i].nfds);
	for (i = 0; i < o->listeners; i++) {
		const struct listener *li = &ly->lis[i];

		fprintf(f, "listen\t%u\t%ld\t%d\t%s\t%u\n", li->worker, (long)pids[li->worker],
			li->family == AF_INET ? 4 : 6,
			li->family == AF_INET ? "127.0.0.1" : "::1", li->port);
	}
	for (i = 0; i < o->conns; i++) {
		const struct conn *c = &ly->conns[i];
		const struct listener *li = &ly->lis[c->listener];

		fprintf(f, "conn\t%u\t%d\t%u\t%ld\t%u\t%u\t%ld\t%u\n", i,
			li->family == AF_INET ? 4 : 6, c->client, (long)pids[c->client],
			client_ports[i], li->worker, (long)pids[li->worker], li->port);
	}
	if (fflush(f) != 0 || ferror(f) || fclose(f) != 0)
		die("writing %s failed", tmp);
	if (rename(tmp, o->manifest) < 0)
		die("rename to %s: %s", o->manifest, strerror(errno));
}

/* Client ports must come from the ephemeral range, so that they can
 * never take a port a listener (outside the range) wants. */
static int check_client_ports(const struct options *o, const struct layout *ly,
			      const uint16_t *client_ports)
{
	unsigned i;

	for (i = 0; i < o->conns; i++) {
		if (client_ports[i] < ly->eph_lo || client_ports[i] > ly->eph_hi) {
			fprintf(stderr, "busyhost: connection %u got client port %u outside "
				"the ephemeral range %u-%u\n", i, client_ports[i], ly->eph_lo,
				ly->eph_hi);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct layout ly;
	struct rlimit rl;
	struct worker_report *reps;
	uint16_t *pool, *client_ports;
	unsigned npool, started = 0, ready = 0, i;
	int ctl[2], status[2], sfd, rc = 0;
	pid_t *pids, self = getpid();
	sigset_t mask;
	struct timespec deadline, now;

	parse_args(argc, argv, &o);
	/* Inherited fds would blur the fd counts and keep the listener fds
	 * from being one contiguous block. */
	close_range(3, ~0U, 0);
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit: %s", strerror(errno));
	rl.rlim_cur = rl.rlim_max;      /* inherited by the workers */
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("setrlimit: %s", strerror(errno));
	make_layout(&o, &ly, &pool, &npool);
	plan_fds(&o, &ly, rl.rlim_max);
	if ((rlim_t)o.listeners + FD_MARGIN > rl.rlim_max)
		die("%u listeners are over the fd hard limit %llu", o.listeners,
		    (unsigned long long)rl.rlim_max);

	reps = mmap(NULL, o.procs * sizeof(*reps) + (o.conns + 1) * sizeof(uint16_t),
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(o.procs, sizeof(*pids));
	if (reps == MAP_FAILED || !pids)
		die("out of memory");
	client_ports = (uint16_t *)(reps + o.procs);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0 || pipe2(ctl, O_CLOEXEC) < 0 || pipe2(status, O_CLOEXEC) < 0)
		die("signalfd/pipe: %s", strerror(errno));
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += o.lifetime;

	open_listeners(&o, &ly, pool, npool);

	for (i = 0; i < o.procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "busyhost: fork: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		if (pid == 0) {
			sigset_t none;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(3);
			sigemptyset(&none);
			sigprocmask(SIG_SETMASK, &none, NULL);
			close(sfd);
			close(ctl[1]);
			close(status[0]);
			worker(i, &o, &ly, client_ports, &reps[i], ctl[0], status[1]);
		}
		pids[i] = pid;
		started++;
	}
	close(ctl[0]);
	close(status[1]);
	if (o.listeners)
		close_range((unsigned)ly.lis[0].fd, (unsigned)ly.lis[o.listeners - 1].fd, 0);

	/* Wait for every worker's report, then for a signal or the lifetime. */
	while (rc == 0) {
		struct pollfd pf[2] = { { sfd, POLLIN, 0 }, { status[0], POLLIN, 0 } };
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (deadline.tv_sec - now.tv_sec) * 1000 +
		     (deadline.tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0) {
			if (ready < started) {
				fprintf(stderr, "busyhost: lifetime over before all workers were ready\n");
				rc = 1;
			}
			break;
		}
		if (poll(pf, ready < started ? 2 : 1, (int)(ms > 1000000 ? 1000000 : ms)) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "busyhost: poll: %s\n", strerror(errno));
			rc = 1;
			break;
		}
		if (pf[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGCHLD) {
				/* A worker must not die before we kill it. */
				fprintf(stderr, "busyhost: a worker exited early (pid %ld)\n",
					(long)si.ssi_pid);
				rc = 1;
			} else if (ready < started) {
				fprintf(stderr, "busyhost: stopped by signal %u during setup\n",
					si.ssi_signo);
				rc = 1;
			}
			break;
		}
		if (ready < started && (pf[1].revents & POLLIN)) {
			char buf[512];
			ssize_t n = read(status[0], buf, sizeof(buf));

			if (n <= 0 || (ready += (unsigned)n) < started)
				continue;
			for (i = 0; i < started; i++) {
				if (reps[i].status != 1) {
					fprintf(stderr, "busyhost: worker %u failed: %s\n", i,
						strerror(-reps[i].status));
					rc = 1;
				}
			}
			if (rc == 0 && check_client_ports(&o, &ly, client_ports) < 0)
				rc = 1;
			if (rc == 0) {
				write_manifest(&o, &ly, pids, reps, client_ports);
				printf("ready\n");
				fflush(stdout);
			}
		}
	}
	kill_workers(pids, started);
	munmap(reps, o.procs * sizeof(*reps) + (o.conns + 1) * sizeof(uint16_t));
	free(pids);
	free(pool);
	free(ly.lis);
	free(ly.conns);
	free(ly.extras);
	free(ly.lis_first);
	return rc;
}
