#!/bin/bash
# SPDX-License-Identifier: MIT
# Header hygiene (libevdev/systemd style): every public header compiles on
# its own as C89 -pedantic, C99, C11 and C++11 with -Wall -Wextra -Werror,
# gives C linkage to C++ callers, is reachable from <loopback.h> and
# installed, and defines nothing outside the lb_/LB_ namespace except its
# LOOPBACK_*_H include guard.
set -u
. "$LB_TESTS_DIR/lib.sh"

src=$LB_SOURCE_ROOT
inc=$src/include
names() { /usr/bin/python3 "$LB_TESTS_DIR/abi/abi-names.py" "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

headers=()
while IFS= read -r h; do headers+=("${h#"$inc"/}"); done < <(find "$inc" -name '*.h' | LC_ALL=C sort)
[ ${#headers[@]} -gt 0 ] && ok "found ${#headers[@]} public headers" || fail "no public headers under $inc"

# The C++ compiler that goes with a C compiler: gcc-12 -> g++-12,
# clang -> clang++, cc -> c++.
cxx_for() {
	local dir base
	dir=$(dirname "$1") base=$(basename "$1")
	case $base in
	*clang*) base=${base/clang/clang++} ;;
	*gcc*) base=${base/gcc/g++} ;;
	cc) base=c++ ;;
	*) return 1 ;;
	esac
	[ "$dir" = . ] && echo "$base" || echo "$dir/$base"
}

# The step's compiler first, then the other family if it is installed,
# so both gcc and clang judge the headers whichever step runs this.
compilers=("${LB_CC:-cc}")
case ${LB_CC_ID:-gcc} in
clang) other=gcc ;;
*) other=clang ;;
esac
command -v "$other" >/dev/null && compilers+=("$other")

cflags=(-Wall -Wextra -Werror -Wundef -Wshadow -Wstrict-prototypes -Wmissing-prototypes)
cxxflags=(-Wall -Wextra -Werror -Wundef -Wshadow)
for cc in "${compilers[@]}"; do
	cxx=$(cxx_for "$cc") && command -v "$cxx" >/dev/null || cxx=""
	for h in "${headers[@]}"; do
		# Included twice: the include guard must hold.
		printf '#include <%s>\n#include <%s>\n' "$h" "$h" >"$tmp/one.c"
		cp "$tmp/one.c" "$tmp/one.cc"
		for std in c89 c99 c11; do
			if "$cc" -std=$std -pedantic "${cflags[@]}" -I"$inc" -c "$tmp/one.c" \
				-o "$tmp/one.o" >"$tmp/log" 2>&1; then
				ok "$h compiles alone as $std -pedantic ($cc)"
			else
				fail "$h compiles alone as $std -pedantic ($cc): $(head -c 600 "$tmp/log")"
			fi
		done
		if [ -z "$cxx" ]; then
			fail "$h compiles alone as c++11: no C++ compiler for $cc (install g++ / clang++)"
		elif "$cxx" -std=c++11 -pedantic "${cxxflags[@]}" -I"$inc" -c "$tmp/one.cc" \
			-o "$tmp/one.o" >"$tmp/log" 2>&1; then
			ok "$h compiles alone as c++11 -pedantic ($cxx)"
		else
			fail "$h compiles alone as c++11 -pedantic ($cxx): $(head -c 600 "$tmp/log")"
		fi
	done
done

# C linkage: a C++ program that uses every exported function refers to
# the plain C names, not mangled ones.
/usr/bin/python3 "$LB_TESTS_DIR/abi/abi-names.py" sym "$src/lib/libloopback.sym" |
	cut -d' ' -f2 | LC_ALL=C sort >"$tmp/sym"
cxx=$(cxx_for "${compilers[0]}")
{
	echo '#include <loopback.h>'
	echo 'typedef void (*lb_fn)(void);'
	echo 'lb_fn lb_all[] = {'
	sed 's/.*/\treinterpret_cast<lb_fn>(\&&),/' "$tmp/sym"
	echo '};'
} >"$tmp/linkage.cc"
if "$cxx" -std=c++11 -I"$inc" -c "$tmp/linkage.cc" -o "$tmp/linkage.o" >"$tmp/log" 2>&1; then
	nm -u "$tmp/linkage.o" | awk '{ print $2 }' | grep -E 'lb_' | LC_ALL=C sort >"$tmp/cxx-refs"
	if cmp -s "$tmp/cxx-refs" "$tmp/sym"; then
		ok "C++ callers get C linkage for all $(wc -l <"$tmp/sym") exported functions"
	else
		fail "C++ callers get C linkage: $(diff "$tmp/sym" "$tmp/cxx-refs" | grep '^[<>]' | tr '\n' ' ')"
	fi
else
	fail "C++ callers get C linkage: $(head -c 600 "$tmp/log")"
fi

