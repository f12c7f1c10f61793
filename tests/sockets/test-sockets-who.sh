#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback who / ls on real sockets held by child processes: TCP and UDP,
# IPv4 and IPv6, listening and established, shared by fork; exact pids and
# names, with both backends, cross-checked against ss -tulpnH.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

# Every socket on a port leased for the test (never port 0: the ephemeral
# range, where other programs' connections share ports with ours).
lb_t_lease 6 || { fail "lease ports"; finish; exit 1; }
LP=("${LB_T_PORTS[@]}")
start_holder h -- --name lbt-who --timeout 60 \
	"tcp/127.0.0.1/${LP[0]}/fc" "tcp/::1/${LP[1]}" "udp/127.0.0.1/${LP[2]}" "udp/::1/${LP[3]}/v" || { fail "holder started"; finish; exit; }
H=$LB_T_TMP/h.json
PID=$(jget "$H" 'd["pid"]')
CHILD=$(jget "$H" 'd["child"]')
P_TCP4=$(jget "$H" 'd["sockets"][0]["port"]')
P_TCP6=$(jget "$H" '[s for s in d["sockets"] if s["addr"]=="::1" and s["proto"]=="tcp"][0]["port"]')
P_UDP4=$(jget "$H" '[s for s in d["sockets"] if s["proto"]=="udp"][0]["port"]')
P_UDP6=$(jget "$H" '[s for s in d["sockets"] if s["proto"]=="udp"][1]["port"]')

for backend in netlink procfs; do
	export LOOPBACK_BACKEND=$backend
	"$LOOPBACK" ls --json >"$LB_T_TMP/ls-$backend.json"
	expect_exit 0 "ls --json exits 0 ($backend)" "$LOOPBACK" ls --json
	run_check owners "$H" "$LB_T_TMP/ls-$backend.json"
	"$LOOPBACK" ls --json --all-owners >"$LB_T_TMP/lsall-$backend.json"
	run_check owners "$H" "$LB_T_TMP/lsall-$backend.json"
	"$LOOPBACK" ls --json --pid "$PID" --children >"$LB_T_TMP/pid-$backend.json"
	run_check owners "$H" "$LB_T_TMP/pid-$backend.json" exact
	n=$(jget <("$LOOPBACK" ls --json --pid "$CHILD") 'len(d)')
	[ "$n" = 1 ] && ok "ls --pid CHILD: only the shared listener ($backend)" || fail "ls --pid CHILD: $n sockets ($backend)"
	n=$(jget <("$LOOPBACK" ls --json --pid "$PID" --udp -6) 'len(d)')
	[ "$n" = 1 ] && ok "ls --pid --udp -6: one socket ($backend)" || fail "ls --pid --udp -6: $n ($backend)"
	n=$(jget <("$LOOPBACK" ls --json --pid "$PID" --listening) 'len(d)')
	[ "$n" = 4 ] && ok "ls --pid --listening: four listeners ($backend)" || fail "ls --pid --listening: $n ($backend)"

	"$LOOPBACK" who --json "$P_TCP4" >"$LB_T_TMP/who.json"
	expect_exit 0 "who PORT: found ($backend)" "$LOOPBACK" who "$P_TCP4"
	n=$(jget "$LB_T_TMP/who.json" 'sorted((s["state"], tuple(sorted(o["pid"] for o in s["owners"]))) for s in d)')
	want="[('ESTAB', ($PID,)), ('LISTEN', ($(printf '%s\n' "$PID" "$CHILD" | sort -n | paste -sd, | sed 's/,/, /')))]"
	[ "$n" = "$want" ] && ok "who PORT: listener (2 owners) and accepted connection ($backend)" || fail "who PORT: $n, want $want"
	expect_exit 0 "who 127.0.0.1:PORT found ($backend)" "$LOOPBACK" who "127.0.0.1:$P_TCP4"
	expect_exit 1 "who [::1]:PORT of an IPv4 listener: nobody ($backend)" "$LOOPBACK" who "[::1]:$P_TCP4"
	expect_exit 0 "who [::1]:PORT IPv6 ($backend)" "$LOOPBACK" who "[::1]:$P_TCP6"
	expect_exit 1 "who PORT of a UDP socket without --udp: nobody ($backend)" "$LOOPBACK" who "$P_UDP4"
	expect_exit 0 "who --udp PORT ($backend)" "$LOOPBACK" who --udp "$P_UDP4"
	expect_exit 0 "who --udp [::1]:PORT ($backend)" "$LOOPBACK" who --udp "[::1]:$P_UDP6"
	out=$("$LOOPBACK" who --udp "$P_UDP6")
	case $out in *"lbt-who"*"pid $PID"*|*"pid $PID lbt-who"*) ok "who names the holder ($backend)" ;; *) fail "who names the holder: $out" ;; esac
