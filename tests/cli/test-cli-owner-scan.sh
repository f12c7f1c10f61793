#!/bin/bash
# SPDX-License-Identifier: MIT
# --owner-scan=bpf where the BPF owner scan cannot run: the error names the
# owner scan and what it needs (not a bare "Permission denied"), exit 2,
# for who, ls and audit; as nobody, as root without CAP_BPF, CAP_PERFMON
# and CAP_SYS_ADMIN, and as root in another PID namespace. The automatic
# choice falls back to /proc there and succeeds.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

if [ "$(id -u)" != 0 ]; then
	skip "needs root (the forced BPF scan runs as root, and the test drops privileges from there)"
	finish
	exit 77
fi
err=$("$LOOPBACK" ls --owner-scan=bpf 2>&1 >/dev/null)
case $err in
*"no BPF owner scan"* | *"the bpf owner scan:"*)
	skip "the BPF owner scan cannot run here even as root: $err"
	finish
	exit 77 ;;
esac
lb_t_need_nobody

lb_t_lease 1 --tcp || { fail "lease a port"; finish; exit 1; }
start_holder h -- --name lbt-scan --timeout 60 "tcp/127.0.0.1/$LB_T_PORT" || { fail "holder"; finish; exit; }
P=$LB_T_PORT

# expect_scan_error DESC WANT CMD...: exit 2, and stderr names the owner scan.
expect_scan_error() {
	local desc=$1 want=$2 rc=0 err; shift 2
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	case "$rc:$err" in
	"2:loopback: "*"cannot list sockets: the bpf owner scan: $want"*) ok "$desc" ;;
	*) fail "$desc: exit $rc: $err" ;;
	esac
}

PERM="Permission denied (needs root or CAP_BPF and CAP_PERFMON)"
NB=("${NOBODY[@]}" "$LB_T_NOBODY_LB")
expect_scan_error "who --owner-scan=bpf as nobody" "$PERM" "${NB[@]}" who --owner-scan=bpf "$P"
expect_scan_error "ls --owner-scan=bpf as nobody" "$PERM" "${NB[@]}" ls --owner-scan=bpf
expect_scan_error "audit --owner-scan=bpf as nobody" "$PERM" "${NB[@]}" audit --owner-scan=bpf
out=$("${NB[@]}" who --json "$P" 2>&1)
case $out in *'"owner_scan":"proc"'*) ok "who as nobody: the /proc scan, automatically" ;; *) fail "who as nobody: $out" ;; esac

CAPS=cap_bpf,cap_perfmon,cap_sys_admin
expect_scan_error "who --owner-scan=bpf without $CAPS" "$PERM" \
	capsh --drop=$CAPS -- -c '"$0" who --owner-scan=bpf "$1"' "$LOOPBACK" "$P"

if unshare -p -f --mount-proc true 2>/dev/null; then
	expect_scan_error "who --owner-scan=bpf in another PID namespace" \
		"Not supported on this platform (needs a kernel with BTF and the BPF task_file iterator, in the initial PID namespace)" \
		unshare -p -f --mount-proc "$LOOPBACK" who --owner-scan=bpf "$P"
else
	skip "unshare -p -f --mount-proc does not work here"
fi

# Root with what it needs: the scan runs (the message is not shown).
out=$("$LOOPBACK" who --json --owner-scan=bpf "$P" 2>&1)
case $out in *'"owner_scan":"bpf"'*) ok "who --owner-scan=bpf as root runs it" ;; *) fail "who as root: $out" ;; esac
finish
