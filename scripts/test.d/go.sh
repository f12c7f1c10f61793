#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the Go binding's tests (go test, Debian golang-go, no network)
# through cgo and the uninstalled loopback.pc of this tree. Writes
# $RESULTS_DIR/go.gojson; exits non-zero on a failure or when no test ran.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../bindings/ci-env.sh"
lb_bindings_env go || exit 1
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
export GOCACHE=${GOCACHE:-$LB_TOP/build/gocache}
export GOPATH=${GOPATH:-$LB_TOP/build/gopath}

cd "$LB_TOP/bindings/go" || exit 1
out=$RESULTS_DIR/go.gojson
if go vet ./...; then lb_record ok "go vet"; else lb_record fail "go vet"; fi
go test -json -count=1 -timeout 300s ./... >"$out"
rc=$?
if ! grep -q '"Action":"pass","Package":"[^"]*","Test"' "$out"; then
	echo "go: no test ran" >&2
	tail -n 20 "$out" >&2
	exit 1
fi
exit "$rc"