# Reachable and installed: <loopback.h> includes every loopback/*.h, and
# include/meson.build lists every header twice (installed, and checked).
missing=""
for h in "${headers[@]}"; do
	[ "$h" = loopback.h ] && continue
	grep -q "^#include <$h>" "$inc/loopback.h" || missing="$missing $h"
done
[ -z "$missing" ] && ok "<loopback.h> includes every loopback/*.h" ||
	fail "<loopback.h> includes every loopback/*.h: missing$missing"
missing=""
for h in "${headers[@]}"; do
	n=$(grep -c "'$h'" "$inc/meson.build")
	[ "$n" -ge 2 ] || missing="$missing $h"
done
[ -z "$missing" ] && ok "include/meson.build installs and lists every header" ||
	fail "include/meson.build installs and lists every header: missing from a list:$missing"

# namespace_violations INCDIR: every name the headers under INCDIR define
# that is not lb_/LB_ (a LOOPBACK_*_H guard defined empty is fine), and
# every function they declare without LB_EXPORT. A header that does not
# preprocess or parse is a violation too.
namespace_violations() {
	local dir=$1 h
	: >"$tmp/all.c"
	while IFS= read -r h; do
		echo "#include <${h#"$dir"/}>" >>"$tmp/all.c"
	done < <(find "$dir" -name '*.h' | LC_ALL=C sort)
	if ! "${compilers[0]}" -E -dD -I"$dir" -I"$inc" "$tmp/all.c" >"$tmp/cpp.out" 2>"$tmp/cpp.err"; then
		echo "error: the headers do not preprocess: $(head -c 300 "$tmp/cpp.err")"
		return
	fi
	if ! clang -Xclang -ast-dump=json -fsyntax-only -I"$dir" -I"$inc" "$tmp/all.c" \
		>"$tmp/ast.json" 2>"$tmp/ast.err"; then
		echo "error: the headers do not parse: $(head -c 300 "$tmp/ast.err")"
		return
	fi
	names macros "$dir" <"$tmp/cpp.out" |
		awk '$2 ~ /^LOOPBACK_([A-Z0-9_]+_)?H$/ && NF == 2 { next }
		     $2 !~ /^(LB_|lb_)/ { print "macro " $2 }'
	names decls "$dir" <"$tmp/ast.json" |
		awk '$1 == "function" && $3 != "exported" { print "function " $2 " without LB_EXPORT"; next }
		     $1 == "enumerator" && $2 !~ /^LB_/ { print $1 " " $2; next }
		     $1 != "enumerator" && $2 !~ /^lb_/ { print $1 " " $2 }'
}

if ! command -v clang >/dev/null; then
	skip "namespace check needs clang's AST dump (clang is in scripts/packages.txt)"
else
	# First prove the check on a header full of mistakes.
	mkdir -p "$tmp/bad/loopback"
	cat >"$tmp/bad/loopback/bad.h" <<-'EOF'
	#ifndef LOOPBACK_BAD_H
	#define LOOPBACK_BAD_H
	#include <stdint.h>
	#include <loopback/common.h>
	#define BAD_MACRO 1
	#define LOOPBACK_NOT_A_GUARD 2
	#define LB_FINE 3
	struct bad_tag { int ok_field; struct bad_nested { int y; } n; };
	typedef int bad_type;
	enum bad_enum { BAD_ENUMERATOR, LB_FINE_ENUMERATOR };
	enum lb_fine_enum { bad_lower };
	extern int bad_variable;
	int bad_function(void);
	int lb_unexported(void);
	LB_EXPORT int lb_fine(int param);
	typedef struct lb_fine_s { int x; } lb_fine_t;
	struct sockaddr;
	struct bad_forward;
	LB_EXPORT int lb_fine2(const struct sockaddr *sa, struct bad_forward *p);
	#endif
	EOF
	namespace_violations "$tmp/bad" | LC_ALL=C sort >"$tmp/got"
	LC_ALL=C sort >"$tmp/want" <<-'EOF'
	enum bad_enum
	enumerator BAD_ENUMERATOR
	enumerator bad_lower
	function bad_function without LB_EXPORT
	function lb_unexported without LB_EXPORT
	macro BAD_MACRO
	macro LOOPBACK_NOT_A_GUARD
	struct bad_nested
	struct bad_tag
	typedef bad_type
	variable bad_variable
	EOF
	if cmp -s "$tmp/got" "$tmp/want"; then
		ok "the namespace check finds every bad name in a fixture header"
	else
		fail "the namespace check finds every bad name in a fixture header: $(diff "$tmp/want" "$tmp/got" | grep '^[<>]' | tr '\n' ' ')"
	fi

	bad=$(namespace_violations "$inc" | tr '\n' ';')
	[ -z "$bad" ] && ok "include/ defines only lb_/LB_ names (and LOOPBACK_*_H guards)" ||
		fail "include/ defines only lb_/LB_ names (and LOOPBACK_*_H guards): $bad"
fi

finish
