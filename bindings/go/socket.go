// SPDX-License-Identifier: MIT

package loopback

/*
#include <stdlib.h>
#include <loopback.h>
*/
import "C"

import (
	"net/netip"
	"time"
	"unsafe"
)

// State is a socket state, numbered as the Linux TCP state machine
// (LB_STATE_*). An unconnected UDP socket is StateClose, a connected one
// StateEstablished.
type State int

// Socket states.
const (
	StateEstablished State = C.LB_STATE_ESTABLISHED
	StateSynSent     State = C.LB_STATE_SYN_SENT
	StateSynRecv     State = C.LB_STATE_SYN_RECV
	StateFinWait1    State = C.LB_STATE_FIN_WAIT1
	StateFinWait2    State = C.LB_STATE_FIN_WAIT2
	StateTimeWait    State = C.LB_STATE_TIME_WAIT
	StateClose       State = C.LB_STATE_CLOSE
	StateCloseWait   State = C.LB_STATE_CLOSE_WAIT
	StateLastAck     State = C.LB_STATE_LAST_ACK
	StateListen      State = C.LB_STATE_LISTEN
	StateClosing     State = C.LB_STATE_CLOSING
)

// StateName returns the state's name as ss prints it (lb_state_name):
// "LISTEN", "ESTAB", "TIME-WAIT", "UNCONN" for an unconnected UDP socket.
func StateName(p Protocol, s State) string {
	if !inInt32(int(p)) || !inInt32(int(s)) {
		p, s = -1, -1 // what the library calls an unknown state
	}
	return goString(C.lb_state_name(C.int(p), C.int(s)))
}

// OwnerMode says how hard to look for the processes holding each socket.
// The zero value is the library's default.
type OwnerMode int

// Owner modes (LB_OWNERS_*).
const (
	// OwnersDefault: the first holder of each socket plus its relatives
	// holding the same socket; may miss sockets passed over SCM_RIGHTS.
	OwnersDefault OwnerMode = iota
	// OwnersNone: do not look for owners (fastest).
	OwnersNone
	// OwnersAll: every process holding each socket (scans everything).
	OwnersAll
)

func (m OwnerMode) c() C.int {
	switch m {
	case OwnersNone:
		return C.LB_OWNERS_NONE
	case OwnersAll:
		return C.LB_OWNERS_ALL
	}
	return C.LB_OWNERS_DEFAULT
}

// OwnerScan says how the owners are found (Linux). The zero value is
// the library's automatic choice.
type OwnerScan int

// Owner scans (LB_OWNER_SCAN_*).
const (
	// OwnerScanAuto: one in-kernel BPF pass when the caller may run it
	// (root, or CAP_BPF + CAP_PERFMON), else /proc.
	OwnerScanAuto OwnerScan = iota
	// OwnerScanProc: the descriptors of every process in /proc.
	OwnerScanProc
	// OwnerScanBPF: the in-kernel pass, or an error (ErrPermission when
	// the kernel refuses, ErrNotSupported when it cannot).
	OwnerScanBPF
)

// Query selects sockets. The zero Query lists every TCP and UDP socket of
// this network namespace, with owners.
type Query struct {
	Protocols   Protocol       // TCP, UDP or TCP|UDP; 0 means both
	Families    []Family       // FamilyIPv4, FamilyIPv6; empty means both
	States      []State        // empty means every state
	LocalPort   uint16         // 0 means any
	LocalAddr   netip.Addr     // exact match; the zero Addr means any
	Remote      netip.AddrPort // remote address (zero: any) and port (0: any)
	PID         int            // only sockets this process holds; 0 means any
	Descendants bool           // with PID: its whole process tree
	UID         *uint32        // only sockets of this user; nil means any
	Owners      OwnerMode
	OwnerScan   OwnerScan // how owners are found; SocketList.OwnerScan says which ran
	NetnsPID    int       // list another process's network namespace (needs privilege)
	NetnsPath   string    // or a namespace file such as /var/run/netns/NAME
	AllNetns    bool      // every network namespace of the host (root)
}

