/* SPDX-License-Identifier: MIT */
/*
 * loopback/endpoint.h: IP addresses and host:port endpoints.
 *
 * Value types that callers allocate: fixed size with reserved space, so
 * the layout never changes. Zero-initialise them; reserved bytes stay 0.
 */
#ifndef LOOPBACK_ENDPOINT_H
#define LOOPBACK_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

#include <loopback/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Address families, as stored in lb_addr.family. */
#define LB_AF_NONE  0
#define LB_AF_INET  4
#define LB_AF_INET6 6

/* Sizes, including the terminating NUL. */
#define LB_ZONE_MAX 64          /* an IPv6 zone: up to 63 characters */
#define LB_HOST_MAX 256         /* a host name: up to 253 characters, plus a trailing dot */
#define LB_ADDR_STRLEN 112      /* the longest formatted address, zone included */
#define LB_ENDPOINT_STRLEN 272  /* the longest formatted host:port */

/**
 * struct lb_addr - an IPv4 or IPv6 address, with an optional IPv6 zone
 * @family: LB_AF_INET or LB_AF_INET6 (LB_AF_NONE when empty)
 * @scope_id: the interface index of the zone: the number for a numeric zone
 *            ("%3"), 0 when there is no zone or a named zone was not resolved
 * @bytes: the address in network byte order; IPv4 uses bytes[0..3]
 * @zone: the zone exactly as written ("eth0", "3"), "" when none
 * @reserved: must be zero
 * @since 0.1
 */
typedef struct lb_addr {
	int family;
	uint32_t scope_id;
	uint8_t bytes[16];
	char zone[LB_ZONE_MAX];
	uint8_t reserved[16];
} lb_addr;

/* What the host part of an endpoint is, as stored in lb_endpoint.kind. */
#define LB_HOST_NONE 0
#define LB_HOST_ADDR 1          /* an IP address literal: see .addr */
#define LB_HOST_NAME 2          /* a host name: see .name */

/**
 * struct lb_endpoint - a host and a port
 * @kind: LB_HOST_ADDR or LB_HOST_NAME
 * @port: the port, 0..65535, in host byte order
 * @addr: the address, when @kind is LB_HOST_ADDR
 * @name: the host name as given, when @kind is LB_HOST_NAME
 * @reserved0: must be zero (padding kept explicit)
 * @reserved: must be zero
 * @since 0.1
 */
typedef struct lb_endpoint {
	int kind;
	uint16_t port;
	uint16_t reserved0;
	lb_addr addr;
	char name[LB_HOST_MAX];
	uint8_t reserved[32];
} lb_endpoint;

/**
 * struct lb_parse_error - where and why text did not parse
 * @offset: byte offset of the problem in the input (the input's length
 *          when something is missing at the end)
 * @code: the error returned (LB_ESYNTAX, LB_ERANGE or LB_EINVAL)
 * @reason: a static English sentence; never freed, never NULL once set
 * @reserved: zero
 * @since 0.1
 */
typedef struct lb_parse_error {
	size_t offset;
	int code;
	const char *reason;
	uint8_t reserved[16];
} lb_parse_error;

/**
 * lb_addr_size - sizeof(lb_addr) in this library
 *
 * Returns the size in bytes, so bindings never hard-code it.
 * @since 0.1
 */
LB_EXPORT size_t lb_addr_size(void);

/**
 * lb_endpoint_size - sizeof(lb_endpoint) in this library
 *
 * Returns the size in bytes, so bindings never hard-code it.
 * @since 0.1
 */
LB_EXPORT size_t lb_endpoint_size(void);

/**
 * lb_parse_error_size - sizeof(lb_parse_error) in this library
 *
 * Returns the size in bytes, so bindings never hard-code it.
 * @since 0.1
 */
LB_EXPORT size_t lb_parse_error_size(void);

