/* SPDX-License-Identifier: MIT */
/* Declarations only (see ../stdlib.h): FreeBSD's sysctl(3) prototypes. The
 * kern.proc MIB numbers are deliberately not here: the code uses its own
 * (lib/os/freebsd/sysctl.h) and checks them against the real header
 * when there is one. */
#include <stddef.h>
#define CTL_MAXNAME 24
int sysctl(const int *name, unsigned namelen, void *oldp, size_t *oldlenp, const void *newp,
	   size_t newlen);
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen);
int sysctlnametomib(const char *name, int *mibp, size_t *sizep);
