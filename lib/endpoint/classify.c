/* SPDX-License-Identifier: MIT */
/*
 * Classification of addresses (IANA special-purpose registries, RFC 6890
 * and successors) and host names (RFC 6761 localhost). Ports are
 * lib/ports/port-class.c's.
 */
#include <string.h>
#include <strings.h>

#include "endpoint/endpoint-internal.h"
#include "core/internal.h"

/* An IPv4 or IPv6 prefix and the class of the addresses under it. Longer
 * prefixes come first where ranges nest. */
struct prefix {
	uint8_t bytes[16];
	uint8_t bits;
	uint8_t cls;
};

static const struct prefix v4_prefixes[] = {
	{ { 0, 0, 0, 0 }, 32, LB_CLASS_UNSPECIFIED },
	{ { 255, 255, 255, 255 }, 32, LB_CLASS_RESERVED },   /* limited broadcast */
	{ { 0 }, 8, LB_CLASS_RESERVED },                     /* "this network" */
	{ { 127 }, 8, LB_CLASS_LOOPBACK },
	{ { 169, 254 }, 16, LB_CLASS_LINK_LOCAL },
	{ { 10 }, 8, LB_CLASS_PRIVATE },
	{ { 172, 16 }, 12, LB_CLASS_PRIVATE },
	{ { 192, 168 }, 16, LB_CLASS_PRIVATE },
	{ { 224 }, 4, LB_CLASS_MULTICAST },
	{ { 192, 0, 2 }, 24, LB_CLASS_DOCUMENTATION },       /* TEST-NET-1 */
	{ { 198, 51, 100 }, 24, LB_CLASS_DOCUMENTATION },    /* TEST-NET-2 */
	{ { 203, 0, 113 }, 24, LB_CLASS_DOCUMENTATION },     /* TEST-NET-3 */
	{ { 100, 64 }, 10, LB_CLASS_RESERVED },              /* shared address space (CGN) */
	{ { 192, 0, 0 }, 24, LB_CLASS_RESERVED },            /* IETF protocol assignments */
	{ { 198, 18 }, 15, LB_CLASS_RESERVED },              /* benchmarking */
	{ { 240 }, 4, LB_CLASS_RESERVED },                   /* future use */
};

static const struct prefix v6_prefixes[] = {
	{ { 0 }, 128, LB_CLASS_UNSPECIFIED },
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, LB_CLASS_LOOPBACK },
	{ { 0 }, 96, LB_CLASS_RESERVED },                    /* IPv4-compatible (deprecated) */
	{ { 0xfe, 0x80 }, 10, LB_CLASS_LINK_LOCAL },
	{ { 0xfc }, 7, LB_CLASS_PRIVATE },                   /* unique local (ULA) */
	{ { 0xff }, 8, LB_CLASS_MULTICAST },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, LB_CLASS_DOCUMENTATION },
	{ { 0x3f, 0xff }, 20, LB_CLASS_DOCUMENTATION },      /* RFC 9637 */
	{ { 0x01 }, 64, LB_CLASS_RESERVED },                 /* 100::/64 discard-only */
	{ { 0x20, 0x01, 0x00, 0x02, 0, 0 }, 48, LB_CLASS_RESERVED }, /* benchmarking */
	{ { 0xfe, 0xc0 }, 10, LB_CLASS_RESERVED },           /* site-local (deprecated) */
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, LB_CLASS_RESERVED }, /* local-use NAT64 */
	{ { 0, 0x64, 0xff, 0x9b }, 96, LB_CLASS_GLOBAL },    /* well-known NAT64 prefix */
	{ { 0 }, 8, LB_CLASS_RESERVED },                     /* ::/8 reserved by IETF */
};

/* Flags beyond the class: every prefix that matches adds its flag. */
struct flag_prefix {
	uint8_t bytes[16];
	uint8_t bits;
	unsigned flag;
};

static const struct flag_prefix v4_flags[] = {
	{ { 255, 255, 255, 255 }, 32, LB_ADDR_FLAG_BROADCAST },
	{ { 100, 64 }, 10, LB_ADDR_FLAG_SHARED },
	{ { 198, 18 }, 15, LB_ADDR_FLAG_BENCHMARKING },
};

static const struct flag_prefix v6_flags[] = {
	{ { 0xfc }, 7, LB_ADDR_FLAG_UNIQUE_LOCAL },
	{ { 0x20, 0x01, 0x00, 0x02, 0, 0 }, 48, LB_ADDR_FLAG_BENCHMARKING },
	{ { 0, 0x64, 0xff, 0x9b }, 96, LB_ADDR_FLAG_NAT64 },
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48, LB_ADDR_FLAG_NAT64 },
};

static int prefix_match(const uint8_t *addr, const uint8_t *bytes, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(addr, bytes, full) != 0)
		return 0;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));

		return (addr[full] & mask) == (bytes[full] & mask);
	}
	return 1;
}