/**
 * lb_addr_parse - parse an IP address literal
 * @text: the bytes to parse (need not be NUL-terminated; a NUL byte is an
 *        invalid character like any other)
 * @len: number of bytes in @text
 * @ret_addr: set to the address on success (fully overwritten, reserved
 *            bytes zeroed); untouched on failure
 * @ret_error: optional (may be NULL); on failure set to the offset, code
 *             and reason; untouched on success
 *
 * Accepts a strict dotted-quad IPv4 address (decimal only: no leading
 * zeros, no hex or octal parts, no short forms such as "127.1"), or any
 * RFC 4291 IPv6 text form, embedded IPv4 included, with an optional zone
 * ("fe80::1%eth0", "fe80::1%3") of 1-63 characters from [A-Za-z0-9._~-].
 * Nothing is trimmed: no brackets, no port, no names, no whitespace. A
 * numeric zone (digits only, up to 4294967295) sets @scope_id; any other
 * zone is a name and leaves it 0 (lb_addr_to_sockaddr() looks it up).
 * Pure: asks the system nothing.
 *
 * Returns 0, LB_EINVAL if @text or @ret_addr is NULL, LB_ESYNTAX for
 * malformed text or LB_ERANGE for a number or length out of range.
 * @since 0.1
 */
LB_EXPORT int lb_addr_parse(const char *text, size_t len, lb_addr *ret_addr,
			    lb_parse_error *ret_error);

/**
 * lb_endpoint_parse - parse "host:port"
 * @text: the bytes to parse (need not be NUL-terminated)
 * @len: number of bytes in @text
 * @ret_endpoint: set on success (fully overwritten); untouched on failure
 * @ret_error: optional; set on failure, untouched on success
 *
 * Accepts "IPv4:port", "[IPv6]:port", "[IPv6%zone]:port" and
 * "name:port". The host is parsed as lb_addr_parse() does; brackets are
 * only for IPv6, and an IPv6 address with a port must be bracketed. A
 * name follows RFC 1123 (letters, digits, hyphens; labels of 1-63; at
 * most 253 characters plus an optional trailing dot, which is kept); a
 * name that ends in a number ("1.2.3.256", "1.2.3.4.5", "10.0x1") is a
 * malformed IPv4 address and is rejected as one. The port is decimal
 * digits only, 0-65535, leading zeros accepted. Nothing is trimmed:
 * whitespace, "user@", a scheme or a path are errors. Pure.
 *
 * Returns 0, LB_EINVAL for a NULL argument, LB_ESYNTAX or LB_ERANGE.
 * @since 0.1
 */
LB_EXPORT int lb_endpoint_parse(const char *text, size_t len,
				lb_endpoint *ret_endpoint,
				lb_parse_error *ret_error);

/**
 * lb_host_parse - parse a host without a port
 * @text: the bytes to parse (need not be NUL-terminated)
 * @len: number of bytes in @text
 * @ret_host: set on success with @port 0; untouched on failure
 * @ret_error: optional; set on failure, untouched on success
 *
 * Accepts what lb_endpoint_parse() accepts as a host, without the port:
 * an IPv4 address, an IPv6 address with an optional zone (bare or in
 * brackets) or a host name. Pure.
 *
 * Returns 0, LB_EINVAL for a NULL argument, LB_ESYNTAX or LB_ERANGE.
 * @since 0.1
 */
LB_EXPORT int lb_host_parse(const char *text, size_t len, lb_endpoint *ret_host,
			    lb_parse_error *ret_error);

/**
 * lb_addr_format - write an address as text
 * @addr: the address
 * @buf: where to write the NUL-terminated text
 * @size: size of @buf; LB_ADDR_STRLEN is always enough
 *
 * IPv4 as a dotted quad; IPv6 in RFC 5952 canonical form (lower case,
 * longest run of two or more zero groups as "::"), IPv4-mapped addresses
 * as "::ffff:192.0.2.1", other embedded forms in hex; the zone verbatim
 * after "%". The result parses back to the same address.
 *
 * Returns the length written (without the NUL), LB_EINVAL for a NULL
 * pointer, an unknown family or an invalid zone, or LB_ENOSPC if @size
 * is too small, in which case nothing is written to @buf.
 * @since 0.1
 */
LB_EXPORT int lb_addr_format(const lb_addr *addr, char *buf, size_t size);

/**
 * lb_endpoint_format - write an endpoint as "host:port"
 * @endpoint: the endpoint
 * @buf: where to write the NUL-terminated text
 * @size: size of @buf; LB_ENDPOINT_STRLEN is always enough
 *
 * "192.0.2.1:80", "[::1]:80", "[fe80::1%eth0]:22", "localhost:3000": the
 * address as lb_addr_format() writes it, in brackets when it is IPv6; a
 * name as given. The result parses back with lb_endpoint_parse().
 *
 * Returns the length written (without the NUL), LB_EINVAL for a NULL
 * pointer or an endpoint that is not valid (unknown kind, invalid name or
 * address), or LB_ENOSPC if @size is too small (nothing written).
 * @since 0.1
 */
