/* SPDX-License-Identifier: MIT */
/*
 * loopback/port.h: facts about port numbers on this host.
 */
#ifndef LOOPBACK_PORT_H
#define LOOPBACK_PORT_H

#include <stdint.h>

#include <loopback/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * lb_port_ephemeral_range - the kernel's ephemeral (dynamic) port range
 * @ret_first: set to the first port of the range
 * @ret_last: set to the last port of the range (inclusive)
 *
 * The ports the kernel hands out for outgoing connections and bind(0):
 * Linux net.ipv4.ip_local_port_range (per network namespace), FreeBSD and
 * macOS net.inet.ip.portrange.first/last, Windows the dynamic port range.
 * Out-parameters are written only on success.
 *
 * Returns 0, LB_EINVAL if a pointer is NULL, LB_ENOTSUP where the range
 * cannot be read on this OS, LB_EIO/LB_EPERM if reading failed, or
 * LB_EBADDATA if the kernel's answer does not parse.
 * @since 0.1
 */
LB_EXPORT int lb_port_ephemeral_range(uint16_t *ret_first, uint16_t *ret_last);

/* What a port number is, as lb_port_classify() returns it (IANA, RFC 6335). */
#define LB_PORT_ZERO       1  /* 0: "any port", the kernel picks one from the ephemeral range */
#define LB_PORT_WELL_KNOWN 2  /* 1-1023: system ports, privileged to bind on most systems */
#define LB_PORT_REGISTERED 3  /* 1024-49151: user ports */
#define LB_PORT_DYNAMIC    4  /* 49152-65535: IANA dynamic/private ports */

/**
 * lb_port_classify - the IANA class of a port number
 * @port: the port
 *
 * Returns LB_PORT_ZERO, LB_PORT_WELL_KNOWN, LB_PORT_REGISTERED or
 * LB_PORT_DYNAMIC. Pure; see lb_port_is_ephemeral() for this host's view.
 * @since 0.1
 */
LB_EXPORT int lb_port_classify(uint16_t port);

/**
 * lb_port_class_name - a short name for an LB_PORT_* class
 * @cls: the class
 *
 * Returns a static string: "zero", "well-known", "registered" or
 * "dynamic"; NULL for an unknown value.
 * @since 0.1
 */
LB_EXPORT const char *lb_port_class_name(int cls);

/**
 * lb_port_is_ephemeral - whether a port lies in this host's ephemeral range
 * @port: the port
 *
 * Reads the range as lb_port_ephemeral_range() does. A port inside it may
 * be taken at any moment by an outgoing connection of any process.
 *
 * Returns 1 if inside, 0 if outside, or the error of
 * lb_port_ephemeral_range().
 * @since 0.1
 */
LB_EXPORT int lb_port_is_ephemeral(uint16_t port);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_PORT_H */
