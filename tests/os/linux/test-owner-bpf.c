/* SPDX-License-Identifier: MIT */
/*
 * Tests for the BPF owner scan (lib/os/linux/owner-bpf.c, owner-bpf-records.c, owner-select.c):
 * on real sockets held by real processes, the BPF pass and the /proc scan
 * give the same links; every failure (not permitted, seccomp, no BTF, a
 * corrupt BTF, an old kernel, a verifier refusal, another PID namespace)
 * falls back to /proc, or is the documented error when BPF is forced.
 * Needs root and a kernel with the task_file iterator: otherwise the whole
 * suite is skipped, with the reason.
 *
 * Nothing here depends on time: the helper processes live exactly as long
 * as the test that forked them (PR_SET_PDEATHSIG, not alarm()), every wait
 * is for an event (a pipe, waitpid()), and every loop does a fixed amount
 * of work, so a loaded machine makes the suite slower, never wrong.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <grp.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "lb-test.h"
#include "os/linux/owner.h"
#include "os/linux/owner-bpf.h"

static uint64_t inode_of(int fd)
{
	struct stat st;

	ck_assert_int_eq(fstat(fd, &st), 0);
	return (uint64_t)st.st_ino;
}

/* A listening socket on a port leased for the test. */
static int listener(lb_lease **ret_lease)
{
	int fd = -1;

	*ret_lease = lb_test_lease(LB_PICK_TCP, LB_PICK_FAMILY_IPV4, 1);
	ck_assert_int_eq(lb_lease_listen(*ret_lease, 0, LB_PICK_TCP, NULL, &fd), 0);
	return fd;
}

/* Both scans of @inodes; they must agree link for link. Returns the
 * number of links. */
static size_t same_owners(const uint64_t *inodes, size_t n)
{
	struct lb__owner_scan *b = NULL, *p = NULL;
	const char *name = NULL;
	size_t i, links;

	ck_assert_int_eq(lb__owner_scan_inodes(LB_OWNER_SCAN_BPF, inodes, n, LB_OWNERS_ALL, &b, &name), 0);
	ck_assert_str_eq(name, "bpf");
	ck_assert_int_eq(lb__owner_scan_inodes(LB_OWNER_SCAN_PROC, inodes, n, LB_OWNERS_ALL, &p, &name), 0);
	ck_assert_str_eq(name, "proc");
	ck_assert_uint_eq(b->n_links, p->n_links);
	for (i = 0; i < b->n_links; i++) {
		ck_assert_uint_eq(b->links[i].pid, p->links[i].pid);
		ck_assert_uint_eq(b->links[i].inode, p->links[i].inode);
	}
	links = b->n_links;
	lb__owner_scan_free(b);
	lb__owner_scan_free(p);
	return links;
}

/* Is (@pid, @ino) among the links of @sc? */
static int has_link(const struct lb__owner_scan *sc, uint32_t pid, uint64_t ino)
{
	size_t i;

	for (i = 0; i < sc->n_links; i++)
		if (sc->links[i].pid == pid && sc->links[i].inode == ino)
			return 1;
	return 0;
}

/*
 * In a child just forked by @parent: die with it. Not alarm(): a timer
 * that fires while the test still needs the child (a loaded machine, a run
 * under valgrind) changes what the test sees. Credentials changes clear the
 * setting: call it again after them.
 */
static void die_with(pid_t parent)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != parent)
		_exit(5);
}

/* Fork a child that keeps everything it inherited until killed, or until
 * the test process ends. */
static pid_t sleeper(void)
{
	pid_t parent = getpid(), pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		die_with(parent);
		for (;;)
			pause();
	}
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

START_TEST(test_fork)
{
	lb_lease *l;
	int fd = listener(&l);
	uint64_t ino = inode_of(fd);
	pid_t a = sleeper(), b = sleeper();

	ck_assert_uint_eq(same_owners(&ino, 1), 3);
	reap(a);
	reap(b);
	close(fd);
	lb_lease_release(l);
}
END_TEST

static int thread_fd = -1;
static int thread_private_fd = -1;
static uint64_t thread_private_ino;
static pthread_barrier_t barrier;

