/* SPDX-License-Identifier: MIT */
/*
 * Find a few names in BTF (the kernel's type information,
 * /sys/kernel/btf/vmlinux) in one linear pass, without building any type
 * table: the id of one FUNC, and the byte offsets of a few members of
 * named structs. Pure: bytes in, numbers out; tested on constructed BTF
 * (tests/test-btf-find.c).
 *
 * Only members declared directly in the named struct are found (not those
 * of an anonymous struct or union inside it): resolving those would need
 * the types that follow, i.e. a table. A kernel whose layout moves a field
 * into one gets LB_ENOENT, and the caller falls back.
 */
#ifndef LB_BTF_FIND_H
#define LB_BTF_FIND_H

#include <stddef.h>
#include <stdint.h>

/* One member wanted: its struct's name, its own name, its byte offset. */
struct lb__btf_field {
	const char *strct;
	const char *member;
	uint32_t offset;          /* out, bytes from the start of the struct */
	int found;                /* out */
};

struct lb__btf_want {
	const char *func;         /* a FUNC (kernel function) name */
	uint32_t func_id;         /* out: its type id, 0 when not found */
	struct lb__btf_field *fields;
	size_t n_fields;
};

/*
 * lb__btf_find - one pass over raw BTF, filling @want
 * @buf, @len: the BTF blob (header, types, strings), native byte order
 *
 * Returns 0 when the FUNC and every field were found, LB_ENOENT when one
 * is missing (no type of that name, a member that is a bitfield or lies in
 * an anonymous member, or a struct name seen twice with different
 * offsets), LB_EBADDATA when the blob is not BTF or is truncated or
 * inconsistent (an unknown type kind, a name outside the string section),
 * LB_EINVAL for bad arguments (or more than 7 distinct struct names).
 */
int lb__btf_find(const void *buf, size_t len, struct lb__btf_want *want);

#endif
