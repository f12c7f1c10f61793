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

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_ENDPOINT_H */
