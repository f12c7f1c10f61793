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

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_PORT_H */
