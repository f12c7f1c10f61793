#!/bin/bash
# SPDX-License-Identifier: MIT
# Colour: on a terminal (a pty) the human output is coloured; NO_COLOR,
# TERM=dumb and --color=never (global or per verb) turn it off;
# --color=always forces it; a pipe never gets an escape by default, and
# JSON never does.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK

P=$("$lb" pick) || { fail "pick a port"; finish; exit; }
start_holder h -- --name lbt-color --timeout 60 "tcp/127.0.0.1/$P" || { fail "holder started"; finish; exit; }

# on_tty ENV... -- CMD...: run CMD with stdout on a pty; print what it wrote.
on_tty() {
	"$PY" - "$@" <<'PYEOF'
import os, pty, subprocess, sys
args = sys.argv[1:]
k = args.index("--")
env = dict(os.environ)
env.pop("NO_COLOR", None)
env["TERM"] = "xterm"
for kv in args[:k]:
    n, v = kv.split("=", 1)
    env[n] = v
m, s = pty.openpty()
p = subprocess.Popen(args[k + 1:], stdout=s, stderr=subprocess.DEVNULL, env=env)
os.close(s)
out = b""
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
p.wait(timeout=30)
sys.stdout.buffer.write(out)
PYEOF
}
has_esc() { case $1 in *$'\033['*) return 0 ;; *) return 1 ;; esac; }

out=$(on_tty -- "$lb" who "$P"); has_esc "$out" && ok "who on a terminal: coloured" || fail "who on a pty: no colour: $out"
case $out in *"lbt-color"*) ok "who on a terminal: the holder is there" ;; *) fail "who on a pty: $out" ;; esac
out=$(on_tty -- "$lb" ls -l); has_esc "$out" && ok "ls on a terminal: coloured header" || fail "ls on a pty: no colour"
out=$(on_tty -- "$lb" check "127.0.0.1:$P"); has_esc "$out" && ok "check on a terminal: coloured verdict" || fail "check on a pty: no colour"
out=$(on_tty NO_COLOR=1 -- "$lb" who "$P"); has_esc "$out" && fail "NO_COLOR=1 on a terminal: coloured" || ok "NO_COLOR=1 on a terminal: no colour"
out=$(on_tty NO_COLOR= -- "$lb" who "$P"); has_esc "$out" && ok "NO_COLOR empty: colour (the variable must be non-empty)" || fail "NO_COLOR empty: no colour"
out=$(on_tty TERM=dumb -- "$lb" who "$P"); has_esc "$out" && fail "TERM=dumb: coloured" || ok "TERM=dumb: no colour"
out=$(on_tty -- "$lb" who --color=never "$P"); has_esc "$out" && fail "who --color=never on a terminal: coloured" || ok "who --color=never: no colour"
out=$(on_tty -- "$lb" --color=never who "$P"); has_esc "$out" && fail "global --color=never: coloured" || ok "loopback --color=never who: no colour"
out=$(on_tty -- "$lb" who --json "$P"); has_esc "$out" && fail "who --json on a terminal: escapes in JSON" || ok "who --json on a terminal: no escapes"
out=$(on_tty -- "$lb" check --json "127.0.0.1:$P"); has_esc "$out" && fail "check --json on a terminal: escapes" || ok "check --json on a terminal: no escapes"

# Pipes: never by default, always when asked.
for cmd in "who $P" "ls -l" "check 127.0.0.1:$P" "audit" "check $P" "pick"; do
	out=$("$lb" $cmd 2>&1); has_esc "$out" && fail "$cmd | cat: escapes" || ok "$cmd | cat: no escapes"
done
out=$("$lb" who --color=always "$P"); has_esc "$out" && ok "who --color=always in a pipe: coloured" || fail "--color=always: no colour"
out=$("$lb" --color who "$P"); has_esc "$out" && ok "loopback --color who (no WHEN: always)" || fail "--color: no colour"
out=$(NO_COLOR=1 "$lb" who --color=always "$P"); has_esc "$out" && ok "--color=always wins over NO_COLOR" || fail "--color=always NO_COLOR=1: no colour"
out=$("$lb" who --color=always --json "$P"); has_esc "$out" && fail "--color=always --json: escapes in JSON" || ok "--color=always --json: JSON stays plain"
expect_exit 2 "--color=sometimes is a usage error" "$lb" who --color=sometimes "$P"
expect_exit 2 "loopback --color=sometimes is a usage error" "$lb" --color=sometimes who "$P"
err=$("$lb" who --color=sometimes "$P" 2>&1 >/dev/null); case $err in *"auto, always or never"*) ok "--color names its values" ;; *) fail "--color: $err" ;; esac
finish
