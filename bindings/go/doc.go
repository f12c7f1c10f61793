// SPDX-License-Identifier: MIT

// Package loopback is the Go binding of libloopback: parse and classify
// endpoints, pick and lease ports, and find who holds a port.
//
// It calls the C library (libloopback.so.1) through cgo, so every policy
// (what parses, which port is free, who owns a socket) is the C library's
// own, identical to the loopback tool and the Python binding. Build with
// the library's pkg-config file on PKG_CONFIG_PATH; for an uninstalled
// build tree that is <build>/meson-uninstalled, with LD_LIBRARY_PATH set
// to <build>/lib at run time.
//
// Functions return (value, error). Errors from the library are *Error
// values (or *ParseError for rejected text) that compare with errors.Is
// against the exported sentinels (ErrInvalid, ErrAddrInUse, ErrTimeout,
// ...), and against fs.ErrPermission, os.ErrDeadlineExceeded and
// fs.ErrNotExist where the meaning is the same.
package loopback
