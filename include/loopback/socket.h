/* SPDX-License-Identifier: MIT */
/*
 * loopback/socket.h: the socket table and who owns each socket.
 *
 * Build a query (lb_query_new + setters), run it (lb_socket_list_get), and
 * read the result through plain accessors. Every object is opaque, no
 * callbacks are needed, so the API maps directly onto ctypes and cgo.
 *
 *   lb_query *q;
 *   lb_socket_list *l;
 *   lb_query_new(&q);
 *   lb_query_set_local_port(q, 8080);
 *   if (lb_socket_list_get(q, &l) == 0) {
 *           size_t i;
 *           for (i = 0; i < lb_socket_list_count(l); i++) {
 *                   const lb_socket *s = lb_socket_list_at(l, i);
 *                   ... lb_socket_owner_count(s), lb_socket_owner_at(s, 0) ...
 *           }
 *           lb_socket_list_free(l);
 *   }
 *   lb_query_free(q);
 */
#ifndef LOOPBACK_SOCKET_H
#define LOOPBACK_SOCKET_H

#include <stddef.h>
#include <stdint.h>

#include <loopback/common.h>
#include <loopback/endpoint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Protocols: lb_socket_protocol() returns one; lb_query_set_protocols()
 * takes an OR of them. */
#define LB_PROTO_TCP 0x1
#define LB_PROTO_UDP 0x2
#define LB_PROTO_ALL 0x3

/* Families for lb_query_set_families() (an OR). lb_socket_family()
 * returns LB_AF_INET or LB_AF_INET6 from <loopback/endpoint.h>. */
#define LB_FAMILY_INET  0x1
#define LB_FAMILY_INET6 0x2
#define LB_FAMILY_ALL   0x3

/* Socket states, as returned by lb_socket_state(). The numbers are those
 * of the Linux TCP state machine; other systems map onto them. A UDP
 * socket is LB_STATE_CLOSE when unconnected ("UNCONN") and
 * LB_STATE_ESTABLISHED when connected. */
#define LB_STATE_ESTABLISHED 1
#define LB_STATE_SYN_SENT    2
#define LB_STATE_SYN_RECV    3
#define LB_STATE_FIN_WAIT1   4
#define LB_STATE_FIN_WAIT2   5
#define LB_STATE_TIME_WAIT   6
#define LB_STATE_CLOSE       7
#define LB_STATE_CLOSE_WAIT  8
#define LB_STATE_LAST_ACK    9
#define LB_STATE_LISTEN      10
#define LB_STATE_CLOSING     11
/* A mask of states for lb_query_set_states(). */
#define LB_STATE_BIT(s) (1UL << (s))
#define LB_STATES_ALL 0xffeUL

/* Owner resolution modes for lb_query_set_owners(). */
#define LB_OWNERS_NONE    0 /* do not look for owners (fastest) */
#define LB_OWNERS_DEFAULT 1 /* first holder of each socket, plus its holding relatives */
#define LB_OWNERS_ALL     2 /* every process holding each socket (scans everything) */

/* Flags for lb_query_set_pid(). */
#define LB_PID_DESCENDANTS 0x1 /* also the sockets of the process's descendants */

/**
 * lb_query - an opaque description of which sockets to list
 *
 * From lb_query_new(), set up with the lb_query_set_*() functions, freed
 * with lb_query_free().
 * @since 0.1
 */
typedef struct lb_query lb_query;

/**
 * lb_socket_list - an opaque list of sockets, the result of a query
 *
 * From lb_socket_list_get(), freed with lb_socket_list_free(), which
 * frees its sockets and owners too.
 * @since 0.1
 */
typedef struct lb_socket_list lb_socket_list;

/**
 * lb_socket - one socket of an lb_socket_list, read with the lb_socket_*() accessors
 * @since 0.1
 */
typedef struct lb_socket lb_socket;

/**
 * lb_owner - one process holding a socket, read with the lb_owner_*() accessors
 * @since 0.1
 */
typedef struct lb_owner lb_owner;

/**
 * lb_query_new - a new query that matches every TCP and UDP socket
 * @ret_query: set to the new query; free it with lb_query_free()
 *
 * Defaults: TCP and UDP, IPv4 and IPv6, every state, any address and
 * port, owners resolved with LB_OWNERS_DEFAULT, the caller's network
 * namespace.
 *
 * Returns 0, LB_EINVAL if @ret_query is NULL, or LB_ENOMEM.
 * @since 0.1
 */
LB_EXPORT int lb_query_new(lb_query **ret_query);

