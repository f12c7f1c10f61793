/* SPDX-License-Identifier: MIT */
/* Tests for lib/os/linux/owner.c: the pure parsers on recorded text, and the
 * /proc scan on real sockets held by forked children. */
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "os/linux/owner.h"
#include "os/linux/fd-scan.h"
#include <grp.h>

#define S(x) (x), strlen(x)

START_TEST(test_stat_parse)
{
	struct lb__proc_stat st;
	/* Recorded from a process named "a) b (c" to show the last-')' rule. */
	const char *t = "4242 (a) b (c) S 4100 4242 4100 34816 4242 4194304 95 0 0 0 0 0 0 0 20 0 1 0 987654 "
			"5771264 224 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";

	ck_assert_int_eq(lb__proc_stat_parse(S(t), &st), 0);
	ck_assert_uint_eq(st.pid, 4242);
	ck_assert_str_eq(st.comm, "a) b (c");
	ck_assert_int_eq(st.state, 'S');
	ck_assert_uint_eq(st.ppid, 4100);
	ck_assert_uint_eq(st.starttime, 987654);
	/* Negative fields (priority of a realtime task) are fine. */
	ck_assert_int_eq(lb__proc_stat_parse(S("7 (x) R 1 7 7 0 -1 4194560 0 0 0 0 0 0 0 0 -51 0 1 0 55 0 0\n"), &st), 0);
	ck_assert_uint_eq(st.starttime, 55);
	ck_assert_int_eq(lb__proc_stat_parse(S(""), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 x) S 1"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 (x S 1 2 3"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 (x) S 1 2 3"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("12 (x) S a 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19"), &st), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_stat_parse(S("(x) S 1"), &st), LB_EBADDATA);
}
END_TEST

START_TEST(test_link_parse)
{
	uint64_t ino = 7;

	ck_assert_int_eq(lb__socket_link_inode(S("socket:[135973]"), &ino), 0);
	ck_assert_uint_eq(ino, 135973);
	ck_assert_int_eq(lb__socket_link_inode(S("/dev/null"), &ino), LB_ENOENT);
	ck_assert_int_eq(lb__socket_link_inode(S("pipe:[12]"), &ino), LB_ENOENT);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[]"), &ino), LB_EBADDATA);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[12"), &ino), LB_EBADDATA);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[12]x"), &ino), LB_EBADDATA);
	ck_assert_int_eq(lb__socket_link_inode(S("socket:[99999999999999999999]"), &ino), LB_EBADDATA);
	ck_assert_uint_eq(ino, 135973);
}
END_TEST

START_TEST(test_cmdline_btime)
{
	char *s = lb__cmdline_join("python3\0-m\0http.server\0", 23);
	uint64_t bt = 0;

	ck_assert_str_eq(s, "python3 -m http.server");
	free(s);
	s = lb__cmdline_join("", 0);
	ck_assert_str_eq(s, "");
	free(s);
	ck_assert_int_eq(lb__proc_btime_parse(S("cpu  1 2 3\nintr 5\nbtime 1763880000\nprocesses 9\n"), &bt), 0);
	ck_assert_uint_eq(bt, 1763880000);
	ck_assert_int_eq(lb__proc_btime_parse(S("cpu 1\n"), &bt), LB_EBADDATA);
	ck_assert_int_eq(lb__proc_btime_parse(S("btime x\n"), &bt), LB_EBADDATA);
}
END_TEST

/* A child that holds a listening socket (on a port leased for the test
 * in *@ret_lease, held by the test only), and forks a grandchild that
 * shares it. Returns the child's pid; *ret_inode the socket's inode. */
