// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

import (
	"net/netip"
	"sort"
)

// CheckReason is the verdict of CheckBind (LB_CHECK_*).
type CheckReason int

// Verdicts.
const (
	CheckBindable         CheckReason = C.LB_CHECK_BINDABLE
	CheckInUse            CheckReason = C.LB_CHECK_IN_USE
	CheckBlockedWildcard  CheckReason = C.LB_CHECK_BLOCKED_WILDCARD
	CheckBlockedDualStack CheckReason = C.LB_CHECK_BLOCKED_DUALSTACK
	CheckTimeWait         CheckReason = C.LB_CHECK_TIME_WAIT
	CheckPrivileged       CheckReason = C.LB_CHECK_PRIVILEGED
	CheckNotLocal         CheckReason = C.LB_CHECK_NOT_LOCAL
	CheckLeased           CheckReason = C.LB_CHECK_LEASED
)

// String returns the library's stable name (lb_check_reason_name):
// "bindable", "in-use", "blocked-wildcard", ...; "" for an unknown value.
func (r CheckReason) String() string {
	if !inInt32(int(r)) {
		return ""
	}
	return goString(C.lb_check_reason_name(C.int(r)))
}

// CheckWarning is a set of facts that do not stop a bind (LB_CHECK_WARN_*).
type CheckWarning uint

// Warnings.
const (
	WarnEphemeral CheckWarning = C.LB_CHECK_WARN_EPHEMERAL // in the ephemeral range
	WarnReserved  CheckWarning = C.LB_CHECK_WARN_RESERVED  // in ip_local_reserved_ports
)

// BindCheck is the diagnosis of one address, port and protocol.
type BindCheck struct {
	Endpoint     netip.AddrPort
	Protocol     Protocol
	Reason       CheckReason
	Warnings     CheckWarning
	Explanation  string // one line: why, or that it binds
	Suggestion   string // one line: what to do; "" when nothing needs doing
	LeaseHolders []int  // pids holding the port's lease, ascending
	// Blockers are the sockets of the table that stop the bind, with
	// their owners (lb_check_blockers), best blocker first: the Socket
	// values Sockets returns. Empty unless the bind was refused as in use
	// (CheckInUse, CheckBlocked*, CheckTimeWait) and the table shows them.
	Blockers []Socket
}

// Bindable reports whether the verdict is CheckBindable.
func (c *BindCheck) Bindable() bool { return c.Reason == CheckBindable }

func endpointArg(op string, ap netip.AddrPort, out *C.lb_addr) error {
	if ap.Port() == 0 {
		return &Error{Op: op + " (port 0)", Target: ap.String(), Code: ErrInvalid}
	}
	return at(addrToC(op, ap.Addr(), out), ap.String())
}

// CheckBind says whether ap can be bound now for protocol p, and if not
// why (lb_check_bind): in use, a wildcard or dual-stack listener,
// TIME_WAIT leftovers, a privileged port, an address not on this host,
// or a lease held by another process. The bind is tried for real and the
// socket closed at once.
func CheckBind(ap netip.AddrPort, p Protocol) (BindCheck, error) {
	var a C.lb_addr
	if err := endpointArg("lb_check_bind", ap, &a); err != nil {
		return BindCheck{}, err
	}
	cp, err := cUint("lb_check_bind", int(p))
	if err != nil {
		return BindCheck{}, err
	}
	var c *C.lb_check
	if err := at(check("lb_check_bind", C.lb_check_bind(&a, C.uint16_t(ap.Port()), cp, &c)), ap.String()); err != nil {
		return BindCheck{}, err
	}
	defer C.lb_check_free(c)
	reason := C.lb_check_reason(c)
	if err := check("lb_check_reason", reason); err != nil {
		return BindCheck{}, err
	}
	out := BindCheck{
		Endpoint:    ap,
		Protocol:    p,
		Reason:      CheckReason(reason),
		Warnings:    CheckWarning(C.lb_check_warnings(c)),
		Explanation: goString(C.lb_check_explanation(c)),
		Suggestion:  goString(C.lb_check_suggestion(c)),
	}
	bl := C.lb_check_blockers(c)
	if n := int(C.lb_socket_list_count(bl)); n > 0 {
		out.Blockers = socketsFromList(bl, n)
	}
	for n := 16; ; {
		pids := make([]C.int, n)
		got := C.lb_check_lease_holders(c, &pids[0], C.size_t(n))
		if err := check("lb_check_lease_holders", got); err != nil {
			return BindCheck{}, err
		}
		if int(got) > n {
			n = int(got)
			continue
		}
		for _, pid := range pids[:got] {
			out.LeaseHolders = append(out.LeaseHolders, int(pid))
		}
		sort.Ints(out.LeaseHolders)
		return out, nil
	}
}
