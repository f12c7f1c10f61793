/* SPDX-License-Identifier: MIT */
/*
 * One linear pass over BTF: the layout is a header, then the types one
 * after the other (each a 12-byte struct btf_type followed by a part whose
 * size its kind and vlen give), then the string section. See the kernel's
 * Documentation/bpf/btf.rst. Only what we need is compared, by name.
 */
#include <string.h>

#include "btf-find.h"
#include "loopback.h"

#define BTF_MAGIC 0xeB9F

enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD, K_TYPEDEF,
	K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO, K_VAR, K_DATASEC,
	K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64,
};

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* The size of the part after struct btf_type, or -1 for an unknown kind. */
static long extra_size(unsigned kind, uint32_t vlen)
{
	switch (kind) {
	case K_INT: case K_VAR: case K_DECL_TAG:
		return 4;
	case K_PTR: case K_FWD: case K_TYPEDEF: case K_VOLATILE: case K_CONST:
	case K_RESTRICT: case K_FUNC: case K_FLOAT: case K_TYPE_TAG:
		return 0;
	case K_ARRAY:
		return 12;
	case K_STRUCT: case K_UNION: case K_DATASEC: case K_ENUM64:
		return 12L * vlen;
	case K_ENUM: case K_FUNC_PROTO:
		return 8L * vlen;
	default:
		return -1;
	}
}

struct strtab {
	const char *s;
	uint32_t len;
};

/* Name @off of the string section equals @want (which is NUL-terminated).
 * Returns 1, 0, or -1 when @off lies outside the section or the string
 * there runs off its end. */
static int name_is(const struct strtab *st, uint32_t off, const char *want, size_t wlen)
{
	if (off >= st->len)
		return -1;
	if (st->len - off < wlen + 1)
		return memchr(st->s + off, '\0', st->len - off) ? 0 : -1;
	return memcmp(st->s + off, want, wlen + 1) == 0;
}

/* Look for @want's members of the struct at @members (@vlen of them). */
static int struct_members(const struct strtab *st, const unsigned char *members, uint32_t vlen,
			  int kflag, const char *name, struct lb__btf_want *want)
{
	size_t i;
	uint32_t m;

	for (i = 0; i < want->n_fields; i++) {
		struct lb__btf_field *f = &want->fields[i];

		if (strcmp(f->strct, name) != 0)
			continue;
		for (m = 0; m < vlen; m++) {
			const unsigned char *p = members + 12 * m;
			uint32_t off = rd32(p + 8), bits = kflag ? off & 0xffffff : off;
			int r = name_is(st, rd32(p), f->member, strlen(f->member));

			if (r < 0)
				return LB_EBADDATA;
			if (r == 0)
				continue;
			/* A bitfield, or not on a byte boundary: not ours to read. */
			if ((kflag && (off >> 24) != 0) || bits % 8 != 0)
				break;
			if (f->found && f->offset != bits / 8)
				return LB_ENOENT; /* two structs of that name disagree */
			f->offset = bits / 8;
			f->found = 1;
			break;
		}
	}
	return 0;
}

/* The names looked for (the FUNC first, then each struct name once) and
 * where the string section holds each. Comparing a type's name offset
 * with these is what keeps the pass linear: comparing strings instead
 * reads the string section at random, once per FUNC and struct (~60,000
 * times in a kernel's BTF), which was most of the scan's time. BTF's
 * strings are deduplicated, so one offset per name is the rule; a name
 * found more than MAX_HITS times is compared as a string. */
#define MAX_NAMES 8
#define MAX_HITS 4
struct names {
	const char *name[MAX_NAMES];
	size_t len[MAX_NAMES];
	uint32_t hit[MAX_NAMES][MAX_HITS];
	size_t n_hit[MAX_NAMES];
	size_t n;
};

/* Fill @nm from @want; -1 when there are more names than it holds. */
static int names_init(struct names *nm, const struct lb__btf_want *want)
{
	size_t i, k;

	memset(nm, 0, sizeof(*nm));
	nm->name[0] = want->func;
	nm->n = 1;
	for (i = 0; i < want->n_fields; i++) {
		for (k = 1; k < nm->n && strcmp(nm->name[k], want->fields[i].strct) != 0; k++)
			;
		if (k < nm->n)
			continue;
		if (nm->n == MAX_NAMES)
			return -1;
		nm->name[nm->n++] = want->fields[i].strct;
	}
	for (k = 0; k < nm->n; k++)
		nm->len[k] = strlen(nm->name[k]);
	return 0;
}

