// SPDX-License-Identifier: MIT

package loopback

// stateNames caches StateName within one list (socketsFromList).
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
