#!/bin/bash
# SPDX-License-Identifier: MIT
# Every row of tests/data/endpoint-conformance.tsv through
# `loopback parse --batch=MODE`: one batch run per mode, one result per row.
set -u
. "$LB_TESTS_DIR/lib.sh"

table=$LB_TESTS_DIR/data/endpoint-conformance.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

declare -a modes=() inputs=() expected=()
while IFS= read -r row || [ -n "$row" ]; do
	case $row in ''|'#'*) continue ;; esac
	mode=${row%%$'\t'*}
	rest=${row#*$'\t'}
	modes+=("$mode")
	inputs+=("${rest%%$'\t'*}")
	expected+=("${rest#*$'\t'}")
done <"$table"

[ "${#modes[@]}" -ge 300 ] && ok "table has ${#modes[@]} rows" || fail "table has only ${#modes[@]} rows"

for mode in addr endpoint; do
	: >"$tmp/$mode.in"
	for i in "${!modes[@]}"; do
		[ "${modes[$i]}" = "$mode" ] || continue
		# %b decodes the table's escapes: \\ \t \r \xHH (every literal
		# backslash in the table is written \\, so nothing else is decoded)
		printf '%b\n' "${inputs[$i]}" >>"$tmp/$mode.in"
	done
	rc=0
	"$LOOPBACK" parse --batch="$mode" <"$tmp/$mode.in" >"$tmp/$mode.out" 2>"$tmp/$mode.err" || rc=$?
	[ "$rc" -le 1 ] && [ ! -s "$tmp/$mode.err" ] && ok "batch=$mode ran (exit $rc)" ||
		fail "batch=$mode ran (exit $rc): $(cat "$tmp/$mode.err")"
	mapfile -t got <"$tmp/$mode.out"
	n=0
	for i in "${!modes[@]}"; do
		[ "${modes[$i]}" = "$mode" ] || continue
		if [ "${got[$n]-<missing>}" = "${expected[$i]}" ]; then
			ok "$mode '${inputs[$i]}'"
		else
			fail "$mode '${inputs[$i]}': got '${got[$n]-<missing>}', want '${expected[$i]}'"
		fi
		n=$((n + 1))
	done
	[ "${#got[@]}" -eq "$n" ] && ok "batch=$mode printed one line per input" ||
		fail "batch=$mode printed ${#got[@]} lines for $n inputs"
done
finish
