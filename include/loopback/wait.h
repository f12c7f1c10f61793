/* SPDX-License-Identifier: MIT */
/*
 * loopback/wait.h: wait until a port accepts connections, or is free,
 * or accepts connections from a listener a given process holds.
 */
#ifndef LOOPBACK_WAIT_H
#define LOOPBACK_WAIT_H

#include <stdint.h>

#include <loopback/common.h>
#include <loopback/endpoint.h>
#include <loopback/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* lb_wait() conditions. */
#define LB_WAIT_ACCEPTING 0 /* a TCP listener takes connections to the address (see lb_wait()) */
#define LB_WAIT_FREE      1 /* the address and port bind (TCP), as lb_check_bind() says bindable */
/* OR'ed into lb_wait()'s LB_WAIT_ACCEPTING or into lb_wait_held()'s
 * flags: decide by connect() even for an address of this host. @since 1.0 */
#define LB_WAIT_CONNECT   0x100

/**
 * lb_wait - wait until a condition on @addr:@port holds
 * @addr: the address (IPv4 or IPv6)
 * @port: the port, 1..65535
 * @condition: LB_WAIT_ACCEPTING (optionally | LB_WAIT_CONNECT) or LB_WAIT_FREE
 * @timeout_ms: how long to wait at most, in milliseconds; 0 checks once
 *
 * Polls every 50 ms. LB_WAIT_ACCEPTING, for an address of this host (one
 * a socket binds to: loopback, a local interface's, the wildcard), is
 * decided from the socket table without connecting, so the server never
 * sees a probe: it holds when a TCP listener in the caller's network
 * namespace takes connections to @addr (bound to @addr itself, to the
 * wildcard of its family, or, for an IPv4 @addr, to a dual-stack [::]; for
 * a wildcard @addr, any listener of its family on the port). For another
 * host, or with LB_WAIT_CONNECT, it holds when a TCP connect() succeeds
 * (each attempt bounded by what is left of the timeout); a probe that
 * connected is closed with a reset (SO_LINGER 0): it leaves no TIME-WAIT
 * socket behind, and the server sees a connection reset. Blocks the
 * calling thread; no signals are used.
 *
 * Returns 0 when the condition holds, LB_ETIMEDOUT when it did not within
 * the timeout (never before @timeout_ms has passed), LB_EINVAL, LB_EIO, or
 * (this host's address, from the socket table) LB_ENOBACKEND or LB_ENOMEM.
 * @since 0.1 (decided without connecting, LB_WAIT_CONNECT: since 1.0)
 */
LB_EXPORT int lb_wait(const lb_addr *addr, uint16_t port, int condition, uint32_t timeout_ms);

/**
 * lb_wait_held - wait until a given process accepts connections on @addr:@port
 * @addr: the address (IPv4 or IPv6)
 * @port: the port, 1..65535
 * @pid: the process expected to serve, 1..INT32_MAX, in the caller's PID namespace
 * @flags: 0, or LB_PID_DESCENDANTS to accept a listener of any descendant
 *         of @pid too (a server started through a shell or a wrapper),
 *         and/or LB_WAIT_CONNECT to also require a connect() for an
 *         address of this host
 * @timeout_ms: how long to wait at most, in milliseconds; 0 checks once
 *
 * The condition holds when a TCP listener on @port that takes
 * connections to @addr (as lb_wait() says) is held by @pid (or a
 * descendant), and, for an address of another host or with
 * LB_WAIT_CONNECT, a TCP connect() to @addr:@port succeeds. So a test
 * does not talk to a stale server of another process that still has the
 * port, and the server sees no probe. Polls every 50 ms, as lb_wait().
 *
 * When @pid does not exist, or exits (a zombie counts as exited) while
 * waiting, it returns LB_ENOENT at once instead of waiting out the
 * timeout. (Zombies are recognised through /proc/PID/stat; where there is
 * no /proc, an exited process counts as gone once it is reaped.) A server
 * that daemonizes (forks and lets @pid exit) leaves @pid's tree: wait on
 * the daemon's own pid instead.
 *
 * Limits: the holder is found through the socket table and the processes'
 * descriptors (a socket query by pid, see socket.h). A listener held only
 * by a process the caller cannot see is never matched: in another PID
 * namespace that the caller's /proc does not show, or, for an
 * unprivileged caller, hidden by permissions. When @pid itself exists but
 * its descriptors may not be read (another user's process, without
 * CAP_SYS_PTRACE), it returns LB_EPERM as soon as the port is served; a
 * hidden descendant's listener is not seen and the wait times out. The
 * procfs backend (LOOPBACK_BACKEND=procfs) cannot tell an IPv6-only [::]
 * listener from a dual-stack one and takes it to cover IPv4 too.
 *
 * Returns 0 when the condition holds, LB_ETIMEDOUT when it did not within
 * the timeout (never before @timeout_ms has passed), LB_ENOENT when @pid
 * does not exist or exited, LB_EPERM (see above), LB_EINVAL (NULL @addr,
 * port 0, @pid 0 or above INT32_MAX, unknown @flags), LB_ENOBACKEND when
 * no socket-table backend works here, LB_ENOMEM, LB_EMFILE, or LB_EIO.
 * @since 0.1
 */
LB_EXPORT int lb_wait_held(const lb_addr *addr, uint16_t port, uint32_t pid, unsigned flags,
			   uint32_t timeout_ms);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_WAIT_H */