static int classify(const uint8_t *addr, const struct prefix *table, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (prefix_match(addr, table[i].bytes, table[i].bits))
			return table[i].cls;
	return LB_CLASS_GLOBAL;
}

static int is_mapped(const uint8_t *bytes)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(bytes, mapped, sizeof(mapped)) == 0;
}

LB_EXPORT int lb_addr_classify(const lb_addr *addr)
{
	lb_return_if(!addr, LB_EINVAL);
	if (addr->family == LB_AF_INET)
		return classify(addr->bytes, v4_prefixes, LB_ARRAY_SIZE(v4_prefixes));
	if (addr->family == LB_AF_INET6) {
		if (is_mapped(addr->bytes))
			return classify(addr->bytes + 12, v4_prefixes, LB_ARRAY_SIZE(v4_prefixes));
		return classify(addr->bytes, v6_prefixes, LB_ARRAY_SIZE(v6_prefixes));
	}
	return LB_EINVAL;
}

static unsigned extra_flags(const uint8_t *addr, const struct flag_prefix *table, size_t n)
{
	unsigned flags = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (prefix_match(addr, table[i].bytes, table[i].bits))
			flags |= table[i].flag;
	return flags;
}

LB_EXPORT int lb_addr_flags(const lb_addr *addr)
{
	static const unsigned class_flag[] = {
		[LB_CLASS_UNSPECIFIED] = LB_ADDR_FLAG_UNSPECIFIED,
		[LB_CLASS_LOOPBACK] = LB_ADDR_FLAG_LOOPBACK,
		[LB_CLASS_LINK_LOCAL] = LB_ADDR_FLAG_LINK_LOCAL,
		[LB_CLASS_PRIVATE] = LB_ADDR_FLAG_PRIVATE,
		[LB_CLASS_MULTICAST] = LB_ADDR_FLAG_MULTICAST,
		[LB_CLASS_DOCUMENTATION] = LB_ADDR_FLAG_DOCUMENTATION,
		[LB_CLASS_RESERVED] = LB_ADDR_FLAG_RESERVED,
		[LB_CLASS_GLOBAL] = LB_ADDR_FLAG_GLOBAL,
	};
	int cls = lb_addr_classify(addr);
	unsigned flags;

	if (cls < 0)
		return cls;
	flags = class_flag[cls];
	if (addr->family == LB_AF_INET6 && is_mapped(addr->bytes))
		flags |= LB_ADDR_FLAG_MAPPED | extra_flags(addr->bytes + 12, v4_flags, LB_ARRAY_SIZE(v4_flags));
	else if (addr->family == LB_AF_INET6)
		flags |= extra_flags(addr->bytes, v6_flags, LB_ARRAY_SIZE(v6_flags));
	else
		flags |= extra_flags(addr->bytes, v4_flags, LB_ARRAY_SIZE(v4_flags));
	return (int)flags;
}

LB_EXPORT const char *lb_addr_flag_name(unsigned flag)
{
	static const char *const names[] = {
		"unspecified", "loopback", "link-local", "private", "unique-local", "multicast",
		"documentation", "benchmarking", "shared", "broadcast", "reserved", "global",
		"mapped", "nat64",
	};
	size_t i;

	for (i = 0; i < LB_ARRAY_SIZE(names); i++)
		if (flag == 1u << i)
			return names[i];
	return NULL;
}

/* "localhost", "localhost." or a name ending in ".localhost(.)", any
 * case (RFC 6761 section 6.3). */
static int is_localhost(const char *name)
{
	size_t len = strnlen(name, LB_HOST_MAX);

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len < 9 || strncasecmp(name + len - 9, "localhost", 9) != 0)
		return 0;
	return len == 9 || name[len - 10] == '.';
}

LB_EXPORT int lb_endpoint_classify(const lb_endpoint *endpoint)
{
	lb_return_if(!endpoint, LB_EINVAL);
	if (endpoint->kind == LB_HOST_ADDR)
		return lb_addr_classify(&endpoint->addr);
	if (endpoint->kind == LB_HOST_NAME)
		return is_localhost(endpoint->name) ? LB_CLASS_LOCALHOST_NAME : LB_CLASS_NAME;
	return LB_EINVAL;
}

LB_EXPORT const char *lb_class_name(int cls)
{
	static const char *const names[] = {
		[LB_CLASS_UNSPECIFIED] = "unspecified",
		[LB_CLASS_LOOPBACK] = "loopback",
		[LB_CLASS_LINK_LOCAL] = "link-local",
		[LB_CLASS_PRIVATE] = "private",
		[LB_CLASS_MULTICAST] = "multicast",
		[LB_CLASS_DOCUMENTATION] = "documentation",
		[LB_CLASS_RESERVED] = "reserved",
		[LB_CLASS_GLOBAL] = "global",
		[LB_CLASS_LOCALHOST_NAME] = "localhost-name",
		[LB_CLASS_NAME] = "name",
	};

	if (cls <= 0 || (size_t)cls >= LB_ARRAY_SIZE(names))
		return NULL;
	return names[cls];
}