/**
 * lb_query_free - free a query; NULL is a no-op
 * @since 0.1
 */
LB_EXPORT void lb_query_free(lb_query *q);

/**
 * lb_query_set_protocols - which protocols to list
 * @q: the query
 * @mask: an OR of LB_PROTO_TCP and LB_PROTO_UDP
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @mask is 0 or has unknown bits.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_protocols(lb_query *q, unsigned mask);

/**
 * lb_query_set_families - which address families to list
 * @q: the query
 * @mask: an OR of LB_FAMILY_INET and LB_FAMILY_INET6
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @mask is 0 or has unknown bits.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_families(lb_query *q, unsigned mask);

/**
 * lb_query_set_states - which socket states to list
 * @q: the query
 * @mask: an OR of LB_STATE_BIT(LB_STATE_*), or LB_STATES_ALL
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @mask is 0 or has unknown bits.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_states(lb_query *q, unsigned long mask);

/**
 * lb_query_set_local_port - list only sockets bound to this local port
 * @q: the query
 * @port: the port, or 0 for any port
 *
 * Returns 0, or LB_EINVAL if @q is NULL.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_local_port(lb_query *q, uint16_t port);

/**
 * lb_query_set_local_addr - list only sockets bound to exactly this address
 * @q: the query
 * @addr: the address (copied), or NULL for any address
 *
 * The match is exact: 127.0.0.1 does not match a socket bound to 0.0.0.0.
 * An IPv4 address also matches the IPv4-mapped form (::ffff:a.b.c.d) of
 * an IPv6 socket.
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @addr has no valid family.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_local_addr(lb_query *q, const lb_addr *addr);

/**
 * lb_query_set_remote - list only sockets connected to this remote endpoint
 * @q: the query
 * @addr: the remote address (copied), or NULL for any address
 * @port: the remote port, or 0 for any port
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @addr has no valid family.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_remote(lb_query *q, const lb_addr *addr, uint16_t port);

/**
 * lb_query_set_pid - list only the sockets a process holds
 * @q: the query
 * @pid: the process, or 0 for every process
 * @flags: 0, or LB_PID_DESCENDANTS to add its whole process tree
 *
 * Owners of the listed sockets are then the process (and descendants)
 * holding them; use LB_OWNERS_ALL to also name other holders.
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @flags has unknown bits.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_pid(lb_query *q, uint32_t pid, unsigned flags);

/**
 * lb_query_set_uid - list only sockets created by this user
 * @q: the query
 * @uid: the socket's user id (as ss -e shows it), or -1 for any user
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @uid is out of range.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_uid(lb_query *q, int64_t uid);

/**
 * lb_query_set_owners - how to resolve the processes that hold each socket
 * @q: the query
 * @mode: LB_OWNERS_NONE, LB_OWNERS_DEFAULT or LB_OWNERS_ALL
 *
 * Linux cannot tell how many descriptors point at a socket, so the
 * default stops scanning processes once every listed socket has a holder,
 * then adds that holder's ancestors and descendants that hold the same
 * socket (a listener shared after fork). It can miss an unrelated process
 * that received the socket over SCM_RIGHTS or through pidfd_getfd();
 * LB_OWNERS_ALL scans every process and misses nothing it may read.
 *
 * Returns 0, or LB_EINVAL if @q is NULL or @mode is unknown.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_owners(lb_query *q, int mode);

/* How owners are found (lb_query_set_owner_scan). */
#define LB_OWNER_SCAN_AUTO 0 /* BPF when the caller may load it, else /proc */
#define LB_OWNER_SCAN_PROC 1 /* read every process's descriptors in /proc */
#define LB_OWNER_SCAN_BPF  2 /* one in-kernel pass (Linux, privileged), or fail */

