/* SPDX-License-Identifier: MIT */
/* Declarations only, for compiling the FreeBSD parser freestanding with
 * `zig cc -target x86_64-freebsd` (no FreeBSD sysroot here): the object
 * is checked for the target's ABI, never linked. */
#include <stddef.h>
void *calloc(size_t n, size_t size);
void *malloc(size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
