/* SPDX-License-Identifier: MIT */
/*
 * Building kernel-data fixtures byte by byte at raw offsets, for the
 * parser tests of other OSes' tables (tests/test-freebsd-*.c,
 * tests/test-libproc-pcblist.c). Include after lb-test.h.
 */
#ifndef LB_FIXTURE_BYTES_H
#define LB_FIXTURE_BYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* @n bytes of @v at @b + @off, little-endian (amd64, arm64). */
static inline void lb_fx_put(uint8_t *b, size_t off, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

/* A port in network byte order. */
static inline void lb_fx_put_port(uint8_t *b, size_t off, uint16_t port)
{
	b[off] = (uint8_t)(port >> 8);
	b[off + 1] = (uint8_t)port;
}

/* A growing buffer; free .b when done. */
struct lb_fx {
	uint8_t *b;
	size_t len;
};

/* Append @n zero bytes; returns their offset. */
static inline size_t lb_fx_add(struct lb_fx *f, size_t n)
{
	size_t off = f->len;

	f->b = realloc(f->b, f->len + n);
	ck_assert_ptr_nonnull(f->b);
	memset(f->b + off, 0, n);
	f->len += n;
	return off;
}

#endif
