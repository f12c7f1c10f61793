/* SPDX-License-Identifier: MIT */
/* Pure conversion of libproc socket_info into records; see libproc.h. */
#ifdef __APPLE__
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "core/internal.h"
#include "os/macos/libproc.h"
#include "os/freebsd/sysctl.h"

/* IN6P_IPV6_V6ONLY of netinet/in_pcb.h (not in the SDK): insi_flags is the
 * pcb's inp_flags. */
#define LB_DARWIN_IN6P_IPV6_V6ONLY 0x00008000

_Static_assert(sizeof(struct socket_fdinfo) == 792, "struct socket_fdinfo is 792 bytes");
/* pcblist.c reads TCP states and INP_* flags of pcblist64 with the
 * FreeBSD numbers (sysctl.h); the SDK's copies of them say macOS
 * has the same. */
_Static_assert(TSI_S_CLOSED == 0 && TSI_S_LISTEN == 1 && TSI_S_SYN_SENT == 2 &&
		       TSI_S_SYN_RECEIVED == 3 && TSI_S_ESTABLISHED == 4 && TSI_S__CLOSE_WAIT == 5 &&
		       TSI_S_FIN_WAIT_1 == 6 && TSI_S_CLOSING == 7 && TSI_S_LAST_ACK == 8 &&
		       TSI_S_FIN_WAIT_2 == 9 && TSI_S_TIME_WAIT == LB_FBSD_TCPS_TIME_WAIT,
	       "TCPS_* numbers");
_Static_assert(INI_IPV4 == LB_FBSD_INP_IPV4 && INI_IPV6 == LB_FBSD_INP_IPV6, "INP_IPV4/6");

/* TSI_S_* are TCPS_* (asserted above): FreeBSD's table serves both. */
int lb__libproc_tcp_state(int tsi_state)
{
	return lb__fbsd_tcp_state(tsi_state);
}

static uint16_t port_of(int net)
{
	return ntohs((uint16_t)net); /* an int holding the port in network order */
}

int lb__libproc_socket(const struct socket_info *si, struct lb_socket *ret)
{
	const struct in_sockinfo *in;
	struct lb_socket s;

	lb_return_if(!si || !ret, LB_EINVAL);
	if (si->soi_family != AF_INET && si->soi_family != AF_INET6)
		return 0;
	memset(&s, 0, sizeof(s));
	if (si->soi_kind == SOCKINFO_TCP && si->soi_protocol == IPPROTO_TCP) {
		in = &si->soi_proto.pri_tcp.tcpsi_ini;
		s.protocol = LB_PROTO_TCP;
		s.state = lb__libproc_tcp_state(si->soi_proto.pri_tcp.tcpsi_state);
		if (s.state < 0)
			return LB_EBADDATA;
	} else if (si->soi_kind == SOCKINFO_IN && si->soi_protocol == IPPROTO_UDP) {
		in = &si->soi_proto.pri_in;
		s.protocol = LB_PROTO_UDP;
		s.state = in->insi_fport ? LB_STATE_ESTABLISHED : LB_STATE_CLOSE;
	} else {
		return 0;
	}
	/* As lsof: INI_IPV4 first (a dual-stack socket connected to a mapped
	 * IPv4 address is IPv4 in the pcb), then INI_IPV6. */
	if (in->insi_vflag & INI_IPV4) {
		s.family = LB_AF_INET;
		s.local.family = s.remote.family = LB_AF_INET;
		memcpy(s.local.bytes, &in->insi_laddr.ina_46.i46a_addr4, 4);
		memcpy(s.remote.bytes, &in->insi_faddr.ina_46.i46a_addr4, 4);
		s.v6only = 0;
	} else if (in->insi_vflag & INI_IPV6) {
		s.family = LB_AF_INET6;
		s.local.family = s.remote.family = LB_AF_INET6;
		memcpy(s.local.bytes, &in->insi_laddr.ina_6, 16);
		memcpy(s.remote.bytes, &in->insi_faddr.ina_6, 16);
		s.v6only = (in->insi_flags & LB_DARWIN_IN6P_IPV6_V6ONLY) != 0;
		if (s.local.bytes[0] == 0xfe && (s.local.bytes[1] & 0xc0) == 0x80)
			s.local.scope_id = in->insi_v6.in6_ifindex; /* link-local */
	} else {
		return LB_EBADDATA;
	}
	s.local_port = port_of(in->insi_lport);
	s.remote_port = port_of(in->insi_fport);
	s.uid = si->soi_stat.vst_uid;
	s.inode = si->soi_so;
	if (s.state == LB_STATE_LISTEN) {
		s.rx_queue = (uint32_t)(si->soi_qlen > 0 ? si->soi_qlen : 0);
		s.tx_queue = (uint32_t)(si->soi_qlimit > 0 ? si->soi_qlimit : 0);
	} else {
		s.rx_queue = si->soi_rcv.sbi_cc;
		s.tx_queue = si->soi_snd.sbi_cc;
	}
	*ret = s;
	return 1;
}
#endif /* __APPLE__ */
