# SPDX-License-Identifier: MIT
# The example suite: run with
#   python3 -m pytest -p loopback.pytest_plugin examples/python/tests
# (bindings/python on PYTHONPATH, libloopback found as loopback._native says).
import os
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

# A relative LOOPBACK_LIBRARY means the directory pytest started in: hand it
# to subprocesses (the dev server) absolute.
if os.sep in os.environ.get("LOOPBACK_LIBRARY", ""):
    os.environ["LOOPBACK_LIBRARY"] = os.path.abspath(os.environ["LOOPBACK_LIBRARY"])
