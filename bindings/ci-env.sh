# SPDX-License-Identifier: MIT
# Sourced by scripts/test.d/python.sh and go.sh: find or build the
# library and point the bindings at it.
#
#   lb_bindings_env NAME
#
# Reuses build/gcc (scripts/test.sh builds it first) when it builds, else
# configures build/ci-NAME. Exports LB_BUILD (the build dir), LB_TOP,
# LOOPBACK_LIBRARY (Python), PKG_CONFIG_PATH (cgo: the uninstalled .pc),
# LD_LIBRARY_PATH and RESULTS_DIR (default build/results-NAME).

lb_bindings_env() {
	local name=$1
	LB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	export LB_TOP
	RESULTS_DIR=${RESULTS_DIR:-$LB_TOP/build/results-$name}
	mkdir -p "$RESULTS_DIR"
	export RESULTS_DIR
	LB_BUILD=$LB_TOP/build/gcc
	if [ ! -f "$LB_BUILD/build.ninja" ] || ! meson compile -C "$LB_BUILD" -j2 >/dev/null; then
		LB_BUILD=$LB_TOP/build/ci-$name
		if [ ! -f "$LB_BUILD/build.ninja" ]; then
			meson setup "$LB_BUILD" "$LB_TOP" -Dtests=false -Dtest_doubles=true || return 1
		fi
		meson compile -C "$LB_BUILD" -j2 || return 1
	fi
	export LB_BUILD
	export LOOPBACK_LIBRARY=$LB_BUILD/lib/libloopback.so.1
	export PKG_CONFIG_PATH=$LB_BUILD/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
	export LD_LIBRARY_PATH=$LB_BUILD/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	[ -f "$LOOPBACK_LIBRARY" ] || { echo "no $LOOPBACK_LIBRARY after the build" >&2; return 1; }
}

# lb_install_prefix: this tree installed under its own prefix
# (meson setup --prefix, library and tool only; build/ci-install, reused by
# the next step), for the tests that find the library through pkg-config;
# exports LB_INSTALL_PREFIX.
lb_install_prefix() {
	local build=$LB_TOP/build/ci-install
	if [ ! -f "$build/build.ninja" ]; then
		meson setup "$build" "$LB_TOP" --prefix="$build/prefix" -Dtests=false \
			-Dman=false >/dev/null || return 1
	fi
	meson install -C "$build" --quiet >/dev/null || return 1
	export LB_INSTALL_PREFIX=$build/prefix
}

# lb_record ok|fail|skip WHAT: one line in $RESULTS_DIR/steps.txt.
lb_record() { echo "$1 $2" >>"$RESULTS_DIR/steps.txt"; }
