#!/bin/bash
# SPDX-License-Identifier: MIT
# The built libloopback.so against the committed ABI baseline
# tests/abi/libloopback.abi (abidiff from abigail-tools). abidiff's exit
# status is a bit mask: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible ABI change.
set -u
. "$LB_TESTS_DIR/lib.sh"

baseline=$LB_TESTS_DIR/abi/libloopback.abi
so=${LB_SHARED_LIB:-}

# The baseline is written from a gcc -g build without sanitizers
# (scripts/update-abi-baseline.sh); another compiler or instrumentation
# describes the same ABI differently, so only such a build is compared.
why=""
if [ "${LB_CC_ID:-}" != gcc ]; then
	why="the baseline is from gcc; this build uses ${LB_CC_ID:-an unknown compiler}"
elif [ "${LB_SANITIZE:-none}" != none ]; then
	why="sanitized build (b_sanitize=$LB_SANITIZE); the gcc step checks the ABI"
elif [ "${LB_DEBUG:-1}" != 1 ]; then
	why="no debug info in this build (-Ddebug=false); abidiff needs -g"
elif ! command -v abidiff >/dev/null; then
	why="abidiff is not installed (abigail-tools, see scripts/packages.txt)"
fi
if [ -n "$why" ]; then
	skip "ABI baseline check: $why"
	finish
	exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
update="update it with scripts/update-abi-baseline.sh and say so in NEWS"

rc=0
abidiff "$baseline" "$baseline" >"$tmp/self" 2>&1 || rc=$?
[ -s "$baseline" ] && [ "$rc" -eq 0 ] && ok "the baseline exists and reads back equal to itself" ||
	fail "the baseline exists and reads back equal to itself (abidiff exit $rc): $(head -c 400 "$tmp/self")"

rc=0
abidiff "$baseline" "$so" >"$tmp/report" 2>&1 || rc=$?
cat "$tmp/report"
if [ $((rc & 3)) -ne 0 ]; then
	fail "abidiff could compare the baseline with $so (exit $rc): $(head -c 400 "$tmp/report")"
elif [ $((rc & 8)) -ne 0 ]; then
	fail "no incompatible ABI change against the baseline (abidiff exit $rc): $(head -c 800 "$tmp/report" | tr '\n' ' ')"
else
	ok "no incompatible ABI change against the baseline (nothing removed)"
fi
# abidiff sets bit 8 only for removals; a changed parameter, return or
# struct type of an existing function is "only" bit 4. With additions
# left out, any change left is a change to what callers already use.
rc2=0
abidiff --no-added-syms "$baseline" "$so" >"$tmp/changed" 2>&1 || rc2=$?
if [ "$rc2" -eq 0 ]; then
	ok "no existing function or type changed against the baseline"
else
	fail "no existing function or type changed against the baseline (abidiff --no-added-syms exit $rc2): this breaks callers unless it only uses reserved space; if intended, $update: $(grep -v '^$' "$tmp/changed" | head -c 800 | tr '\n' ' ')"
fi
if [ "$rc" -eq 0 ]; then
	ok "the ABI baseline is up to date"
else
	fail "the ABI baseline is up to date: the ABI differs (abidiff exit $rc); $update"
fi

# The check itself: a baseline with one function more than the library
# (as if the library had dropped it) must be reported as incompatible.
/usr/bin/python3 - "$baseline" "$tmp/dropped.abi" <<-'EOF'
	import sys
	import xml.etree.ElementTree as ET
	src, dropped = sys.argv[1:]
	# The first exported function, removed from a copy of the baseline.
	tree = ET.parse(src)
	root = tree.getroot()
	syms = root.find("elf-function-symbols")
	victim = syms.find("elf-symbol")
	name = victim.get("name")
	syms.remove(victim)
	for parent in root.iter():
	    for child in list(parent):
	        if child.tag == "function-decl" and child.get("name") == name:
	            parent.remove(child)
	tree.write(dropped)
	print("removed", name, file=sys.stderr)
	EOF
[ -s "$tmp/dropped.abi" ] || fail "could not make a baseline without a function"
rc=0
abidiff "$baseline" "$tmp/dropped.abi" >"$tmp/report" 2>&1 || rc=$?
[ $((rc & 8)) -ne 0 ] && ok "abidiff reports a removed function as incompatible (exit $rc)" ||
	fail "abidiff reports a removed function as incompatible (exit $rc, want bit 8): $(head -c 400 "$tmp/report")"
rc=0
abidiff "$tmp/dropped.abi" "$baseline" >"$tmp/report" 2>&1 || rc=$?
[ "$rc" -eq 4 ] && ok "abidiff reports an added function as a compatible change (exit 4)" ||
	fail "abidiff reports an added function as a compatible change (exit $rc, want 4): $(head -c 400 "$tmp/report")"

finish
