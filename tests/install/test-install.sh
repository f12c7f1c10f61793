#!/bin/bash
# SPDX-License-Identifier: MIT
# What `meson install` delivers, checked the way a user meets it: install
# into a temporary DESTDIR, then build every example against the installed
# copy using nothing but `pkg-config --cflags --libs loopback`, run them
# against the installed library, link one statically, render the man page.
set -u
. "$LB_TESTS_DIR/lib.sh"

tmp=$(mktemp -d)
lb_t_on_exit 'rm -rf "$tmp"'
dest=$tmp/dest
src=$LB_SOURCE_ROOT
cc=${LB_CC:-cc}
incdir=$dest$LB_INCLUDEDIR
libdir=$dest$LB_LIBDIR

if meson install -C "$LB_BUILD_ROOT" --destdir "$dest" --no-rebuild >"$tmp/install.log" 2>&1; then
	ok "meson install --destdir succeeds"
else
	fail "meson install --destdir succeeds: $(tail -n 20 "$tmp/install.log")"
	finish
	exit 1
fi

# Headers: exactly the tree under include/.
(cd "$src/include" && find . -name '*.h' | LC_ALL=C sort) >"$tmp/want-headers"
(cd "$incdir" 2>/dev/null && find . -name '*.h' | LC_ALL=C sort) >"$tmp/got-headers"
if [ -s "$tmp/want-headers" ] && cmp -s "$tmp/want-headers" "$tmp/got-headers"; then
	ok "every public header is installed ($(wc -l <"$tmp/want-headers") headers)"
else
	fail "every public header is installed: $(diff "$tmp/want-headers" "$tmp/got-headers" | grep '^[<>]' | tr '\n' ' ')"
fi
bad=""
while read -r h; do cmp -s "$src/include/$h" "$incdir/$h" || bad="$bad $h"; done <"$tmp/want-headers"
[ -z "$bad" ] && ok "installed headers equal the sources" || fail "installed headers equal the sources:$bad"

# The library: libloopback.so -> libloopback.so.1 -> the real file, whose
# SONAME is libloopback.so.1; and the static archive.
link1=$(readlink "$libdir/libloopback.so" 2>/dev/null)
link2=$(readlink "$libdir/libloopback.so.1" 2>/dev/null)
if [ "$link1" = libloopback.so.1 ] && [ -n "$link2" ] && [ ! -L "$libdir/$link2" ] &&
   [ -f "$libdir/$link2" ]; then
	ok "libloopback.so -> libloopback.so.1 -> $link2"
else
	fail "libloopback.so -> libloopback.so.1 -> a file (got '${link1}' -> '${link2}')"
fi
soname=$(readelf -d "$libdir/libloopback.so.1" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = libloopback.so.1 ] && ok "installed library has SONAME libloopback.so.1" ||
	fail "installed library has SONAME libloopback.so.1 (got '${soname}')"
[ -f "$libdir/libloopback.a" ] && ok "libloopback.a is installed" || fail "libloopback.a is installed in $LB_LIBDIR"

# The tool and its man page.
if [ -x "$dest$LB_BINDIR/loopback" ]; then
	out=$(LD_LIBRARY_PATH=$libdir "$dest$LB_BINDIR/loopback" --version 2>&1)
	case $out in
	"loopback $LB_VERSION"|"loopback $LB_VERSION "*) true ;;
	*) false ;;
	esac && ok "installed loopback --version says $LB_VERSION" ||
		fail "installed loopback --version says $LB_VERSION (got '$out')"
else
	fail "bin/loopback is installed"
fi
page=$dest$LB_MANDIR/man1/loopback.1
if [ "${LB_MAN:-1}" != 1 ]; then
	skip "man pages are not installed in this build (-Dman=false)"
elif [ ! -f "$page" ]; then
	fail "share/man/man1/loopback.1 is installed"
else
	ok "share/man/man1/loopback.1 is installed"
	if command -v man >/dev/null; then
		warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		text=$(MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l)
		if [ -z "$warnings" ] && [ "$text" -gt 10 ]; then
			ok "man -l renders loopback.1 without warnings ($text lines)"
		else
			fail "man -l renders loopback.1 without warnings ($text lines): $(printf '%s' "$warnings" | head -c 600)"
		fi
	else
		skip "man-db is not installed: cannot render the page"
	fi
fi
schema=$dest$LB_DATADIR/loopback/loopback.schema.json
if [ "${LB_MAN:-1}" != 1 ]; then
	skip "the JSON schema is installed with the man page, not in this build (-Dman=false)"
