#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback wait does not connect to a server of this host: python3 -m
# http.server, which logs every request and a ConnectionResetError for a
# probe closed with a reset, logs nothing while wait waits for it; with
# --connect it sees the probes. Ports are leased by `loopback run`.
set -u
. "$LB_TESTS_DIR/lib.sh"
PY=/usr/bin/python3
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# serve NAME WAIT-ARGS...: start http.server on a leased port after 0.3 s,
# wait for it with WAIT-ARGS, give it 0.3 s to log, stop it.
serve() {
	local name=$1 i rc=0; shift
	"$LOOPBACK" run -- sh -c 'echo "$PORT" >"$0.port"; sleep 0.3; exec "$1" -u -m http.server --bind 127.0.0.1 "$PORT"' \
		"$T/$name" "$PY" >"$T/$name.out" 2>"$T/$name.log" &
	PIDS+=($!)
	for i in $(seq 1 100); do [ -s "$T/$name.port" ] && break; sleep 0.05; done
	[ "$name" = held ] && set -- "$@" --pid "${PIDS[-1]}" # run's tree holds the server
	"$LOOPBACK" wait "127.0.0.1:$(cat "$T/$name.port")" --timeout 10 "$@" || rc=$?
	sleep 0.3
	kill "${PIDS[-1]}" 2>/dev/null
	wait "${PIDS[-1]}" 2>/dev/null
	return $rc
}

if serve quiet; then ok "wait for http.server: ready"; else fail "wait for http.server"; fi
if grep -q -e "Traceback" -e "ConnectionReset" -e '"GET' "$T/quiet.log"; then
	fail "http.server saw the wait: $(head -c 400 "$T/quiet.log")"
else
	ok "http.server logged nothing while waited for"
fi
if serve held; then ok "wait --pid for http.server: ready"; else fail "wait --pid for http.server"; fi
if grep -q -e "Traceback" -e "ConnectionReset" -e '"GET' "$T/held.log"; then
	fail "http.server saw wait --pid: $(head -c 400 "$T/held.log")"
else
	ok "http.server logged nothing while waited for with --pid"
fi
if serve connect --connect; then ok "wait --connect for http.server: ready"; else fail "wait --connect"; fi
if grep -q -e "Traceback" -e "ConnectionReset" "$T/connect.log"; then
	ok "with --connect the server sees the probe"
else
	fail "with --connect nothing reached the server: $(head -c 400 "$T/connect.log")"
fi
expect_exit 2 "--connect with --free: usage error" "$LOOPBACK" wait 127.0.0.1:9 --free --connect --timeout 0
finish
