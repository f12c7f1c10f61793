// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

// PortRange is an inclusive range of ports.
type PortRange struct {
	First, Last uint16
}

// Contains reports whether port lies in the range.
func (r PortRange) Contains(port uint16) bool {
	return r.First <= port && port <= r.Last
}

// EphemeralRange returns the kernel's ephemeral port range
// (lb_port_ephemeral_range): the ports it hands out for outgoing
// connections and bind(0); on Linux, net.ipv4.ip_local_port_range of this
// network namespace.
func EphemeralRange() (PortRange, error) {
	var first, last C.uint16_t
	if err := check("lb_port_ephemeral_range",
		C.lb_port_ephemeral_range(&first, &last)); err != nil {
		return PortRange{}, err
	}
	return PortRange{First: uint16(first), Last: uint16(last)}, nil
}
