/* SPDX-License-Identifier: MIT */
/*
 * FreeBSD socket table: the byte layouts of net.inet.tcp.pcblist,
 * net.inet.udp.pcblist and kern.file, and their pure parsers.
 *
 * FreeBSD headers are not available where this is built and tested
 * (Linux), so the structures are spelled out here with fixed-width types
 * for FreeBSD 14 on LP64 (amd64, arm64), and pinned with _Static_assert
 * on every size and every offset that is read. The parser refuses a
 * record whose length field differs from the size here (another FreeBSD
 * version): wrong data is worse than none.
 */
#ifndef LB_SYSCTL_FREEBSD_H
#define LB_SYSCTL_FREEBSD_H

#include <stddef.h>
#include <stdint.h>

/* sys/socketvar.h: struct xsockbuf (36 bytes with padding). */
struct lb__fbsd_xsockbuf {
	uint32_t sb_cc;
	uint32_t sb_hiwat;
	uint32_t sb_mbcnt;
	uint32_t sb_spare0;
	uint32_t sb_spare1;
	uint32_t sb_mbmax;
	int32_t sb_lowat;
	int32_t sb_timeo;
	int16_t sb_flags;
};

/* sys/socketvar.h: struct xsocket (240 bytes). */
struct lb__fbsd_xsocket {
	uint64_t xso_len;
	uint64_t xso_so;          /* kernel address of the socket: the key to kern.file */
	uint64_t so_pcb;
	uint64_t so_oobmark;
	uint64_t so_splice_so;
	int64_t so_spare64[7];
	int32_t xso_protocol;
	int32_t xso_family;
	uint32_t so_qlen;
	uint32_t so_incqlen;
	uint32_t so_qlimit;
	int32_t so_pgid;
	uint32_t so_uid;
	int32_t so_spare32[8];
	int16_t so_type;
	int16_t so_options;
	int16_t so_linger;
	int16_t so_state;
	int16_t so_timeo;
	uint16_t so_error;
	struct lb__fbsd_xsockbuf so_rcv;
	struct lb__fbsd_xsockbuf so_snd;
};

/* netinet/in_pcb.h: struct in_endpoints inside struct in_conninfo.
 * Ports in network byte order; an IPv4 address is the last 4 bytes of
 * its 16 (struct in_addr_4in6). */
struct lb__fbsd_in_conninfo {
	uint8_t inc_flags;
	uint8_t inc_len;
	uint16_t inc_fibnum;
	uint16_t ie_fport;
	uint16_t ie_lport;
	uint8_t ie_faddr[16];
	uint8_t ie_laddr[16];
	uint32_t ie6_zoneid;
};

/* netinet/in_pcb.h: struct xinpcb (400 bytes). */
struct lb__fbsd_xinpcb {
	uint64_t xi_len;
	struct lb__fbsd_xsocket xi_socket;
	struct lb__fbsd_in_conninfo inp_inc;
	uint64_t inp_gencnt;
	uint64_t inp_ppcb;
	int64_t inp_spare64[4];
	uint32_t inp_flow;
	uint32_t inp_flowid;
	uint32_t inp_flowtype;
	int32_t inp_flags;
	int32_t inp_flags2;
	uint32_t inp_rss_listen_bucket;
	int32_t in6p_cksum;
	int32_t inp_spare32[4];
	uint16_t in6p_hops;
	uint8_t inp_ip_tos;
	int8_t pad8;
	uint8_t inp_vflag;
	uint8_t inp_ip_ttl;
	uint8_t inp_ip_p;
	uint8_t inp_ip_minttl;
	int8_t inp_spare8[4];
};

/* netinet/tcp_var.h: struct xtcpcb (744 bytes); only t_state is read. */
struct lb__fbsd_xtcpcb {
	uint64_t xt_len;
	struct lb__fbsd_xinpcb xt_inp;
	char xt_stack[32];
	char xt_logid[64];
	char xt_cc[16];
	int64_t spare64[6];
	int32_t t_state;
	uint8_t rest[172];
};

/* netinet/in_pcb.h: struct xinpgen (64 bytes), before and after the records. */
struct lb__fbsd_xinpgen {
	uint64_t xig_len;
	uint32_t xig_count;
	uint32_t xig_spare32;
	uint64_t xig_gen;
	uint64_t xig_sogen;
	uint64_t xig_spare64[4];
};

