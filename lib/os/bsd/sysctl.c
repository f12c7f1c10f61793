/* SPDX-License-Identifier: MIT */
/* See lib/os/bsd/sysctl.h. FreeBSD and macOS only. */
#if defined(__FreeBSD__) || defined(__APPLE__)
#include <errno.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/sysctl.h>

#include "core/internal.h"
#include "os/bsd/sysctl.h"

#define FETCH_TRIES 8
#define GEN_TRIES 5

int lb__sysctl_fetch(int *mib, unsigned n, void **ret_buf, size_t *ret_len)
{
	int i;

	/* Ask the size, add room, read; ENOMEM means it grew in between,
	 * so again. */
	for (i = 0; i < FETCH_TRIES; i++) {
		size_t len = 0;
		void *buf;

		if (sysctl(mib, n, NULL, &len, NULL, 0) < 0)
			return lb__errno_code(errno);
		len += len / 8 + 4096;
		buf = malloc(len);
		if (!buf)
			return LB_ENOMEM;
		if (sysctl(mib, n, buf, &len, NULL, 0) == 0) {
			*ret_buf = buf;
			*ret_len = len;
			return 0;
		}
		free(buf);
		if (errno != ENOMEM)
			return lb__errno_code(errno);
	}
	return LB_EIO;
}

int lb__sysctl_fetch_name(const char *name, void **ret_buf, size_t *ret_len)
{
	int mib[CTL_MAXNAME];
	size_t n = CTL_MAXNAME;

	if (sysctlnametomib(name, mib, &n) < 0)
		return errno == ENOENT ? LB_ENOTSUP : lb__errno_code(errno);
	return lb__sysctl_fetch(mib, (unsigned)n, ret_buf, ret_len);
}

int lb__sysctl_read_pcblist(const char *name,
			    int (*parse)(const void *buf, size_t len, int ipproto,
					 struct lb__fbsd_pcblist *ret),
			    int ipproto, struct lb__fbsd_pcblist *ret)
{
	int i, r;

	for (i = 0; i < GEN_TRIES; i++) {
		struct lb__fbsd_pcblist l;
		void *buf;
		size_t len;

		r = lb__sysctl_fetch_name(name, &buf, &len);
		if (r < 0)
			return r;
		r = parse(buf, len, ipproto, &l);
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
#endif