static void *thread_main(void *arg)
{
	if (!arg) {
		thread_fd = socket(AF_INET, SOCK_DGRAM, 0);
	} else if (unshare(CLONE_FILES) == 0) {
		/* A thread with a descriptor table of its own: /proc/PID/fd
		 * shows the leader's only, and the BPF scan must not show more. */
		thread_private_fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (thread_private_fd >= 0)
			thread_private_ino = inode_of(thread_private_fd);
	}
	pthread_barrier_wait(&barrier);
	pthread_barrier_wait(&barrier);
	return NULL;
}

START_TEST(test_threads)
{
	pthread_t t[2];
	uint64_t ino[2];

	ck_assert_int_eq(pthread_barrier_init(&barrier, NULL, 3), 0);
	ck_assert_int_eq(pthread_create(&t[0], NULL, thread_main, NULL), 0);
	ck_assert_int_eq(pthread_create(&t[1], NULL, thread_main, (void *)1), 0);
	pthread_barrier_wait(&barrier);
	ck_assert_int_ge(thread_fd, 0);
	ck_assert_int_ge(thread_private_fd, 0);
	ino[0] = inode_of(thread_fd);
	ino[1] = thread_private_ino;
	ck_assert_uint_ne(ino[1], 0);
	/* One link: the process holds the first; the second is in no
	 * table that /proc shows. */
	ck_assert_uint_eq(same_owners(ino, 2), 1);
	pthread_barrier_wait(&barrier);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_barrier_destroy(&barrier);
}
END_TEST

START_TEST(test_netns)
{
	int p[2], st;
	uint64_t ino = 0;
	pid_t pid;

	pid_t parent = getpid();

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int fd;

		die_with(parent);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		ino = fd < 0 ? 0 : inode_of(fd);
		if (write(p[1], &ino, sizeof(ino)) != sizeof(ino))
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &ino, sizeof(ino)), (ssize_t)sizeof(ino));
	close(p[0]);
	ck_assert_uint_ne(ino, 0);
	ck_assert_uint_eq(same_owners(&ino, 1), 1);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
}
END_TEST

/*
 * Processes start and exit with sockets while both scans run: neither
 * fails, and the socket that stays is always found with its holders (this
 * process and one child; not the churning one, which closed its copy
 * before saying it was ready). A fixed number of scans, each compared with
 * a count that no timing can change; the churn runs from its first whole
 * cycle until told to stop, and no longer than the test (or a cap).
 */
#define CHURN_SCANS 4
#define CHURN_MAX_CYCLES 1000000

static void churn(int fd, int ready, int stop)
{
	long n;

	close(fd);
	for (n = 0; n < CHURN_MAX_CYCLES; n++) {
		struct pollfd pfd = { stop, POLLIN, 0 };
		pid_t c = fork();

		if (c == 0) {
			int k, s[8];

			for (k = 0; k < 8; k++)
				s[k] = socket(AF_INET, SOCK_DGRAM, 0);
			(void)s;
			_exit(0);
		}
		if (c > 0)
			waitpid(c, NULL, 0);
		if (n == 0 && write(ready, "r", 1) != 1)
			_exit(1);
		/* The test closes its end of @stop when it is done. */
		if (poll(&pfd, 1, 0) != 0)
			break;
	}
	_exit(0);
}

START_TEST(test_exit_mid_scan)
{
	lb_lease *l;
	int fd = listener(&l), i, ready[2], stop[2], st;
	uint64_t ino = inode_of(fd);
	pid_t parent = getpid(), keep = sleeper(), ch;
	char c;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(stop), 0);
	ch = fork();
	ck_assert_int_ge(ch, 0);
	if (ch == 0) {
		die_with(parent);
		close(ready[0]);
		close(stop[1]);
		churn(fd, ready[1], stop[0]);
	}
	close(ready[1]);
	close(stop[0]);
	/* Its copy of the listener is closed and processes come and go. */
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	for (i = 0; i < CHURN_SCANS; i++) {
		struct lb__owner_scan *sc = NULL;
		const char *name;

		ck_assert_int_eq(lb__owner_scan_inodes(i % 2 ? LB_OWNER_SCAN_PROC : LB_OWNER_SCAN_BPF,
						       &ino, 1, LB_OWNERS_ALL, &sc, &name), 0);
		ck_assert_str_eq(name, i % 2 ? "proc" : "bpf");
		ck_assert_uint_eq(sc->n_links, 2);
		lb__owner_scan_free(sc);
		sc = NULL;
		ck_assert_int_eq(lb__owner_bpf_scan(NULL, 0, &sc), 0);
		ck_assert(has_link(sc, (uint32_t)getpid(), ino) && has_link(sc, (uint32_t)keep, ino));
		lb__owner_scan_free(sc);
	}
	close(stop[1]);
	ck_assert_int_eq(waitpid(ch, &st, 0), ch);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "churn status %d", st);
	reap(keep);
	close(fd);
	lb_lease_release(l);
}
END_TEST

