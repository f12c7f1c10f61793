#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the Go binding's tests and the Go examples (built and run by
# their tests), with Debian's golang-go and no network, through cgo and
# the uninstalled loopback.pc of this tree. Writes $RESULTS_DIR/go*.gojson;
# exits non-zero on a failure or when a module ran no test.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../bindings/ci-env.sh"
lb_bindings_env go || exit 1
lb_install_prefix || { echo "meson install under a prefix failed" >&2; exit 1; }
export GOPROXY=off GOFLAGS=-mod=mod GOTOOLCHAIN=local
export GOCACHE=${GOCACHE:-$LB_TOP/build/gocache}
export GOPATH=${GOPATH:-$LB_TOP/build/gopath}

# run_module NAME DIR: go vet (one result) and go test -json.
run_module() {
	local name=$1 dir=$2 out=$RESULTS_DIR/$1.gojson rc
	cd "$dir" || return 1
	if go vet ./...; then lb_record ok "$name: go vet"; else lb_record fail "$name: go vet"; fi
	go test -json -count=1 -timeout 300s ./... >"$out"
	rc=$?
	if ! grep -q '"Action":"pass","Package":"[^"]*","Test"' "$out"; then
		echo "$name: no test ran" >&2
		tail -n 20 "$out" >&2
		return 1
	fi
	return "$rc"
}

status=0
run_module go "$LB_TOP/bindings/go" || status=1
run_module go-examples "$LB_TOP/examples/go" || status=1
exit "$status"
