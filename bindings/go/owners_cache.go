// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

// The sockets of a busy host are held by a few processes: within one list
// each is read once (eight cgo calls and four strings) and copied to the
// sockets it holds. A pid with its start time is one process.
type ownerKey struct {
	pid   C.uint32_t
	start C.uint64_t
}

type ownerCache map[ownerKey]Owner

func (c ownerCache) owner(o *C.lb_owner) Owner {
	if c == nil {
		return ownerFromC(o)
	}
	k := ownerKey{C.lb_owner_pid(o), C.lb_owner_start_time(o)}
	if v, ok := c[k]; ok {
		return v
	}
	v := ownerFromC(o)
	c[k] = v
	return v
}

// stateNames caches StateName within one list.
type stateNames map[[2]int]string

func (m stateNames) name(p Protocol, s State) string {
	if m == nil {
		return StateName(p, s)
	}
	k := [2]int{int(p), int(s)}
	if v, ok := m[k]; ok {
		return v
	}
	v := StateName(p, s)
	m[k] = v
	return v
}

// listCaches are the caches of one socket list (nil: no caching).
type listCaches struct {
	owners ownerCache
	states stateNames
}

func newListCaches() *listCaches {
	return &listCaches{owners: ownerCache{}, states: stateNames{}}
}