LB_EXPORT int lb_endpoint_format(const lb_endpoint *endpoint, char *buf,
				 size_t size);

/**
 * lb_addr_equal - whether two addresses are the same
 * @a: an address
 * @b: another address
 *
 * Compares family, address bytes, zone text and scope id (not the
 * reserved bytes).
 *
 * Returns 1 if equal, 0 if not, LB_EINVAL if a pointer is NULL.
 * @since 0.1
 */
LB_EXPORT int lb_addr_equal(const lb_addr *a, const lb_addr *b);

struct sockaddr;

/**
 * lb_addr_to_sockaddr - fill a struct sockaddr_in/sockaddr_in6
 * @addr: the address
 * @port: the port, host byte order
 * @sa_size: size of the buffer at @ret_sa (sizeof(struct sockaddr_storage)
 *           is always enough)
 * @ret_sa: the buffer to fill, usually a struct sockaddr_storage
 *
 * A named zone is resolved to its interface index (if_nametoindex); a
 * numeric zone is used as the index. The buffer is zeroed first.
 *
 * Returns the length of the socket address (for bind()/connect()),
 * LB_EINVAL for a NULL pointer or an invalid address, LB_ENOSPC if
 * @sa_size is too small (nothing written), or LB_ENOENT if the zone names
 * no interface of this host.
 * @since 0.1
 */
LB_EXPORT int lb_addr_to_sockaddr(const lb_addr *addr, uint16_t port,
				  size_t sa_size, struct sockaddr *ret_sa);

/**
 * lb_addr_from_sockaddr - read a struct sockaddr_in/sockaddr_in6
 * @sa: the socket address
 * @sa_len: its length (as from accept(), getsockname() ...)
 * @ret_addr: set to the address; a non-zero IPv6 scope id becomes the
 *            zone, as the interface name if it has one, else the number
 * @ret_port: optional; set to the port in host byte order
 *
 * Returns 0, LB_EINVAL for a NULL pointer or a length too short for the
 * family, or LB_EAFNOSUPPORT if the family is not AF_INET/AF_INET6.
 * @since 0.1
 */
LB_EXPORT int lb_addr_from_sockaddr(const struct sockaddr *sa, size_t sa_len,
				    lb_addr *ret_addr, uint16_t *ret_port);

/**
 * lb_endpoint_to_sockaddr - lb_addr_to_sockaddr() for an endpoint
 * @endpoint: an endpoint whose kind is LB_HOST_ADDR (resolve names with
 *            lb_resolve() first)
 * @sa_size: size of the buffer at @ret_sa
 * @ret_sa: the buffer to fill
 *
 * Returns the socket address length, LB_EINVAL (NULL, or a host name),
 * LB_ENOSPC or LB_ENOENT as lb_addr_to_sockaddr().
 * @since 0.1
 */
LB_EXPORT int lb_endpoint_to_sockaddr(const lb_endpoint *endpoint,
				      size_t sa_size, struct sockaddr *ret_sa);

/**
 * lb_endpoint_from_sockaddr - lb_addr_from_sockaddr() into an endpoint
 * @sa: the socket address
 * @sa_len: its length
 * @ret_endpoint: set to an LB_HOST_ADDR endpoint with the port
 *
 * Returns 0, LB_EINVAL or LB_EAFNOSUPPORT as lb_addr_from_sockaddr().
 * @since 0.1
 */
LB_EXPORT int lb_endpoint_from_sockaddr(const struct sockaddr *sa,
					size_t sa_len,
					lb_endpoint *ret_endpoint);

/* What an address is, as lb_addr_classify() and lb_endpoint_classify()
 * return it. */
