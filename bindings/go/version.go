// SPDX-License-Identifier: MIT

package loopback

/*
#include <loopback.h>
*/
import "C"

// HeaderVersion is the version of the headers this package was built
// against (LB_VERSION_STRING).
const HeaderVersion = C.LB_VERSION_STRING

// Version returns the version of the library at run time (lb_version()).
func Version() string {
	return C.GoString(C.lb_version())
}

// VersionNumber returns lb_version_number(): major<<16 | minor<<8 | micro.
func VersionNumber() uint32 {
	return uint32(C.lb_version_number())
}
