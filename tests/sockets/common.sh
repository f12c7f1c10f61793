# SPDX-License-Identifier: MIT
# Helpers for the socket integration tests (source after tests/lib.sh).
PY=/usr/bin/python3
HOLDER="$LB_TESTS_DIR/sockets/holder.py"
CHECK="$LB_TESTS_DIR/sockets/check.py"
LB_T_TMP=$(mktemp -d)
LB_T_PIDS=()

cleanup() {
	local p
	for p in "${LB_T_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in "${LB_T_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$LB_T_TMP"
}
lb_t_on_exit cleanup

# start_holder NAME [PREFIX CMD...] -- HOLDER ARGS: start holder.py (under an
# optional prefix such as `unshare -n`), wait (10 s at most) for its JSON
# line in $LB_T_TMP/NAME.json. The holder's own pid is in the JSON.
start_holder() {
	local name=$1 out i; shift
	local prefix=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do prefix+=("$1"); shift; done
	shift
	out=$LB_T_TMP/$name.json
	"${prefix[@]}" "$PY" "$HOLDER" "$@" >"$out" 2>"$LB_T_TMP/$name.err" &
	LB_T_PIDS+=($!)
	for i in $(seq 1 200); do
		[ -s "$out" ] && grep -q '}$' "$out" && return 0
		sleep 0.05
	done
	echo "holder $name did not start: $(cat "$LB_T_TMP/$name.err")" >&2
	return 1
}

# jget FILE EXPR: a value from a JSON file (EXPR in Python, the data is d).
jget() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# run_check ARGS...: run check.py, which prints "ok DESC" / "not ok DESC"
# lines; turn them into TAP results.
run_check() {
	local line found=0
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok }"; found=1 ;;
		"not ok "*) fail "${line#not ok }"; found=1 ;;
		*) echo "# $line" ;;
		esac
	done < <("$PY" "$CHECK" "$@" 2>&1)
	[ $found = 1 ] || fail "check.py $1 produced no result"
}