/* sys/file.h: struct xfile (128 bytes), the records of kern.file. */
struct lb__fbsd_xfile {
	uint64_t xf_size;
	int32_t xf_pid;
	uint32_t xf_uid;
	int32_t xf_fd;
	int32_t xf_pad1;
	uint64_t xf_file;
	int16_t xf_type;
	int16_t xf_pad2;
	int32_t xf_count;
	int32_t xf_msgcount;
	int32_t xf_pad3;
	int64_t xf_offset;
	uint64_t xf_data;         /* for a socket: the xso_so of its pcb */
	uint64_t xf_vnode;
	uint32_t xf_flag;
	int32_t xf_pad4;
	int64_t xf_pad64[6];
};

/* sys/user.h: struct kinfo_proc (KINFO_PROC_SIZE 1088 on amd64 and arm64),
 * the answer of kern.proc.pid.PID. Spelled out up to ki_comm, the last
 * field read; the rest is opaque. Field order and types: the Rust libc
 * crate 0.2.139 (Debian librust-libc-dev, src/unix/bsd/freebsdlike/freebsd/
 * freebsd14/mod.rs, struct kinfo_proc; freebsd/mod.rs for COMMLEN 19,
 * TDNAMLEN 16, WMESGLEN 8, LOGNAMELEN 17, LOCKNAMELEN 8, KI_NGROUPS 16), at
 * LP64 sizes (pointers, long, vm_size_t, segsz_t, time_t: 8 bytes). The
 * offsets read were checked against a second, independent source:
 * gopsutil's process_freebsd_amd64.go (cgo -godefs on a FreeBSD amd64
 * host: sizeOfKinfoProc 0x440 = 1088, the same fields up to ki_comm), and
 * tests/layout/test-kinfo-proc-rust.sh recomputes the size and every
 * offset asserted in proc-parse.c from the Rust crate. */
struct lb__fbsd_kinfo_proc {
	int32_t ki_structsize;    /* checked first: 1088 or the record is refused */
	int32_t ki_layout;
	uint64_t ki_args, ki_paddr, ki_addr, ki_tracep, ki_textvp, ki_fd, ki_vmspace;
	uint64_t ki_wchan;
	int32_t ki_pid;
	int32_t ki_ppid;
	int32_t ki_pgid, ki_tpgid, ki_sid, ki_tsid;
	int16_t ki_jobc, ki_spare_short1;
	uint32_t ki_tdev_freebsd11;
	uint32_t ki_siglist[4], ki_sigmask[4], ki_sigignore[4], ki_sigcatch[4]; /* sigset_t */
	uint32_t ki_uid;          /* effective */
	uint32_t ki_ruid;         /* real */
	uint32_t ki_svuid, ki_rgid, ki_svgid;
	int16_t ki_ngroups, ki_spare_short2;
	uint32_t ki_groups[16];
	uint64_t ki_size;
	int64_t ki_rssize, ki_swrss, ki_tsize, ki_dsize, ki_ssize;
	uint16_t ki_xstat, ki_acflag;
	uint32_t ki_pctcpu, ki_estcpu, ki_slptime, ki_swtime, ki_cow;
	uint64_t ki_runtime;
	int64_t ki_start_sec;     /* struct timeval ki_start: wall-clock start */
	int64_t ki_start_usec;
	int64_t ki_childtime[2];
	int64_t ki_flag, ki_kiflag;
	int32_t ki_traceflag;
	char ki_stat, ki_nice, ki_lock, ki_rqindex;
	uint8_t ki_oncpu_old, ki_lastcpu_old;
	char ki_tdname[17], ki_wmesg[9], ki_login[18], ki_lockname[9];
	char ki_comm[20];         /* COMMLEN + 1, NUL-terminated */
	uint8_t rest[621];
};
#define LB_FBSD_KINFO_PROC_SIZE 1088

/* One process, from a kinfo_proc. */
struct lb__fbsd_proc {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;             /* ki_uid, effective */
	uint32_t ruid;
	uint64_t start_time;      /* ms since the epoch */
	char comm[20];            /* NUL-terminated */
};

