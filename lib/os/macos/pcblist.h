/* SPDX-License-Identifier: MIT */
/*
 * macOS socket tables for every user: net.inet.tcp.pcblist64 and
 * net.inet.udp.pcblist64, public sysctls that list every TCP and UDP
 * socket whoever holds it (netstat reads them), while libproc shows only
 * the caller's own processes. Their byte layouts and pure parsers, built
 * and tested on any OS (tests/os/macos/test-pcblist.c); the glue that asks
 * the kernel is in libproc.c.
 *
 * The structures are those of the macOS SDK (netinet/in_pcb.h, sys/
 * socketvar.h, netinet/tcp_var.h), all inside #pragma pack(4), spelled out
 * with fixed-width types for LP64 (x86_64, arm64) and pinned with
 * _Static_assert on every size and every offset read. Sources:
 *  1. xnu (apple-oss-distributions/xnu, commit 1031c584): the field order
 *     of struct xinpgen, xinpcb64, xsocket64, xsockbuf and xtcpcb64, the
 *     offsets computed at pack(4); tcp_pcblist64 (bsd/netinet/tcp_subr.c)
 *     writes head, one xtcpcb64 per socket, tail, and only the head when
 *     there is no socket.
 *  2. golang/sys unix/ztypes_darwin_arm64.go (cgo -godefs on macOS):
 *     XSocket64 and XSockbuf, the same fields and offsets (xso_so at 4 and
 *     so_pcb at 20 show as unaligned `_ [8]byte`), 108 and 24 bytes.
 *  3. Two unrelated user-space mirrors of xtcpcb64 found by code search,
 *     both quoting offsetof on macOS 26 and 27 SDK headers checked against
 *     live dumps: xinpgen 24, xtcpcb64 472, inp_fport 20, inp_lport 22,
 *     inp_flags 88, inp_vflag 96, faddr 100, laddr 116, so_uid 252,
 *     t_state 292; xsocket64 108, xinpcb64 260 with xi_socket at 144, and
 *     xinpcb64.xi_len left 0 by the TCP sysctl.
 * Every record's length fields are checked against these sizes: a macOS
 * that changes a layout gets LB_EBADDATA, not misread fields.
 */
#ifndef LB_BACKEND_LIBPROC_PCBLIST_H
#define LB_BACKEND_LIBPROC_PCBLIST_H

#include <stddef.h>
#include <stdint.h>

#include "os/freebsd/sysctl.h" /* struct lb__fbsd_pcb(list): BSD pcb records */

#define LB_DARWIN_XINPGEN_SIZE 24
#define LB_DARWIN_XSOCKET64_SIZE 108
#define LB_DARWIN_XINPCB64_SIZE 260
#define LB_DARWIN_XTCPCB64_SIZE 472

/* Offsets inside struct xinpcb64 (the record of the UDP table, and at
 * LB_DARWIN_XT_INPCB inside an xtcpcb64). */
#define LB_DARWIN_XI_LEN 0             /* u_int64_t */
#define LB_DARWIN_INP_FPORT 16         /* u_short, network order */
#define LB_DARWIN_INP_LPORT 18
#define LB_DARWIN_INP_FLAGS 84         /* int */
#define LB_DARWIN_INP_VFLAG 92         /* u_char */
#define LB_DARWIN_INP_FADDR 96         /* 16 bytes; IPv4 in the last 4 */
#define LB_DARWIN_INP_LADDR 112
#define LB_DARWIN_XI_SOCKET 144        /* struct xsocket64 */
/* Offsets inside struct xsocket64. */
#define LB_DARWIN_XSO_LEN 0            /* u_int32_t */
#define LB_DARWIN_XSO_SO 4             /* u_int64_t, unaligned */
#define LB_DARWIN_SO_QLEN 36           /* short */
#define LB_DARWIN_SO_QLIMIT 40         /* short */
#define LB_DARWIN_SO_RCV_CC 56         /* so_rcv.sb_cc, u_int32_t */
#define LB_DARWIN_SO_SND_CC 80         /* so_snd.sb_cc */
#define LB_DARWIN_SO_UID 104           /* uid_t */
/* Offsets inside struct xtcpcb64. */
#define LB_DARWIN_XT_LEN 0             /* u_int32_t */
#define LB_DARWIN_XT_INPCB 4           /* struct xinpcb64 */
#define LB_DARWIN_T_STATE 292          /* int, TCPS_* */
/* Offsets inside struct xinpgen. */
#define LB_DARWIN_XIG_LEN 0            /* u_int32_t */
#define LB_DARWIN_XIG_COUNT 4          /* u_int */
#define LB_DARWIN_XIG_GEN 8            /* u_int64_t */

/* Parse the bytes of net.inet.tcp.pcblist64 (@ipproto LB_FBSD_IPPROTO_TCP)
 * or net.inet.udp.pcblist64 (LB_FBSD_IPPROTO_UDP) into @ret (free with
 * lb__fbsd_pcblist_clear). The records are BSD pcbs like FreeBSD's: macOS
 * has the same TCPS_* states and INP_* flags. .so is the socket's xso_so.
 * Returns 0, LB_EINVAL, LB_ENOMEM, or LB_EBADDATA for any length, record
 * size or state that does not fit. */
int lb__darwin_pcblist_parse(const void *buf, size_t len, int ipproto,
			     struct lb__fbsd_pcblist *ret);

#ifdef LB_BACKEND_H
/* Which records of @l libproc did not show: @ret_unseen[i] (n = l->n) is
 * set to 1 for each pcb that has no twin among the @n_seen sockets @seen
 * (same protocol, family, local and remote address and port; each seen
 * socket is the twin of one pcb at most), else 0. xso_so cannot join
 * them: recent xnu obfuscates it (VM_KERNEL_ADDRPERM in sotoxsocket64)
 * differently from libproc's soi_so (VM_KERNEL_ADDRHASH in
 * fill_common_sockinfo). 0, LB_EINVAL or LB_ENOMEM. */
int lb__darwin_mark_unseen(const struct lb__fbsd_pcblist *l, const struct lb_socket *seen,
			   size_t n_seen, char *ret_unseen);

/* A pcb that libproc did not show as a socket record: no handle to join
 * owners on (.inode 0), and owner-unknown (LB_EPERM) unless no process
 * can hold it (TIME_WAIT) or @no_mark (the caller sees every process, as
 * root, or did not ask for owners). 0, or LB_EBADDATA as
 * lb__fbsd_to_socket. */
int lb__darwin_unseen_socket(const struct lb__fbsd_pcb *p, int no_mark, struct lb_socket *ret);
#endif

#endif