/* Through the public API: a forced BPF scan and a forced /proc scan name
 * the same owners of a listener, and the list says which ran. */
START_TEST(test_public_api)
{
	lb_lease *l;
	int fd = listener(&l), k;
	pid_t child = sleeper();
	const char *want[3] = { "bpf", "proc", "bpf" };
	int how[3] = { LB_OWNER_SCAN_BPF, LB_OWNER_SCAN_PROC, LB_OWNER_SCAN_AUTO };
	uint32_t pids[3][2];

	for (k = 0; k < 3; k++) {
		lb_socket_list *list = NULL;
		lb_query *q = NULL;
		const lb_socket *s;

		ck_assert_int_eq(lb_query_new(&q), 0);
		ck_assert_int_eq(lb_query_set_local_port(q, lb_lease_port(l, 0)), 0);
		/* The lease is for TCP: the same UDP port may be anyone's. */
		ck_assert_int_eq(lb_query_set_protocols(q, LB_PROTO_TCP), 0);
		ck_assert_int_eq(lb_query_set_owner_scan(q, how[k]), 0);
		ck_assert_int_eq(lb_socket_list_get(q, &list), 0);
		ck_assert_str_eq(lb_socket_list_owner_scan(list), want[k]);
		ck_assert_uint_eq(lb_socket_list_count(list), 1);
		s = lb_socket_list_at(list, 0);
		ck_assert_uint_eq(lb_socket_owner_count(s), 2);
		pids[k][0] = lb_owner_pid(lb_socket_owner_at(s, 0));
		pids[k][1] = lb_owner_pid(lb_socket_owner_at(s, 1));
		lb_socket_list_free(list);
		/* No owners asked: no scan ran. */
		ck_assert_int_eq(lb_query_set_owners(q, LB_OWNERS_NONE), 0);
		ck_assert_int_eq(lb_socket_list_get(q, &list), 0);
		ck_assert_ptr_null(lb_socket_list_owner_scan(list));
		lb_socket_list_free(list);
		lb_query_free(q);
	}
	ck_assert_uint_eq(pids[0][0], pids[1][0]);
	ck_assert_uint_eq(pids[0][1], pids[1][1]);
	ck_assert_int_eq(lb_query_set_owner_scan(NULL, 0), LB_EINVAL);
	ck_assert_ptr_null(lb_socket_list_owner_scan(NULL));
	reap(child);
	close(fd);
	lb_lease_release(l);
}
END_TEST

/* The entries of a /proc/self directory (its fds, its threads). */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int count_fds(void)
{
	return count_entries("/proc/self/fd");
}

/* Does the kernel still have the program (@cmd BPF_PROG_GET_FD_BY_ID) or
 * link (BPF_LINK_GET_FD_BY_ID) of @id? Waits for it to go: the last close
 * frees an object at once or from a workqueue or after an RCU grace period,
 * so it asks a bounded number of times, with short sleeps (1 ms growing to
 * 100 ms: at most about 10 s in all). Returns the tries it took, or fails. */
static int wait_gone(int cmd, uint32_t id, const char *what)
{
	int tries, e = 0;
	unsigned us = 1000;

	ck_assert_uint_ne(id, 0);
	for (tries = 1; tries <= 100; tries++) {
		union bpf_attr a;
		int fd;

		memset(&a, 0, sizeof(a));
		if (cmd == BPF_LINK_GET_FD_BY_ID)
			a.link_id = id;
		else
			a.prog_id = id;
		fd = (int)syscall(SYS_bpf, cmd, &a, sizeof(a));
		if (fd < 0 && errno == ENOENT)
			return tries;
		if (fd < 0) {
			e = errno;
			break;
		}
		close(fd); /* (this reference, too, must go before it can) */
		usleep(us);
		us = us < 100000 ? us * 2 : 100000;
	}
	ck_abort_msg("%s id %u still in the kernel after the call (%s)", what, id,
		     e ? strerror(e) : "100 tries");
	return -1;
}

