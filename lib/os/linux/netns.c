/* SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__linux__)
#include <sched.h>
#include <sys/ioctl.h>
#include <linux/nsfs.h>
#endif

#include "core/internal.h"
#include "sockets/netns.h"

#if defined(__linux__)
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

static int add_ns(struct lb__nsctx **v, size_t *n, const char *path, uint64_t own)
{
	struct lb__nsctx c, *nv;
	size_t i;
	struct stat st;

	if (stat(path, &st) < 0)
		return 0; /* gone meanwhile */
	if ((uint64_t)st.st_ino == own)
		return 0;
	for (i = 0; i < *n; i++)
		if ((*v)[i].netns_ino == (uint64_t)st.st_ino)
			return 0;
	if (open_netns(path, &c) < 0)
		return 0; /* raced with an exit, or not a netns: skip */
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		close(c.netns_fd);
		return LB_ENOMEM;
	}
	*v = nv;
	nv[(*n)++] = c;
	return 0;
}

/* Every namespace named by DIR/ENTRY/SUFFIX (SUFFIX "" or "/ns/net"). */
static int scan_dir(struct lb__nsctx **v, size_t *n, const char *dir, const char *suffix,
		    int numeric, uint64_t own)
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
		r = add_ns(v, n, path, own);
	}
	closedir(d);
	return r;
}

int lb__netns_open(const lb_query *q, struct lb__nsctx **ret_ns, size_t *ret_n)
{
	struct lb__nsctx *v = calloc(1, sizeof(*v));
	size_t n = 1;
	int r;

	if (!v)
		return LB_ENOMEM;
	if (q->netns_path) {
		r = open_netns(q->netns_path, &v[0]);
	} else if (q->netns_pid) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/%u/ns/net", (unsigned)q->netns_pid);
		r = open_netns(path, &v[0]);
	} else {
		r = own_netns(&v[0]);
		if (r == 0 && q->all_netns) {
			if (geteuid() != 0)
				r = LB_EPERM;
			if (r == 0)
				r = scan_dir(&v, &n, "/var/run/netns", "", 0,
					     v[0].netns_ino);
			if (r == 0)
				r = scan_dir(&v, &n, "/proc", "/ns/net", 1, v[0].netns_ino);
		}
	}
	if (r < 0) {
		lb__netns_close(v, n);
		return r;
	}
	*ret_ns = v;
	*ret_n = n;
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
#else
int lb__netns_open(const lb_query *q, struct lb__nsctx **ret_ns, size_t *ret_n)
{
	struct lb__nsctx *v;

	if (q->netns_path || q->netns_pid || q->all_netns)
		return LB_ENOTSUP;
	v = calloc(1, sizeof(*v));
	if (!v)
		return LB_ENOMEM;
	v->netns_fd = -1;
	*ret_ns = v;
	*ret_n = 1;
	return 0;
}

int lb__netns_call(const struct lb__nsctx *ns, int (*fn)(void *arg), void *arg)
{
	(void)ns;
	return fn(arg);
}
#endif

void lb__netns_close(struct lb__nsctx *ns, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ns[i].netns_fd >= 0)
			close(ns[i].netns_fd);
	free(ns);
}