/* One pass over the string section (NUL-terminated, checked by the
 * caller): the offsets of the names. */
static void names_find(struct names *nm, const struct strtab *st)
{
	const char *p = st->s, *end = st->s + st->len;
	size_t k;

	while (p < end) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		size_t l = (size_t)(z - p);

		for (k = 0; k < nm->n; k++) {
			if (l != nm->len[k] || memcmp(p, nm->name[k], l) != 0)
				continue;
			if (nm->n_hit[k] < MAX_HITS)
				nm->hit[k][nm->n_hit[k]] = (uint32_t)(p - st->s);
			nm->n_hit[k]++;
		}
		p = z + 1;
	}
}

/* Whether the string at @off (< st->len) is name @k. */
static int names_is(const struct names *nm, size_t k, const struct strtab *st, uint32_t off)
{
	size_t i;

	if (nm->n_hit[k] > MAX_HITS)
		return name_is(st, off, nm->name[k], nm->len[k]) > 0;
	for (i = 0; i < nm->n_hit[k]; i++)
		if (nm->hit[k][i] == off)
			return 1;
	return 0;
}

int lb__btf_find(const void *buf, size_t len, struct lb__btf_want *want)
{
	struct names nm;
	const unsigned char *b = buf, *t, *tend;
	struct strtab st;
	uint32_t hdr_len, type_off, type_len, str_off, str_len, id = 0;
	size_t i, k;
	uint16_t magic;

	if (!buf || !want || !want->func || (want->n_fields && !want->fields))
		return LB_EINVAL;
	want->func_id = 0;
	for (i = 0; i < want->n_fields; i++)
		want->fields[i].found = 0;
	if (len < 24)
		return LB_EBADDATA;
	memcpy(&magic, b, sizeof(magic));
	hdr_len = rd32(b + 4);
	if (magic != BTF_MAGIC || b[2] != 1 || hdr_len < 24 || hdr_len > len)
		return LB_EBADDATA;
	type_off = rd32(b + 8);
	type_len = rd32(b + 12);
	str_off = rd32(b + 16);
	str_len = rd32(b + 20);
	/* Offsets count from the end of the header. */
	if (type_off > len - hdr_len || type_len > len - hdr_len - type_off ||
	    str_off > len - hdr_len || str_len > len - hdr_len - str_off || str_len == 0)
		return LB_EBADDATA;
	st.s = (const char *)b + hdr_len + str_off;
	st.len = str_len;
	if (st.s[str_len - 1] != '\0')
		return LB_EBADDATA;
	if (names_init(&nm, want) < 0)
		return LB_EINVAL;
	names_find(&nm, &st);
	t = b + hdr_len + type_off;
	tend = t + type_len;
	while (t < tend) {
		uint32_t name_off, info, vlen;
		unsigned kind;
		long extra;
		int r;

		if (tend - t < 12)
			return LB_EBADDATA;
		name_off = rd32(t);
		info = rd32(t + 4);
		kind = (info >> 24) & 0x1f;
		vlen = info & 0xffff;
		extra = extra_size(kind, vlen);
		if (extra < 0 || tend - t - 12 < extra)
			return LB_EBADDATA;
		id++;
		if (name_off != 0 && (kind == K_FUNC || kind == K_STRUCT)) {
			if (name_off >= st.len)
				return LB_EBADDATA;
			if (kind == K_FUNC) {
				if (!want->func_id && names_is(&nm, 0, &st, name_off))
					want->func_id = id;
			} else {
				for (k = 1; k < nm.n; k++) {
					if (!names_is(&nm, k, &st, name_off))
						continue;
					r = struct_members(&st, t + 12, vlen, (int)(info >> 31),
							   nm.name[k], want);
					if (r < 0)
						return r;
				}
			}
		}
		t += 12 + extra;
	}
	if (!want->func_id)
		return LB_ENOENT;
	for (i = 0; i < want->n_fields; i++)
		if (!want->fields[i].found)
			return LB_ENOENT;
	return 0;
}