// Owner is a process holding a socket.
type Owner struct {
	PID     int
	Name    string // the process name (Linux comm)
	Cmdline string // arguments joined by spaces, for display; "" when hidden (see Err)
	// Argv is the command line as a vector ("a b" stays one argument);
	// nil when it is unknown (hidden, or not read on this system).
	Argv []string
	Exe  string // the executable's path; "" when hidden (see Err)
	UID  uint32
	User string
	// StartTime identifies the process with PID even after the pid is
	// reused; the zero Time when unknown.
	StartTime time.Time
	// Err is ErrPermission (as an *Error) when Cmdline and Exe were hidden.
	Err error
}

// Socket is one socket of the table.
type Socket struct {
	Protocol  Protocol
	Family    Family // FamilyIPv4 or FamilyIPv6
	State     State
	StateName string // as ss prints it
	Local     netip.AddrPort
	Remote    netip.AddrPort // the zero AddrPort when unconnected
	UID       uint32
	Inode     uint64 // 0 for a socket no process holds (TIME-WAIT)
	RxQueue   uint32
	TxQueue   uint32
	V6Only    int    // 1 IPv6-only, 0 dual-stack or IPv4, -1 unknown (procfs)
	Netns     uint64 // inode of its network namespace, 0 unknown
	Owners    []Owner
	// OwnerErr is nil when the owners are listed (none only for a socket
	// no process holds, TIME-WAIT); else why none is listed, as an *Error
	// (lb_socket_owner_error()): ErrPermission (some process could not be
	// inspected), ErrNotVisible (held by no process visible here: another
	// PID namespace), ErrExited (the holder exited while it was
	// described), ErrNotRequested (OwnersNone).
	OwnerErr error
}

// PIDs returns the pids of the owners.
func (s *Socket) PIDs() []int {
	out := make([]int, len(s.Owners))
	for i, o := range s.Owners {
		out[i] = o.PID
	}
	return out
}

// SocketList is the result of a query.
type SocketList struct {
	Backend string // "netlink", "procfs", "mock"
	// OwnerScan is how the owners were found: "bpf", "proc", or "" when
	// no owner scan ran (lb_socket_list_owner_scan).
	OwnerScan string
	Sockets   []Socket
}

