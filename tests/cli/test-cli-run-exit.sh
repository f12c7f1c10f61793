#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback run's own failures never collide with CMD's statuses: 125 for
# run's errors (usage, no free port, lease), 126 CMD cannot be executed,
# 127 CMD not found, as env(1) and timeout(1); --help and loopback(1) say so.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK

expect_exit 125 "run --bogus: 125" "$lb" run --bogus -- true
expect_exit 125 "run without --: 125" "$lb" run true
expect_exit 125 "run -- (no command): 125" "$lb" run --
expect_exit 125 "run -n x: 125" "$lb" run -n x -- true
expect_exit 125 "run --env 'A B': 125" "$lb" run --env 'A B' -- true
expect_exit 125 "run -n 2 --range P-P: no free group: 125" "$lb" run -n 2 --range 2000-2000 -- true
expect_exit 125 "run --color=bad: 125" "$lb" run --color=bad -- true
expect_exit 0 "run --help: 0" "$lb" run --help
expect_exit 1 "CMD's 1 passes through" "$lb" run -- sh -c 'exit 1'
expect_exit 2 "CMD's 2 passes through (no longer run's usage status)" "$lb" run -- sh -c 'exit 2'
expect_exit 125 "CMD's 125 passes through too" "$lb" run -- sh -c 'exit 125'
expect_exit 127 "CMD not found: 127" "$lb" run -- /nonexistent/lbt-cmd
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '#!/bin/sh\nexit 0\n' >"$tmp/noexec"; chmod 0644 "$tmp/noexec"
if [ "$(id -u)" = 0 ] && [ -x "$tmp/noexec" ]; then
	skip "root may execute a 0644 file here"
else
	expect_exit 126 "CMD not executable: 126" "$lb" run -- "$tmp/noexec"
fi
expect_exit 126 "CMD a directory: 126" "$lb" run -- "$tmp"
# A fully leased one-port range: no free port, 125.
Q=$("$lb" pick) || fail "pick a port"
"$lb" run --range "$Q-$Q" -- sleep 10 &
holder=$!
for i in $(seq 1 50); do grep -q "@loopback/lease/tcp/$Q\$" /proc/net/unix 2>/dev/null && break; sleep 0.1; done
err=$("$lb" run --range "$Q-$Q" -- true 2>&1); rc=$?
[ $rc = 125 ] && ok "run from a fully leased range: 125" || fail "full range: exit $rc ($err)"
[ "$err" = "loopback: run: no free port left in the range" ] && ok "... said once" || fail "message: $err"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

out=$("$lb" run --help)
case $out in *125*126*127*) ok "run --help documents 125, 126, 127" ;; *) fail "run --help: no 125/126/127" ;; esac
out=$("$lb" --help)
case $out in *125*126*127*) ok "loopback --help documents run's 125, 126, 127" ;; *) fail "--help: no 125/126/127" ;; esac
man=$LB_SOURCE_ROOT/man/loopback.1
if [ -r "$man" ]; then
	sec=$(sed -n '/^\.SH EXIT STATUS/,/^\.SH /p' "$man")
	case $sec in *125*126*127*) ok "loopback(1) EXIT STATUS has 125, 126, 127" ;; *) fail "EXIT STATUS lacks 125/126/127" ;; esac
else
	skip "no man page source"
fi
finish