/* Parse the bytes of kern.proc.pid.@pid (one struct kinfo_proc) into *@ret.
 * Returns 0, LB_EINVAL, or LB_EBADDATA when ki_structsize is not 1088 (another
 * FreeBSD version or architecture), the bytes are not exactly one record,
 * ki_pid is not @pid, a pid or time is out of range, or ki_comm is not
 * terminated. */
int lb__fbsd_kinfo_proc_parse(const void *buf, size_t len, uint32_t pid,
			      struct lb__fbsd_proc *ret);

/* kern.proc.args.PID (the arguments, each NUL-terminated) as one malloc'd
 * string with spaces, in *@ret_cmdline. 0, LB_ENOENT for no arguments (a
 * kernel process, a zombie), LB_EBADDATA when the last byte is not NUL,
 * LB_ENOMEM. */
int lb__fbsd_args_parse(const void *buf, size_t len, char **ret_cmdline);

/* kern.proc.pathname.PID (one NUL-terminated path) as a malloc'd string in
 * *@ret_path. 0, LB_ENOENT for an empty path, LB_EBADDATA when it is not
 * exactly one NUL-terminated string, LB_ENOMEM. */
int lb__fbsd_pathname_parse(const void *buf, size_t len, char **ret_path);

/* sys/sysctl.h: the MIB of kern.proc.{pid,args,pathname}.PID (Rust libc
 * freebsd/mod.rs; the same in gopsutil's cgo output). */
#define LB_FBSD_CTL_KERN 1
#define LB_FBSD_KERN_PROC 14
#define LB_FBSD_KERN_PROC_PID 1
#define LB_FBSD_KERN_PROC_ARGS 7
#define LB_FBSD_KERN_PROC_PATHNAME 12

/* Constants of FreeBSD's headers that the parser needs. */
#define LB_FBSD_INP_IPV4 0x1           /* inp_vflag */
#define LB_FBSD_INP_IPV6 0x2
#define LB_FBSD_IN6P_IPV6_V6ONLY 0x8000 /* inp_flags */
#define LB_FBSD_DTYPE_SOCKET 2         /* xf_type */
#define LB_FBSD_IPPROTO_TCP 6
#define LB_FBSD_IPPROTO_UDP 17
#define LB_FBSD_TCPS_TIME_WAIT 10      /* the last TCPS_* */

/* One socket of a pcblist, in host byte order. */
struct lb__fbsd_pcb {
	int ipproto;              /* LB_FBSD_IPPROTO_TCP / _UDP */
	int family;               /* LB_AF_INET / LB_AF_INET6 */
	int tcp_state;            /* FreeBSD's TCPS_* (0..10); -1 for UDP */
	uint8_t laddr[16];        /* IPv4: the first 4 bytes */
	uint8_t faddr[16];
	uint16_t lport;
	uint16_t fport;
	uint64_t so;              /* xso_so */
	uint32_t uid;
	uint32_t rx_queue;        /* listeners: accept queue length */
	uint32_t tx_queue;        /* listeners: accept queue limit */
	int v6only;               /* 1 or 0 (IPv4: 0) */
};

struct lb__fbsd_pcblist {
	struct lb__fbsd_pcb *v;
	size_t n;
	/* 1 when the head's and the tail's generation counts differ: the
	 * table changed while the kernel copied it; ask again. */
	int gen_changed;
};

/* One socket descriptor of kern.file. */
struct lb__fbsd_file {
	uint64_t data;            /* xf_data */
	uint32_t pid;
	uint32_t uid;
	int32_t fd;
};

struct lb__fbsd_filelist {
	struct lb__fbsd_file *v;  /* socket descriptors only, sorted by data then pid, fd */
	size_t n;
};

/* Shared with macOS (libproc-pcblist.c), whose pcblist64 has the same
 * framing and the same TCPS_* and INP_* numbers in other layouts. */

/* What one record of a pcblist says, read out of its layout. */
struct lb__bsd_pcb_raw {
	uint8_t vflag;            /* inp_vflag: LB_FBSD_INP_IPV4 / _IPV6 */
	int32_t inp_flags;
	uint8_t laddr[16];        /* IPv4: the last 4 bytes */
	uint8_t faddr[16];
	uint16_t lport_net;       /* network byte order */
	uint16_t fport_net;
	uint64_t so;
	uint32_t uid;
	int32_t t_state;          /* TCP: TCPS_*; UDP: unused */
	uint32_t qlen, qlimit;    /* listen queue */
	uint32_t rcv_cc, snd_cc;  /* bytes in the socket buffers */
};