/**
 * lb_query_set_owner_scan - choose how the owners of listed sockets are found
 * @q: the query
 * @scan: LB_OWNER_SCAN_AUTO (the default), LB_OWNER_SCAN_PROC or
 *        LB_OWNER_SCAN_BPF
 *
 * On Linux, owners are found by reading /proc/PID/fd of every process
 * (the "proc" scan), or, when the caller may load BPF tracing programs
 * (root, or CAP_BPF and CAP_PERFMON) in the initial PID namespace and the
 * kernel has the task_file iterator and BTF (5.9 and later), in one
 * in-kernel pass (the "bpf" scan): the same owners, found several times
 * faster. The BPF scan sees every process, so it finds every holder, as
 * LB_OWNERS_ALL does; except that for at most four listed sockets (one
 * port's, as loopback who asks) with LB_OWNERS_DEFAULT it stops at the
 * first holder of each, by pid, and adds that holder's relatives holding
 * them from /proc, as the /proc scan does after its own early stop.
 * Nothing stays loaded after the call. Automatic choice
 * falls back to /proc silently on any failure of the BPF path (not
 * permitted, seccomp, lockdown, no BTF, an old kernel, a verifier
 * refusal). lb_socket_list_owner_scan() tells which one ran.
 *
 * With LB_OWNER_SCAN_BPF, lb_socket_list_get() fails rather than fall
 * back: LB_EPERM when the kernel refuses (no capability, lockdown, a
 * seccomp filter), LB_ENOTSUP when this kernel cannot (no BTF or iterator,
 * another PID namespace, the program rejected). A query restricted to one
 * process (lb_query_set_pid) reads that process's descriptors directly,
 * whatever this setting says.
 *
 * Returns 0, LB_EINVAL if @q is NULL or @scan is unknown, or LB_ENOTSUP
 * for LB_OWNER_SCAN_BPF where the library has no BPF scan (not Linux, or
 * built with -Dbpf=disabled).
 * @since 0.1
 */
LB_EXPORT int lb_query_set_owner_scan(lb_query *q, int scan);

/**
 * lb_query_set_netns_pid - list the sockets of another process's network namespace
 * @q: the query
 * @pid: the process whose namespace to use, or 0 for the caller's own
 *
 * Entering another namespace needs privilege (CAP_SYS_ADMIN); without it
 * lb_socket_list_get() fails with LB_EPERM. Clears lb_query_set_netns_path().
 *
 * Returns 0, or LB_EINVAL if @q is NULL.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_netns_pid(lb_query *q, uint32_t pid);

/**
 * lb_query_set_netns_path - list the sockets of a named network namespace
 * @q: the query
 * @path: a namespace file such as /var/run/netns/NAME (copied), or NULL
 *        for the caller's own namespace
 *
 * As lb_query_set_netns_pid(); a path that is not a network namespace
 * gives LB_EINVAL, a missing one LB_ENOENT from lb_socket_list_get().
 *
 * Returns 0, LB_EINVAL if @q is NULL or @path is empty, or LB_ENOMEM.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_netns_path(lb_query *q, const char *path);

/**
 * lb_query_set_all_netns - list the sockets of every network namespace
 * @q: the query
 * @all: 1 to list every namespace on the host (root only), 0 for one
 *
 * Namespaces are found through the processes in /proc and the files in
 * /var/run/netns; lb_socket_netns() tells which one a socket is in.
 *
 * Returns 0, or LB_EINVAL if @q is NULL.
 * @since 0.1
 */
LB_EXPORT int lb_query_set_all_netns(lb_query *q, int all);

/**
 * lb_socket_list_get - list the sockets matching a query
 * @q: the query, or NULL for every TCP and UDP socket with default owners
 * @ret_list: set to the result; free it with lb_socket_list_free()
 *
 * The backend is chosen at run time (Linux: netlink sock_diag, then
 * /proc/net); the environment variable LOOPBACK_BACKEND forces one
 * ("netlink", "procfs", "mock" with LOOPBACK_MOCK_FILE). Sockets whose
 * owners cannot be read are still listed: see lb_socket_owner_error().
 *
 * On Linux the owner scan may use threads of its own during the call: the
 * BPF walk, begun before the socket table is read so that both run at
 * once, the /proc scan's readers, and a second reader of the holders'
 * details when there are many. Each blocks every signal, and all are
 * joined before the call returns.
 *
 * Returns 0, LB_EINVAL, LB_ENOMEM, LB_EMFILE (too many open files),
 * LB_EPERM or LB_ENOENT (namespace),
 * LB_ENOBACKEND if no backend works here, LB_EBADDATA if the kernel's (or
 * the fixture's) answer does not parse, or LB_EIO.
 * @since 0.1
 */
LB_EXPORT int lb_socket_list_get(const lb_query *q, lb_socket_list **ret_list);

/**
 * lb_socket_list_backend - the name of the backend that built a list
 *
 * Returns a static string ("netlink", "procfs", "mock"), or NULL if
 * @list is NULL. Do not free.
 * @since 0.1
 */
LB_EXPORT const char *lb_socket_list_backend(const lb_socket_list *list);

