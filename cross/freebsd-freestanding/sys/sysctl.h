/* SPDX-License-Identifier: MIT */
/* Declarations only (see ../stdlib.h): the prototype of FreeBSD's sysctl(3). */
#include <stddef.h>
int sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp, size_t newlen);
