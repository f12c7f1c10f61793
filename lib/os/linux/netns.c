/* SPDX-License-Identifier: MIT */
/*
 * Network namespaces on Linux (lib/sockets/netns.h): a namespace is a
 * descriptor of /proc/PID/ns/net or a bind mount of one (ip netns), and a
 * backend reads inside it from a helper thread that setns()es. Other OSes
 * have none: lib/os/posix/netns-none.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <linux/nsfs.h>

#include "core/grow.h"
#include "core/internal.h"
#include "sockets/netns.h"

/* Open a namespace file and check it is a network namespace. */
static int open_netns(const char *path, struct lb__nsctx *ret)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not hang */

	if (fd < 0)
		return lb__errno_code(errno);
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET || fstat(fd, &st) < 0) {
		close(fd);
		return LB_EINVAL;
	}
	ret->netns_fd = fd;
	ret->netns_ino = (uint64_t)st.st_ino;
	return 0;
}

static int own_netns(struct lb__nsctx *ret)
{
	struct stat st;

	ret->netns_fd = -1;
	ret->netns_ino = stat("/proc/thread-self/ns/net", &st) == 0 ? (uint64_t)st.st_ino : 0;
	return 0;
}

/* The namespaces found so far; [0] is the caller's own. */
struct ns_vec {
	struct lb__nsctx *v;
	size_t n, cap;
};

static int add_ns(struct ns_vec *nv, const char *path, uint64_t own)
{
	struct lb__nsctx c, *v;
	size_t i;
	struct stat st;

	if (stat(path, &st) < 0)
		return 0; /* gone meanwhile */
	if ((uint64_t)st.st_ino == own)
		return 0;
	for (i = 0; i < nv->n; i++)
		if (nv->v[i].netns_ino == (uint64_t)st.st_ino)
			return 0;
	if (open_netns(path, &c) < 0)
		return 0; /* raced with an exit, or not a netns: skip */
	v = lb__grow(nv->v, &nv->cap, nv->n + 1, sizeof(*v), 8);
	if (!v) {
		close(c.netns_fd);
		return LB_ENOMEM;
	}
	nv->v = v;
	v[nv->n++] = c;
	return 0;
}

/* Every namespace named by DIR/ENTRY/SUFFIX (SUFFIX "" or "/ns/net"). */
static int scan_dir(struct ns_vec *nv, const char *dir, const char *suffix, int numeric,
		    uint64_t own)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return 0;
	while (r == 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.' || (numeric && (de->d_name[0] < '0' || de->d_name[0] > '9')))
			continue;
		snprintf(path, sizeof(path), "%s/%s%s", dir, de->d_name, suffix);
		r = add_ns(nv, path, own);
	}
	closedir(d);
	return r;
}

int lb__netns_open(const lb_query *q, struct lb__nsctx **ret_ns, size_t *ret_n)
{
	struct ns_vec nv = { NULL, 0, 0 };
	int r;

	nv.v = lb__grow(NULL, &nv.cap, 1, sizeof(*nv.v), 8);
	if (!nv.v)
		return LB_ENOMEM;
	/* Nothing to close until a namespace opens: a path that fails to
	 * open must not close the caller's descriptor 0. */
	nv.v[0].netns_fd = -1;
	nv.v[0].netns_ino = 0;
	nv.n = 1;
	if (q->netns_path) {
		r = open_netns(q->netns_path, &nv.v[0]);
	} else if (q->netns_pid) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%u/ns/net", (unsigned)q->netns_pid);
		r = open_netns(path, &nv.v[0]);
	} else {
		r = own_netns(&nv.v[0]);
		if (r == 0 && q->all_netns && geteuid() != 0)
			r = LB_EPERM;
		if (r == 0 && q->all_netns)
			r = scan_dir(&nv, "/var/run/netns", "", 0, nv.v[0].netns_ino);
		if (r == 0 && q->all_netns)
			r = scan_dir(&nv, "/proc", "/ns/net", 1, nv.v[0].netns_ino);
	}
	if (r < 0) {
		lb__netns_close(nv.v, nv.n);
		return r;
	}
	*ret_ns = nv.v;
	*ret_n = nv.n;
	return 0;
}

struct ns_call {
	const struct lb__nsctx *ns;
	int (*fn)(void *);
	void *arg;
	int ret;
};

static void *ns_thread(void *p)
{
	struct ns_call *c = p;

	if (setns(c->ns->netns_fd, CLONE_NEWNET) < 0)
		c->ret = lb__errno_code(errno);
	else
		c->ret = c->fn(c->arg);
	return NULL;
}

int lb__netns_call(const struct lb__nsctx *ns, int (*fn)(void *arg), void *arg)
{
	struct ns_call c = { ns, fn, arg, 0 };
	pthread_t t;
	int e;

	if (ns->netns_fd < 0)
		return fn(arg);
	e = pthread_create(&t, NULL, ns_thread, &c);
	if (e != 0)
		return lb__errno_code(e);
	pthread_join(t, NULL);
	return c.ret;
}

void lb__netns_close(struct lb__nsctx *ns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ns[i].netns_fd >= 0)
			close(ns[i].netns_fd);
	free(ns);
}