/*
 * Nothing is left: no descriptor, and neither the program nor the link
 * that each call created exists in the kernel afterwards (their ids, read
 * before they were closed: another process loading the same program at the
 * same time has other ids). A pin in bpffs holds a reference, so an id gone
 * from the kernel is pinned nowhere either.
 */
START_TEST(test_nothing_left)
{
	struct lb__owner_bpf_ids ids[3];
	int before = count_fds(), i, fd;
	uint64_t ino;

	/* A socket of our own: the scan of every process finds it, whether
	 * or not any other process on the machine holds one right now. */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ino = inode_of(fd);
	for (i = 0; i < 3; i++) {
		struct lb__owner_scan *sc = NULL;

		ck_assert_int_eq(lb__owner_bpf_scan_ids(NULL, 0, &sc, &ids[i]), 0);
		ck_assert(has_link(sc, (uint32_t)getpid(), ino));
		lb__owner_scan_free(sc);
		ck_assert_uint_ne(ids[i].prog_id, 0);
		ck_assert_uint_ne(ids[i].link_id, 0);
		ck_assert(i == 0 || ids[i].prog_id != ids[i - 1].prog_id);
		ck_assert(i == 0 || ids[i].link_id != ids[i - 1].link_id);
	}
	close(fd);
	ck_assert_int_eq(count_fds(), before);
	for (i = 0; i < 3; i++) {
		wait_gone(BPF_PROG_GET_FD_BY_ID, ids[i].prog_id, "program");
		wait_gone(BPF_LINK_GET_FD_BY_ID, ids[i].link_id, "link");
	}
}
END_TEST

static int count_threads(void)
{
	return count_entries("/proc/self/task");
}

/*
 * The scan begun on its own thread before the table is read
 * (lib/os/linux/owner-early.c): a stop flag set ends it with nothing
 * left; a list with no socket, or one whose table cannot be read, stops
 * it; whatever happens, lb_socket_list_get() returns with no thread and
 * no descriptor more than before.
 */
START_TEST(test_early_scan)
{
	struct lb__owner_scan *sc = NULL;
	struct lb__owner_bpf_layout lay;
	size_t k;
	int fds = count_fds(), threads = count_threads();
	lb_socket_list *list = NULL;
	lb_query *q = NULL;
	lb_lease *l = NULL;
	atomic_int stop;

	/* Stopped before it starts walking: nothing kept, nothing left. */
	ck_assert_int_eq(lb__owner_bpf_prepare(&lay), 0);
	atomic_init(&stop, 1);
	ck_assert_int_eq(lb__owner_bpf_run(&lay, NULL, 0, 0, &stop, &sc, NULL), LB_ENOTSUP);
	ck_assert_ptr_null(sc);
	ck_assert_int_eq(count_fds(), fds);
	/* Unfiltered: the walk's links, in the walk's order (by pid). */
	atomic_init(&stop, 0);
	ck_assert_int_eq(lb__owner_bpf_run(&lay, NULL, 0, 0, &stop, &sc, NULL), 0);
	ck_assert_uint_eq(sc->walked_below, 0);
	for (k = 1; k < sc->n_links; k++)
		ck_assert_uint_le(sc->links[k - 1].pid, sc->links[k].pid);
	lb__owner_scan_free(sc);

	/* A port nobody holds (leased, never bound): no socket, scan stopped. */
	l = lb_test_lease(LB_PICK_TCP, LB_PICK_FAMILY_BOTH, 1);
	fds = count_fds(); /* with the lease's */
	ck_assert_int_eq(lb_query_new(&q), 0);
	ck_assert_int_eq(lb_query_set_local_port(q, lb_lease_port(l, 0)), 0);
	ck_assert_int_eq(lb_query_set_protocols(q, LB_PROTO_TCP), 0);
	ck_assert_int_eq(lb_socket_list_get(q, &list), 0);
	ck_assert_uint_eq(lb_socket_list_count(list), 0);
	ck_assert_ptr_null(lb_socket_list_owner_scan(list));
	lb_socket_list_free(list);
	ck_assert_int_eq(count_threads(), threads);
	ck_assert_int_eq(count_fds(), fds);
	/* The table of a namespace that is gone cannot be read: the error,
	 * and the scan begun for it stopped. */
	ck_assert_int_eq(lb_query_set_netns_path(q, "/proc/self/ns/none"), 0);
	list = NULL;
	ck_assert_int_lt(lb_socket_list_get(q, &list), 0);
	ck_assert_ptr_null(list);
	ck_assert_int_eq(count_threads(), threads);
	ck_assert_int_eq(count_fds(), fds);
	lb_query_free(q);
	lb_lease_release(l);
}
END_TEST

