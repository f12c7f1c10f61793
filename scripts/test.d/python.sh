#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the Python binding's tests (pytest under /usr/bin/python3) on the
# library of this tree. Writes $RESULTS_DIR/python.junit.xml; exits
# non-zero on a failure or when no test ran.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../bindings/ci-env.sh"
lb_bindings_env python || exit 1
export PYTHONDONTWRITEBYTECODE=1

cd "$LB_TOP/bindings/python" || exit 1
junit=$RESULTS_DIR/python.junit.xml
rm -f "$junit"
/usr/bin/python3 -m pytest -p no:cacheprovider -rs -q --junitxml="$junit" tests
rc=$?
ran=$(/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as ET
print(sum(1 for _ in ET.parse(sys.argv[1]).getroot().iter("testcase")))' "$junit" 2>/dev/null || echo 0)
if [ "$ran" -eq 0 ]; then
	echo "python: no test ran" >&2
	exit 1
fi
exit "$rc"
