/* SPDX-License-Identifier: MIT */
/* Pure conversion of iphlpapi owner-PID tables into records; see iphlpapi.h. */
#ifdef _WIN32
#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <iphlpapi.h>

#include "core/internal.h"
#include "os/windows/iphlpapi.h"

int lb__win_tcp_state(unsigned long mib_state)
{
	switch (mib_state) {
	case MIB_TCP_STATE_CLOSED: return LB_STATE_CLOSE;
	case MIB_TCP_STATE_LISTEN: return LB_STATE_LISTEN;
	case MIB_TCP_STATE_SYN_SENT: return LB_STATE_SYN_SENT;
	case MIB_TCP_STATE_SYN_RCVD: return LB_STATE_SYN_RECV;
	case MIB_TCP_STATE_ESTAB: return LB_STATE_ESTABLISHED;
	case MIB_TCP_STATE_FIN_WAIT1: return LB_STATE_FIN_WAIT1;
	case MIB_TCP_STATE_FIN_WAIT2: return LB_STATE_FIN_WAIT2;
	case MIB_TCP_STATE_CLOSE_WAIT: return LB_STATE_CLOSE_WAIT;
	case MIB_TCP_STATE_CLOSING: return LB_STATE_CLOSING;
	case MIB_TCP_STATE_LAST_ACK: return LB_STATE_LAST_ACK;
	case MIB_TCP_STATE_TIME_WAIT: return LB_STATE_TIME_WAIT;
	case MIB_TCP_STATE_DELETE_TCB: return LB_STATE_CLOSE;
	default: return -1;
	}
}

/* Where the rows start and how big each is. */
static void layout(int which, size_t *ret_off, size_t *ret_row)
{
	switch (which) {
	case LB_WIN_TCP4:
		*ret_off = offsetof(MIB_TCPTABLE_OWNER_PID, table);
		*ret_row = sizeof(MIB_TCPROW_OWNER_PID);
		break;
	case LB_WIN_TCP6:
		*ret_off = offsetof(MIB_TCP6TABLE_OWNER_PID, table);
		*ret_row = sizeof(MIB_TCP6ROW_OWNER_PID);
		break;
	case LB_WIN_UDP4:
		*ret_off = offsetof(MIB_UDPTABLE_OWNER_PID, table);
		*ret_row = sizeof(MIB_UDPROW_OWNER_PID);
		break;
	default:
		*ret_off = offsetof(MIB_UDP6TABLE_OWNER_PID, table);
		*ret_row = sizeof(MIB_UDP6ROW_OWNER_PID);
		break;
	}
}

int lb__win_table_rows(int which, const void *buf, size_t size, size_t *ret_n)
{
	size_t off, row;
	DWORD n;

	lb_return_if(!buf || !ret_n || which < 0 || which >= LB_WIN_TABLES, LB_EINVAL);
	layout(which, &off, &row);
	if (size < sizeof(DWORD))
		return LB_EBADDATA;
	memcpy(&n, buf, sizeof(n)); /* dwNumEntries, first in every table */
	if (n > (size - off) / row || size < off)
		return LB_EBADDATA;
	*ret_n = n;
	return 0;
}

static uint16_t port_of(DWORD net)
{
	return ntohs((u_short)(net & 0xffff)); /* the port is the low 16 bits, network order */
}

/* The scope id matters only for link-local addresses (wine reports 4096
 * for ::1). */
static void addr6(lb_addr *a, const UCHAR bytes[16], DWORD scope)
{
	a->family = LB_AF_INET6;
	memcpy(a->bytes, bytes, 16);
	if (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80)
		a->scope_id = scope;
}

static void addr4(lb_addr *a, DWORD net)
{
	a->family = LB_AF_INET;
	memcpy(a->bytes, &net, 4); /* already in network order */
}

int lb__win_table_row(int which, const void *buf, size_t i, struct lb_socket *ret,
		      uint32_t *ret_pid)
{
	struct lb_socket s;
	size_t off, row;
	const unsigned char *p;
	uint32_t pid;

	lb_return_if(!buf || !ret || !ret_pid || which < 0 || which >= LB_WIN_TABLES, LB_EINVAL);
	layout(which, &off, &row);
	p = (const unsigned char *)buf + off + i * row;
	memset(&s, 0, sizeof(s));
	s.v6only = -1;
	switch (which) {
	case LB_WIN_TCP4: {
		MIB_TCPROW_OWNER_PID r;

		memcpy(&r, p, sizeof(r));
		s.protocol = LB_PROTO_TCP;
		s.family = LB_AF_INET;
		s.state = lb__win_tcp_state(r.dwState);
		addr4(&s.local, r.dwLocalAddr);
		s.local_port = port_of(r.dwLocalPort);
		addr4(&s.remote, r.dwRemoteAddr);
		s.remote_port = port_of(r.dwRemotePort);
		pid = r.dwOwningPid;
		break;
	}
	case LB_WIN_TCP6: {
		MIB_TCP6ROW_OWNER_PID r;

		memcpy(&r, p, sizeof(r));
		s.protocol = LB_PROTO_TCP;
		s.family = LB_AF_INET6;
		s.state = lb__win_tcp_state(r.dwState);
		addr6(&s.local, r.ucLocalAddr, r.dwLocalScopeId);
		s.local_port = port_of(r.dwLocalPort);
		addr6(&s.remote, r.ucRemoteAddr, r.dwRemoteScopeId);
		s.remote_port = port_of(r.dwRemotePort);
		pid = r.dwOwningPid;
		break;
	}
	case LB_WIN_UDP4: {
		MIB_UDPROW_OWNER_PID r;

		memcpy(&r, p, sizeof(r));
		s.protocol = LB_PROTO_UDP;
		s.family = LB_AF_INET;
		s.state = LB_STATE_CLOSE; /* the table has no remote end */
		addr4(&s.local, r.dwLocalAddr);
		s.local_port = port_of(r.dwLocalPort);
		s.remote.family = LB_AF_INET;
		pid = r.dwOwningPid;
		break;
	}
	default: {
		MIB_UDP6ROW_OWNER_PID r;

		memcpy(&r, p, sizeof(r));
		s.protocol = LB_PROTO_UDP;
		s.family = LB_AF_INET6;
		s.state = LB_STATE_CLOSE;
		addr6(&s.local, r.ucLocalAddr, r.dwLocalScopeId);
		s.local_port = port_of(r.dwLocalPort);
		s.remote.family = LB_AF_INET6;
		pid = r.dwOwningPid;
		break;
	}
	}
	if (s.state < 0)
		return LB_EBADDATA;
	*ret = s;
	*ret_pid = pid;
	return 0;
}

int lb__win_same_socket(const struct lb_socket *a, const struct lb_socket *b)
{
	return a->protocol == b->protocol && a->family == b->family &&
	       a->local_port == b->local_port && a->remote_port == b->remote_port &&
	       memcmp(a->local.bytes, b->local.bytes, 16) == 0 &&
	       memcmp(a->remote.bytes, b->remote.bytes, 16) == 0;
}
#endif /* _WIN32 */
