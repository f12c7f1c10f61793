/* SPDX-License-Identifier: MIT */
/* FreeBSD pcb records (pcblist-parse.c) as socket records: pure. */
#include <string.h>

#include "core/internal.h"
#include "sockets/backend.h"
#include "os/freebsd/sysctl.h"

int lb__fbsd_tcp_state(int tcps)
{
	/* netinet/tcp_fsm.h */
	static const int map[] = {
		LB_STATE_CLOSE,       /* TCPS_CLOSED */
		LB_STATE_LISTEN,      /* TCPS_LISTEN */
		LB_STATE_SYN_SENT,    /* TCPS_SYN_SENT */
		LB_STATE_SYN_RECV,    /* TCPS_SYN_RECEIVED */
		LB_STATE_ESTABLISHED, /* TCPS_ESTABLISHED */
		LB_STATE_CLOSE_WAIT,  /* TCPS_CLOSE_WAIT */
		LB_STATE_FIN_WAIT1,   /* TCPS_FIN_WAIT_1 */
		LB_STATE_CLOSING,     /* TCPS_CLOSING */
		LB_STATE_LAST_ACK,    /* TCPS_LAST_ACK */
		LB_STATE_FIN_WAIT2,   /* TCPS_FIN_WAIT_2 */
		LB_STATE_TIME_WAIT,   /* TCPS_TIME_WAIT */
	};

	return tcps >= 0 && (size_t)tcps < LB_ARRAY_SIZE(map) ? map[tcps] : -1;
}

int lb__fbsd_to_socket(const struct lb__fbsd_pcb *p, struct lb_socket *ret)
{
	struct lb_socket s;
	size_t alen = p->family == LB_AF_INET ? 4 : 16;

	memset(&s, 0, sizeof(s));
	if (p->ipproto == LB_FBSD_IPPROTO_TCP) {
		s.protocol = LB_PROTO_TCP;
		s.state = lb__fbsd_tcp_state(p->tcp_state);
		if (s.state < 0)
			return LB_EBADDATA;
	} else {
		s.protocol = LB_PROTO_UDP;
		s.state = p->fport ? LB_STATE_ESTABLISHED : LB_STATE_CLOSE;
	}
	s.family = p->family;
	s.local.family = s.remote.family = p->family;
	memcpy(s.local.bytes, p->laddr, alen);
	memcpy(s.remote.bytes, p->faddr, alen);
	s.local_port = p->lport;
	s.remote_port = p->fport;
	s.uid = p->uid;
	s.rx_queue = p->rx_queue;
	s.tx_queue = p->tx_queue;
	s.v6only = p->v6only;
	s.inode = p->so; /* the socket's kernel handle: joins it to kern.file */
	*ret = s;
	return 0;
}
