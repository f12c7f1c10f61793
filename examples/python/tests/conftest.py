# SPDX-License-Identifier: MIT
# The example suite: run with
#   python3 -m pytest -p loopback.pytest_plugin examples/python/tests
# (bindings/python on PYTHONPATH, libloopback found as loopback._native says).
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
