// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

import (
	"net"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"sync"
)

// PickFamily says where a picked port must bind (LB_PICK_FAMILY_*).
type PickFamily int

// Pick families. The zero value is PickBoth.
const (
	PickBoth PickFamily = C.LB_PICK_FAMILY_BOTH // IPv4 and IPv6 (IPv4 only, flagged, when IPv6 is off)
	PickIPv4 PickFamily = C.LB_PICK_FAMILY_IPV4
	PickIPv6 PickFamily = C.LB_PICK_FAMILY_IPV6
)

// PickOptions says what to pick. The zero value (or nil) is one TCP port,
// free on IPv4 and IPv6, from the default range: outside the kernel's
// ephemeral range and reserved ports.
type PickOptions struct {
	Count       int        // how many ports, all or none; 0 means 1
	Protocols   Protocol   // TCP, UDP or TCP|UDP; 0 means TCP
	Family      PickFamily // where the ports must bind
	First, Last uint16     // your own range (inclusive); 0, 0 for the default
	Contiguous  bool       // consecutive ports
	MaxAttempts int        // candidates to try at most; 0 means every port once
}

// Lease holds leased ports: every libloopback picker on the host skips
// them until Release, or until this process dies (the kernel then frees
// them at once). Safe for concurrent use.
//
// The lb_lease lives in a handle that every copy of a Lease value shares:
// a copy is the same lease (Release on either releases it once), never a
// second owner of the C object that would free it twice.
type Lease struct {
	h         *leaseHandle
	ports     []uint16
	protocols Protocol
	ipv4Only  bool
}

type leaseHandle struct {
	mu sync.Mutex
	c  *C.lb_lease // nil once released
}

func (h *leaseHandle) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.c != nil {
		C.lb_lease_release(h.c)
		h.c = nil
	}
}

// Pick picks and leases free ports (lb_port_pick): outside the ephemeral
// range, leased before they are checked, and bindable right now on every
// protocol and family asked for. Errors: ErrExhausted when nothing was
// found, ErrInvalid for bad options, ErrNotSupported without leases.
func Pick(opts *PickOptions) (*Lease, error) {
	if opts == nil {
		opts = &PickOptions{}
	}
	if opts.Count < 0 || opts.MaxAttempts < 0 || int64(opts.Count) > 1<<32-1 ||
		int64(opts.MaxAttempts) > 1<<32-1 {
		return nil, &Error{Op: "lb_port_pick", Code: ErrInvalid}
	}
	protos, err := cUint("lb_port_pick", int(opts.Protocols))
	if err != nil {
		return nil, err
	}
	family, err := cInt("lb_port_pick", int(opts.Family))
	if err != nil {
		return nil, err
	}
	o := C.lb_pick_options{
		size:         C.sizeof_lb_pick_options,
		protocols:    protos,
		family:       family,
		first:        C.uint16_t(opts.First),
		last:         C.uint16_t(opts.Last),
		count:        C.uint32_t(opts.Count),
		max_attempts: C.uint32_t(opts.MaxAttempts),
	}
	if opts.Contiguous {
		o.flags = C.LB_PICK_CONTIGUOUS
	}
	var cl *C.lb_lease
	if err := check("lb_port_pick", C.lb_port_pick(&o, &cl)); err != nil {
		return nil, err
	}
	h := &leaseHandle{c: cl}
	runtime.SetFinalizer(h, (*leaseHandle).release)
	l := &Lease{h: h, protocols: Protocol(C.lb_lease_protocols(cl)),
		ipv4Only: C.lb_lease_flags(cl)&C.LB_LEASE_IPV4_ONLY != 0}
	n := int(C.lb_lease_count(cl))
	for i := 0; i < n; i++ {
		l.ports = append(l.ports, uint16(C.lb_lease_port(cl, C.size_t(i))))
	}
	return l, nil
}

// Ports returns the leased ports (a group in ascending order).
func (l *Lease) Ports() []uint16 { return append([]uint16(nil), l.ports...) }

// Port returns the first (for a single pick, the only) port.
func (l *Lease) Port() uint16 { return l.ports[0] }

// Protocols returns the protocols the lease covers.
func (l *Lease) Protocols() Protocol { return l.protocols }

// IPv4Only reports that IPv6 was asked for but is disabled here, so the
// ports were checked on IPv4 only.
func (l *Lease) IPv4Only() bool { return l.ipv4Only }

// lock and unlock guard the shared handle (nothing to guard without one).
func (l *Lease) lock() {
	if l.h != nil {
		l.h.mu.Lock()
	}
}

func (l *Lease) unlock() {
	if l.h != nil {
		l.h.mu.Unlock()
	}
}

func (l *Lease) handle(op string, index int) (*C.lb_lease, error) {
	if l.h == nil || l.h.c == nil {
		return nil, &Error{Op: op + " (released lease)", Code: ErrInvalid}
	}
	if index < 0 || index >= len(l.ports) {
		return nil, &Error{Op: op + " (index " + strconv.Itoa(index) + ")", Code: ErrInvalid}
	}
	return l.h.c, nil
}

