#!/bin/bash
# SPDX-License-Identifier: MIT
# Unprivileged: as nobody, against a root-owned listener. The socket is
# listed, its owner marked permission denied, nothing crashes; namespace
# options give a clear error.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

# The tool as nobody: a copy staged where nobody can reach it (the build
# tree may be in a private directory); skipped (77) only without root.
lb_t_need_nobody
ROOT_LOOPBACK=$LOOPBACK
LOOPBACK=$LB_T_NOBODY_LB

# Ports leased for the test (never port 0).
lb_t_lease 3 || { fail "lease ports"; finish; exit 1; }
start_holder h -- --name lbt-root --timeout 60 "tcp/127.0.0.1/${LB_T_PORTS[0]}" "udp/::1/${LB_T_PORTS[1]}" || { fail "holder"; finish; exit; }
H=$LB_T_TMP/h.json
P=$(jget "$H" 'd["sockets"][0]["port"]')
PU=$(jget "$H" 'd["sockets"][1]["port"]')
IP=$(jget "$H" 'd["sockets"][0]["inode"]') # others (TIME-WAIT) may share a port number
IU=$(jget "$H" 'd["sockets"][1]["inode"]')
chmod 755 "$LB_T_TMP"
for backend in netlink procfs; do
	rc=0
	LOOPBACK_BACKEND=$backend "${NOBODY[@]}" "$LOOPBACK" who --json "$P" >"$LB_T_TMP/who.json" 2>"$LB_T_TMP/err" || rc=$?
	[ $rc = 0 ] && ok "who as nobody: found ($backend)" || fail "who as nobody: exit $rc $(cat "$LB_T_TMP/err")"
	run_check perm "$LB_T_TMP/who.json" "$P" "$IP"
	out=$(LOOPBACK_BACKEND=$backend "${NOBODY[@]}" "$LOOPBACK" who "$P" 2>&1)
	case $out in *"owner hidden"*"run as root"*) ok "who explains the hidden owner ($backend)" ;; *) fail "who human: $out" ;; esac
	rc=0
	LOOPBACK_BACKEND=$backend "${NOBODY[@]}" "$LOOPBACK" ls --json --all-owners >"$LB_T_TMP/ls.json" 2>"$LB_T_TMP/err" || rc=$?
	[ $rc = 0 ] && ok "ls --all-owners as nobody exits 0 ($backend)" || fail "ls as nobody: exit $rc"
	run_check perm "$LB_T_TMP/ls.json" "$PU" "$IU"
done
# As root the same socket has its owner.
"$ROOT_LOOPBACK" who --json "$P" >"$LB_T_TMP/root.json"
n=$(jget "$LB_T_TMP/root.json" '[o["pid"] for o in d[0]["owners"]]')
[ "$n" = "[$(jget "$H" 'd["pid"]')]" ] && ok "as root the owner is named" || fail "as root: $n"
# The ports of its own process, as nobody, through the default (pidfd)
# path: the socket's namespace cannot be read without CAP_NET_ADMIN, so
# the table answers instead of an empty list.
out=$("${NOBODY[@]}" bash -c '"$1" -c "import socket,time; s=socket.socket(); s.bind((\"127.0.0.1\", $3)); s.listen(); time.sleep(10)" &
	for i in $(seq 1 100); do o=$("$2" ls --pid $!); case $o in *LISTEN*) break ;; esac; sleep 0.1; done
	echo "$o"; kill $!' _ "$PY" "$LOOPBACK" "${LB_T_PORTS[2]}" 2>&1)
case $out in *LISTEN*127.0.0.1:*nobody*python3*) ok "ls --pid as nobody lists its own listener" ;; *) fail "ls --pid as nobody: $out" ;; esac
# Namespaces need privilege: a clear error, exit 2.
for opt in "--all-netns" "--netns $(jget "$H" 'd["pid"]')"; do
	rc=0
	# shellcheck disable=SC2086
	err=$("${NOBODY[@]}" "$LOOPBACK" ls $opt 2>&1 >/dev/null) || rc=$?
	case "$rc:$err" in "2:"*"Permission denied"*) ok "ls $opt as nobody: permission error" ;; *) fail "ls $opt as nobody: $rc $err" ;; esac
done
finish
