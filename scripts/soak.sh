#!/bin/bash
# SPDX-License-Identifier: MIT
# Proof that the suites do not flake on a busy machine: the unit, cli,
# Python and Go suites run N times in a row (default 5) in this checkout
# and, at the same time, in a second checkout (a git clone of this one's
# HEAD into a temporary folder, built separately), while a load generator
# keeps thousands of loopback connections in TIME-WAIT across the whole
# ephemeral range (scripts/soak.d/load.py, on ports leased through
# `loopback run --listen-fds`, bounded in time and stopped by its PID).
# Nothing is retried: meson test, pytest and go test -count=1 run each
# test once per round. It ends with the failures of each checkout and
# round, the TIME-WAIT count reached (`ss -tan state time-wait`) and the
# ports they spread over, and exits 1 on any failure.
#
#   bash scripts/soak.sh [ROUNDS]
#
# LB_SOAK_RATE: connections a second of the load (default 300: about
# 18,000 TIME-WAITs, as each lasts 60 s); results in build/soak/.
# Uncommitted changes are not in the second checkout (it clones HEAD).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
rounds=${1:-5}
rate=${LB_SOAK_RATE:-300}
out=$top/build/soak
rm -rf "$out"
mkdir -p "$out"
tmp=$(mktemp -d /tmp/lb-soak.XXXXXX)
load_pid= sampler_pid=
cleanup() {
	[ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null
	[ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export PYTHONDONTWRITEBYTECODE=1

# build CHECKOUT: configure (once) and build CHECKOUT/build/gcc, the build
# the binding steps reuse (bindings/ci-env.sh).
build() {
	local b=$1/build/gcc
	if [ ! -f "$b/build.ninja" ]; then
		meson setup "$b" "$1" -Dwerror=true -Dtest_doubles=true --buildtype=debugoptimized >/dev/null || return 1
	fi
	meson compile -C "$b" >/dev/null
}

# rounds CHECKOUT NAME: the suites ROUNDS times; each suite a step folder
# of $out/NAME/round-K (tests/tally.py format).
run_rounds() {
	local co=$1 name=$2 k d s rc t
	for k in $(seq 1 "$rounds"); do
		d=$out/$name/round-$k
		mkdir -p "$d/unit-cli" "$d/python" "$d/go"
		t=$SECONDS
		meson test -C "$co/build/gcc" --no-rebuild --num-processes 2 --suite unit --suite cli \
			>"$d/unit-cli/test.log" 2>&1
		rc=$?
		cp "$co/build/gcc/meson-logs/testlog.json" "$d/unit-cli/testlog.json"
		cp "$co/build/gcc/meson-logs/testlog.junit.xml" "$d/unit-cli/meson.junit.xml"
		printf 'exit %s\nseconds %s\n' "$rc" $((SECONDS - t)) >"$d/unit-cli/status"
		for s in python go; do
			t=$SECONDS
			RESULTS_DIR=$d/$s bash "$co/scripts/test.d/$s.sh" >"$d/$s/run.log" 2>&1
			printf 'exit %s\nseconds %s\n' $? $((SECONDS - t)) >"$d/$s/status"
		done
		echo "soak: $name round $k: $(/usr/bin/python3 "$top/tests/tally.py" "$d" | tail -n 1)"
	done
}

# failing_cases DIR: the failing tests and cases of one round, by name.
failing_cases() {
	grep -hE '^ *[0-9]+/[0-9]+ .*(FAIL|ERROR|TIMEOUT)' "$1/unit-cli/test.log"
	/usr/bin/python3 - "$1" <<'PY'
import glob, json, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
for f in glob.glob(d + "/*/*.junit.xml"):
    for tc in ET.parse(f).getroot().iter("testcase"):
        if any(c.tag in ("failure", "error") for c in tc):
            print(tc.get("classname", ""), tc.get("name", ""))
for f in glob.glob(d + "/go/*.gojson"):
    for line in open(f, errors="replace"):
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        if isinstance(ev, dict) and ev.get("Action") == "fail" and ev.get("Test"):
            print("go", ev.get("Package"), ev["Test"])
PY
}

echo "soak: building this checkout and a clone of HEAD in $tmp/clone" >&2
git clone -q --no-hardlinks "$top" "$tmp/clone" || exit 1
build "$top" || { echo "soak: build of $top failed" >&2; exit 1; }
build "$tmp/clone" || { echo "soak: build of the clone failed" >&2; exit 1; }
lb=$top/build/gcc/tools/loopback

# The load: long enough for the rounds, stopped by PID when they end.
"$lb" run --count 4 --listen-fds -- /usr/bin/python3 "$top/scripts/soak.d/load.py" 7200 "$rate" \
	>"$out/load.log" 2>&1 &
load_pid=$!
# TIME-WAIT samples every 5 s: all of them, those on a local port of the
# ephemeral range, how many distinct such ports, the lowest and highest.
read -r eph_lo eph_hi < <(sysctl -n net.ipv4.ip_local_port_range)
(
	while kill -0 "$load_pid" 2>/dev/null; do
		ss -tanH state time-wait | /usr/bin/python3 -c '
import sys
lo, hi = int(sys.argv[1]), int(sys.argv[2])
ports = [int(l.split()[2].rsplit(":", 1)[1]) for l in sys.stdin if l.strip()]
eph = [p for p in ports if lo <= p <= hi]
print(len(ports), len(eph), len(set(eph)), min(eph, default=0), max(eph, default=0), flush=True)' "$eph_lo" "$eph_hi"
		sleep 5
	done
) >"$out/time-wait.txt" &
sampler_pid=$!
sleep 20   # let the TIME-WAITs build up before the first round

t0=$SECONDS
run_rounds "$top" this >"$out/this.log" 2>&1 &
this_pid=$!
run_rounds "$tmp/clone" clone >"$out/clone.log" 2>&1 &
clone_pid=$!
wait "$this_pid"
wait "$clone_pid"
kill "$load_pid" 2>/dev/null
wait "$load_pid" 2>/dev/null
load_pid=
kill "$sampler_pid" 2>/dev/null
wait "$sampler_pid" 2>/dev/null
sampler_pid=

cat "$out/this.log" "$out/clone.log"
cat "$out/load.log"
read -r tw_max tw_eph tw_ports tw_lo tw_hi < <(sort -n -k1,1 "$out/time-wait.txt" | tail -n 1)
echo "soak: TIME-WAIT sockets: up to ${tw_max:-0} at once (\`ss -tan state time-wait\`), ${tw_eph:-0} of them on ${tw_ports:-0} distinct local ports of the ephemeral range $eph_lo-$eph_hi, from ${tw_lo:-?} to ${tw_hi:-?}; samples every 5 s in build/soak/time-wait.txt"
failed=0
for d in "$out"/this/round-* "$out"/clone/round-*; do
	line=$(/usr/bin/python3 "$top/tests/tally.py" "$d" | tail -n 1)
	f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$line")
	failed=$((failed + ${f:-1}))
	if [ "${f:-1}" != 0 ]; then
		failing_cases "$d" | sed "s|^|  ${d#"$out"/}: |"
	fi
done
echo "soak: $rounds rounds x 2 checkouts in $((SECONDS - t0)) s: $failed failures, 0 retries (nothing reruns a failed test)"
[ "$failed" -eq 0 ]
