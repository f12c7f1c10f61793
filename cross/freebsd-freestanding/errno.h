/* SPDX-License-Identifier: MIT */
/* Declarations only (see stdlib.h here): FreeBSD's errno and the codes used. */
int *__error(void);
#define errno (*__error())
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define ENOMEM 12
#define EACCES 13
