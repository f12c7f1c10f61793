#!/bin/bash
# SPDX-License-Identifier: MIT
# Run the C examples for the three uses, built in DIR, the way a user
# would, each bounded in time and checked on what it does:
#   dev-server    picks, leases, listens, prints its URL; answers a request
#   who-is-on     names the dev-server's pid on its port
#   test-harness  reserves a contiguous group and hands it to children
# Prints "ok ..." / "not ok ..." lines; exits 1 if one failed.
#   run-examples.sh DIR
set -u
dir=$1
failed=0
ok() { echo "ok $*"; }
fail() { echo "not ok $*"; failed=1; }
tmp=$(mktemp -d)
srv=""
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT

# dev-server: one request, 20 s at most.
"$dir/dev-server" 1 20 >"$tmp/url" 2>"$tmp/err" &
srv=$!
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.1; done
url=$(head -n 1 "$tmp/url")
port=${url#http://127.0.0.1:}
port=${port%/}
if [[ $url =~ ^http://127\.0\.0\.1:[0-9]+/$ ]] && [ "$port" -ge 1024 ]; then
	ok "dev-server prints its URL ($url)"
else
	fail "dev-server prints its URL (got '$url': $(head -c 300 "$tmp/err"))"
	port=""
fi
if [ -n "$port" ]; then
	# who-is-on, while the dev server listens: it must name it.
	out=$(timeout 20 "$dir/who-is-on" "$port" 2>&1)
	if grep -q "^tcp LISTEN 127.0.0.1 port $port$" <<<"$out" && grep -q "pid $srv dev-server" <<<"$out"; then
		ok "who-is-on $port names the dev-server (pid $srv)"
	else
		fail "who-is-on $port names the dev-server (pid $srv): $out"
	fi
	resp=$(timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "GET / HTTP/1.0\r\n\r\n" >&3 && cat <&3' _ "$port" 2>&1)
	if grep -q "^hello from pid $srv on port $port" <<<"$resp"; then
		ok "dev-server answers on its port"
	else
		fail "dev-server answers on its port: $(head -c 300 <<<"$resp")"
	fi
	wait "$srv"
	rc=$?
	srv=""
	[ $rc -eq 0 ] && ok "dev-server exits 0 after its request" || fail "dev-server exits 0 after its request (exit $rc)"
	# (A TIME-WAIT leftover of the served connection may still be listed.)
	out=$(timeout 20 "$dir/who-is-on" "$port" 2>&1)
	! grep -q -e LISTEN -e "pid $srv " <<<"$out" && ok "who-is-on $port lists no listener once the server is gone" ||
		fail "who-is-on $port lists no listener once the server is gone: $out"
fi
out=$(timeout 20 "$dir/who-is-on" 0 2>&1)
[ $? -eq 2 ] && ok "who-is-on rejects port 0 (exit 2)" || fail "who-is-on rejects port 0 (exit 2): $out"

# test-harness: 4 consecutive ports, one worker each; it checks itself.
out=$(timeout 60 "$dir/test-harness" 4 2>&1)
rc=$?
if [ $rc -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = ok ] && [ "$(grep -c '^port .*: worker ' <<<"$out")" -eq 4 ]; then
	ok "test-harness: 4 contiguous ports served by 4 children holding the lease"
else
	fail "test-harness 4 (exit $rc): $(head -c 600 <<<"$out")"
fi
exit "$failed"
