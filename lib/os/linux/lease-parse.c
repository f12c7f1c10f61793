/* SPDX-License-Identifier: MIT */
/* The pure part of Linux's abstract-socket leases (lib/os/linux/lease-abstract.c):
 * their names, and finding one in /proc/net/unix. Built on every OS
 * (tested on fixtures). */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "os/linux/lease-parse.h"

int lb__lease_name(char *buf, size_t size, uint16_t port, unsigned protocol)
{
	int n;

	lb_return_if(!buf || port == 0, LB_EINVAL);
	lb_return_if(protocol != LB_PICK_TCP && protocol != LB_PICK_UDP, LB_EINVAL);
	n = snprintf(buf, size, "loopback/lease/%s/%u",
		     protocol == LB_PICK_TCP ? "tcp" : "udp", (unsigned)port);
	if (n < 0 || (size_t)n >= size)
		return LB_ENOSPC;
	return 0;
}

/* /proc/net/unix: a header line, then per socket
 * "Num: RefCount Protocol Flags Type St Inode [Path]". Abstract names are
 * shown with a leading '@'. */
int lb__unix_table_find(const char *text, size_t len, const char *path,
			uint64_t *ret_inode)
{
	size_t i = 0, plen;

	lb_return_if(!text || !path || !ret_inode, LB_EINVAL);
	plen = strlen(path);
	if (len < 4 || memcmp(text, "Num ", 4) != 0)
		return LB_EBADDATA;
	while (i < len && text[i] != '\n')
		i++;
	while (i < len) {
		size_t eol, f = 0, p;
		uint64_t inode = 0;
		int field;

		i++; /* past '\n' */
		if (i >= len)
			break;
		eol = i;
		while (eol < len && text[eol] != '\n')
			eol++;
		p = i;
		/* Seven fields; the seventh is the inode. */
		for (field = 0; field < 7; field++) {
			size_t start;

			while (p < eol && text[p] == ' ')
				p++;
			start = p;
			while (p < eol && text[p] != ' ')
				p++;
			if (p == start)
				return LB_EBADDATA;
			if (field == 6) {
				for (f = start; f < p; f++) {
					uint64_t d = (uint64_t)(text[f] - '0');

					if (text[f] < '0' || text[f] > '9' ||
					    inode > (UINT64_MAX - d) / 10)
						return LB_EBADDATA;
					inode = inode * 10 + d;
				}
			}
		}
		while (p < eol && text[p] == ' ')
			p++;
		if (eol - p == plen && memcmp(text + p, path, plen) == 0) {
			*ret_inode = inode;
			return 0;
		}
		i = eol;
	}
	return LB_ENOENT;
}