/**
 * lb_socket_list_owner_scan - how the owners in a list were found
 * @list: a list from lb_socket_list_get()
 *
 * Returns a static string, "bpf" (one in-kernel pass) or "proc" (the
 * descriptors in /proc), or NULL when no owner scan ran: @list is NULL,
 * owners were not asked for (LB_OWNERS_NONE), no socket had an inode,
 * the sockets of one process were read through pidfd_getfd(2), or the
 * backend finds owners its own way (FreeBSD, macOS, Windows). Do not free.
 * @since 0.1
 */
LB_EXPORT const char *lb_socket_list_owner_scan(const lb_socket_list *list);

/**
 * lb_socket_list_count - the number of sockets in a list (0 for NULL)
 * @since 0.1
 */
LB_EXPORT size_t lb_socket_list_count(const lb_socket_list *list);

/**
 * lb_socket_list_at - one socket of a list
 *
 * Returns the socket at @index, owned by @list and valid until
 * lb_socket_list_free(); NULL if @list is NULL or @index is out of range.
 * @since 0.1
 */
LB_EXPORT const lb_socket *lb_socket_list_at(const lb_socket_list *list, size_t index);

/**
 * lb_socket_list_free - free a list with its sockets and owners; NULL is a no-op
 * @since 0.1
 */
LB_EXPORT void lb_socket_list_free(lb_socket_list *list);

/* Socket accessors. Each returns 0 (or NULL) when @s is NULL. */

/** lb_socket_protocol - LB_PROTO_TCP or LB_PROTO_UDP. @since 0.1 */
LB_EXPORT int lb_socket_protocol(const lb_socket *s);
/** lb_socket_family - LB_AF_INET or LB_AF_INET6. @since 0.1 */
LB_EXPORT int lb_socket_family(const lb_socket *s);
/** lb_socket_state - an LB_STATE_* value. @since 0.1 */
LB_EXPORT int lb_socket_state(const lb_socket *s);
/** lb_socket_local_addr - the local address, owned by the list. @since 0.1 */
LB_EXPORT const lb_addr *lb_socket_local_addr(const lb_socket *s);
/** lb_socket_local_port - the local port in host byte order. @since 0.1 */
LB_EXPORT uint16_t lb_socket_local_port(const lb_socket *s);
/** lb_socket_remote_addr - the remote address (all zero when unconnected), owned by the list. @since 0.1 */
LB_EXPORT const lb_addr *lb_socket_remote_addr(const lb_socket *s);
/** lb_socket_remote_port - the remote port (0 when unconnected). @since 0.1 */
LB_EXPORT uint16_t lb_socket_remote_port(const lb_socket *s);
/** lb_socket_uid - the user id that created the socket. @since 0.1 */
LB_EXPORT uint32_t lb_socket_uid(const lb_socket *s);
/** lb_socket_inode - the socket's inode (0 for a socket no process holds, e.g. TIME-WAIT). @since 0.1 */
LB_EXPORT uint64_t lb_socket_inode(const lb_socket *s);
/** lb_socket_rx_queue - bytes in the receive queue (listeners: the accept backlog). @since 0.1 */
LB_EXPORT uint32_t lb_socket_rx_queue(const lb_socket *s);
/** lb_socket_tx_queue - bytes in the send queue (listeners: the backlog limit). @since 0.1 */
LB_EXPORT uint32_t lb_socket_tx_queue(const lb_socket *s);
/** lb_socket_v6only - 1 for an IPv6-only socket, 0 for dual-stack or IPv4, -1 unknown (procfs). @since 0.1 */
LB_EXPORT int lb_socket_v6only(const lb_socket *s);
/** lb_socket_netns - the inode of the socket's network namespace (0 unknown). @since 0.1 */
LB_EXPORT uint64_t lb_socket_netns(const lb_socket *s);

/**
 * lb_state_name - the short name of a state, as ss prints it
 * @protocol: LB_PROTO_TCP or LB_PROTO_UDP
 * @state: an LB_STATE_* value
 *
 * Returns a static string ("LISTEN", "ESTAB", "TIME-WAIT", "UNCONN" for
 * an unconnected UDP socket ...), "UNKNOWN" for an unknown state.
 * @since 0.1
 */
LB_EXPORT const char *lb_state_name(int protocol, int state);

/**
 * lb_socket_owner_count - how many processes were found holding the socket
 * @since 0.1
 */
LB_EXPORT size_t lb_socket_owner_count(const lb_socket *s);

/**
 * lb_socket_owner_at - one process holding the socket
 *
 * Returns the owner, owned by the list the socket came from; NULL if out
 * of range. Owners are sorted by pid.
 * @since 0.1
 */
LB_EXPORT const lb_owner *lb_socket_owner_at(const lb_socket *s, size_t index);

