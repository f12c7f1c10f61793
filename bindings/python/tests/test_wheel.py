# SPDX-License-Identifier: MIT
"""The package builds as a wheel offline and works installed in a fresh venv."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import loopback
from conftest import PYTHON_DIR


def test_wheel_installs_into_a_venv(tmp_path):
    for mod in ("build", "setuptools", "wheel", "venv"):
        pytest.importorskip(mod)
    before = sorted(p.name for p in PYTHON_DIR.iterdir())
    dist = tmp_path / "dist"
    r = subprocess.run(["bash", str(PYTHON_DIR / "build-wheel.sh"), str(dist)],
                       capture_output=True, text=True, timeout=300,
                       env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert r.returncode == 0, r.stderr
    wheel = pathlib.Path(r.stdout.strip().splitlines()[-1])
    assert wheel.name == f"loopback-{loopback.__version__}-py3-none-any.whl"
    # Built from a copy: nothing left beside the sources.
    after = sorted(p.name for p in PYTHON_DIR.iterdir())
    assert after == before and "build" not in after
    assert not any(n.endswith(".egg-info") for n in after)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True, timeout=120)
    py = str(venv / "bin" / "python")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LOOPBACK_LIBRARY")}
    env["PIP_NO_INDEX"] = "1"
    # --ignore-installed: a system-wide python3-loopback (seen through
    # --system-site-packages) must not make pip skip the wheel.
    subprocess.run([py, "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
                    "-q", str(wheel)],
                   check=True, timeout=300, env=env, cwd=tmp_path)
    env["LOOPBACK_LIBRARY"] = str(pathlib.Path(loopback.library_path).resolve())
    code = ("import importlib.metadata as m, loopback, sys\n"
            "print(loopback.__file__)\n"
            "print(loopback.library_path)\n"
            "print([e.value for e in m.entry_points(group='pytest11') if e.name == 'loopback.pytest_plugin'])\n"
            "with loopback.pick() as l: print(loopback.lease_holders(l.port) == [__import__('os').getpid()])\n"
            "from loopback import portpicker; p = portpicker.pick_unused_port(); "
            "print(loopback.is_leased(p))\n")
    r = subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=60,
                       env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(str(venv)), lines  # the installed copy, not the sources
    assert lines[1] == env["LOOPBACK_LIBRARY"]
    assert lines[2:] == ["['loopback.pytest_plugin']", "True", "True"]
    # Without LOOPBACK_LIBRARY, outside a build tree, with no loopback.pc
    # for pkg-config and nothing on the loader path, only a library the
    # loader knows would do: importing still works (the library is loaded
    # on first use), and the first call's error says what to set.
    if shutil.which("ldconfig") and "libloopback.so.1" not in subprocess.run(
            ["ldconfig", "-p"], capture_output=True, text=True).stdout:
        for var in ("LOOPBACK_LIBRARY", "LD_LIBRARY_PATH", "PKG_CONFIG_PATH"):
            env.pop(var, None)
        env["PKG_CONFIG_LIBDIR"] = str(tmp_path / "no-pkgconfig")
        r = subprocess.run([py, "-c", "import loopback; loopback.pick()"], capture_output=True, text=True,
                           timeout=60, env=env, cwd=tmp_path)
        assert r.returncode != 0 and "LOOPBACK_LIBRARY" in r.stderr