static pid_t spawn_holder(lb_lease **ret_lease, uint64_t *ret_inode, pid_t *ret_grandchild)
{
	int p[2], fd = -1;
	struct stat st;
	pid_t pid;
	int msg[2];

	ck_assert_int_eq(pipe(p), 0);
	*ret_lease = lb_test_lease(LB_PICK_TCP, LB_PICK_FAMILY_IPV4, 1);
	ck_assert_int_eq(lb_lease_listen(*ret_lease, 0, LB_PICK_TCP, NULL, &fd), 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	*ret_inode = (uint64_t)st.st_ino;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		pid_t g;

		lb_lease_release(*ret_lease);
		g = fork();

		if (g == 0) {
			prctl(PR_SET_NAME, "lbt-grandchild");
			close(p[0]);
			close(p[1]);
			alarm(30);
			pause();
			_exit(0);
		}
		msg[0] = g;
		if (write(p[1], msg, sizeof(msg[0])) < 0)
			_exit(1);
		alarm(30);
		pause();
		_exit(0);
	}
	close(fd);
	close(p[1]);
	ck_assert_int_eq(read(p[0], msg, sizeof(msg[0])), (ssize_t)sizeof(msg[0]));
	close(p[0]);
	*ret_grandchild = msg[0];
	return pid;
}

static size_t count_pid(const struct lb__owner_scan *sc, uint64_t ino, uint32_t pid)
{
	size_t i, n = 0;

	for (i = 0; i < sc->n_links; i++)
		if (sc->links[i].inode == ino && (pid == 0 || sc->links[i].pid == pid))
			n++;
	return n;
}

START_TEST(test_scan_shared_by_fork)
{
	struct lb__owner_scan *sc = NULL;
	struct lb_owner *o = NULL;
	uint64_t ino, bogus[2];
	lb_lease *lease;
	pid_t g, c = spawn_holder(&lease, &ino, &g);
	int modes[2] = { LB_OWNERS_DEFAULT, LB_OWNERS_ALL }, m;

	for (m = 0; m < 2; m++) {
		ck_assert_int_eq(lb__owners_of_inodes(&ino, 1, modes[m], &sc), 0);
		ck_assert_uint_eq(count_pid(sc, ino, 0), 2); /* exactly child and grandchild */
		ck_assert_uint_eq(count_pid(sc, ino, (uint32_t)c), 1);
		ck_assert_uint_eq(count_pid(sc, ino, (uint32_t)g), 1);
		lb__owner_scan_free(sc);
	}
	ck_assert_int_eq(lb__owners_of_pid((uint32_t)c, 0, &sc), 0);
	ck_assert_uint_eq(count_pid(sc, ino, 0), 1);
	lb__owner_scan_free(sc);
	ck_assert_int_eq(lb__owners_of_pid((uint32_t)c, 1, &sc), 0);
	ck_assert_uint_eq(count_pid(sc, ino, 0), 2);
	lb__owner_scan_free(sc);
	ck_assert_int_eq(lb__owner_info((uint32_t)g, &o), 0);
	ck_assert_uint_eq(o->pid, (uint32_t)g);
	ck_assert_uint_eq(o->ppid, (uint32_t)c);
	ck_assert_str_eq(o->name, "lbt-grandchild");
	ck_assert_uint_eq(o->uid, (uint32_t)geteuid());
	ck_assert_ptr_nonnull(o->exe);
	/* Our executable, or valgrind's when run under it. */
	ck_assert_msg(strstr(o->exe, "test-owner") || strstr(o->exe, "valgrind"), "exe %s", o->exe);
	ck_assert_ptr_nonnull(strstr(o->cmdline, "test-owner"));
	ck_assert_uint_gt(o->start_time, 1600000000000ULL);
	lb__owner_free(o);
	/* An inode nobody holds: a full scan, nothing found. */
	bogus[0] = 1;
	bogus[1] = 0;
	ck_assert_int_eq(lb__owners_of_inodes(bogus, 2, LB_OWNERS_DEFAULT, &sc), 0);
	ck_assert_uint_eq(sc->n_links, 0);
	lb__owner_scan_free(sc);
	kill(g, SIGKILL);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	/* The grandchild is reparented; wait until it is gone from /proc. */
	for (m = 0; m < 200 && lb__owner_info((uint32_t)g, &o) == 0; m++) {
		lb__owner_free(o);
		usleep(10000);
	}
	ck_assert_int_eq(lb__owner_info((uint32_t)g, &o), LB_ENOENT);
	ck_assert_int_eq(lb__owners_of_pid((uint32_t)g, 0, &sc), LB_ENOENT);
	ck_assert_int_eq(lb__owners_of_inodes(&ino, 1, 7, &sc), LB_EINVAL);
	ck_assert_int_eq(lb__owners_of_inodes(NULL, 1, LB_OWNERS_ALL, &sc), LB_EINVAL);
	lb_lease_release(lease);
}
END_TEST

