/* SPDX-License-Identifier: MIT */
/* The tool on POSIX (tools/os.h): the clock, lines, users, the lease
 * directory, interface indexes. */
#include <errno.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "os.h"

uint64_t lb_cli_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

long lb_cli_getline(char **line, size_t *cap, FILE *f)
{
	return (long)getline(line, cap, f);
}

int lb_cli_user_uid(const char *verb, const char *name, uint32_t *ret_uid)
{
	struct passwd *pw = getpwnam(name);

	if (!pw) {
		lb_cli_error("%s: --user: no such user '%s'", verb, lb_cli_q(name));
		return -1;
	}
	*ret_uid = pw->pw_uid;
	return 0;
}

/* Why the lease directory @path cannot be used, as a sentence. */
static void lease_dir_reason(const char *path, int err, char *buf, size_t size)
{
	struct stat st;

	if (err == LB_ERANGE) {
		snprintf(buf, size, "the path is too long");
		return;
	}
	if (lstat(path, &st) < 0) {
		snprintf(buf, size, "%s", strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode))
		snprintf(buf, size, "a symbolic link (never followed)");
	else if (!S_ISDIR(st.st_mode))
		snprintf(buf, size, "not a directory");
	else if (st.st_uid != getuid())
		snprintf(buf, size, "owned by uid %lu, not by you (uid %lu)",
			 (unsigned long)st.st_uid, (unsigned long)getuid());
	else if (st.st_mode & 077)
		snprintf(buf, size, "mode %04o: group or others have access (0700 needed)",
			 (unsigned)(st.st_mode & 07777));
	else
		snprintf(buf, size, "%s", lb_strerror(err));
}

bool lb_cli_lease_dir_error(const char *verb, int r, int err, char *path, size_t size)
{
	char why[160];
	const char *rt;

	/* Leases are files here: name the directory and what is wrong with it. */
	if (!((r == 0 || r == LB_ENOSPC) &&
	      (err == LB_EPERM || err == LB_EIO || err == LB_ENOENT || err == LB_ERANGE)))
		return false;
	rt = getenv("XDG_RUNTIME_DIR");
	if (r == LB_ENOSPC) /* as long as that: from XDG_RUNTIME_DIR */
		snprintf(path, size, "%.200s.../loopback-leases", rt ? rt : "");
	lease_dir_reason(path, err, why, sizeof(why));
	lb_cli_error("%s: cannot take a lease in %s: %s", verb, path, why);
	return true;
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
	return true;
}