/*
 * A few inodes are kept by the program itself, and with stop_found the
 * walk ends at the first holder (the lowest pid: the walk goes by pid);
 * lb__owners_add_relatives() then adds the children holding the socket,
 * which the walk never reached. The public API (a port query, the default
 * owners) answers the same holders through both scans.
 */
START_TEST(test_kernel_filter)
{
	struct lb__owner_bpf_layout lay;
	struct lb__owner_scan *sc = NULL;
	lb_lease *l;
	int fd = listener(&l), other = socket(AF_INET, SOCK_DGRAM, 0), k;
	uint64_t want[2] = { inode_of(fd), 0 };
	pid_t a = sleeper(), b = sleeper();
	uint32_t pids[2][3];

	ck_assert_int_ge(other, 0);
	want[1] = inode_of(other);
	ck_assert_int_eq(lb__owner_bpf_prepare(&lay), 0);
	/* Filtered, whole walk: the three holders of the listener, the
	 * three of the other socket, nothing else. */
	ck_assert_int_eq(lb__owner_bpf_run(&lay, want, 2, 0, NULL, &sc, NULL), 0);
	lb__owner_scan_sort(sc);
	ck_assert_uint_eq(sc->n_links, 6);
	ck_assert_uint_eq(sc->walked_below, 0);
	ck_assert(has_link(sc, (uint32_t)getpid(), want[0]));
	ck_assert(has_link(sc, (uint32_t)a, want[0]));
	ck_assert(has_link(sc, (uint32_t)b, want[1]));
	lb__owner_scan_free(sc);
	/* Stopped at the first holder (this process, below its children),
	 * then the relatives from /proc. */
	sc = NULL;
	ck_assert_int_eq(lb__owner_bpf_run(&lay, want, 1, 1, NULL, &sc, NULL), 0);
	ck_assert_uint_eq(sc->walked_below, (uint32_t)getpid());
	ck_assert_uint_eq(sc->n_links, 1);
	ck_assert_int_eq(lb__owners_add_relatives(sc, want, 1), 0);
	lb__owner_scan_sort(sc);
	ck_assert_uint_eq(sc->n_links, 3);
	ck_assert(has_link(sc, (uint32_t)a, want[0]));
	ck_assert(has_link(sc, (uint32_t)b, want[0]));
	lb__owner_scan_free(sc);
	/* Through the API: the port's listener, the same three holders. */
	for (k = 0; k < 2; k++) {
		lb_socket_list *list = NULL;
		lb_query *q = NULL;
		const lb_socket *s;
		size_t i;

		ck_assert_int_eq(lb_query_new(&q), 0);
		ck_assert_int_eq(lb_query_set_local_port(q, lb_lease_port(l, 0)), 0);
		ck_assert_int_eq(lb_query_set_protocols(q, LB_PROTO_TCP), 0);
		ck_assert_int_eq(lb_query_set_owner_scan(q, k ? LB_OWNER_SCAN_PROC :
							 LB_OWNER_SCAN_AUTO), 0);
		ck_assert_int_eq(lb_socket_list_get(q, &list), 0);
		ck_assert_str_eq(lb_socket_list_owner_scan(list), k ? "proc" : "bpf");
		ck_assert_uint_eq(lb_socket_list_count(list), 1);
		s = lb_socket_list_at(list, 0);
		ck_assert_uint_eq(lb_socket_owner_count(s), 3);
		for (i = 0; i < 3; i++)
			pids[k][i] = lb_owner_pid(lb_socket_owner_at(s, i));
		lb_socket_list_free(list);
		lb_query_free(q);
	}
	ck_assert_mem_eq(pids[0], pids[1], sizeof(pids[0]));
	reap(a);
	reap(b);
	close(other);
	close(fd);
	lb_lease_release(l);
}
END_TEST

/*
 * The walk stops inside the last holder's table: a child holding socket
 * B at a low fd and socket A (this process's too) at a higher one. The
 * walk finds A here, B in the child, and stops there; the child's A, past
 * where it stopped, still counts (read from /proc).
 */
