/* SPDX-License-Identifier: MIT */
/*
 * loopback/check.h: can I bind this address and port, and if not, why.
 */
#ifndef LOOPBACK_CHECK_H
#define LOOPBACK_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include <loopback/common.h>
#include <loopback/endpoint.h>
#include <loopback/lease.h>
#include <loopback/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* lb_check_reason(): the verdict. */
#define LB_CHECK_BINDABLE          0 /* binds now */
#define LB_CHECK_IN_USE            1 /* a socket holds this very address and port */
#define LB_CHECK_BLOCKED_WILDCARD  2 /* a 0.0.0.0 listener covers this address */
#define LB_CHECK_BLOCKED_DUALSTACK 3 /* a dual-stack [::] socket covers IPv4 too */
#define LB_CHECK_TIME_WAIT         4 /* only non-listening leftovers (TIME_WAIT): binds with SO_REUSEADDR */
#define LB_CHECK_PRIVILEGED        5 /* below the unprivileged start, and we may not bind it;
                                        on Windows: WSAEACCES, an excluded port range */
#define LB_CHECK_NOT_LOCAL         6 /* the address is not on this host */
#define LB_CHECK_LEASED            7 /* binds, but another process holds its lease */

/* lb_check_warnings(): facts that do not stop the bind. */
#define LB_CHECK_WARN_EPHEMERAL 1 /* in the ephemeral range: outgoing connections may take it */
#define LB_CHECK_WARN_RESERVED  2 /* listed in ip_local_reserved_ports */

/**
 * lb_check - an opaque diagnosis of one address, port and protocol
 * @since 0.1
 */
typedef struct lb_check lb_check;

/**
 * lb_check_bind - can @addr:@port be bound now for @protocol, and if not why
 * @addr: an IPv4 or IPv6 address (0.0.0.0 and :: included; [::] is
 *        checked dual-stack, as servers bind it by default)
 * @port: the port, 1..65535
 * @protocol: LB_PICK_TCP or LB_PICK_UDP
 * @ret_check: set to the diagnosis; free it with lb_check_free()
 *
 * Tries the bind for real (and closes the socket at once): without
 * SO_REUSEADDR first, then, for TCP, with it to tell TIME_WAIT leftovers
 * from live sockets. When the bind fails with EADDRINUSE, the socket
 * table of the caller's network namespace (as lb_socket_list_get gives
 * it: this protocol and port, every state, owners LB_OWNERS_DEFAULT) names the
 * blockers (lb_check_blockers()) and the reason follows the first of
 * them: the same address is LB_CHECK_IN_USE, 0.0.0.0 against an IPv4
 * address or [::] (IPv6-only or not) against an IPv6 address is
 * LB_CHECK_BLOCKED_WILDCARD, a dual-stack [::] against an IPv4 address
 * (or an IPv4 socket against a check of [::]) is
 * LB_CHECK_BLOCKED_DUALSTACK. When the table shows no live blocker
 * (another namespace, a backend error) the reason is inferred from trial
 * binds on neighbouring addresses, and the explanation says so. A port
 * that binds but whose lease is held by another process is
 * LB_CHECK_LEASED, the holder named by pid and process name.
 *
 * On Windows the binds use SO_EXCLUSIVEADDRUSE, there is no SO_REUSEADDR
 * probe (it would bind over a live socket there), so TIME_WAIT leftovers
 * are not told apart, and WSAEACCES (an excluded port range, see `netsh
 * int ipv4 show excludedportrange protocol=tcp`) is LB_CHECK_PRIVILEGED
 * with that explanation.
 *
 * Returns 0 (whatever the verdict), LB_EINVAL, LB_ENOMEM, LB_EMFILE (too
 * many open files), or LB_EIO when a
 * system call failed in an unexpected way.
 * @since 0.1
 */
LB_EXPORT int lb_check_bind(const lb_addr *addr, uint16_t port, unsigned protocol,
			    lb_check **ret_check);

/**
 * lb_check_reason - the verdict of a check
 * Returns an LB_CHECK_* reason, or LB_EINVAL for NULL.
 * @since 0.1
 */
LB_EXPORT int lb_check_reason(const lb_check *check);

/**
 * lb_check_warnings - LB_CHECK_WARN_* bits (0 for NULL)
 * @since 0.1
 */
LB_EXPORT unsigned lb_check_warnings(const lb_check *check);

/**
 * lb_check_reason_name - a short stable name for a reason ("bindable",
 * "in-use", "blocked-wildcard", "blocked-dual-stack", "time-wait",
 * "privileged", "not-local", "leased"); NULL for an unknown value. Static.
 * @since 0.1
 */
LB_EXPORT const char *lb_check_reason_name(int reason);

/**
 * lb_check_explanation - one English line saying why (or that it binds)
 * Returns a string owned by @check (valid until lb_check_free()), "" for NULL.
 * @since 0.1
 */
LB_EXPORT const char *lb_check_explanation(const lb_check *check);

/**
 * lb_check_suggestion - one English line saying what to do, "" when
 * nothing needs doing. Owned by @check.
 * @since 0.1
 */
LB_EXPORT const char *lb_check_suggestion(const lb_check *check);

/**
 * lb_check_lease_holders - the processes holding the port's lease
 * @check: a check
 * @pids: filled with up to @max_pids pids, ascending
 * @max_pids: room in @pids
 *
 * Returns how many holders were found (0 when not leased or not visible),
 * or LB_EINVAL.
 * @since 0.1
 */
LB_EXPORT int lb_check_lease_holders(const lb_check *check, int *pids, size_t max_pids);

/**
 * lb_check_blockers - the sockets that stop the bind, with their owners
 * @check: a check
 *
 * The sockets of the table on the checked port and protocol that conflict
 * with the checked address: on the same address; on the unspecified
 * address of the same family; a dual-stack [::] against an IPv4 address;
 * for a check of 0.0.0.0 every IPv4 socket on the port (and a dual-stack
 * [::]), for a check of [::] (dual-stack) every socket on the port. TCP
 * sockets of every state are included, so TIME-WAIT leftovers (which no
 * process holds) show. Listeners (and bound UDP sockets) come first,
 * then other connections, then TIME-WAIT ones; within each, the same
 * address, then wildcard, then dual-stack. On
 * backends that cannot tell IPV6_V6ONLY (procfs), a [::] socket is
 * counted as dual-stack. Owners the caller may not inspect are missing,
 * with lb_socket_owner_error giving LB_EPERM.
 *
 * The list is filled only when the bind failed with EADDRINUSE
 * (LB_CHECK_IN_USE, _BLOCKED_*, _TIME_WAIT); it is empty for the other
 * reasons, and when the table shows nothing or cannot be read (its
 * backend name, lb_socket_list_backend, is then "none").
 *
 * Returns a list owned by @check (valid until lb_check_free(); do not
 * free it), never NULL for a check; NULL if @check is NULL.
 * @since 0.1
 */
LB_EXPORT const lb_socket_list *lb_check_blockers(const lb_check *check);

/**
 * lb_check_free - free a check (and its blockers); NULL does nothing
 * @since 0.1
 */
LB_EXPORT void lb_check_free(lb_check *check);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_CHECK_H */
