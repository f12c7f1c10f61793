#!/bin/bash
# SPDX-License-Identifier: MIT
# Churn: list sockets in a loop while processes holding sockets start and
# die. Never an error, never a crash, always valid JSON. Bounded: 30 rounds.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

errors=0
bad_json=0
rounds=30
# Three ports per round, leased for the test (never port 0): a round's
# holders may still live when the next one starts.
lb_t_lease $((3 * rounds)) || { fail "lease ports"; finish; exit 1; }
for i in $(seq 1 $rounds); do
	p=("${LB_T_PORTS[@]:$((3 * (i - 1))):3}")
	# Short-lived holders: some exit on their own, some are killed mid-listing.
	"$PY" "$HOLDER" --name lbt-churn --timeout 1 "tcp/127.0.0.1/${p[0]}/fc" "udp/127.0.0.1/${p[1]}" >/dev/null 2>&1 &
	LB_T_PIDS+=($!)
	( sleep 0.0$((i % 10)); exec "$PY" "$HOLDER" --name lbt-churn2 --timeout 1 "tcp/::1/${p[2]}/f" >/dev/null 2>&1 ) &
	LB_T_PIDS+=($!)
	for backend in netlink procfs; do
		for mode in "" "--all-owners"; do
			# shellcheck disable=SC2086
			if ! LOOPBACK_BACKEND=$backend "$LOOPBACK" ls --json $mode \
				>"$LB_T_TMP/ls-$i-$backend$mode.json" 2>"$LB_T_TMP/err"; then
				errors=$((errors + 1))
				echo "# round $i $backend $mode: $(cat "$LB_T_TMP/err")"
			fi
		done
	done
	rc=0
	"$LOOPBACK" who 1 >/dev/null 2>&1 || rc=$?
	[ $rc -le 1 ] || errors=$((errors + 1))
	[ $((i % 4)) = 0 ] && kill -9 "${LB_T_PIDS[-1]}" "${LB_T_PIDS[-2]}" 2>/dev/null
done
bad_json=$("$PY" -c '
import glob, json, sys
bad = 0
for f in glob.glob(sys.argv[1] + "/ls-*.json"):
    try:
        json.load(open(f))
    except ValueError:
        bad += 1
print(bad)' "$LB_T_TMP")
[ $errors = 0 ] && ok "$rounds rounds of listing under churn: no error" || fail "$errors errors under churn"
[ $bad_json = 0 ] && ok "every listing is valid JSON" || fail "$bad_json listings were not valid JSON"
finish