#define LB_CLASS_UNSPECIFIED    1  /* 0.0.0.0, ::  (the wildcard: every address of this host) */
#define LB_CLASS_LOOPBACK       2  /* 127.0.0.0/8, ::1 */
#define LB_CLASS_LINK_LOCAL     3  /* 169.254.0.0/16, fe80::/10 */
#define LB_CLASS_PRIVATE        4  /* 10/8, 172.16/12, 192.168/16 (RFC 1918), fc00::/7 (ULA) */
#define LB_CLASS_MULTICAST      5  /* 224.0.0.0/4, ff00::/8 */
#define LB_CLASS_DOCUMENTATION  6  /* 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20 */
#define LB_CLASS_RESERVED       7  /* other special-purpose, not globally reachable (0/8, 100.64/10,
				      192.0.0/24, 198.18/15, 240/4, broadcast, 100::/64, fec0::/10 ...) */
#define LB_CLASS_GLOBAL         8  /* anything else: globally routable */
#define LB_CLASS_LOCALHOST_NAME 9  /* the name "localhost" or a name under it (RFC 6761) */
#define LB_CLASS_NAME           10 /* another host name: unknown until resolved */

/**
 * lb_addr_classify - what kind of address this is
 * @addr: the address
 *
 * IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are classified by the
 * IPv4 address inside, which is where the kernel sends them.
 *
 * Returns one of LB_CLASS_UNSPECIFIED .. LB_CLASS_GLOBAL, or LB_EINVAL
 * if @addr is NULL or not an IPv4/IPv6 address.
 * @since 0.1
 */
LB_EXPORT int lb_addr_classify(const lb_addr *addr);

/**
 * lb_endpoint_classify - what kind of host an endpoint has
 * @endpoint: the endpoint (or a host from lb_host_parse())
 *
 * Returns lb_addr_classify() of an address; for a name,
 * LB_CLASS_LOCALHOST_NAME for "localhost", "localhost." and names under
 * it (any case), LB_CLASS_NAME otherwise; LB_EINVAL if @endpoint is NULL
 * or of no known kind.
 * @since 0.1
 */
LB_EXPORT int lb_endpoint_classify(const lb_endpoint *endpoint);

/**
 * lb_class_name - a short name for an LB_CLASS_* value
 * @cls: the class
 *
 * Returns a static string: "unspecified", "loopback", "link-local",
 * "private", "multicast", "documentation", "reserved", "global",
 * "localhost-name" or "name"; NULL for an unknown value.
 * @since 0.1
 */
LB_EXPORT const char *lb_class_name(int cls);

/* Properties of an address, as lb_addr_flags() returns them (an OR):
 * a finer view beside the one class of lb_addr_classify(). The class's
 * own flag is always set (LB_CLASS_RESERVED addresses have
 * LB_ADDR_FLAG_RESERVED and, where it applies, a more precise flag too). */
#define LB_ADDR_FLAG_UNSPECIFIED   0x0001 /* 0.0.0.0, :: (the wildcard) */
#define LB_ADDR_FLAG_LOOPBACK      0x0002 /* 127.0.0.0/8, ::1 */
#define LB_ADDR_FLAG_LINK_LOCAL    0x0004 /* 169.254.0.0/16, fe80::/10 */
#define LB_ADDR_FLAG_PRIVATE       0x0008 /* RFC 1918, and fc00::/7 (with UNIQUE_LOCAL) */
#define LB_ADDR_FLAG_UNIQUE_LOCAL  0x0010 /* fc00::/7 (RFC 4193) */
#define LB_ADDR_FLAG_MULTICAST     0x0020 /* 224.0.0.0/4, ff00::/8 */
#define LB_ADDR_FLAG_DOCUMENTATION 0x0040 /* TEST-NET-1..3, 2001:db8::/32, 3fff::/20 */
#define LB_ADDR_FLAG_BENCHMARKING  0x0080 /* 198.18.0.0/15, 2001:2::/48 (RFC 2544, 5180) */
#define LB_ADDR_FLAG_SHARED        0x0100 /* 100.64.0.0/10, carrier-grade NAT (RFC 6598) */
#define LB_ADDR_FLAG_BROADCAST     0x0200 /* 255.255.255.255 */
#define LB_ADDR_FLAG_RESERVED      0x0400 /* LB_CLASS_RESERVED: special-purpose, not global */
#define LB_ADDR_FLAG_GLOBAL        0x0800 /* LB_CLASS_GLOBAL: globally reachable */
#define LB_ADDR_FLAG_MAPPED        0x1000 /* IPv4-mapped IPv6, ::ffff:a.b.c.d: the other flags are a.b.c.d's */
#define LB_ADDR_FLAG_NAT64         0x2000 /* 64:ff9b::/96 (global), 64:ff9b:1::/48 (local use) */
#define LB_ADDR_FLAG_ALL           0x3fff /* every flag this version knows */