START_TEST(test_stop_inside_holder)
{
	struct lb__owner_bpf_layout lay;
	struct lb__owner_scan *sc = NULL;
	int b = socket(AF_INET, SOCK_DGRAM, 0), a = socket(AF_INET, SOCK_DGRAM, 0);
	uint64_t want[2];
	pid_t child;

	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	ck_assert_int_lt(b, a);
	want[0] = inode_of(a);
	want[1] = inode_of(b);
	child = sleeper();
	close(b); /* B: the child's only */
	ck_assert_int_eq(lb__owner_bpf_prepare(&lay), 0);
	ck_assert_int_eq(lb__owner_bpf_run(&lay, want, 2, 1, NULL, &sc, NULL), 0);
	ck_assert_uint_eq(sc->walked_below, (uint32_t)child);
	ck_assert_int_eq(lb__owners_add_relatives(sc, want, 2), 0);
	lb__owner_scan_sort(sc);
	ck_assert(has_link(sc, (uint32_t)getpid(), want[0]));
	ck_assert(has_link(sc, (uint32_t)child, want[1]));
	ck_assert(has_link(sc, (uint32_t)child, want[0]));
	ck_assert_uint_eq(sc->n_links, 3);
	lb__owner_scan_free(sc);
	reap(child);
	close(a);
}
END_TEST

#if LB_TEST_DOUBLES
/* The same after a call that fails once the program, link and iterator
 * exist (a read() of the iterator fails): the error path closes them too. */
START_TEST(test_nothing_left_on_error)
{
	struct lb__owner_scan *sc = NULL;
	struct lb__owner_bpf_ids ids;
	int before = count_fds(), r;

	ck_assert_int_eq(setenv("LOOPBACK_TEST_BPF_FAULT", "read", 1), 0);
	r = lb__owner_bpf_scan_ids(NULL, 0, &sc, &ids);
	unsetenv("LOOPBACK_TEST_BPF_FAULT"); /* (CK_FORK=no runs every case in one process) */
	ck_assert_int_eq(r, LB_ENOTSUP);
	ck_assert_ptr_null(sc);
	ck_assert_int_eq(count_fds(), before);
	wait_gone(BPF_PROG_GET_FD_BY_ID, ids.prog_id, "program");
	wait_gone(BPF_LINK_GET_FD_BY_ID, ids.link_id, "link");
}
END_TEST
#endif

/* ---- failures: run in a child under a restriction ---- */

enum restriction { R_NOBODY, R_NO_CAPS, R_SECCOMP, R_PIDNS, R_MEMLOCK, R_NO_BTF,
		   R_BAD_BTF, R_NO_ITER, R_VERIFIER, R_NO_MMAP, R_NO_SOCK_HELPER };

