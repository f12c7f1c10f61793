/* SPDX-License-Identifier: MIT */
/* The PID fast path (lib/os/linux/pidfd.c, the pid_sockets hook of the
 * Linux backends) on real processes: a child holding leased ports, its
 * descendants, an exited child, and the queries it leaves to the table. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lb-test.h"
#include "sockets/backend.h"
#include "os/linux/pidfd.h"

struct family {
	lb_lease *lease;
	uint16_t port[2];
	uint64_t inode[2];
	pid_t child, grandchild;
};

static uint64_t listen_on(lb_lease *lease, uint32_t index, int *ret_fd)
{
	struct stat st;

	ck_assert_int_eq(lb_lease_listen(lease, index, LB_PICK_TCP, NULL, ret_fd), 0);
	ck_assert_int_eq(fstat(*ret_fd, &st), 0);
	return (uint64_t)st.st_ino;
}

/* A child listening on the first of two leased ports, and its child (the
 * grandchild) on the second. */
static void spawn_family(struct family *f)
{
	int p[2], fd[2], i;

	f->lease = lb_test_lease(LB_PICK_TCP, LB_PICK_FAMILY_IPV4, 2);
	f->port[0] = lb_lease_port(f->lease, 0);
	f->port[1] = lb_lease_port(f->lease, 1);
	f->inode[0] = listen_on(f->lease, 0, &fd[0]);
	f->inode[1] = listen_on(f->lease, 1, &fd[1]);
	ck_assert_int_eq(pipe(p), 0);
	f->child = fork();
	ck_assert_int_ge(f->child, 0);
	if (f->child == 0) {
		pid_t me = 0;

		lb_lease_release(f->lease);
		if (fork() == 0) {
			close(fd[0]);
			prctl(PR_SET_NAME, "lbt-pidfd-g");
			me = getpid();
		} else {
			close(fd[1]);
			prctl(PR_SET_NAME, "lbt-pidfd-c");
		}
		/* Each says when it holds only its own socket: the
		 * grandchild with its pid, the child with 0. */
		if (write(p[1], &me, sizeof(me)) != (ssize_t)sizeof(me))
			_exit(1);
		alarm(30);
		pause();
		_exit(0);
	}
	close(fd[0]);
	close(fd[1]);
	close(p[1]);
	for (i = 0; i < 2; i++) {
		pid_t got;

		ck_assert_int_eq(read(p[0], &got, sizeof(got)), (ssize_t)sizeof(got));
		if (got)
			f->grandchild = got;
	}
	close(p[0]);
}

static void end_family(struct family *f)
{
	kill(f->grandchild, SIGKILL);
	kill(f->child, SIGKILL);
	waitpid(f->child, NULL, 0);
	lb_lease_release(f->lease);
}

/* lb__pidfd_list() for @pid; LB_ENOTSUP (no pidfd_getfd, no ptrace
 * access to our own child) skips the test. */
static lb_socket_list *pidfd_list(pid_t pid, unsigned flags, int *ret)
{
	lb_socket_list *list = lb__socket_list_new("none");
	lb_query *q = NULL;

	ck_assert_ptr_nonnull(list);
	ck_assert_int_eq(lb_query_new(&q), 0);
	ck_assert_int_eq(lb_query_set_pid(q, (uint32_t)pid, flags), 0);
	ck_assert_int_eq(lb_query_set_protocols(q, LB_PROTO_TCP), 0);
	*ret = lb__pidfd_list(q, list);
	lb_query_free(q);
	return list;
}

static const lb_socket *find_inode(const lb_socket_list *l, uint64_t inode)
{
	size_t i;

	for (i = 0; i < lb_socket_list_count(l); i++)
		if (lb_socket_inode(lb_socket_list_at(l, i)) == inode)
			return lb_socket_list_at(l, i);
	return NULL;
}

START_TEST(test_child_and_descendants)
{
	struct family f;
	lb_socket_list *l;
	const lb_socket *s;
	int r;

	spawn_family(&f);
	l = pidfd_list(f.child, 0, &r);
	if (r == LB_ENOTSUP) {
		lb_socket_list_free(l);
		end_family(&f);
		return; /* the fast path is unavailable here: nothing to test */
	}
	ck_assert_int_eq(r, 0);
	ck_assert_str_eq(lb_socket_list_backend(l), "pidfd");
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	s = find_inode(l, f.inode[0]);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(lb_socket_local_port(s), f.port[0]);
	ck_assert_int_eq(lb_socket_state(s), LB_STATE_LISTEN);
	ck_assert_uint_eq(lb_socket_owner_count(s), 1);
	ck_assert_uint_eq(lb_owner_pid(lb_socket_owner_at(s, 0)), (uint32_t)f.child);
	ck_assert_str_eq(lb_owner_name(lb_socket_owner_at(s, 0)), "lbt-pidfd-c");
	lb_socket_list_free(l);
	/* With its descendants: the grandchild's port too, owned by it. */
	l = pidfd_list(f.child, LB_PID_DESCENDANTS, &r);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(lb_socket_list_count(l), 2);
	s = find_inode(l, f.inode[1]);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(lb_socket_local_port(s), f.port[1]);
	ck_assert_uint_eq(lb_owner_pid(lb_socket_owner_at(s, 0)), (uint32_t)f.grandchild);
	lb_socket_list_free(l);
	/* The grandchild alone holds only its own. */
	l = pidfd_list(f.grandchild, 0, &r);
	ck_assert_int_eq(r, 0);
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	ck_assert_ptr_nonnull(find_inode(l, f.inode[1]));
	lb_socket_list_free(l);
	end_family(&f);
}
END_TEST