/**
 * lb_addr_flags - the properties of an address, as a set of flags
 * @addr: the address
 *
 * Beside lb_addr_classify()'s one class, every property that applies:
 * ::ffff:127.0.0.1 is LB_ADDR_FLAG_MAPPED | LB_ADDR_FLAG_LOOPBACK,
 * fd00::1 LB_ADDR_FLAG_PRIVATE | LB_ADDR_FLAG_UNIQUE_LOCAL, 198.18.0.1
 * LB_ADDR_FLAG_RESERVED | LB_ADDR_FLAG_BENCHMARKING. Exactly one of
 * the flags that name a class (UNSPECIFIED, LOOPBACK, LINK_LOCAL, PRIVATE,
 * MULTICAST, DOCUMENTATION, RESERVED, GLOBAL) is set: the class's. Later
 * versions may add flags (within LB_ADDR_FLAG_ALL of that version).
 *
 * Returns the flags (non-negative), or LB_EINVAL if @addr is NULL or not
 * an IPv4/IPv6 address.
 * @since 1.0
 */
LB_EXPORT int lb_addr_flags(const lb_addr *addr);

/**
 * lb_addr_flag_name - a short name for one LB_ADDR_FLAG_* bit
 * @flag: one flag (a single bit)
 *
 * Returns a static string: "unspecified", "loopback", "link-local",
 * "private", "unique-local", "multicast", "documentation",
 * "benchmarking", "shared", "broadcast", "reserved", "global", "mapped",
 * "nat64" (the names `loopback parse --json` prints in "flags"); NULL for
 * 0, several bits or an unknown bit.
 * @since 1.0
 */
LB_EXPORT const char *lb_addr_flag_name(unsigned flag);

/**
 * lb_addr_list - the addresses a name resolved to (opaque)
 * @since 0.1
 */
typedef struct lb_addr_list lb_addr_list;

/**
 * lb_resolve - the addresses of a host, in the system resolver's order
 * @host: a host name or an address literal (as lb_host_parse() accepts)
 * @len: number of bytes in @host
 * @family: LB_AF_NONE for any, LB_AF_INET or LB_AF_INET6 for one family
 * @ret_list: set to a new list on success; free it with lb_addr_list_free()
 *
 * Asks the system resolver (getaddrinfo(), so /etc/hosts, DNS ... as
 * configured) and keeps the order it returns: the order in which a
 * client tries them, which is why "localhost" may reach ::1 before
 * 127.0.0.1. Duplicates are dropped. An address literal gives itself
 * (its zone kept) without asking anything. This may block for as long
 * as the resolver takes.
 *
 * Returns 0, LB_EINVAL for a NULL pointer or a bad @family, LB_ESYNTAX or
 * LB_ERANGE if @host is not a valid host, LB_ERESOLVE if the name has no
 * address (of that family), or LB_ENOMEM.
 * @since 0.1
 */
LB_EXPORT int lb_resolve(const char *host, size_t len, int family,
			 lb_addr_list **ret_list);

/**
 * lb_addr_list_count - number of addresses in a list
 * @list: the list (NULL counts as empty)
 *
 * Returns the count.
 * @since 0.1
 */
LB_EXPORT size_t lb_addr_list_count(const lb_addr_list *list);

/**
 * lb_addr_list_addr - copy out one address of a list
 * @list: the list
 * @index: 0 .. lb_addr_list_count() - 1
 * @ret_addr: set to a copy of the address
 *
 * Returns 0, LB_EINVAL for a NULL pointer, or LB_ERANGE if @index is past
 * the end.
 * @since 0.1
 */
LB_EXPORT int lb_addr_list_addr(const lb_addr_list *list, size_t index,
				lb_addr *ret_addr);

/**
 * lb_addr_list_free - free a list from lb_resolve()
 * @list: the list; NULL does nothing
 * @since 0.1
 */
LB_EXPORT void lb_addr_list_free(lb_addr_list *list);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_ENDPOINT_H */