static int restrict_seccomp(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_bpf, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { (unsigned short)(sizeof(f) / sizeof(f[0])), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* Keep only the capabilities a root process needs for the /proc scan. */
static int drop_bpf_caps(void)
{
	int c;

	for (c = 0; c <= 40; c++)
		if (c == 21 || c == 38 || c == 39) /* SYS_ADMIN, PERFMON, BPF */
			prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	/* Clear them from the effective set too. */
	{
		struct { uint32_t v; int pid; } h = { 0x20080522, 0 };
		struct { uint32_t eff, perm, inh; } d[2];

		if (syscall(SYS_capget, &h, d) < 0)
			return -1;
		d[0].eff &= ~(1u << 21);
		d[0].perm &= ~(1u << 21);
		d[1].eff &= ~((1u << 6) | (1u << 7));
		d[1].perm &= ~((1u << 6) | (1u << 7));
		return (int)syscall(SYS_capset, &h, d);
	}
}

static int setup(enum restriction how, const char *tmp)
{
	struct rlimit rl = { 0, 0 };

	switch (how) {
	case R_NOBODY:
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			return -1;
		return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	case R_NO_CAPS:
		return drop_bpf_caps();
	case R_SECCOMP:
		return restrict_seccomp();
	case R_MEMLOCK:
		return setrlimit(RLIMIT_MEMLOCK, &rl);
	case R_NO_BTF:
		return setenv("LOOPBACK_TEST_BTF", "/nonexistent/btf", 1);
	case R_BAD_BTF:
		return setenv("LOOPBACK_TEST_BTF", tmp, 1);
	case R_NO_ITER:
		return setenv("LOOPBACK_TEST_BPF_FAULT", "no-iter", 1);
	case R_VERIFIER:
		return setenv("LOOPBACK_TEST_BPF_FAULT", "verifier", 1);
	case R_NO_MMAP:
		return setenv("LOOPBACK_TEST_BPF_FAULT", "no-mmap", 1);
	case R_NO_SOCK_HELPER:
		return setenv("LOOPBACK_TEST_BPF_FAULT", "no-sock-helper", 1);
	case R_PIDNS:
		return 0; /* done by the caller */
	}
	return -1;
}

/* In a child under @how, with a socket of its own: the automatic choice
 * ("proc" or "bpf" expected in @want_auto) finds the child as its owner,
 * and a forced BPF scan returns @want_forced. */
static void check_under(enum restriction how, const char *want_auto, int want_forced)
{
	char tmp[] = "/tmp/lb-test-btf-XXXXXX";
	int p[2], st, tfd = -1;
	pid_t parent = getpid(), pid;
	int res[3] = { -100, -100, -100 };

	if (how == R_BAD_BTF) {
		/* A real BTF cut short, as a torn or foreign file. */
		char head[4096];
		int in = open("/sys/kernel/btf/vmlinux", O_RDONLY);
		ssize_t n = in < 0 ? -1 : read(in, head, sizeof(head));

		tfd = mkstemp(tmp);
		ck_assert_int_ge(tfd, 0);
		ck_assert_int_gt(n, 0);
		ck_assert_int_eq(write(tfd, head, (size_t)n), n);
		close(in);
	}
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct lb__owner_scan *sc = NULL;
		const char *name = NULL;
		uint64_t ino;
		int fd, r;

		die_with(parent);
		close(p[0]);
		if (how == R_PIDNS) {
			pid_t g;

			if (unshare(CLONE_NEWPID) < 0)
				_exit(3);
			g = fork(); /* PID 1 of the new namespace */
			if (g != 0) {
				waitpid(g, &r, 0);
				_exit(WIFEXITED(r) ? WEXITSTATUS(r) : 4);
			}
		}
		/* (The grandchild of R_PIDNS dies with its namespace's init.) */
		if (setup(how, tmp) < 0)
			_exit(3);
		if (how != R_PIDNS)
			die_with(parent); /* again: setuid() and capset() clear it */
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		ino = inode_of(fd);
		r = lb__owner_scan_inodes(LB_OWNER_SCAN_AUTO, &ino, 1, LB_OWNERS_ALL, &sc, &name);
		res[0] = r == 0 && strcmp(name, want_auto) == 0 ? 0 : (r ? r : -101);
		/* In another PID namespace /proc still shows the host's pids. */
		res[1] = r == 0 && sc->n_links == 1 &&
			 (how == R_PIDNS || sc->links[0].pid == (uint32_t)getpid()) ? 0 : -102;
		lb__owner_scan_free(sc);
		sc = NULL;
		res[2] = lb__owner_scan_inodes(LB_OWNER_SCAN_BPF, &ino, 1, LB_OWNERS_ALL, &sc, &name);
		lb__owner_scan_free(sc);
		if (write(p[1], res, sizeof(res)) != sizeof(res))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], res, sizeof(res)), (ssize_t)sizeof(res));
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
	if (tfd >= 0) {
		close(tfd);
		unlink(tmp);
	}
	ck_assert_msg(res[0] == 0, "auto: %d (want %s)", res[0], want_auto);
	ck_assert_int_eq(res[1], 0);
	ck_assert_msg(res[2] == want_forced, "forced: %d (%s), want %d", res[2],
		      lb_strerror(res[2]), want_forced);
}

START_TEST(test_nobody)
{
	check_under(R_NOBODY, "proc", LB_EPERM);
}
END_TEST

START_TEST(test_no_caps)
{
	check_under(R_NO_CAPS, "proc", LB_EPERM);
}
END_TEST

START_TEST(test_seccomp)
{
	check_under(R_SECCOMP, "proc", LB_EPERM);
}
END_TEST

START_TEST(test_pidns)
{
	check_under(R_PIDNS, "proc", LB_ENOTSUP);
}
END_TEST