/* @x as a record (for @ipproto): 0, or LB_EBADDATA for a family or TCP
 * state that does not fit. */
int lb__bsd_pcb_convert(const struct lb__bsd_pcb_raw *x, int ipproto, struct lb__fbsd_pcb *ret);

/* A pcblist's framing: an xinpgen head, records of one size, an xinpgen
 * tail (or the head alone, counting 0, for an empty table). */
struct lb__bsd_pcblist_layout {
	size_t gen_size;          /* struct xinpgen */
	size_t rec_size[2];       /* a TCP record, a UDP record */
	/* Check an xinpgen: 0 with its generation and count, or LB_EBADDATA. */
	int (*gen)(const uint8_t *b, uint64_t *ret_gen, uint32_t *ret_count);
	/* Read one record (rec_size bytes): 0 or LB_EBADDATA. */
	int (*record)(const uint8_t *b, int ipproto, struct lb__bsd_pcb_raw *ret);
};

/* Parse a pcblist of layout @lay; as lb__fbsd_pcblist_parse. */
int lb__bsd_pcblist_parse(const struct lb__bsd_pcblist_layout *lay, const void *buf, size_t len,
			  int ipproto, struct lb__fbsd_pcblist *ret);

/* Parse the bytes of net.inet.tcp.pcblist (@ipproto LB_FBSD_IPPROTO_TCP)
 * or net.inet.udp.pcblist (LB_FBSD_IPPROTO_UDP) into @ret (its .v is malloc'ed:
 * free with lb__fbsd_pcblist_clear). Returns 0, LB_EINVAL, LB_ENOMEM, or
 * LB_EBADDATA for any length, record size or state that does not fit. */
int lb__fbsd_pcblist_parse(const void *buf, size_t len, int ipproto,
			   struct lb__fbsd_pcblist *ret);
void lb__fbsd_pcblist_clear(struct lb__fbsd_pcblist *l);

/* Parse the bytes of kern.file, keeping socket descriptors. Returns 0,
 * LB_EINVAL, LB_ENOMEM or LB_EBADDATA. */
int lb__fbsd_filelist_parse(const void *buf, size_t len, struct lb__fbsd_filelist *ret);
void lb__fbsd_filelist_clear(struct lb__fbsd_filelist *l);

/* The descriptors of the socket whose xso_so is @so (as sockstat maps
 * them): sets *ret_first to the first and returns how many (0: none). */
size_t lb__fbsd_files_of(const struct lb__fbsd_filelist *l, uint64_t so, size_t *ret_first);

#ifdef LB_BACKEND_H
/* A pcb as a socket record (sysctl-freebsd-socket.c): 0, or LB_EBADDATA
 * for a TCP state out of range. .inode is the socket's xso_so. */
int lb__fbsd_to_socket(const struct lb__fbsd_pcb *p, struct lb_socket *ret);
/* A TCPS_* state as an LB_STATE_*, or -1. */
int lb__fbsd_tcp_state(int tcps);
#endif

#ifdef __FreeBSD__
/* The kernel glue (sysctl.c): read and parse one table, with the
 * generation-count retry. Same returns as the parsers, plus LB_ENOTSUP
 * (no such sysctl), LB_EPERM and LB_EIO from sysctl. */
int lb__fbsd_read_pcblist(int ipproto, struct lb__fbsd_pcblist *ret);
int lb__fbsd_read_files(struct lb__fbsd_filelist *ret);
#ifdef LB_BACKEND_H
/* A new owner for @pid from kern.proc.{pid,args,pathname}
 * (proc.c) in *@ret. A process we may not see (or gone
 * meanwhile) is an owner marked LB_EPERM. 0, LB_ENOMEM, or LB_EBADDATA
 * for kernel data that does not fit the parsers. */
int lb__fbsd_owner_new(uint32_t pid, struct lb_owner **ret);
/* net.inet.*.pcblist + kern.file (lib/os/freebsd/sysctl.c). */
extern const struct lb__backend lb__backend_sysctl;
#endif
/* The parent of @pid: 0, or LB_ENOENT when it is gone or hidden. */
int lb__fbsd_ppid(uint32_t pid, uint32_t *ret_ppid);
#endif

#endif /* LB_SYSCTL_FREEBSD_H */
