/* SPDX-License-Identifier: MIT */
/* Declarations only: see stdlib.h here. */
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *p, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
char *strdup(const char *s);
void *memchr(const void *s, int c, size_t n);