/* ulimit -l 0: kernels since 5.11 charge BPF memory to the cgroup, not
 * to RLIMIT_MEMLOCK; on older ones this falls back. */
START_TEST(test_memlock)
{
	check_under(R_MEMLOCK, "bpf", 0);
}
END_TEST

#if LB_TEST_DOUBLES
START_TEST(test_no_btf)
{
	check_under(R_NO_BTF, "proc", LB_ENOTSUP);
}
END_TEST

START_TEST(test_bad_btf)
{
	check_under(R_BAD_BTF, "proc", LB_ENOTSUP);
}
END_TEST

START_TEST(test_old_kernel)
{
	check_under(R_NO_ITER, "proc", LB_ENOTSUP);
}
END_TEST

START_TEST(test_verifier)
{
	check_under(R_VERIFIER, "proc", LB_ENOTSUP);
}
END_TEST

/* A kernel that cannot map its BTF (before 6.16): it is read instead, and
 * the BPF scan runs. */
START_TEST(test_no_mmap)
{
	check_under(R_NO_MMAP, "bpf", 0);
}
END_TEST

/* A kernel without bpf_sock_from_file() (5.9, 5.10): the program that reads
 * the inode's mode runs, and names the same holders as /proc, a listener
 * shared by fork included. */
START_TEST(test_no_sock_helper)
{
	lb_lease *l;
	int fd;
	uint64_t ino;
	pid_t a, b;

	check_under(R_NO_SOCK_HELPER, "bpf", 0);
	fd = listener(&l);
	ino = inode_of(fd);
	a = sleeper();
	b = sleeper();
	ck_assert_int_eq(setenv("LOOPBACK_TEST_BPF_FAULT", "no-sock-helper", 1), 0);
	ck_assert_uint_eq(same_owners(&ino, 1), 3);
	unsetenv("LOOPBACK_TEST_BPF_FAULT");
	reap(a);
	reap(b);
	close(fd);
	lb_lease_release(l);
}
END_TEST
#endif

static Suite *owner_bpf_suite(void)
{
	Suite *s = suite_create("owner-bpf");
	TCase *tc = tcase_create("core");

	/* A bound for a hang, not a budget: no case waits on time. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fork);
	tcase_add_test(tc, test_threads);
	tcase_add_test(tc, test_netns);
	tcase_add_test(tc, test_exit_mid_scan);
	tcase_add_test(tc, test_public_api);
	tcase_add_test(tc, test_nothing_left);
	tcase_add_test(tc, test_early_scan);
	tcase_add_test(tc, test_kernel_filter);
	tcase_add_test(tc, test_stop_inside_holder);
#if LB_TEST_DOUBLES
	tcase_add_test(tc, test_nothing_left_on_error);
#endif
	tcase_add_test(tc, test_nobody);
	tcase_add_test(tc, test_no_caps);
	/* Valgrind has no seccomp(2) (nor could it run under the filter):
	 * the case is left out there, and says so. */
	if (RUNNING_ON_VALGRIND)
		printf("# test_seccomp left out: valgrind cannot run seccomp(2)\n");
	else
		tcase_add_test(tc, test_seccomp);
	tcase_add_test(tc, test_pidns);
	tcase_add_test(tc, test_memlock);
#if LB_TEST_DOUBLES
	tcase_add_test(tc, test_no_btf);
	tcase_add_test(tc, test_bad_btf);
	tcase_add_test(tc, test_old_kernel);
	tcase_add_test(tc, test_verifier);
	tcase_add_test(tc, test_no_mmap);
	tcase_add_test(tc, test_no_sock_helper);
#endif
	suite_add_tcase(s, tc);
	return s;
}

int main(int argc, char **argv)
{
	struct lb__owner_scan *sc = NULL;
	int r = lb__owner_bpf_scan(NULL, 0, &sc);

	(void)argc;
	/* A line at a time: what ran before a kill (meson's timeout) stays in
	 * the log. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	lb__owner_scan_free(sc);
	if (r < 0) {
		/* TAP's skip: meson counts the suite as skipped, with why. */
		printf("1..0 # SKIP the BPF owner scan cannot run here (%s: %s)\n",
		       LB_HAVE_BPF ? "not root, no iterator or no BTF" : "built with -Dbpf=disabled",
		       lb_strerror(r));
		return 0;
	}
	return lb_test_main(owner_bpf_suite(), argv[0]);
}
