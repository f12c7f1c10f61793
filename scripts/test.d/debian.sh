#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the Debian packages. Build them from a copy of the repository
# with dpkg-buildpackage (nocheck: the suites run in the other steps),
# check them with lintian (no error allowed), install them, then run what
# users run against the installed files only, not the build tree: the
# tool, `man lb_port_pick`, the bash completion, the C examples built with
# the system's pkg-config (and examples/cmake), the Python binding's tests
# and the example suite with the installed package and its pytest plugin.
# The packages are removed again at the end. Results in
# $RESULTS_DIR/steps.txt and $RESULTS_DIR/*.junit.xml.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULTS_DIR=${RESULTS_DIR:-$top/build/results-debian}
mkdir -p "$RESULTS_DIR"
rm -f "$RESULTS_DIR"/*.junit.xml
record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }
pkgs=(libloopback1 libloopback-dev loopback python3-loopback)
# A package build sees the system's tools only (not a python3 or a
# compiler some other PATH entry puts first).
syspath=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
status=0
start=$(date +%s)

for tool in dpkg-buildpackage dh lintian pkg-config cmake; do
	if ! command -v "$tool" >/dev/null; then
		record fail "debian: $tool is installed (scripts/packages.txt)"
		exit 1
	fi
done

# The symbols file lists exactly the exports of libloopback.sym (the
# package build checks the built library against it with -c4).
want=$(sed -n 's/^[[:space:]]*\(lb_[a-z0-9_]*\);.*/\1/p' "$top/lib/libloopback.sym" | LC_ALL=C sort)
got=$(sed -n 's/^ \(lb_[a-z0-9_]*\)@.*/\1/p' "$top/debian/libloopback1.symbols" | LC_ALL=C sort)
if [ -n "$want" ] && [ "$want" = "$got" ]; then
	record ok "debian: libloopback1.symbols lists the $(wc -l <<<"$want") exports of libloopback.sym"
else
	record fail "debian: libloopback1.symbols lists the exports of libloopback.sym (run scripts/update-debian-symbols.sh); add or drop: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	status=1
fi