/* ---- lb_socket_owner_error() on real sockets ----
 * The test process holds a TCP listener on a leased port of 127.0.0.1 (as
 * root, with every capability); a forked child that closed its copy looks
 * at it under some restriction and reports lb_socket_owner_error(). */

struct held {
	lb_lease *lease;
	int fd;
	uint16_t port;
};

static void hold(struct held *h)
{
	ck_assert_int_eq(lb_port_pick(NULL, &h->lease), 0);
	h->port = lb_lease_port(h->lease, 0);
	ck_assert_int_eq(lb_lease_listen(h->lease, 0, LB_PICK_TCP, NULL, &h->fd), 0);
}

static void unhold(struct held *h)
{
	close(h->fd);
	lb_lease_release(h->lease);
}

/* The socket on 127.0.0.1:@port as this process sees it: its owner error,
 * and (through @ret_owners) its owner count; -100 if not listed. */
static int error_of(uint16_t port, int mode, uint32_t pid, size_t *ret_owners)
{
	lb_socket_list *l = NULL;
	lb_query *q = NULL;
	lb_addr lo;
	int r;

	if (lb_addr_parse("127.0.0.1", 9, &lo, NULL) < 0 || lb_query_new(&q) < 0)
		return -101;
	lb_query_set_local_port(q, port);
	lb_query_set_local_addr(q, &lo);
	lb_query_set_protocols(q, LB_PROTO_TCP);
	lb_query_set_owners(q, mode);
	lb_query_set_pid(q, pid, 0);
	/* These are the /proc scan's marks (the BPF scan, as root, sees all). */
	lb_query_set_owner_scan(q, LB_OWNER_SCAN_PROC);
	r = lb_socket_list_get(q, &l);
	lb_query_free(q);
	if (r < 0)
		return -102;
	r = lb_socket_list_count(l) == 1 ? lb_socket_owner_error(lb_socket_list_at(l, 0)) : -100;
	if (ret_owners)
		*ret_owners = lb_socket_owner_count(lb_socket_list_at(l, 0));
	lb_socket_list_free(l);
	return r;
}

enum restriction { R_NONE, R_NO_PTRACE, R_HIDEPID_NOBODY, R_NOBODY, R_OWN_PIDNS };

/* Drop CAP_SYS_PTRACE from the effective and permitted sets. */
static int drop_ptrace(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &hdr, d) < 0)
		return -1;
	d[0].effective &= ~(1u << CAP_SYS_PTRACE);
	d[0].permitted &= ~(1u << CAP_SYS_PTRACE);
	d[0].inheritable &= ~(1u << CAP_SYS_PTRACE);
	return (int)syscall(SYS_capset, &hdr, d);
}

/* Become an unprivileged user: nobody, or with @own_uid a uid no other
 * process uses (so no process of the host is visible under hidepid);
 * dumpable again, so our own descriptors stay readable. */
static int become_user(int own_uid)
{
	uid_t u = own_uid ? (uid_t)(40000 + getpid() % 20000) : 65534;

	if (setgroups(0, NULL) < 0 || setgid(u) < 0 || setuid(u) < 0)
		return -1;
	return prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/* A fresh /proc (with @opts) in a private mount namespace. */
static int own_proc(const char *opts)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	return mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts);
}