/* lb_socket_list_get() takes the fast path through the backend's hook,
 * unless a backend is forced; both find the same socket. */
START_TEST(test_through_the_hook)
{
	struct family f;
	lb_socket_list *l = NULL;
	lb_query *q = NULL;
	int r;

	spawn_family(&f);
	l = pidfd_list(f.child, 0, &r); /* whether the fast path works here */
	lb_socket_list_free(l);
	ck_assert_int_eq(lb_query_new(&q), 0);
	ck_assert_int_eq(lb_query_set_pid(q, (uint32_t)f.child, 0), 0);
	ck_assert_int_eq(lb_query_set_protocols(q, LB_PROTO_TCP), 0);
	unsetenv("LOOPBACK_BACKEND");
	ck_assert_int_eq(lb_socket_list_get(q, &l), 0);
	if (r == 0)
		ck_assert_str_eq(lb_socket_list_backend(l), "pidfd");
	else
		ck_assert_str_ne(lb_socket_list_backend(l), "pidfd");
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	ck_assert_ptr_nonnull(find_inode(l, f.inode[0]));
	lb_socket_list_free(l);
	setenv("LOOPBACK_BACKEND", "procfs", 1);
	ck_assert_int_eq(lb_socket_list_get(q, &l), 0);
	ck_assert_str_eq(lb_socket_list_backend(l), "procfs");
	ck_assert_uint_eq(lb_socket_list_count(l), 1);
	ck_assert_ptr_nonnull(find_inode(l, f.inode[0]));
	lb_socket_list_free(l);
	unsetenv("LOOPBACK_BACKEND");
	lb_query_free(q);
	end_family(&f);
}
END_TEST

/* Whether this system (or the tool it runs under: valgrind 3.19 has no
 * pidfd_open) gives pidfds; without them the fast path says LB_ENOTSUP and
 * the table answers instead. */
static int have_pidfd(void)
{
	int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

START_TEST(test_exited_child)
{
	lb_socket_list *l;
	pid_t c = fork();
	int r;

	ck_assert_int_ge(c, 0);
	if (c == 0)
		_exit(0);
	/* Exited, not reaped yet: a zombie holds no socket. */
	usleep(50000);
	l = pidfd_list(c, 0, &r);
	ck_assert_msg(r == 0 || r == LB_ENOENT || r == LB_ENOTSUP, "zombie: %s", lb_strerror(r));
	if (r == 0)
		ck_assert_uint_eq(lb_socket_list_count(l), 0);
	lb_socket_list_free(l);
	ck_assert_int_eq(waitpid(c, NULL, 0), c);
	/* Reaped: no such process (or no pidfds here at all). */
	l = pidfd_list(c, 0, &r);
	ck_assert_int_eq(r, have_pidfd() ? LB_ENOENT : LB_ENOTSUP);
	ck_assert_uint_eq(lb_socket_list_count(l), 0);
	lb_socket_list_free(l);
}
END_TEST

/* What the fast path leaves to the table: another namespace, every owner. */
START_TEST(test_not_its_queries)
{
	lb_socket_list *list = lb__socket_list_new("none");
	lb_query *q = NULL;

	ck_assert_int_eq(lb_query_new(&q), 0);
	ck_assert_int_eq(lb__pidfd_list(q, list), LB_ENOTSUP); /* no pid */
	ck_assert_int_eq(lb_query_set_pid(q, (uint32_t)getpid(), 0), 0);
	ck_assert_int_eq(lb_query_set_netns_pid(q, (uint32_t)getpid()), 0);
	ck_assert_int_eq(lb__pidfd_list(q, list), LB_ENOTSUP);
	ck_assert_int_eq(lb_query_set_netns_pid(q, 0), 0);
	ck_assert_int_eq(lb_query_set_owners(q, LB_OWNERS_ALL), 0);
	ck_assert_int_eq(lb__pidfd_list(q, list), LB_ENOTSUP);
	ck_assert_uint_eq(lb_socket_list_count(list), 0);
	ck_assert_str_eq(lb_socket_list_backend(list), "none");
	lb_query_free(q);
	lb_socket_list_free(list);
}
END_TEST

static Suite *pidfd_suite(void)
{
	Suite *s = suite_create("pidfd");
	TCase *tc = tcase_create("pidfd");

	tcase_add_test(tc, test_child_and_descendants);
	tcase_add_test(tc, test_through_the_hook);
	tcase_add_test(tc, test_exited_child);
	tcase_add_test(tc, test_not_its_queries);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

LB_TEST_MAIN(pidfd_suite)