done
unset LOOPBACK_BACKEND
# The host's other sockets come and go between two listings: compare ours.
run_check same "$LB_T_TMP/ls-netlink.json" "$LB_T_TMP/ls-procfs.json" "$H"

# The same state as ss sees it.
ss -tulpnH >"$LB_T_TMP/ss.txt"
"$LOOPBACK" ls --json --all-owners >"$LB_T_TMP/ls.json"
run_check ss "$H" "$LB_T_TMP/ss.txt" "$LB_T_TMP/ls.json"

# Human output.
out=$("$LOOPBACK" ls -l)
case $out in *"lbt-who[$PID]"*) ok "ls table names lbt-who[$PID]" ;; *) fail "ls table: $out" ;; esac
case $(head -n 1 <<<"$out") in "PROTO "*) ok "ls table header" ;; *) fail "ls table header" ;; esac

# A process name that is not UTF-8 (a comm is any 15 bytes): who --json
# stays valid UTF-8 JSON, the bad bytes shown as U+FFFD.
"$PY" -c '
import ctypes, socket, sys, time
ctypes.CDLL(None).prctl(15, b"lbt-\xff\xfe-x", 0, 0, 0)
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(30)' "${LP[4]}" >"$LB_T_TMP/bad.port" &
LB_T_PIDS+=($!)
for i in $(seq 1 100); do [ -s "$LB_T_TMP/bad.port" ] && break; sleep 0.05; done
BADP=$(cat "$LB_T_TMP/bad.port")
"$LOOPBACK" who --json "$BADP" >"$LB_T_TMP/bad.json"
name=$("$PY" -c 'import json,sys; d=json.loads(open(sys.argv[1],"rb").read().decode("utf-8")); print(ascii(d[0]["owners"][0]["name"]))' "$LB_T_TMP/bad.json" 2>&1)
[ "$name" = "'lbt-\ufffd\ufffd-x'" ] && ok "who --json: a name that is not UTF-8 becomes U+FFFD, valid JSON" || fail "who --json non-UTF-8 name: $name"

# Nobody, and bad arguments.
free=${LP[5]}
expect_exit 1 "who on a free port: nobody" "$LOOPBACK" who "$free"
[ "$("$LOOPBACK" who --json "$free")" = "[]" ] && ok "who --json on a free port prints []" || fail "who --json free port"
for bad in "" "abc" "70000" "0" "127.0.0.1" "[::1]" "1.2.3.256:80" "--bogus 80" "80 abc"; do
	# shellcheck disable=SC2086
	expect_exit 2 "who $bad: usage error" "$LOOPBACK" who $bad
done
err=$("$LOOPBACK" who abc 2>&1)
case $err in *"'abc' is neither a port nor HOST:PORT"*) ok "who explains a bad target" ;; *) fail "who bad target: $err" ;; esac
for bad in "--pid x" "--pid 0" "--user no-such-user-xyz" "--children" "extra" "--bogus" "--netns"; do
	# shellcheck disable=SC2086
	expect_exit 2 "ls $bad: usage error" "$LOOPBACK" ls $bad
done
expect_exit 2 "ls --pid of a process that does not exist" "$LOOPBACK" ls --pid 2147483647
expect_exit 0 "ls --help" "$LOOPBACK" ls --help
expect_exit 0 "who --help" "$LOOPBACK" who --help
n=$(jget <("$LOOPBACK" ls --json --user root --pid "$PID") 'len(d)')
[ "$n" = 6 ] && ok "ls --user root --pid" || fail "ls --user root --pid: $n"
n=$(jget <("$LOOPBACK" ls --json --user 65534 --pid "$PID") 'len(d)')
[ "$n" = 0 ] && ok "ls --user 65534 filters them out" || fail "ls --user 65534: $n"
finish
