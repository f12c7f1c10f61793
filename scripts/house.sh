#!/bin/bash
# SPDX-License-Identifier: MIT
# The numbers of issue 12's "Done when" list, for humans: OS conditionals
# in shared code (per file), the longest lib/ file, the longest functions,
# the call cycles in lib/, errno mappings, doublings, user-name lookups.
# The same measures fail the meson test test-house (tests/layout/house.py).
#
#   scripts/house.sh [BUILD_DIR]    (default build/gcc: the cycles come
#                                    from its object files)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$top/build/gcc}
exec /usr/bin/python3 "$top/tests/layout/house.py" --numbers "$top" "$build"
