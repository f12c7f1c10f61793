/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD: ask the kernel for net.inet.{tcp,udp}.pcblist and kern.file;
 * the bytes are parsed by sysctl-freebsd-parse.c. Built on FreeBSD only.
 */
#ifdef __FreeBSD__
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/sysctl.h>

#include "internal.h"
#include "sysctl-freebsd.h"

#define FETCH_TRIES 8
#define GEN_TRIES 5

/* Read a whole sysctl whose size changes under us: ask the size, add
 * room, read; ENOMEM means it grew in between, so again. */
static int fetch(const char *name, void **ret_buf, size_t *ret_len)
{
	int i;

	for (i = 0; i < FETCH_TRIES; i++) {
		size_t len = 0;
		void *buf;

		if (sysctlbyname(name, NULL, &len, NULL, 0) < 0)
			return errno == ENOENT ? LB_ENOTSUP : errno == EPERM ? LB_EPERM : LB_EIO;
		len += len / 8 + 4096;
		buf = malloc(len);
		if (!buf)
			return LB_ENOMEM;
		if (sysctlbyname(name, buf, &len, NULL, 0) == 0) {
			*ret_buf = buf;
			*ret_len = len;
			return 0;
		}
		free(buf);
		if (errno != ENOMEM)
			return errno == EPERM ? LB_EPERM : LB_EIO;
	}
	return LB_EIO;
}

int lb__fbsd_read_pcblist(int ipproto, struct lb__fbsd_pcblist *ret)
{
	const char *name = ipproto == LB_FBSD_IPPROTO_TCP ? "net.inet.tcp.pcblist"
							   : "net.inet.udp.pcblist";
	int i, r;

	/* A table that changed while it was copied (xig_gen differs between
	 * head and tail) is read again; after GEN_TRIES the last copy is used:
	 * every record in it is still a real socket. */
	for (i = 0; i < GEN_TRIES; i++) {
		struct lb__fbsd_pcblist l;
		void *buf;
		size_t len;

		r = fetch(name, &buf, &len);
		if (r < 0)
			return r;
		r = lb__fbsd_pcblist_parse(buf, len, ipproto, &l);
		free(buf);
		if (r < 0)
			return r;
		if (!l.gen_changed || i == GEN_TRIES - 1) {
			*ret = l;
			return 0;
		}
		lb__fbsd_pcblist_clear(&l);
	}
	return LB_EIO;
}

int lb__fbsd_read_files(struct lb__fbsd_filelist *ret)
{
	void *buf;
	size_t len;
	int r = fetch("kern.file", &buf, &len);

	if (r < 0)
		return r;
	r = lb__fbsd_filelist_parse(buf, len, ret);
	free(buf);
	return r;
}
#endif /* __FreeBSD__ */