/**
 * lb_socket_owner_error - why a socket has no owner listed
 *
 * Returns 0 when the owners are listed: lb_socket_owner_count() processes,
 * none only for a socket no process holds (TIME-WAIT, lb_socket_inode()
 * 0). Otherwise the socket has no owner listed, because:
 *  - LB_EPERM: permission denied. Some process could not be inspected
 *    (its descriptors are unreadable: another user's process, or root
 *    without CAP_SYS_PTRACE facing a process with more capabilities such
 *    as PID 1; or /proc hides processes, hidepid=invisible) and no
 *    visible process holds it. Run with more privilege to see it.
 *  - LB_ENOTVISIBLE: every process this caller can see was inspected and
 *    none holds it: it is held by a process outside this PID namespace
 *    (a container sharing the network namespace), or by none (a kernel
 *    socket, passed in flight over a unix socket, or closed since the
 *    table was read), or it was made while the owners were read: the BPF
 *    scan of a whole table reads the descriptors while the table is read
 *    (as ss reads /proc before its table), so a socket created in those
 *    ~20 ms after the walk passed its process has none listed.
 *  - LB_EEXITED: the process found holding it exited before it could be
 *    described.
 *  - LB_ENOTREQUESTED: owners were not asked for (LB_OWNERS_NONE); every
 *    socket of such a list has it.
 * Other systems' backends report LB_EPERM where they cannot inspect
 * another user's processes. 0 if @s is NULL.
 * @since 0.1 (LB_ENOTVISIBLE, LB_EEXITED, LB_ENOTREQUESTED since 1.0)
 */
LB_EXPORT int lb_socket_owner_error(const lb_socket *s);

/* Owner accessors. Strings are owned by the list; NULL when @o is NULL. */

/** lb_owner_pid - the process id. @since 0.1 */
LB_EXPORT uint32_t lb_owner_pid(const lb_owner *o);
/** lb_owner_name - the process name (Linux comm, up to 15 bytes). @since 0.1 */
LB_EXPORT const char *lb_owner_name(const lb_owner *o);
/** lb_owner_cmdline - the command line, arguments joined by spaces, for display ("" for kernel threads, NULL if unreadable); see lb_owner_argc(). @since 0.1 */
LB_EXPORT const char *lb_owner_cmdline(const lb_owner *o);
/**
 * lb_owner_argc - how many arguments the command line has
 *
 * The command line as a vector: "a b" as one argument and "a" "b" as two
 * differ here, while lb_owner_cmdline() joins them alike (use it for
 * display only). 0 when the command line is unknown (lb_owner_cmdline()
 * NULL: hidden, or a system whose backend does not read it: macOS,
 * Windows) or empty (a kernel thread); 0 if @o is NULL.
 * @since 1.0
 */
LB_EXPORT size_t lb_owner_argc(const lb_owner *o);
/**
 * lb_owner_argv_at - one argument of the command line
 * @o: the owner
 * @index: 0 (the program as started) .. lb_owner_argc() - 1
 *
 * Returns the argument, NUL-terminated (an argument cannot contain NUL),
 * owned by the list the owner came from; NULL if @o is NULL or @index is
 * out of range.
 * @since 1.0
 */
LB_EXPORT const char *lb_owner_argv_at(const lb_owner *o, size_t index);
/** lb_owner_exe - the executable's path, or NULL if it cannot be read. @since 0.1 */
LB_EXPORT const char *lb_owner_exe(const lb_owner *o);
/** lb_owner_uid - the user id the process runs as (its effective uid). @since 0.1 */
LB_EXPORT uint32_t lb_owner_uid(const lb_owner *o);
/** lb_owner_user - the user name, or the uid in decimal when it has no name. @since 0.1 */
LB_EXPORT const char *lb_owner_user(const lb_owner *o);
/**
 * lb_owner_start_time - when the process started, in milliseconds since the Unix epoch
 *
 * Together with the pid this identifies a process even after its pid is
 * reused: compare both before acting on a pid. 0 if unknown.
 * @since 0.1
 */
LB_EXPORT uint64_t lb_owner_start_time(const lb_owner *o);
/**
 * lb_owner_error - whether some details of the owner could not be read
 *
 * Returns 0, or LB_EPERM when the command line or executable path was
 * hidden by permissions (those accessors then return NULL).
 * @since 0.1
 */
LB_EXPORT int lb_owner_error(const lb_owner *o);

#ifdef __cplusplus
}
#endif

#endif /* LOOPBACK_SOCKET_H */
