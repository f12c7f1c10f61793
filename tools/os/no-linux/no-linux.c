/* SPDX-License-Identifier: MIT */
/* What only Linux has (tools/os.h), everywhere else: macOS, the BSDs,
 * Windows. */
#include "cli.h"
#include "os.h"

int lb_cli_setns(const char *verb, const char *arg, const char *file)
{
	(void)arg;
	(void)file;
	lb_cli_error("%s: --netns: network namespaces are Linux only", verb);
	return -1;
}

const char *lb_cli_more_lease_backends(void)
{
	return "";
}

int lb_cli_die_with_parent(long parent)
{
	(void)parent;
	return 0;
}
