#!/bin/bash
# SPDX-License-Identifier: MIT
# One number parser for every option: decimal digits only (no space, no
# sign, no 0x, no octal reading), range-checked, one error line, exit 2
# (125 for run); audit --allow takes what looks like a number as a port,
# strictly; pick -n N from a smaller --range says "no free group" (exit 1);
# run --env NAME twice is refused.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
P=$("$lb" pick) || { fail "pick a port"; finish; exit; }

# bad VALUE CODE DESC CMD...: exits CODE with one error line.
bad() {
	local code=$1 desc=$2 err rc=0 n; shift 2
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	n=$(printf '%s\n' "$err" | wc -l)
	if [ "$rc" = "$code" ] && [ "$n" = 1 ] && [ -n "$err" ]; then ok "$desc"; else fail "$desc (exit $rc, $n lines: $err)"; fi
}

for v in ' 1' '1 ' '+1' '-1' '0x10' '1e3' '' '1.5' '４'; do
	bad 2 "pick --count '$v' is an error" "$lb" pick --count "$v"
	bad 2 "ls --pid '$v' is an error" "$lb" ls --pid "$v"
	bad 2 "wait --pid '$v' is an error" "$lb" wait "127.0.0.1:$P" --pid "$v" -t 0
	bad 125 "run -n '$v' is run's error (125)" "$lb" run -n "$v" -- true
done
bad 2 "pick --count 1001: out of range" "$lb" pick --count 1001
bad 2 "pick --count 0: out of range" "$lb" pick --count 0
bad 2 "pick --count 99999999999999999999: out of range, no overflow" "$lb" pick --count 99999999999999999999
bad 2 "ls --pid 2147483648: out of range" "$lb" ls --pid 2147483648
expect_exit 0 "pick --count 010 is decimal 10 (never octal)" "$lb" pick --count 010
n=$("$lb" pick --count 010 | wc -l); [ "$n" = 10 ] && ok "--count 010 picks 10 ports" || fail "--count 010 picked $n"

# Timeouts: decimal seconds, up to 3 decimals.
for v in 0x10 ' 1' -1 +1 1e1 inf nan 1. .5x 86401 '' 0x1p3; do
	bad 2 "wait -t '$v' is an error" "$lb" wait "127.0.0.1:$P" -t "$v"
done
expect_exit 1 "wait -t .2 (decimals) times out: exit 1" "$lb" wait "127.0.0.1:$P" -t .2
expect_exit 1 "wait -t 0.2 times out: exit 1" "$lb" wait "127.0.0.1:$P" -t 0.2
err=$("$lb" wait "127.0.0.1:$P" -t 0x10 2>&1); case $err in *"--timeout needs seconds"*"'0x10'"*) ok "wait -t 0x10 names the value" ;; *) fail "wait -t 0x10: $err" ;; esac

# Ranges: the same parser on each side.
for v in ' 2000-2001' '2000-2001 ' '2000 -2001' '2000- 2001' '+2000-2001' '0x7d0-2001' '2001-2000' '0-10' '1-65536' '2000' '2000-' '-2001' '2000--2001'; do
	bad 2 "pick --range '$v' is an error" "$lb" pick --range "$v"
done
err=$("$lb" pick --range ' 2000-2001' 2>&1); case $err in *"--range needs FIRST-LAST"*) ok "--range ' 2000-2001' is explained like --pid ' 1'" ;; *) fail "--range: $err" ;; esac

# No free group: exit 1 and the man page's words, for pick; 125 for run.
err=$("$lb" pick -n 3 --range 2000-2001 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && ok "pick -n 3 --range 2000-2001 exits 1" || fail "pick -n 3 --range 2000-2001: exit $rc"
case $err in *"no free group"*) ok "... and says no free group" ;; *) fail "no free group: $err" ;; esac
case $err in *"Invalid argument"*) fail "says Invalid argument: $err" ;; *) ok "... not 'Invalid argument'" ;; esac
expect_exit 125 "run -n 3 --range 2000-2001: run's failure (125)" "$lb" run -n 3 --range 2000-2001 -- true

# Messages say a thing once.
Q=$("$lb" pick) || fail "pick a port"
"$lb" run --range "$Q-$Q" -- sleep 10 &
holder=$!
for i in $(seq 1 50); do grep -q "@loopback/lease/tcp/$Q\$" /proc/net/unix 2>/dev/null && break; sleep 0.1; done
err=$("$lb" pick --range "$Q-$Q" 2>&1 >/dev/null); rc=$?
[ $rc = 1 ] && ok "pick from a fully leased range exits 1" || fail "full range: exit $rc ($err)"
[ "$err" = "loopback: pick: no free port left in the range" ] && ok "the no-free-port message says it once" || fail "message: $err"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# audit --allow: a port-looking value is a port, strictly.
for v in 65536 -1 0 ' 80' '80 ' '+80' 'a b' 'tcp/' 'tcp/0' 'tcp/65536' 'udp/-1' 'tcp/x' 'name:' 'a/b' '' 0x50 8o8; do
	bad 2 "audit --allow '$v' is an error" "$lb" audit --allow "$v"
done
err=$("$lb" audit --allow 65536 2>&1); case $err in *"1 to 65535"*) ok "--allow 65536: says the port range" ;; *) fail "--allow 65536: $err" ;; esac
for v in 80 tcp/80 udp/53 sshd 'name:Web Content' systemd-resolve name:0ad; do
	rc=0; "$lb" audit --allow "$v" >/dev/null 2>&1 || rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] && ok "audit --allow '$v' is a rule (exit $rc)" || fail "audit --allow '$v': exit $rc"
done

# run --env: each name once; PORTS is run's own.
bad 125 "run --env PORT --env PORT is refused" "$lb" run --env PORT --env PORT -- true
bad 125 "run --env PORTS is refused" "$lb" run --env PORTS -- true
bad 125 "run --env '1A' is refused" "$lb" run --env 1A -- true
out=$("$lb" run -e A -e B -- sh -c 'echo "$A $B"'); set -- $out
[ $# = 2 ] && [ "$1" != "$2" ] && ok "run -e A -e B: two ports" || fail "run -e A -e B: $out"
finish
