/* SPDX-License-Identifier: MIT */
/* The tool on Windows (tools/os.h): the clock, lines, users, interface
 * indexes; no lease directory and no --listen-fds. */
#include <stdio.h>
#include <stdlib.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "cli.h"
#include "os.h"

uint64_t lb_cli_now_ms(void)
{
	return (uint64_t)GetTickCount64();
}

/* The C library has no getline(). */
long lb_cli_getline(char **line, size_t *cap, FILE *f)
{
	size_t n = 0;
	int c;

	while ((c = fgetc(f)) != EOF) {
		if (n + 2 > *cap) {
			size_t ncap = *cap ? *cap * 2 : 128;
			char *p = realloc(*line, ncap);

			if (!p)
				return -1;
			*line = p;
			*cap = ncap;
		}
		(*line)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0)
		return -1;
	(*line)[n] = '\0';
	return (long)n;
}

int lb_cli_user_uid(const char *verb, const char *name, uint32_t *ret_uid)
{
	(void)ret_uid;
	lb_cli_error("%s: --user: '%s': Windows has no numeric user ids", verb, lb_cli_q(name));
	return -1;
}

/* Leases are kernel objects here, not files in a directory. */
bool lb_cli_lease_dir_error(const char *verb, int r, int err, char *path, size_t size)
{
	(void)verb;
	(void)r;
	(void)err;
	(void)path;
	(void)size;
	return false;
}

int lb_cli_zone_index(const lb_addr *a, unsigned long *ret_index)
{
	struct sockaddr_storage ss;

	if (lb_addr_to_sockaddr(a, 0, sizeof(ss), (struct sockaddr *)&ss) < 0)
		return -1;
	*ret_index = (unsigned long)((struct sockaddr_in6 *)&ss)->sin6_scope_id;
	return 0;
}

bool lb_cli_listen_fds_supported(void)
{
	lb_cli_error("run: --listen-fds is POSIX only (the systemd convention of fds 3 and up; "
		     "Windows programs have none): use $PORT");
	return false;
}
