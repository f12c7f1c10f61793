#!/bin/bash
# SPDX-License-Identifier: MIT
# The export guards (libevdev/libinput style): what libloopback.so exports,
# what lib/libloopback.sym lists, what include/ declares with LB_EXPORT and
# what lib/ defines with LB_EXPORT are the same set of names; the SONAME is
# libloopback.so.1; the static library adds no unprefixed global names.
set -u
. "$LB_TESTS_DIR/lib.sh"

src=$LB_SOURCE_ROOT
symfile=$src/lib/libloopback.sym
so=$LB_SHARED_LIB
names() { /usr/bin/python3 "$LB_TESTS_DIR/abi/abi-names.py" "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# same WHAT A B: ok when the sorted name lists A and B are equal; else
# name what is only in one of them.
same() {
	local what=$1 a=$2 b=$3 only_a only_b
	only_a=$(comm -23 "$a" "$b" | tr '\n' ' ')
	only_b=$(comm -13 "$a" "$b" | tr '\n' ' ')
	if [ -z "$only_a$only_b" ] && [ -s "$a" ]; then
		ok "$what ($(wc -l <"$a") names)"
	elif [ ! -s "$a" ]; then
		fail "$what: no names found"
	else
		fail "$what: only in the first: ${only_a:--}; only in the second: ${only_b:--}"
	fi
}

# The version script itself: it parses, names look right, each node is
# sorted and no name appears twice.
if names sym "$symfile" >"$tmp/sym-nodes" 2>"$tmp/sym-err"; then
	ok "lib/libloopback.sym parses"
else
	fail "lib/libloopback.sym parses: $(cat "$tmp/sym-err")"
fi
cut -d' ' -f2 "$tmp/sym-nodes" | LC_ALL=C sort >"$tmp/sym"
bad=$(cut -d' ' -f1 "$tmp/sym-nodes" | sort -u | grep -Ev '^LOOPBACK_[0-9]+\.[0-9]+$' | tr '\n' ' ')
[ -z "$bad" ] && ok "version nodes are named LOOPBACK_<major>.<minor>" ||
	fail "version nodes are named LOOPBACK_<major>.<minor>: $bad"
bad=$(grep -Ev '^lb_[a-z0-9]' "$tmp/sym" | tr '\n' ' ')
[ -z "$bad" ] && ok "every listed symbol is lb_-prefixed (and not lb__)" ||
	fail "every listed symbol is lb_-prefixed (and not lb__): $bad"
bad=$(LC_ALL=C uniq -d "$tmp/sym" | tr '\n' ' ')
[ -z "$bad" ] && ok "no symbol is listed twice" || fail "no symbol is listed twice: $bad"
unsorted=""
for node in $(cut -d' ' -f1 "$tmp/sym-nodes" | uniq); do
	awk -v n="$node" '$1 == n { print $2 }' "$tmp/sym-nodes" >"$tmp/node"
	LC_ALL=C sort -c "$tmp/node" 2>/dev/null || unsorted="$unsorted $node"
done
[ -z "$unsorted" ] && ok "each version node lists its symbols alphabetically" ||
	fail "each version node lists its symbols alphabetically:$unsorted"

# What the shared library really exports: every defined dynamic symbol
# except the version node markers (absolute symbols named after the node).
nm -D --defined-only "$so" >"$tmp/nm" || fail "nm -D $so"
awk '$2 != "A" { print $3 }' "$tmp/nm" | sed 's/@.*//' | LC_ALL=C sort -u >"$tmp/exported"
same "exported symbols (nm -D) equal the .sym list" "$tmp/exported" "$tmp/sym"
bad=$(awk '$2 != "A" && $3 !~ /@@?LOOPBACK_[0-9]+\.[0-9]+$/ { print $3 }' "$tmp/nm" | tr '\n' ' ')
[ -z "$bad" ] && ok "every export carries a LOOPBACK_x.y version" ||
	fail "every export carries a LOOPBACK_x.y version: $bad"
# Each symbol is versioned with the node that lists it.
awk '$2 != "A" { n = split($3, p, "@"); print p[n], p[1] }' "$tmp/nm" | LC_ALL=C sort >"$tmp/nm-nodes"
LC_ALL=C sort "$tmp/sym-nodes" >"$tmp/sym-nodes-sorted"
if cmp -s "$tmp/nm-nodes" "$tmp/sym-nodes-sorted"; then
	ok "each export has the version node the .sym file gives it"
else
	fail "each export has the version node the .sym file gives it: $(diff "$tmp/sym-nodes-sorted" "$tmp/nm-nodes" | grep '^[<>]' | tr '\n' ' ')"
fi

soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = "libloopback.so.1" ] && ok "SONAME is libloopback.so.1" ||
	fail "SONAME is libloopback.so.1 (got '${soname}')"

# The public headers: every function declared with LB_EXPORT.
names exported "$src"/include/*.h "$src"/include/loopback/*.h | LC_ALL=C sort -u >"$tmp/declared"
same "functions declared with LB_EXPORT in include/ equal the .sym list" "$tmp/declared" "$tmp/sym"

# The sources: every function defined with LB_EXPORT (libinput's check).
shopt -s nullglob
mapfile -t sources < <(find "$src/lib" -name "*.c" | sort)
shopt -u nullglob
names exported "${sources[@]}" | LC_ALL=C sort -u >"$tmp/defined"
bad=$(comm -23 "$tmp/defined" "$tmp/sym" | tr '\n' ' ')
[ -z "$bad" ] && ok "every LB_EXPORT definition in lib/ is in the .sym list" ||
	fail "every LB_EXPORT definition in lib/ is in the .sym list: missing $bad"
bad=$(comm -13 "$tmp/defined" "$tmp/sym" | tr '\n' ' ')
[ -z "$bad" ] && ok "every .sym symbol is defined with LB_EXPORT in lib/" ||
	fail "every .sym symbol is defined with LB_EXPORT in lib/: not found $bad"

# The static library has no version script and no hidden visibility at
# link time: every global it defines must be lb_ (public) or lb__
# (internal) so that it cannot clash inside a user's program.
if [ -n "${LB_STATIC_LIB:-}" ] && [ -f "$LB_STATIC_LIB" ]; then
	nm --defined-only -g "$LB_STATIC_LIB" 2>/dev/null |
		awk 'NF == 3 { print $3 }' | LC_ALL=C sort -u >"$tmp/static"
	bad=$(grep -Ev '^lb_' "$tmp/static" | grep -Ev '^__(odr_asan|asan|ubsan|sanitizer)' | tr '\n' ' ')
	if [ ! -s "$tmp/static" ]; then
		fail "libloopback.a defines only lb_/lb__ globals: no globals found"
	elif [ -z "$bad" ]; then
		ok "libloopback.a defines only lb_/lb__ globals"
	else
		fail "libloopback.a defines only lb_/lb__ globals: $bad"
	fi
else
	skip "no static library in this build"
fi

finish