elif cmp -s "$schema" "$src/man/loopback.schema.json"; then
	ok "share/loopback/loopback.schema.json is installed"
else
	fail "share/loopback/loopback.schema.json is installed"
fi

# pkg-config sees only the DESTDIR: PKG_CONFIG_LIBDIR replaces the system
# search path, PKG_CONFIG_SYSROOT_DIR prefixes -I and -L with the DESTDIR.
export PKG_CONFIG_LIBDIR=$libdir/pkgconfig PKG_CONFIG_SYSROOT_DIR=$dest
unset PKG_CONFIG_PATH
ver=$(pkg-config --modversion loopback 2>&1)
[ "$ver" = "$LB_VERSION" ] && ok "loopback.pc is installed, version $ver" ||
	fail "loopback.pc is installed with version $LB_VERSION (got '$ver')"
read -r -a pc_flags <<<"$(pkg-config --cflags --libs loopback)"
read -r -a pc_cflags <<<"$(pkg-config --cflags loopback)"
read -r -a pc_static_libs <<<"$(pkg-config --static --libs loopback)"

# A sanitized library needs the sanitizer runtime in every program
# linked with it; that is the only flag added to what pkg-config says.
san=()
[ "${LB_SANITIZE:-none}" != none ] && san=(-fsanitize="$LB_SANITIZE")

shopt -s nullglob
examples=("$src"/examples/*.c)
shopt -u nullglob
[ ${#examples[@]} -gt 0 ] || fail "no examples/*.c to build"
for ex in "${examples[@]}"; do
	name=$(basename "$ex" .c)
	if "$cc" "${san[@]}" -Wall -Wextra -Werror -o "$tmp/$name" "$ex" "${pc_flags[@]}" >"$tmp/log" 2>&1; then
		ok "examples/$name.c builds with pkg-config --cflags --libs loopback"
	else
		fail "examples/$name.c builds with pkg-config --cflags --libs loopback: $(head -c 600 "$tmp/log")"
		continue
	fi
	lib=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/$name" | awk '$1 == "libloopback.so.1" { print $3 }')
	[ "$lib" = "$libdir/libloopback.so.1" ] && ok "examples/$name runs against the installed libloopback.so.1" ||
		fail "examples/$name runs against the installed libloopback.so.1 (ldd: '${lib}')"
done

# The examples for the three uses, run against the installed library
# (bounded, each checked on what it does).
if [ -x "$tmp/dev-server" ] && [ -x "$tmp/who-is-on" ] && [ -x "$tmp/test-harness" ]; then
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "examples: ${line#ok }" ;;
		"not ok "*) fail "examples: ${line#not ok }" ;;
		esac
	done < <(LD_LIBRARY_PATH=$libdir bash "$LB_TESTS_DIR/install/run-examples.sh" "$tmp")
else
	fail "examples dev-server, who-is-on and test-harness are built"
fi

if [ -f "$src/examples/version-check.c" ]; then
	out=$(LD_LIBRARY_PATH=$libdir "$tmp/version-check" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ "$(head -n 1 <<<"$out")" = "libloopback $LB_VERSION" ] &&
		ok "version-check reports libloopback $LB_VERSION" ||
		fail "version-check reports libloopback $LB_VERSION (exit $rc): $out"

	# Statically linked: the archive instead of the shared library, the
	# rest of the system as usual.
	if "$cc" "${san[@]}" -Wall -Wextra -Werror -o "$tmp/version-check-static" \
		"$src/examples/version-check.c" "${pc_cflags[@]}" \
		-Wl,-Bstatic "${pc_static_libs[@]}" -Wl,-Bdynamic >"$tmp/log" 2>&1; then
		ok "version-check links statically with pkg-config --static"
		if readelf -d "$tmp/version-check-static" | grep -q 'NEEDED.*libloopback'; then
			fail "the static build does not need libloopback.so"
		else
			ok "the static build does not need libloopback.so"
		fi
		out=$(env -u LD_LIBRARY_PATH "$tmp/version-check-static" 2>&1)
		rc=$?
		[ $rc -eq 0 ] && [ "$(head -n 1 <<<"$out")" = "libloopback $LB_VERSION" ] &&
			ok "the static version-check reports libloopback $LB_VERSION" ||
			fail "the static version-check reports libloopback $LB_VERSION (exit $rc): $out"
	else
		fail "version-check links statically with pkg-config --static: $(head -c 600 "$tmp/log")"
	fi
else
	fail "examples/version-check.c is missing"
fi

finish
