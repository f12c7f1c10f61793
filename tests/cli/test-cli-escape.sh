#!/bin/bash
# SPDX-License-Identifier: MIT
# Output forgery: a process that names itself "x\n  pid 1 sshd" or with
# terminal escape sequences must not forge a line or reach the terminal
# through who, ls, audit or check, on every backend, whoever runs them.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
PY=/usr/bin/python3
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
lb_t_on_exit cleanup

# The hostile listener runs as nobody when we are root, through a copy of
# the tool that nobody can reach (the checkout may sit in a 0700
# directory, as /root does); as_lb is the tool that user runs.
as=()
as_lb=$lb
who_user=$(id -un)
if [ "$(id -u)" = 0 ]; then
	lb_t_need_nobody
	as=("${NOBODY[@]}")
	as_lb=$LB_T_NOBODY_LB
	who_user=nobody
	chmod 755 "$tmp"
fi

# The hostile listener: its name (prctl PR_SET_NAME, at most 15 bytes)
# and its command line carry a newline and ESC sequences. It listens on
# the wildcard address so that audit reports it; the port is leased by
# run, so no other picker takes it.
cat >"$tmp/evil.py" <<'PYEOF'
import ctypes, os, socket, sys, time
ctypes.CDLL(None).prctl(15, sys.argv[1].encode().decode("unicode_escape").encode("latin-1"), 0, 0, 0)
s = socket.socket()
s.bind(("0.0.0.0", int(os.environ["PORT"])))
s.listen()
print(os.environ["PORT"], flush=True)
time.sleep(30)
PYEOF

start_evil() {
	local name=$1 out=$tmp/port.$2 _
	"${as[@]}" "$as_lb" run -- "$PY" "$tmp/evil.py" "$name" $'\e]0;title\a\e[2J' >"$out" 2>"$tmp/err.$2" &
	pids+=($!)
	for _ in $(seq 1 200); do
		[ -s "$out" ] && { cat "$out"; return 0; }
		sleep 0.05
	done
	echo "listener did not start: $(cat "$tmp/err.$2")" >&2
	return 1
}

# no_forgery DESC OUTPUT: no raw ESC or BEL, no line that starts like an
# owner line for pid 1, and the name is shown escaped.
no_forgery() {
	local desc=$1 out=$2 want=$3
	if [[ $out == *$'\e'* || $out == *$'\a'* ]]; then
		fail "$desc: a raw escape sequence reaches the terminal"
	elif printf '%s\n' "$out" | grep -q '^  pid 1 sshd'; then
		fail "$desc: a forged owner line"
	elif [[ $out != *"$want"* ]]; then
		fail "$desc: the escaped name '$want' is missing: $out"
	else
		ok "$desc"
	fi
}

# Name with a newline.
P=$(start_evil 'x\n  pid 1 sshd' nl) || { fail "hostile listener"; finish; exit; }
# Name with an ESC sequence.
P2=$(start_evil '\x1b[31mred' esc) || { fail "hostile listener 2"; finish; exit; }
for user in root "$who_user"; do
	pre=() plb=$lb
	[ "$user" = root ] || { pre=("${as[@]}"); plb=$as_lb; }
	[ "$user" = root ] && [ "$(id -u)" != 0 ] && continue
	for be in netlink procfs; do
		export LOOPBACK_BACKEND=$be
		out=$("${pre[@]}" "$plb" who "$P" 2>&1)
		no_forgery "who, name with a newline ($be, as $user)" "$out" 'x\n  pid 1 sshd'
		out=$("${pre[@]}" "$plb" who "$P2" 2>&1)
		no_forgery "who, name with ESC ($be, as $user)" "$out" '\x1b[31mred'
		case $out in *'\x1b]0;title\x07\x1b[2J'*) ok "who escapes the command line ($be, as $user)" ;;
		*) fail "who command line ($be, as $user): $out" ;; esac
		out=$("${pre[@]}" "$plb" ls -t 2>&1 | grep -e ":$P " -e ":$P2 ")
		no_forgery "ls ($be, as $user)" "$out" 'x\n  pid 1 sshd'
		out=$("${pre[@]}" "$plb" audit 2>&1)
		no_forgery "audit ($be, as $user)" "$out" '\x1b[31mred'
		out=$("${pre[@]}" "$plb" check "127.0.0.1:$P" 2>&1)
		no_forgery "check ($be, as $user)" "$out" 'x\n  pid 1 sshd'
		unset LOOPBACK_BACKEND
	done
done
# JSON keeps the real bytes (escaped the JSON way).
"$lb" who --json "$P" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
names = [o["name"] for s in d for o in s["owners"]]
assert "x\n  pid 1 sshd" in names, names' && ok "who --json keeps the name exactly" || fail "who --json name"
finish