// Fd returns the descriptor holding one lease; it stays owned by the
// lease (do not close it).
func (l *Lease) Fd(index int, p Protocol) (int, error) {
	l.lock()
	defer l.unlock()
	c, err := l.handle("lb_lease_fd", index)
	if err != nil {
		return -1, err
	}
	cp, err := cUint("lb_lease_fd", int(p))
	if err != nil {
		return -1, err
	}
	fd := C.lb_lease_fd(c, C.size_t(index), cp)
	if err := check("lb_lease_fd", fd); err != nil {
		return -1, err
	}
	return int(fd), nil
}

// SetInherit lets programs this process starts inherit the lease (it
// clears close-on-exec on the lease descriptors), so it lasts as long as
// they do; os/exec children then hold it under the same descriptor numbers.
func (l *Lease) SetInherit(inherit bool) error {
	l.lock()
	defer l.unlock()
	c, err := l.handle("lb_lease_set_inherit", 0)
	if err != nil {
		return err
	}
	v := C.int(0)
	if inherit {
		v = 1
	}
	return check("lb_lease_set_inherit", C.lb_lease_set_inherit(c, v))
}

// Release releases the leases (lb_lease_release); a second call does
// nothing.
func (l *Lease) Release() {
	if l.h != nil {
		l.h.release()
	}
}

// Close is Release, for io.Closer.
func (l *Lease) Close() error {
	l.Release()
	return nil
}

// listenFd is lb_lease_listen: a bound socket on port index, listening
// for TCP; addr zero means 127.0.0.1 (::1 for an IPv6-only pick).
func (l *Lease) listenFd(index int, p Protocol, addr netip.Addr) (*os.File, error) {
	var ca C.lb_addr
	pa := (*C.lb_addr)(nil)
	if addr.IsValid() {
		if err := addrToC("lb_lease_listen", addr, &ca); err != nil {
			return nil, err
		}
		pa = &ca
	}
	l.lock()
	defer l.unlock()
	c, err := l.handle("lb_lease_listen", index)
	if err != nil {
		return nil, err
	}
	var fd C.int
	cp, err := cUint("lb_lease_listen", int(p))
	if err != nil {
		return nil, err
	}
	if err := check("lb_lease_listen", C.lb_lease_listen(c, C.size_t(index), cp, pa, &fd)); err != nil {
		return nil, err
	}
	port := strconv.Itoa(int(l.ports[index]))
	return os.NewFile(uintptr(fd), "loopback-lease:"+p.String()+":"+port), nil
}

// Listen returns a TCP listener on leased port index, bound and
// listening by the library while the lease holds the port: no window for
// another process to take it. addr is the address to bind; the
// zero Addr means 127.0.0.1 (::1 for an IPv6-only pick). Errors:
// ErrAddrInUse if someone else bound the port meanwhile,
// ErrAddrNotAvailable, ErrAccess, ErrAFNotSupported.
func (l *Lease) Listen(index int, addr netip.Addr) (net.Listener, error) {
	f, err := l.listenFd(index, TCP, addr)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return net.FileListener(f)
}

// ListenPacket is Listen for UDP: a bound datagram socket.
func (l *Lease) ListenPacket(index int, addr netip.Addr) (net.PacketConn, error) {
	f, err := l.listenFd(index, UDP, addr)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return net.FilePacketConn(f)
}

// LeasedListener is a net.Listener on a port of its own lease: Close
// closes the listener and releases the lease.
type LeasedListener struct {
	net.Listener
	Lease *Lease
}

// Close closes the listener, then releases the lease.
func (l *LeasedListener) Close() error {
	err := l.Listener.Close()
	l.Lease.Release()
	return err
}

// Listen picks a port (opts as for Pick; nil for one TCP port) and
// returns a listener on it, bound by the library on addr (the zero Addr:
// 127.0.0.1): the race-free way to start a server on a free port. The
// port is Addr().(*net.TCPAddr).Port; Close also releases the lease.
func Listen(opts *PickOptions, addr netip.Addr) (*LeasedListener, error) {
	lease, err := Pick(opts)
	if err != nil {
		return nil, err
	}
	ln, err := lease.Listen(0, addr)
	if err != nil {
		lease.Release()
		return nil, err
	}
	return &LeasedListener{Listener: ln, Lease: lease}, nil
}

// LeaseHolders returns the pids holding the lease on a port, ascending
// (lb_lease_holders), found from the socket table without disturbing the
// lease. Empty when leased by processes this caller may not inspect;
// ErrNotFound when the port is not leased.
func LeaseHolders(port uint16, p Protocol) ([]int, error) {
	cp, err := cUint("lb_lease_holders", int(p))
	if err != nil {
		return nil, err
	}
	n := 16
	for {
		pids := make([]C.int, n)
		got := C.lb_lease_holders(C.uint16_t(port), cp, &pids[0], C.size_t(n))
		if err := check("lb_lease_holders", got); err != nil {
			return nil, err
		}
		if int(got) <= n {
			out := make([]int, int(got))
			for i := range out {
				out[i] = int(pids[i])
			}
			return out, nil
		}
		n = int(got)
	}
}