tmp=$(mktemp -d)
installed_by_us=()
cleanup() {
	if [ ${#installed_by_us[@]} -gt 0 ]; then
		dpkg --purge "${installed_by_us[@]}" >>"$RESULTS_DIR/dpkg.log" 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

# Build from the files of the repository only (as a fresh clone has them).
src=$tmp/src/libloopback
mkdir -p "$src"
(cd "$top" && git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
	tar --null -cf - -T -) | tar -xf - -C "$src"
if (cd "$src" && env PATH=$syspath DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
	dpkg-buildpackage -us -uc -b) >"$RESULTS_DIR/dpkg-buildpackage.log" 2>&1; then
	record ok "debian: dpkg-buildpackage -us -uc -b builds from the repository ($(($(date +%s) - start)) s)"
else
	record fail "debian: dpkg-buildpackage -us -uc -b (see dpkg-buildpackage.log)"
	tail -n 40 "$RESULTS_DIR/dpkg-buildpackage.log"
	exit 1
fi
debs=()
for p in "${pkgs[@]}"; do
	f=$(ls "$tmp/src/${p}_"*.deb 2>/dev/null | head -n 1)
	if [ -n "$f" ]; then debs+=("$f"); else record fail "debian: $p is built"; status=1; fi
done
[ ${#debs[@]} -eq ${#pkgs[@]} ] && record ok "debian: the four packages are built (${pkgs[*]})"

# What each package holds.
has() { # has PACKAGE PATTERN WHAT
	local f
	f=$(ls "$tmp/src/${1}_"*.deb 2>/dev/null | head -n 1)
	if [ -n "$f" ] && grep -Eq "$2" <<<"$(dpkg-deb -c "$f")"; then
		record ok "debian: $1 has $3"
	else
		record fail "debian: $1 has $3"
		status=1
	fi
}
has libloopback1 '/usr/lib/[^/]+/libloopback\.so\.1\.' "libloopback.so.1.*"
has libloopback-dev '/usr/include/loopback\.h$' "the headers"
has libloopback-dev '/usr/lib/[^/]+/libloopback\.so -> ' "the libloopback.so link"
has libloopback-dev '/usr/lib/[^/]+/libloopback\.a$' "the static library"
has libloopback-dev '/usr/lib/[^/]+/pkgconfig/loopback\.pc$' "loopback.pc"
has libloopback-dev '/usr/share/man/man3/lb_port_pick\.3\.gz -> ' "the section-3 pages (lb_port_pick.3)"
has loopback '/usr/bin/loopback$' "the tool"
has loopback '/usr/share/man/man1/loopback\.1\.gz$' "loopback(1)"
has loopback '/usr/share/loopback/loopback\.schema\.json$' "the JSON Schema of --json"
has loopback '/usr/share/bash-completion/completions/loopback$' "the bash completion"
has python3-loopback '/usr/lib/python3/dist-packages/loopback/pytest_plugin\.py$' "the binding and its pytest plugin"
dep=$(dpkg-deb -f "$(ls "$tmp/src/python3-loopback_"*.deb)" Depends 2>/dev/null)
grep -q 'libloopback1' <<<"$dep" && record ok "debian: python3-loopback depends on libloopback1 ($dep)" ||
	{ record fail "debian: python3-loopback depends on libloopback1 (Depends: $dep)"; status=1; }

# lintian: no error (warnings and informational tags are listed in the log).
changes=$(ls "$tmp/src/"*.changes | head -n 1)
lintian --fail-on error "$changes" >"$RESULTS_DIR/lintian.log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	record ok "debian: lintian reports no error ($(grep -c '^[WI]:' "$RESULTS_DIR/lintian.log") warnings/info, see lintian.log)"
else
	record fail "debian: lintian reports no error: $(grep '^E:' "$RESULTS_DIR/lintian.log" | head -n 5 | tr '\n' ' ')"
	status=1
fi

# Install, unless this machine already has them (then it is not ours to
# replace or remove).
if [ "$(id -u)" -ne 0 ]; then
	record skip "debian: installing the packages needs root"
	exit "$status"
fi
for p in "${pkgs[@]}"; do
	if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ]; then
		record skip "debian: $p is already installed on this machine: not installing over it"
		exit "$status"
	fi
done
installed_by_us=("${pkgs[@]}")
if dpkg -i "${debs[@]}" >"$RESULTS_DIR/dpkg.log" 2>&1; then
	record ok "debian: dpkg -i installs the four packages"
else
	record fail "debian: dpkg -i installs the four packages: $(tail -n 5 "$RESULTS_DIR/dpkg.log" | tr '\n' ' ')"
	exit 1
fi

# From here on, nothing of the build tree: the system's paths only.
export PATH=$syspath
unset LD_LIBRARY_PATH PKG_CONFIG_PATH PKG_CONFIG_LIBDIR LOOPBACK_LIBRARY PYTHONPATH
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
syslib=/usr/lib/$multiarch/libloopback.so.1

out=$(/usr/bin/loopback --version 2>&1)
case $out in
"loopback $(dpkg-query -W -f='${Version}' loopback | sed 's/-[^-]*$//')"*) true ;;
*) false ;;
esac
if [ $? -eq 0 ]; then
	record ok "debian: /usr/bin/loopback --version matches the package ($out)"
else
	record fail "debian: /usr/bin/loopback --version matches the package: $out"
	status=1
fi
# man -w names the page the lb_port_pick.3.gz link leads to.
page=$(man -w 3 lb_port_pick 2>/dev/null)
w=$(MANWIDTH=80 man --warnings 3 lb_port_pick 2>&1 >/dev/null)
if [[ $page == /usr/share/man/man3/*.3.gz ]] && [ -z "$w" ] &&
   zcat "$page" | sed -n '/^\.SH NAME/,/^\.SH SYNOPSIS/p' | grep -q 'lb_port_pick,'; then
	record ok "debian: man lb_port_pick finds $page and renders it without warnings"
else
	record fail "debian: man lb_port_pick ('$page'): $w"
	status=1
fi
verbs=$(bash --norc -c '. /usr/share/bash-completion/bash_completion; _completion_loader loopback
	COMP_WORDS=(loopback ""); COMP_CWORD=1; COMP_LINE="loopback "; COMP_POINT=9; _loopback; echo "${COMPREPLY[*]}"' 2>&1)
[[ " $verbs " == *" pick "* && " $verbs " == *" who "* ]] &&
	record ok "debian: bash-completion loads the installed completion (loopback <TAB>: $verbs)" ||
	{ record fail "debian: bash-completion loads the installed completion: '$verbs'"; status=1; }

# The C examples, built with the system's pkg-config and run.
read -r -a flags <<<"$(pkg-config --cflags --libs loopback)"
built=1
for ex in "$top"/examples/*.c; do
	name=$(basename "$ex" .c)
	if ! cc -Wall -Wextra -Werror -o "$tmp/$name" "$ex" "${flags[@]}" >"$tmp/cc.log" 2>&1; then
		record fail "debian: examples/$name.c builds against the installed package: $(head -c 300 "$tmp/cc.log")"
		built=0 status=1
	elif [ "$(readlink -f "$(ldd "$tmp/$name" | awk '$1 == "libloopback.so.1" { print $3 }')")" != "$(readlink -f "$syslib")" ]; then
		record fail "debian: examples/$name uses $syslib ($(ldd "$tmp/$name" | grep libloopback))"
		built=0 status=1
	fi
done
[ $built = 1 ] && record ok "debian: every examples/*.c builds with pkg-config and uses $syslib"
while IFS= read -r line; do
	case $line in
	"ok "*) record ok "debian: examples: ${line#ok }" ;;
	"not ok "*) record fail "debian: examples: ${line#not ok }"; status=1 ;;
	esac
done < <(bash "$top/tests/install/run-examples.sh" "$tmp")
if cmake -S "$top/examples/cmake" -B "$tmp/cmake" >"$tmp/cmake.log" 2>&1 && cmake --build "$tmp/cmake" >>"$tmp/cmake.log" 2>&1 &&
   out=$("$tmp/cmake/pick-one" 2>&1); then
	record ok "debian: examples/cmake builds against the installed package and runs ($out)"
else
	record fail "debian: examples/cmake against the installed package: $(tail -n 5 "$tmp/cmake.log")"
	status=1
fi

# Python: the installed package and library, from a directory outside the
# repository (only the tests and their data are copied there).
py=$tmp/py
mkdir -p "$py/bindings/python" "$py/tests" "$py/examples"
cp -r "$top/bindings/python/tests" "$py/bindings/python/tests"
cp -r "$top/tests/data" "$py/tests/data"
cp -r "$top/include" "$py/include"
cp -r "$top/examples/python" "$py/examples/python"
where=$(cd "$py" && /usr/bin/python3 -c 'import loopback; print(loopback.__file__, loopback.library_path)' 2>&1)
if [[ $where == /usr/lib/python3/dist-packages/loopback/__init__.py\ * ]] && [[ $where != *"$top"* ]]; then
	record ok "debian: python3 imports the installed binding ($where)"
else
	record fail "debian: python3 imports the installed binding: $where"
	status=1
fi
# The plugin comes in through its entry point, with nothing on the path.
mkdir -p "$py/plugin"
cat >"$py/plugin/test_fixture.py" <<'PY'
def test_free_port(free_port):
    assert 1024 <= free_port <= 65535
PY
if (cd "$py/plugin" && /usr/bin/python3 -m pytest -p no:cacheprovider -q) >"$tmp/plugin.log" 2>&1; then
	record ok "debian: the installed pytest plugin is loaded by its entry point (free_port fixture)"
else
	record fail "debian: the installed pytest plugin is loaded by its entry point: $(tail -n 5 "$tmp/plugin.log" | tr '\n' ' ')"
	status=1
fi
# The suites name the plugin with -p themselves (and so do the pytest
# runs they start) while the installed entry point names the same module:
# it is registered once (bindings/python/tests/test_plugin.py). The tests find
# the installed library through LOOPBACK_LIBRARY, as a path (some of them
# copy it). Deselected, as they test the source tree itself, which this
# run does not have: test_installed_library_through_the_loader copies the
# source package (the loader lookup of the installed package is checked
# above); the pkg-config tests configure and install the source tree; the
# installed-plugin tests read its pyproject.toml (the installed entry
# point is checked above); the wheel test builds a wheel from it.
run_suite() {
	local name=$1 dir=$2 junit=$RESULTS_DIR/$1.junit.xml
	shift 2
	(cd "$dir" && LOOPBACK_LIBRARY=$syslib PYTHONDONTWRITEBYTECODE=1 \
		/usr/bin/python3 -m pytest -p no:cacheprovider -rs -q --junitxml="$junit" "$@") \
		>"$RESULTS_DIR/$name.log" 2>&1
	local rc=$?
	if [ $rc -eq 0 ]; then
		record ok "debian: $name: $(tail -n 1 "$RESULTS_DIR/$name.log")"
	else
		record fail "debian: $name (exit $rc): $(tail -n 1 "$RESULTS_DIR/$name.log")"
		status=1
	fi
}
run_suite python-installed "$py/bindings/python" tests \
	--deselect tests/test_library.py::test_installed_library_through_the_loader \
	--deselect tests/test_library.py::test_library_through_pkg_config \
	--deselect tests/test_library.py::test_build_tree_through_uninstalled_pkg_config \
	--deselect tests/test_plugin.py::test_installed_plugin_without_the_library \
	--deselect tests/test_plugin.py::test_installed_plugin_and_dash_p \
	--deselect tests/test_wheel.py::test_wheel_installs_into_a_venv
run_suite python-examples-installed "$py/examples/python" -p loopback.pytest_plugin tests

if dpkg --purge "${pkgs[@]}" >>"$RESULTS_DIR/dpkg.log" 2>&1; then
	installed_by_us=()
	record ok "debian: the packages are removed again"
else
	record fail "debian: dpkg --purge ${pkgs[*]}"
	status=1
fi
record ok "debian: step took $(($(date +%s) - start)) s"
exit "$status"
