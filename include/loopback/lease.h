/* SPDX-License-Identifier: MIT */
/*
 * loopback/lease.h: port leases without a daemon.
 *
 * A lease reserves a port number across the processes of this host until
 * it is released or its holder dies; the kernel then frees it at once.
 * Every picker using libloopback skips leased ports.
 *
 * On Linux a lease is an abstract AF_UNIX socket named
 * "@loopback/lease/tcp/PORT" (or ".../udp/PORT") bound by the holder: it
 * is atomic, lives in the network namespace exactly like the port, and
 * leaves no file behind. Every user of the same network namespace sees it.
 * On macOS and FreeBSD leases are flock()ed files in a private per-user
 * directory, so there they only coordinate the processes of one user.
 * On Windows a lease is a named kernel object
 * ("Global\loopback-lease-tcp-PORT") held by an open handle: the kernel
 * destroys it with the last handle, so it ends when its holder (and every
 * process that inherited it) exits or dies; it is seen by every session
 * of the host. There the "descriptor" of a lease is a HANDLE, and
 * lb_lease_listen() gives a SOCKET: both fit the int of this API (Windows
 * documents that kernel handles have 32 significant bits, so that 32- and
 * 64-bit processes can share them): cast with (HANDLE)(intptr_t)fd and
 * (SOCKET)fd.
 *
 * Leases coordinate cooperating programs; they do not protect a port
 * against a hostile local user (who may bind the port, or take a lease
 * name first and so keep others from picking that port). A lease never
 * stops anyone from binding the port itself.
 */
#ifndef LOOPBACK_LEASE_H
#define LOOPBACK_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include <loopback/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Protocols, as a bit set (lb_pick_options.protocols, lb_lease_fd()). */
#define LB_PICK_TCP 1
#define LB_PICK_UDP 2

/* lb_lease_flags(): facts about how the ports were picked. */
#define LB_LEASE_IPV4_ONLY 1 /* IPv6 was asked for but is disabled here: checked on IPv4 only */

/**
 * lb_lease - an opaque set of leased ports
 *
 * Obtained from lb_port_pick(), freed (and released) with
 * lb_lease_release(). Not shared between threads without a lock.
 * @since 0.1
 */
typedef struct lb_lease lb_lease;

/**
 * lb_lease_count - how many ports a lease holds
 * @lease: a lease, or NULL
 *
 * Returns the number of ports (0 for NULL).
 * @since 0.1
 */
LB_EXPORT size_t lb_lease_count(const lb_lease *lease);

/**
 * lb_lease_port - one port of a lease
 * @lease: a lease
 * @index: 0 .. lb_lease_count() - 1; ports of a group come in ascending order
 *
 * Returns the port number, or 0 if @lease is NULL or @index out of range.
 * @since 0.1
 */
LB_EXPORT uint16_t lb_lease_port(const lb_lease *lease, size_t index);

/**
 * lb_lease_protocols - the protocols a lease covers
 * @lease: a lease
 *
 * Returns LB_PICK_TCP, LB_PICK_UDP or both, 0 for NULL.
 * @since 0.1
 */
LB_EXPORT unsigned lb_lease_protocols(const lb_lease *lease);

/**
 * lb_lease_flags - how the ports were picked
 * @lease: a lease
 *
 * Returns a set of LB_LEASE_* flags (LB_LEASE_IPV4_ONLY), 0 for NULL.
 * @since 0.1
 */
LB_EXPORT unsigned lb_lease_flags(const lb_lease *lease);

/**
 * lb_lease_fd - the file descriptor that holds one lease
 * @lease: a lease
 * @index: which port
 * @protocol: LB_PICK_TCP or LB_PICK_UDP (one of the lease's protocols)
 *
 * The descriptor stays owned by @lease: do not close it. It is
 * close-on-exec unless lb_lease_set_inherit() said otherwise. On Windows
 * it is a HANDLE, not inherited unless lb_lease_set_inherit() said so.
 *
 * Returns the descriptor (>= 0), or LB_EINVAL for a bad argument.
 * @since 0.1
 */
LB_EXPORT int lb_lease_fd(const lb_lease *lease, size_t index, unsigned protocol);

/**
 * lb_lease_set_inherit - pass the lease on to programs this process executes
 * @lease: a lease
 * @inherit: non-zero to clear close-on-exec on every descriptor of the
 *           lease (a child started with exec then holds the lease too, so
 *           it lasts as long as the child); 0 to set it again. On Windows:
 *           HANDLE_FLAG_INHERIT, for CreateProcess(bInheritHandles=TRUE)
 *
 * Returns 0, LB_EINVAL, or LB_EIO if fcntl() (SetHandleInformation()) failed.
 * @since 0.1
 */
LB_EXPORT int lb_lease_set_inherit(lb_lease *lease, int inherit);

/**
 * lb_lease_release - release the leases and free the object
 * @lease: a lease, or NULL (then nothing happens)
 *
 * Closes the lease descriptors; copies inherited by other processes keep
 * holding the lease until they close too.
 * @since 0.1
 */
LB_EXPORT void lb_lease_release(lb_lease *lease);

/**
 * lb_lease_holders - who holds the lease on a port
 * @port: the port, 1..65535
 * @protocol: LB_PICK_TCP or LB_PICK_UDP
 * @pids: filled with up to @max_pids process ids holding the lease, in
 *        ascending order (may be NULL when @max_pids is 0)
 * @max_pids: room in @pids
 *
 * Looks the lease up without disturbing it: on Linux through the AF_UNIX
 * socket table and the descriptors in /proc/PID/fd, never by connecting.
 * Several processes hold one lease when it was inherited (loopback run
 * and its command). Processes whose descriptors this caller may not read
 * are not counted. On Windows the lease object has no owner query (short
 * of enumerating every handle of the system), so a held lease always
 * returns 0: leased, holder not visible; lb_check_bind() then says
 * LB_CHECK_LEASED even for a lease of the caller's own process.
 *
 * Returns the number of holders found (0 when the port is leased but no
 * holder is visible; may be larger than @max_pids), LB_ENOENT if the port
 * is not leased, LB_EINVAL, LB_ENOTSUP where leases cannot be looked up,
 * or LB_EIO.
 * @since 0.1
 */
LB_EXPORT int lb_lease_holders(uint16_t port, unsigned protocol, int *pids, size_t max_pids);

/**
 * lb_lease_dir - the directory of file leases, where leases are files
 * @buf: set to the path of the private per-user directory that holds the
 *       flock()ed lease files (NUL-terminated)
 * @size: room in @buf
 *
 * For messages about a failed lease: macOS and FreeBSD (and Linux with
 * LOOPBACK_LEASE_BACKEND=flock) keep leases as files in
 * $XDG_RUNTIME_DIR/loopback-leases, else /tmp/loopback-leases-UID; the
 * directory must be a real directory of this user with mode 0700.
 * Environment variables are ignored in a setuid or setgid program.
 *
 * Returns 0, LB_ENOTSUP where leases are not files (Linux abstract
 * sockets, Windows kernel objects), LB_ENOSPC if the path does not fit
 * @size, or LB_EINVAL for a NULL @buf, a zero @size, or a
 * LOOPBACK_LEASE_BACKEND that names no lease backend of this system.
 * @since 1.0
 */
LB_EXPORT int lb_lease_dir(char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_LEASE_H */
