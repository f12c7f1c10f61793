#!/bin/bash
# SPDX-License-Identifier: MIT
# CI step: the Python binding's tests and the example suite
# (examples/python, through the pytest plugin), with pytest under
# /usr/bin/python3 on the library of this tree, named by a relative
# LOOPBACK_LIBRARY as bindings/python/README.md shows. Writes
# $RESULTS_DIR/python*.junit.xml; exits non-zero on a failure or when a
# suite ran no test.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../bindings/ci-env.sh"
lb_bindings_env python || exit 1
lb_install_prefix || { echo "meson install under a prefix failed" >&2; exit 1; }
export PYTHONDONTWRITEBYTECODE=1
export PYTHONPATH=$LB_TOP/bindings/python${PYTHONPATH:+:$PYTHONPATH}

# run_suite NAME DIR [PYTEST ARGS...]: one pytest run, one junit file.
run_suite() {
	local name=$1 dir=$2 junit=$RESULTS_DIR/$1.junit.xml rc ran
	shift 2
	rm -f "$junit"
	(cd "$dir" && /usr/bin/python3 -m pytest -p no:cacheprovider -rs -q \
		--junitxml="$junit" "$@")
	rc=$?
	ran=$(/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as ET
print(sum(1 for _ in ET.parse(sys.argv[1]).getroot().iter("testcase")))' "$junit" 2>/dev/null || echo 0)
	if [ "$ran" -eq 0 ]; then
		echo "$name: no test ran" >&2
		return 1
	fi
	return "$rc"
}

status=0
LOOPBACK_LIBRARY=$(realpath --relative-to="$LB_TOP/bindings/python" "$LOOPBACK_LIBRARY") \
	run_suite python "$LB_TOP/bindings/python" tests || status=1
run_suite python-examples "$LB_TOP/examples/python" -p loopback.pytest_plugin tests || status=1
exit "$status"