/* Run error_of() in a child under @how; returns its result (-200 when the
 * restriction could not be set up). */
static int error_in_child(const struct held *h, enum restriction how, int mode)
{
	int p[2], v = -200, st;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int r = 0;

		close(p[0]);
		close(h->fd); /* the test process alone holds it */
		alarm(20);
		if (how == R_NO_PTRACE)
			r = drop_ptrace();
		else if (how == R_HIDEPID_NOBODY)
			r = unshare(CLONE_NEWNS) < 0 || own_proc("hidepid=2") < 0 || become_user(1) < 0 ? -1 : 0;
		else if (how == R_NOBODY)
			r = become_user(0);
		else if (how == R_OWN_PIDNS) {
			pid_t g;

			/* The first child after unshare is PID 1 of the new
			 * namespace; its /proc shows only that namespace. */
			if (unshare(CLONE_NEWNS | CLONE_NEWPID) < 0)
				_exit(1);
			g = fork();
			if (g < 0)
				_exit(1);
			if (g > 0) {
				close(p[1]);
				waitpid(g, &st, 0);
				_exit(0);
			}
			r = own_proc(NULL);
		}
		v = r < 0 ? -200 : error_of(h->port, mode, 0, NULL);
		if (write(p[1], &v, sizeof(v)) != (ssize_t)sizeof(v))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &v, sizeof(v)) != (ssize_t)sizeof(v))
		v = -201;
	close(p[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return v;
}

START_TEST(test_owner_error_listed_and_not_requested)
{
	struct held h;
	size_t n = 0;

	hold(&h);
	ck_assert_int_eq(error_of(h.port, LB_OWNERS_DEFAULT, 0, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(error_of(h.port, LB_OWNERS_ALL, 0, &n), 0);
	ck_assert_uint_eq(n, 1);
	/* 0 means "owners listed": never when they were not asked for. */
	ck_assert_int_eq(error_of(h.port, LB_OWNERS_NONE, 0, &n), LB_ENOTREQUESTED);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(error_of(h.port, LB_OWNERS_NONE, (uint32_t)getpid(), &n), LB_ENOTREQUESTED);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(error_of(h.port, LB_OWNERS_DEFAULT, (uint32_t)getpid(), &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(error_in_child(&h, R_NONE, LB_OWNERS_DEFAULT), 0);
	unhold(&h);
}
END_TEST

START_TEST(test_owner_error_permission)
{
	struct held h;

	if (geteuid() != 0) {
		fprintf(stderr, "# skipped: needs root (capabilities, mounts)\n");
		return;
	}
	hold(&h);
	/* Root without CAP_SYS_PTRACE lists our fd directory but cannot read
	 * its links (the process has capabilities the caller lacks). */
	ck_assert_int_eq(error_in_child(&h, R_NO_PTRACE, LB_OWNERS_DEFAULT), LB_EPERM);
	ck_assert_int_eq(error_in_child(&h, R_NO_PTRACE, LB_OWNERS_ALL), LB_EPERM);
	/* Another user: our fd directory does not open. */
	ck_assert_int_eq(error_in_child(&h, R_NOBODY, LB_OWNERS_DEFAULT), LB_EPERM);
	/* A user of its own under hidepid=2: our process is not even listed,
	 * and the caller's own processes read fine. */
	ck_assert_int_eq(error_in_child(&h, R_HIDEPID_NOBODY, LB_OWNERS_DEFAULT), LB_EPERM);
	ck_assert_int_eq(error_in_child(&h, R_HIDEPID_NOBODY, LB_OWNERS_ALL), LB_EPERM);
	unhold(&h);
}
END_TEST

START_TEST(test_owner_error_not_visible)
{
	struct held h;

	if (geteuid() != 0) {
		fprintf(stderr, "# skipped: needs root (namespaces)\n");
		return;
	}
	hold(&h);
	/* From a PID namespace of its own, every visible process was read and
	 * none holds it: not a permission problem. */
	ck_assert_int_eq(error_in_child(&h, R_OWN_PIDNS, LB_OWNERS_DEFAULT), LB_ENOTVISIBLE);
	ck_assert_int_eq(error_in_child(&h, R_OWN_PIDNS, LB_OWNERS_ALL), LB_ENOTVISIBLE);
	unhold(&h);
}
END_TEST

START_TEST(test_owner_error_exited)
{
	struct lb__owner_link links[2];
	struct lb__owner_scan scan;
	lb_socket_list *list = lb__socket_list_new("test");
	struct lb_socket *s;
	pid_t dead = fork();

	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, NULL, 0), dead);
	ck_assert_ptr_nonnull(list);
	s = lb__sockvec_push(&list->socks);
	ck_assert_ptr_nonnull(s);
	s->inode = 424242;
	/* Its only holder found is gone by the time it is described. */
	memset(&scan, 0, sizeof(scan));
	links[0].inode = 424242;
	links[0].pid = (uint32_t)dead;
	scan.links = links;
	scan.n_links = 1;
	ck_assert_int_eq(lb__owner_attach(list, &scan), 0);
	ck_assert_uint_eq(lb_socket_owner_count(lb_socket_list_at(list, 0)), 0);
	ck_assert_int_eq(lb_socket_owner_error(lb_socket_list_at(list, 0)), LB_EEXITED);
	/* Even with hidden processes around: the holder was seen. */
	scan.n_hidden = 3;
	ck_assert_int_eq(lb__owner_attach(list, &scan), 0);
	ck_assert_int_eq(lb_socket_owner_error(lb_socket_list_at(list, 0)), LB_EEXITED);
	/* Another holder still alive: owners listed. */
	links[1].inode = 424242;
	links[1].pid = (uint32_t)getpid();
	if (links[1].pid < links[0].pid) {
		struct lb__owner_link t = links[0];

		links[0] = links[1];
		links[1] = t;
	}
	scan.n_links = 2;
	ck_assert_int_eq(lb__owner_attach(list, &scan), 0);
	ck_assert_uint_eq(lb_socket_owner_count(lb_socket_list_at(list, 0)), 1);
	ck_assert_int_eq(lb_socket_owner_error(lb_socket_list_at(list, 0)), 0);
	/* A link to a socket not in the list is dropped before anything is
	 * read: its holder (here gone) is neither described nor an error. */
	links[0].inode = 999999;
	links[0].pid = (uint32_t)dead;
	links[1].inode = 424242;
	links[1].pid = (uint32_t)getpid();
	scan.n_links = 2;
	ck_assert_int_eq(lb__owner_attach(list, &scan), 0);
	ck_assert_uint_eq(scan.n_links, 1);
	ck_assert_uint_eq(scan.links[0].pid, (uint32_t)getpid());
	lb_socket_list_free(list);
}
END_TEST

/* Each holder described once, on two threads for many (owner-describe.c):
 * 40 and more live processes and one gone, every entry in link order with
 * its own details, the gone one LB_ENOENT. */
START_TEST(test_describe_holders)
{
	struct lb__owner_link links[64];
	struct lb__owner_scan scan;
	struct lb__holder *h = NULL;
	uint32_t *pids = NULL;
	size_t n_pids = 0, n = 0, n_h = 0, i;
	pid_t dead = fork();
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ck_assert_int_ge(procfd, 0);
	ck_assert_int_ge(dead, 0);
	if (dead == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, NULL, 0), dead);
	ck_assert_int_eq(lb__proc_pids(procfd, &pids, &n_pids), 0);
	for (i = 0; i < n_pids && n < 62; i++)
		if (pids[i] != (uint32_t)dead) {
			links[n].pid = pids[i];
			links[n++].inode = 1000 + i;
		}
	links[n].pid = (uint32_t)dead;
	links[n++].inode = 7;
	links[n] = links[n - 1]; /* two links of one holder */
	links[n++].inode = 8;
	memset(&scan, 0, sizeof(scan));
	scan.links = links;
	scan.n_links = n;
	lb__owner_scan_sort(&scan);
	ck_assert_int_eq(lb__holders_describe(procfd, &scan, &h, &n_h), 0);
	ck_assert_uint_eq(n_h, n - 1);
	for (i = 0; i < n_h; i++) {
		ck_assert_uint_eq(scan.links[h[i].first].pid, h[i].pid);
		if (h[i].pid == (uint32_t)dead) {
			ck_assert_int_eq(h[i].r, LB_ENOENT);
			ck_assert_ptr_null(h[i].owner);
			ck_assert_uint_eq(h[i].n_links, 2);
			continue;
		}
		ck_assert_uint_eq(h[i].n_links, 1);
		/* A process of the host may end meanwhile; ours may not. */
		ck_assert(h[i].r == 0 || h[i].r == LB_ENOENT);
		if (h[i].r == 0)
			ck_assert_uint_eq(h[i].owner->pid, h[i].pid);
		if (h[i].pid == (uint32_t)getpid())
			ck_assert_int_eq(h[i].r, 0);
		lb__owner_free(h[i].owner);
	}
	ck_assert(n_pids < 40 || n_h >= 32); /* the two-thread path, on any real host */
	free(h);
	free(pids);
	close(procfd);
}
END_TEST

/* The links sorted by (pid, inode), duplicates dropped: in the walk's
 * pid order only each process's links are ordered; any other order is
 * sorted whole. Both give the same. */
START_TEST(test_scan_sort)
{
	struct lb__owner_link in[7] = {
		{ .pid = 3, .inode = 9 }, { .pid = 3, .inode = 2 }, { .pid = 3, .inode = 9 },
		{ .pid = 5, .inode = 1 }, { .pid = 8, .inode = 7 }, { .pid = 8, .inode = 4 },
		{ .pid = 8, .inode = 4 },
	};
	const struct lb__owner_link want[5] = {
		{ .pid = 3, .inode = 2 }, { .pid = 3, .inode = 9 }, { .pid = 5, .inode = 1 },
		{ .pid = 8, .inode = 4 }, { .pid = 8, .inode = 7 },
	};
	struct lb__owner_link links[7];
	struct lb__owner_scan scan;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		memcpy(links, in, sizeof(in));
		if (k) { /* out of pid order */
			struct lb__owner_link t = links[0];

			links[0] = links[6];
			links[6] = t;
		}
		memset(&scan, 0, sizeof(scan));
		scan.links = links;
		scan.n_links = 7;
		lb__owner_scan_sort(&scan);
		ck_assert_uint_eq(scan.n_links, 5);
		for (i = 0; i < 5; i++) {
			ck_assert_uint_eq(scan.links[i].pid, want[i].pid);
			ck_assert_uint_eq(scan.links[i].inode, want[i].inode);
		}
	}
	memset(&scan, 0, sizeof(scan));
	lb__owner_scan_sort(&scan); /* empty: nothing to do */
	ck_assert_uint_eq(scan.n_links, 0);
}
END_TEST

static Suite *owner_suite(void)
{
	Suite *s = suite_create("owner");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_stat_parse);
	tcase_add_test(tc, test_link_parse);
	tcase_add_test(tc, test_cmdline_btime);
	suite_add_tcase(s, tc);
	tc = tcase_create("scan");
	tcase_add_test(tc, test_scan_shared_by_fork);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("owner-error");
	tcase_add_test(tc, test_owner_error_listed_and_not_requested);
	tcase_add_test(tc, test_owner_error_permission);
	tcase_add_test(tc, test_owner_error_not_visible);
	tcase_add_test(tc, test_scan_sort);
	tcase_add_test(tc, test_describe_holders);
	tcase_add_test(tc, test_owner_error_exited);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(owner_suite)
