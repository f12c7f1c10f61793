#!/bin/bash
# SPDX-License-Identifier: MIT
# Build the binding's wheel offline, from a copy of this directory, so that
# no build/ or *.egg-info is left here (an egg-info on sys.path would
# register the pytest plugin a second time).
#
#   bindings/python/build-wheel.sh [OUTDIR]      (default: build/python-dist
#                                                 at the top of the tree)
#
# Needs Debian's python3-build, python3-setuptools and python3-wheel; the
# wheel is pure Python (libloopback.so.1 is found at run time: installed,
# or named by $LOOPBACK_LIBRARY).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$(realpath -m "${1:-$here/../../build/python-dist}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$out"
cp -r "$here/pyproject.toml" "$here/README.md" "$here/loopback" "$tmp/src/"
find "$tmp/src" -name __pycache__ -prune -exec rm -rf {} +
if ! (cd "$tmp/src" && /usr/bin/python3 -m build --no-isolation --wheel --outdir "$out") >"$tmp/log" 2>&1; then
	cat "$tmp/log" >&2
	exit 1
fi
ls "$out"/loopback-*-py3-none-any.whl
