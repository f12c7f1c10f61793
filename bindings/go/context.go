// SPDX-License-Identifier: MIT

package loopback

import (
	"context"
	"net/netip"
	"time"
)

// waitSlice is how long one C wait runs before the context is looked at
// again: the most a cancellation waits to be noticed.
const waitSlice = 50 * time.Millisecond

// waitContext runs one C wait (timeout in, error out) in slices of at
// most waitSlice until it succeeds, fails otherwise, or ctx is done.
func waitContext(ctx context.Context, op string, ap netip.AddrPort,
	once func(timeout time.Duration) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return ctxError(op, ap, err)
		}
		slice := waitSlice
		if d, ok := ctx.Deadline(); ok {
			left := time.Until(d)
			if left <= 0 {
				return ctxError(op, ap, context.DeadlineExceeded)
			}
			if left < slice {
				slice = left
			}
		}
		err := once(slice)
		if err == nil || !isTimeout(err) {
			return err
		}
	}
}

func isTimeout(err error) bool {
	e, ok := err.(*Error)
	return ok && e.Code == ErrTimeout
}

// ctxError is the error of a ...Context call that ctx stopped: a passed
// deadline is also ErrTimeout, a cancellation only context.Canceled.
func ctxError(op string, ap netip.AddrPort, cause error) error {
	e := &Error{Op: op, cause: cause}
	if ap.IsValid() || ap.Port() != 0 {
		e.Target = ap.String()
	}
	if cause == context.DeadlineExceeded {
		e.Code = ErrTimeout
	}
	return e
}

// WaitAcceptingContext waits until a TCP connect to ap succeeds, as
// WaitAccepting, until ctx is done: its deadline is the timeout (none:
// wait until cancelled). When ctx ends the wait, the error matches
// ctx.Err() with errors.Is (context.Canceled, or context.DeadlineExceeded
// and then also ErrTimeout). A cancellation is noticed within 50 ms.
func WaitAcceptingContext(ctx context.Context, ap netip.AddrPort) error {
	return waitContext(ctx, "lb_wait", ap, func(t time.Duration) error {
		return WaitAccepting(ap, t)
	})
}

// WaitFreeContext waits until ap binds (TCP), as WaitFree, until ctx is done.
func WaitFreeContext(ctx context.Context, ap netip.AddrPort) error {
	return waitContext(ctx, "lb_wait", ap, func(t time.Duration) error {
		return WaitFree(ap, t)
	})
}

// WaitHeldContext waits until ap accepts from a listener of process pid
// (or its descendants), as WaitHeld, until ctx is done. ErrNotFound comes
// at once when pid does not exist or exits.
func WaitHeldContext(ctx context.Context, ap netip.AddrPort, pid int, descendants bool) error {
	return waitContext(ctx, "lb_wait_held", ap, func(t time.Duration) error {
		return WaitHeld(ap, pid, descendants, t)
	})
}

type result[T any] struct {
	v   T
	err error
}

// inBackground runs fn on its own goroutine and returns its result, or
// ctx's error as soon as ctx is done. The C call cannot be interrupted:
// it then finishes in the background and cleanup (if any) frees what it
// made.
func inBackground[T any](ctx context.Context, op string, target netip.AddrPort,
	fn func() (T, error), cleanup func(T)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, ctxError(op, target, err)
	}
	done := make(chan result[T], 1)
	go func() {
		v, err := fn()
		done <- result[T]{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		if cleanup != nil {
			go func() {
				if r := <-done; r.err == nil {
					cleanup(r.v)
				}
			}()
		}
		return zero, ctxError(op, target, ctx.Err())
	}
}

// SocketsContext is Sockets that returns when ctx is done. Listing a busy
// host's sockets with owners can take a second; the listing itself is not
// interrupted (it finishes in the background and is dropped).
func SocketsContext(ctx context.Context, q *Query) (SocketList, error) {
	return inBackground(ctx, "lb_socket_list_get", netip.AddrPort{},
		func() (SocketList, error) { return Sockets(q) }, nil)
}

// CheckBindContext is CheckBind that returns when ctx is done (naming
// the blockers reads the socket table, which can be slow on a busy host).
func CheckBindContext(ctx context.Context, ap netip.AddrPort, p Protocol) (BindCheck, error) {
	return inBackground(ctx, "lb_check_bind", ap,
		func() (BindCheck, error) { return CheckBind(ap, p) }, nil)
}

// ResolveContext is Resolve that returns when ctx is done (the system
// resolver may wait on the network); the lookup finishes in the background.
func ResolveContext(ctx context.Context, host string, family Family) ([]netip.Addr, error) {
	return inBackground(ctx, "lb_resolve", netip.AddrPort{},
		func() ([]netip.Addr, error) { return Resolve(host, family) }, nil)
}

// PickContext is Pick that returns when ctx is done; a lease picked after
// that is released at once.
func PickContext(ctx context.Context, opts *PickOptions) (*Lease, error) {
	return inBackground(ctx, "lb_port_pick", netip.AddrPort{},
		func() (*Lease, error) { return Pick(opts) }, func(l *Lease) { l.Release() })
}

// WhoContext is Who that returns when ctx is done.
func WhoContext(ctx context.Context, port uint16) ([]Socket, error) {
	l, err := SocketsContext(ctx, &Query{Protocols: TCP, LocalPort: port})
	return l.Sockets, err
}

// PortsOfContext is PortsOf that returns when ctx is done.
func PortsOfContext(ctx context.Context, pid int, descendants bool) ([]Socket, error) {
	l, err := SocketsContext(ctx, &Query{PID: pid, Descendants: descendants})
	return l.Sockets, err
}

// LeaseHoldersContext is LeaseHolders (which reads the socket table) that
// returns when ctx is done.
func LeaseHoldersContext(ctx context.Context, port uint16, p Protocol) ([]int, error) {
	return inBackground(ctx, "lb_lease_holders", netip.AddrPort{},
		func() ([]int, error) { return LeaseHolders(port, p) }, nil)
}

// ListenContext is Listen that returns when ctx is done; a listener made
// after that is closed (and its lease released).
func ListenContext(ctx context.Context, opts *PickOptions, addr netip.Addr) (*LeasedListener, error) {
	return inBackground(ctx, "lb_lease_listen", netip.AddrPort{},
		func() (*LeasedListener, error) { return Listen(opts, addr) },
		func(l *LeasedListener) { l.Close() })
}
