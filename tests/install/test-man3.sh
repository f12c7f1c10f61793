#!/bin/bash
# SPDX-License-Identifier: MIT
# The section-3 pages as `meson install` delivers them: every export of
# lib/libloopback.sym has a page, `man -M DESTDIR/man lb_xxx` finds it, the
# page it finds names the function in NAME, and every page renders with
# `man -l` without a warning. A new export without a doc comment in
# include/ has no page, and fails here.
set -u
. "$LB_TESTS_DIR/lib.sh"

if [ "${LB_MAN:-1}" != 1 ]; then
	skip "man pages are not installed in this build (-Dman=false)"
	finish
	exit 0
fi
if ! command -v man >/dev/null; then
	skip "man-db is not installed: cannot look pages up"
	finish
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dest=$tmp/dest
if ! meson install -C "$LB_BUILD_ROOT" --destdir "$dest" --no-rebuild >"$tmp/install.log" 2>&1; then
	fail "meson install --destdir succeeds: $(tail -n 20 "$tmp/install.log")"
	finish
	exit 1
fi
mandir=$dest$LB_MANDIR
man3=$mandir/man3

syms=$(sed -n 's/^[[:space:]]*\(lb_[a-z0-9_]*\);.*/\1/p' "$LB_SOURCE_ROOT/lib/libloopback.sym" | LC_ALL=C sort -u)
nsyms=$(wc -w <<<"$syms")
[ "$nsyms" -gt 0 ] && ok "libloopback.sym lists $nsyms exports" || fail "libloopback.sym lists exports"

missing="" unnamed=""
for s in $syms; do
	if [ ! -e "$man3/$s.3" ]; then
		missing="$missing $s"
		continue
	fi
	# The page the name leads to must list the function in its NAME
	# line (the whatis entry).
	name=$(sed -n '/^\.SH NAME/,/^\.SH/p' "$(readlink -f "$man3/$s.3")" | sed 's/\\-/-/g' | tr -s ' \n' ' ')
	grep -Eq "(^| |,)$s(,| )" <<<"$name" || unnamed="$unnamed $s"
done
# What `man 3 lb_xxx` finds (man -w prints the path, one per name found).
found=$(man -M "$mandir" -w 3 $syms 2>/dev/null | grep -c "^$man3/")
notfound=""
if [ "$found" -ne "$nsyms" ]; then
	notfound="only $found of $nsyms found: $(for s in $syms; do
		man -M "$mandir" -w 3 "$s" >/dev/null 2>&1 || echo "$s"; done | head -n 5 | tr '\n' ' ')"
fi
[ -z "$missing" ] && ok "every export has a page in man3 ($nsyms)" || fail "every export has a page in man3; missing:$missing"
[ -z "$notfound" ] && ok "man -M finds every export's page" || fail "man -M finds every export's page; $notfound"
[ -z "$unnamed" ] && ok "each page names its functions in NAME" || fail "each page names its functions in NAME; not named:$unnamed"

# No page (or link) for something that is not exported.
extra=""
for f in "$man3"/*.3; do
	b=$(basename "$f" .3)
	case $b in
	lb_*) grep -qx "$b" <<<"$syms" || extra="$extra $b" ;;
	esac
done
[ -z "$extra" ] && ok "no page for a function that is not exported" || fail "no page for a function that is not exported:$extra"

pages=0 bad=""
for f in "$man3"/*.3; do
	[ -L "$f" ] && continue
	pages=$((pages + 1))
	w=$(MANWIDTH=80 man --warnings -l "$f" 2>&1 >/dev/null)
	lines=$(MANWIDTH=80 man -l "$f" 2>/dev/null | wc -l)
	if [ -n "$w" ] || [ "$lines" -lt 20 ]; then
		bad="$bad $(basename "$f") ($lines lines: $(head -c 300 <<<"$w"))"
	fi
done
[ "$pages" -gt 0 ] && [ -z "$bad" ] && ok "man -l renders the $pages section-3 pages without warnings" ||
	fail "man -l renders the section-3 pages without warnings:$bad"

finish
