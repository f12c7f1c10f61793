/* SPDX-License-Identifier: MIT */
/*
 * loopback/wait.h: wait until a port accepts connections, or is free.
 */
#ifndef LOOPBACK_WAIT_H
#define LOOPBACK_WAIT_H

#include <stdint.h>

#include <loopback/common.h>
#include <loopback/endpoint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* lb_wait() conditions. */
#define LB_WAIT_ACCEPTING 0 /* a TCP connect() to the address succeeds */
#define LB_WAIT_FREE      1 /* the address and port bind (TCP), as lb_check_bind() says bindable */

/**
 * lb_wait - wait until a condition on @addr:@port holds
 * @addr: the address (IPv4 or IPv6)
 * @port: the port, 1..65535
 * @condition: LB_WAIT_ACCEPTING or LB_WAIT_FREE
 * @timeout_ms: how long to wait at most, in milliseconds; 0 checks once
 *
 * Polls every 50 ms (each connect() attempt is bounded by what is left
 * of the timeout). Blocks the calling thread; no signals are used.
 *
 * Returns 0 when the condition holds, LB_ETIMEDOUT when it did not within
 * the timeout, LB_EINVAL, or LB_EIO.
 * @since 0.1
 */
LB_EXPORT int lb_wait(const lb_addr *addr, uint16_t port, int condition, uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_WAIT_H */
