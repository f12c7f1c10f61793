// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

import "strconv"

// Protocol is TCP or UDP, or TCP|UDP where a set is taken. The socket
// table (LB_PROTO_*) and the picker (LB_PICK_*) number them alike.
type Protocol int

// Protocols.
const (
	TCP Protocol = C.LB_PICK_TCP
	UDP Protocol = C.LB_PICK_UDP
)

// String returns "tcp", "udp" or "tcp+udp".
func (p Protocol) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	case TCP | UDP:
		return "tcp+udp"
	}
	return "Protocol(" + strconv.Itoa(int(p)) + ")"
}
