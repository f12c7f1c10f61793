# SPDX-License-Identifier: MIT
"""Shared helpers for the binding's own tests."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
from typing import Dict, List, Optional

import pytest

import loopback

PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1]
SOURCE_ROOT = PYTHON_DIR.parents[1]


def run_python(code: str, env: Optional[Dict[str, str]] = None,
               cwd: Optional[str] = None, prefix: Optional[List[str]] = None,
               timeout: float = 60) -> subprocess.CompletedProcess:
    """Run code in a fresh /usr/bin/python3 (sys.executable) with the package importable."""
    full = dict(os.environ)
    full["PYTHONPATH"] = str(PYTHON_DIR)
    full.update(env or {})
    full = {k: v for k, v in full.items() if v is not None}
    return subprocess.run((prefix or []) + [sys.executable, "-c", code], env=full, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def library_dir() -> pathlib.Path:
    """The directory of the libloopback.so.1 this test session loaded."""
    return pathlib.Path(loopback.library_path).resolve().parent


def have_unshare() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None