func addrPortFromC(a *C.lb_addr, port C.uint16_t) netip.AddrPort {
	if a == nil || (a.family != C.LB_AF_INET && a.family != C.LB_AF_INET6) {
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(addrFromC(a), uint16(port))
}

func ownerFromC(o *C.lb_owner) Owner {
	out := Owner{
		PID:     int(C.lb_owner_pid(o)),
		Name:    goString(C.lb_owner_name(o)),
		Cmdline: goString(C.lb_owner_cmdline(o)),
		Exe:     goString(C.lb_owner_exe(o)),
		UID:     uint32(C.lb_owner_uid(o)),
		User:    goString(C.lb_owner_user(o)),
		Err:     check("lb_owner_error", C.lb_owner_error(o)),
	}
	if n := int(C.lb_owner_argc(o)); n > 0 {
		out.Argv = make([]string, n)
		for i := range out.Argv {
			out.Argv[i] = goString(C.lb_owner_argv_at(o, C.size_t(i)))
		}
	}
	if ms := int64(C.lb_owner_start_time(o)); ms != 0 {
		out.StartTime = time.UnixMilli(ms)
	}
	return out
}

func (q *Query) apply(cq *C.lb_query) error {
	protos := q.Protocols
	if protos == 0 {
		protos = TCP | UDP
	}
	cp, err := cUint("lb_query_set_protocols", int(protos))
	if err != nil {
		return err
	}
	if err := check("lb_query_set_protocols", C.lb_query_set_protocols(cq, cp)); err != nil {
		return err
	}
	if len(q.Families) > 0 {
		var mask C.uint
		for _, f := range q.Families {
			switch f {
			case FamilyIPv4:
				mask |= C.LB_FAMILY_INET
			case FamilyIPv6:
				mask |= C.LB_FAMILY_INET6
			default:
				return &Error{Op: "lb_query_set_families", Code: ErrInvalid}
			}
		}
		if err := check("lb_query_set_families", C.lb_query_set_families(cq, mask)); err != nil {
			return err
		}
	}
	if len(q.States) > 0 {
		var mask C.ulong
		for _, s := range q.States {
			if s <= 0 || s > 63 {
				return &Error{Op: "lb_query_set_states", Code: ErrInvalid}
			}
			mask |= 1 << uint(s)
		}
		if err := check("lb_query_set_states", C.lb_query_set_states(cq, mask)); err != nil {
			return err
		}
	}
	if err := check("lb_query_set_local_port", C.lb_query_set_local_port(cq, C.uint16_t(q.LocalPort))); err != nil {
		return err
	}
	if q.LocalAddr.IsValid() {
		var a C.lb_addr
		if err := addrToC("lb_query_set_local_addr", q.LocalAddr, &a); err != nil {
			return err
		}
		if err := check("lb_query_set_local_addr", C.lb_query_set_local_addr(cq, &a)); err != nil {
			return err
		}
	}
	if q.Remote.Addr().IsValid() || q.Remote.Port() != 0 {
		var a C.lb_addr
		pa := (*C.lb_addr)(nil)
		if q.Remote.Addr().IsValid() {
			if err := addrToC("lb_query_set_remote", q.Remote.Addr(), &a); err != nil {
				return err
			}
			pa = &a
		}
		if err := check("lb_query_set_remote", C.lb_query_set_remote(cq, pa, C.uint16_t(q.Remote.Port()))); err != nil {
			return err
		}
	}
	if q.PID < 0 || q.NetnsPID < 0 {
		return &Error{Op: "lb_query_set_pid", Code: ErrInvalid}
	}
	var flags C.uint
	if q.Descendants {
		flags = C.LB_PID_DESCENDANTS
	}
	pid, err := cUint32("lb_query_set_pid", q.PID)
	if err != nil {
		return err
	}
	if err := check("lb_query_set_pid", C.lb_query_set_pid(cq, pid, flags)); err != nil {
		return err
	}
	uid := C.int64_t(-1)
	if q.UID != nil {
		uid = C.int64_t(*q.UID)
	}
	if err := check("lb_query_set_uid", C.lb_query_set_uid(cq, uid)); err != nil {
		return err
	}
	if err := check("lb_query_set_owners", C.lb_query_set_owners(cq, q.Owners.c())); err != nil {
		return err
	}
	if q.OwnerScan < OwnerScanAuto || q.OwnerScan > OwnerScanBPF {
		return check("lb_query_set_owner_scan", C.int(C.LB_EINVAL))
	}
	if err := check("lb_query_set_owner_scan",
		C.lb_query_set_owner_scan(cq, C.int(q.OwnerScan))); err != nil {
		return err
	}
	if q.NetnsPath != "" {
		p := C.CString(q.NetnsPath)
		defer C.free(unsafe.Pointer(p))
		if err := check("lb_query_set_netns_path", C.lb_query_set_netns_path(cq, p)); err != nil {
			return err
		}
	} else if npid, err := cUint32("lb_query_set_netns_pid", q.NetnsPID); err != nil {
		return err
	} else if err := check("lb_query_set_netns_pid", C.lb_query_set_netns_pid(cq, npid)); err != nil {
		return err
	}
	all := C.int(0)
	if q.AllNetns {
		all = 1
	}
	return check("lb_query_set_all_netns", C.lb_query_set_all_netns(cq, all))
}

// Sockets lists the sockets a query selects (lb_socket_list_get), each
// with its owners. A nil query lists everything.
func Sockets(q *Query) (SocketList, error) {
	if q == nil {
		q = &Query{}
	}
	var cq *C.lb_query
	if err := check("lb_query_new", C.lb_query_new(&cq)); err != nil {
		return SocketList{}, err
	}
	defer C.lb_query_free(cq)
	if err := q.apply(cq); err != nil {
		return SocketList{}, err
	}
	var list *C.lb_socket_list
	if err := check("lb_socket_list_get", C.lb_socket_list_get(cq, &list)); err != nil {
		return SocketList{}, err
	}
	defer C.lb_socket_list_free(list)
	out := SocketList{Backend: goString(C.lb_socket_list_backend(list)),
		OwnerScan: goString(C.lb_socket_list_owner_scan(list))}
	out.Sockets = socketsFromList(list, int(C.lb_socket_list_count(list)))
	return out, nil
}

// Who lists the TCP sockets on a local port, any local address: who is
// on this port.
func Who(port uint16) ([]Socket, error) {
	l, err := Sockets(&Query{Protocols: TCP, LocalPort: port})
	return l.Sockets, err
}

// PortsOf lists the sockets a process holds, with descendants its whole
// process tree.
func PortsOf(pid int, descendants bool) ([]Socket, error) {
	l, err := Sockets(&Query{PID: pid, Descendants: descendants})
	return l.Sockets, err
}
