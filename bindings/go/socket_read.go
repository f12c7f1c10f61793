// SPDX-License-Identifier: MIT

package loopback

/*
#include <stdlib.h>
#include <loopback.h>

// One socket's fields, read by lbgo_list_read() for the Go side in one cgo
// call per list instead of about twelve per socket. The address pointers
// point into the list. A helper of this package only: not an export of
// the library, whose ABI stays the accessor functions.
typedef struct lbgo_socket {
	const lb_addr *local;
	const lb_addr *remote;
	uint64_t inode;
	uint64_t netns;
	uint32_t uid;
	uint32_t rx_queue;
	uint32_t tx_queue;
	int protocol;
	int family;
	int state;
	int v6only;
	int owner_error;
	uint16_t local_port;
	uint16_t remote_port;
	size_t n_owners;
} lbgo_socket;

// The number of owners of the first n sockets of l.
static size_t lbgo_list_owners(const lb_socket_list *l, size_t n)
{
	size_t i, total = 0;

	for (i = 0; i < n; i++)
		total += lb_socket_owner_count(lb_socket_list_at(l, i));
	return total;
}

// Reads the first n sockets of l into out[0..n-1] and their owners, socket
// after socket, into owners[0..max_owners-1]; a socket's n_owners counts
// those stored.
static void lbgo_list_read(const lb_socket_list *l, size_t n, lbgo_socket *out,
			   const lb_owner **owners, size_t max_owners)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		const lb_socket *s = lb_socket_list_at(l, i);
		lbgo_socket *o = &out[i];
		size_t no = lb_socket_owner_count(s);

		o->protocol = lb_socket_protocol(s);
		o->family = lb_socket_family(s);
		o->state = lb_socket_state(s);
		o->local = lb_socket_local_addr(s);
		o->local_port = lb_socket_local_port(s);
		o->remote = lb_socket_remote_addr(s);
		o->remote_port = lb_socket_remote_port(s);
		o->uid = lb_socket_uid(s);
		o->inode = lb_socket_inode(s);
		o->rx_queue = lb_socket_rx_queue(s);
		o->tx_queue = lb_socket_tx_queue(s);
		o->v6only = lb_socket_v6only(s);
		o->netns = lb_socket_netns(s);
		o->owner_error = lb_socket_owner_error(s);
		for (j = 0; j < no && k < max_owners; j++)
			owners[k++] = lb_socket_owner_at(s, j);
		o->n_owners = j;
	}
}
*/
import "C"

import "unsafe"

// socketsFromList reads the first n sockets of a list as Go values: two
// cgo calls for the whole list, then each distinct owner once (the
// owners of a list are shared records, so the pointer is the key).
func socketsFromList(list *C.lb_socket_list, n int) []Socket {
	out := make([]Socket, n)
	if n == 0 {
		return out
	}
	// C memory (cgo's C.malloc never returns NULL): nothing for the
	// garbage collector to zero or scan, and C may store pointers in it.
	recs := (*C.lbgo_socket)(C.malloc(C.size_t(n) * C.size_t(unsafe.Sizeof(C.lbgo_socket{}))))
	defer C.free(unsafe.Pointer(recs))
	total := int(C.lbgo_list_owners(list, C.size_t(n)))
	var owners **C.lb_owner
	if total > 0 {
		owners = (**C.lb_owner)(C.malloc(C.size_t(total) * C.size_t(unsafe.Sizeof(owners))))
		defer C.free(unsafe.Pointer(owners))
	}
	C.lbgo_list_read(list, C.size_t(n), recs, owners, C.size_t(total))

	rs := unsafe.Slice(recs, n)
	var ops []*C.lb_owner
	var backing []Owner
	if total > 0 {
		ops = unsafe.Slice(owners, total)
		backing = make([]Owner, total)
	}
	seen := make(map[*C.lb_owner]int) // owner -> its first index in backing
	states := stateNames{}
	k := 0
	for i := range rs {
		r := &rs[i]
		s := &out[i]
		s.Protocol = Protocol(r.protocol)
		s.Family = Family(r.family)
		s.State = State(r.state)
		s.StateName = states.name(s.Protocol, s.State)
		s.Local = addrPortFromC(r.local, r.local_port)
		if r.remote_port != 0 {
			s.Remote = addrPortFromC(r.remote, r.remote_port)
		}
		s.UID = uint32(r.uid)
		s.Inode = uint64(r.inode)
		s.RxQueue = uint32(r.rx_queue)
		s.TxQueue = uint32(r.tx_queue)
		s.V6Only = int(r.v6only)
		s.Netns = uint64(r.netns)
		s.OwnerErr = check("lb_socket_owner_error", C.int(r.owner_error))
		no := int(r.n_owners)
		if no == 0 {
			continue
		}
		for j, o := range ops[k : k+no] {
			if at, ok := seen[o]; ok {
				backing[k+j] = backing[at]
			} else {
				backing[k+j] = ownerFromC(o)
				seen[o] = k + j
			}
		}
		s.Owners = backing[k : k+no : k+no] // full: an append copies
		k += no
	}
	return out
}
