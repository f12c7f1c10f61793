/* SPDX-License-Identifier: MIT */
/*
 * The /proc text parsers of the owner scan (owner.h): /proc/PID/stat,
 * "socket:[INODE]" links, /proc/stat's btime. Pure, tested on fixtures.
 */
#include <string.h>

#include "core/internal.h"
#include "os/linux/owner.h"

int lb__proc_stat_parse(const char *text, size_t len, struct lb__proc_stat *ret)
{
	const char *p = text, *end = text + len, *open, *close;
	struct lb__proc_stat st;
	uint64_t v;
	size_t n;
	int i;

	lb_return_if(!text || !ret, LB_EINVAL);
	memset(&st, 0, sizeof(st));
	if (lb__parse_uint(&p, end, 10, UINT32_MAX, &v) < 0 || p >= end || *p != ' ')
		return LB_EBADDATA;
	st.pid = (uint32_t)v;
	open = p + 1;
	close = NULL;
	for (p = end; p > open; p--)
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	if (open >= end || *open != '(' || !close)
		return LB_EBADDATA;
	n = (size_t)(close - open - 1);
	if (n >= sizeof(st.comm))
		n = sizeof(st.comm) - 1;
	memcpy(st.comm, open + 1, n);
	st.comm[n] = '\0';
	p = close + 1;
	/* Fields 3 (state) .. 22 (starttime), counted from 1. */
	if (end - p < 3 || p[0] != ' ' || p[2] != ' ')
		return LB_EBADDATA;
	st.state = p[1];
	p += 3;
	for (i = 4; i <= 22; i++) {
		/* Signed fields: the sign is skipped, their value is not used. */
		if (p < end && *p == '-' && i != 4 && i != 22)
			p++;
		if (lb__parse_uint(&p, end, 10, UINT64_MAX, &v) < 0)
			return LB_EBADDATA;
		if (i == 4) {
			if (v > UINT32_MAX)
				return LB_EBADDATA;
			st.ppid = (uint32_t)v;
		}
		if (i == 22)
			st.starttime = v;
		if (i < 22) {
			if (p >= end || *p != ' ')
				return LB_EBADDATA;
			p++;
		}
	}
	*ret = st;
	return 0;
}

int lb__socket_link_inode(const char *link, size_t len, uint64_t *ret_inode)
{
	static const char prefix[] = "socket:[";
	const char *p, *end = link + len;
	uint64_t v;

	lb_return_if(!link || !ret_inode, LB_EINVAL);
	if (len < sizeof(prefix) - 1 || memcmp(link, prefix, sizeof(prefix) - 1) != 0)
		return LB_ENOENT;
	p = link + sizeof(prefix) - 1;
	if (lb__parse_uint(&p, end, 10, UINT64_MAX, &v) < 0 || p + 1 != end || *p != ']')
		return LB_EBADDATA;
	*ret_inode = v;
	return 0;
}

int lb__proc_btime_parse(const char *text, size_t len, uint64_t *ret_btime)
{
	const char *p = text, *end = text + len;

	lb_return_if(!text || !ret_btime, LB_EINVAL);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le - p > 6 && memcmp(p, "btime ", 6) == 0) {
			const char *q = p + 6;
			uint64_t v;

			if (lb__parse_uint(&q, le, 10, UINT64_MAX / 1000, &v) < 0 || q != le)
				return LB_EBADDATA;
			*ret_btime = v;
			return 0;
		}
		p = nl ? nl + 1 : end;
	}
	return LB_EBADDATA;
}
