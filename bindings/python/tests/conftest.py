# SPDX-License-Identifier: MIT
"""Shared helpers for the binding's own tests.

Ports: every test that needs one takes it from ``lease_ports`` (a pick by
the library itself, outside the ephemeral range, leased for the test's
life), never port 0 or a fixed port: outgoing connections of any program
on the machine take their local ports from the ephemeral range, and other
test runs lease theirs, so a leased port is ours alone.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
from typing import Callable, Dict, Iterator, List, Optional

import pytest

import loopback
from loopback import Lease, PickFamily, Protocol

PYTHON_DIR = pathlib.Path(__file__).resolve().parents[1]
SOURCE_ROOT = PYTHON_DIR.parents[1]

# A relative LOOPBACK_LIBRARY means the directory pytest started in; the
# subprocesses of the tests run elsewhere (cwd="/", a temp dir), so they
# inherit it absolute.
if os.sep in os.environ.get("LOOPBACK_LIBRARY", ""):
    os.environ["LOOPBACK_LIBRARY"] = os.path.abspath(os.environ["LOOPBACK_LIBRARY"])

NOBODY = 65534
AS_NOBODY = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def run_python(code: str, env: Optional[Dict[str, Optional[str]]] = None,
               cwd: Optional[str] = None, prefix: Optional[List[str]] = None,
               timeout: float = 60) -> subprocess.CompletedProcess:
    """Run code in a fresh /usr/bin/python3 (sys.executable) with the package
    importable; env entries set to None are removed."""
    full: Dict[str, Optional[str]] = dict(os.environ)
    full["PYTHONPATH"] = str(PYTHON_DIR)
    full.update(env or {})
    clean = {k: v for k, v in full.items() if v is not None}
    return subprocess.run((prefix or []) + [sys.executable, "-c", code], env=clean, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def library_dir() -> pathlib.Path:
    """The directory of the libloopback.so.1 this test session loaded."""
    return pathlib.Path(loopback.library_path).resolve().parent


LeasePorts = Callable[..., Lease]


@pytest.fixture
def lease_ports() -> Iterator[LeasePorts]:
    """``lease_ports(count=1, protocols=Protocol.TCP, ...)``: ports picked and
    leased by this process until the test ends (keyword arguments as
    :func:`loopback.pick`)."""
    leases: List[Lease] = []

    def make(count: int = 1, *, protocols: Protocol = Protocol.TCP,
             family: PickFamily = PickFamily.BOTH, contiguous: bool = False) -> Lease:
        lease = loopback.pick(count, protocols=protocols, family=family, contiguous=contiguous)
        leases.append(lease)
        return lease

    try:
        yield make
    finally:
        for lease in leases:
            lease.release()


def holders(port: int, protocol: Protocol = Protocol.TCP) -> List[int]:
    """The pids holding a lease on port, [] when none does. After a test
    releases a port, another run may lease it at once: tests check that
    their own processes no longer hold it, not that nobody does."""
    try:
        return loopback.lease_holders(port, protocol)
    except loopback.NotFound:
        return []


def pick_again(port: int, *gone: int) -> Optional[Lease]:
    """The one port picked again after its lease ended, or None when another
    process (none of gone, which released it) leased it in between."""
    try:
        return loopback.pick(first=port, last=port)
    except loopback.Exhausted:
        assert not set(gone) & set(holders(port))
        return None


def have_unshare() -> bool:
    return os.geteuid() == 0 and shutil.which("unshare") is not None


def require_mock(monkeypatch) -> None:
    """Point the library at the mock backend and its fixture, or skip when
    the library has none (built without meson -Dtest_doubles=true, as a
    library for users is)."""
    monkeypatch.setenv("LOOPBACK_BACKEND", "mock")
    monkeypatch.setenv("LOOPBACK_MOCK_FILE", str(SOURCE_ROOT / "tests/data/sock-mock-basic.txt"))
    try:
        loopback.sockets()
    except loopback.NoBackend:
        pytest.skip("the library was built without the mock backend (-Dtest_doubles=true)")


def stage_for_nobody(library: pathlib.Path) -> pathlib.Path:
    """A copy of the package and the library in a fresh directory under /tmp
    that any user can read: a clone may sit in a private directory (/root
    is 0700) that a test running a command as nobody cannot enter."""
    top = pathlib.Path(tempfile.mkdtemp(prefix="loopback-nobody-", dir="/tmp"))
    os.chmod(top, 0o755)
    # The package under test: the source tree's, or an installed one.
    shutil.copytree(pathlib.Path(loopback.__file__).parent, top / "loopback",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(library, top / "libloopback.so.1")  # the file behind the symlinks
    for dirpath, dirnames, filenames in os.walk(top):
        for d in dirnames:
            os.chmod(pathlib.Path(dirpath, d), 0o755)
        for f in filenames:
            os.chmod(pathlib.Path(dirpath, f), 0o644)
    os.chmod(top / "libloopback.so.1", 0o755)
    return top


@pytest.fixture(scope="session")
def nobody_python() -> Iterator[Callable[..., subprocess.CompletedProcess]]:
    """``nobody_python(code)``: run code as nobody (setpriv 65534) with the
    package and the library of this session staged where nobody can reach
    them; the staged copy is removed at the end of the session."""
    if os.geteuid() != 0:
        pytest.skip("needs root to drop to another user")
    if shutil.which("setpriv") is None:
        pytest.skip("no setpriv")
    library = pathlib.Path(loopback.library_path).resolve()
    top = stage_for_nobody(library)

    def run(code: str, timeout: float = 60) -> subprocess.CompletedProcess:
        env = {"PYTHONPATH": str(top), "LOOPBACK_LIBRARY": str(top / "libloopback.so.1"),
               "LD_LIBRARY_PATH": str(top), "PYTHONDONTWRITEBYTECODE": "1"}
        return run_python(code, env=env, cwd="/", prefix=AS_NOBODY, timeout=timeout)

    try:
        yield run
    finally:
        shutil.rmtree(top, ignore_errors=True)


def install_prefix(source: pathlib.Path, build: pathlib.Path, prefix: pathlib.Path) -> None:
    """meson setup --prefix=PREFIX (library and tool only), compile, install."""
    if not (build / "build.ninja").is_file():
        subprocess.run(["meson", "setup", str(build), str(source), f"--prefix={prefix}",
                        "-Dtests=false", "-Dman=false"], check=True, capture_output=True)
    subprocess.run(["meson", "install", "-C", str(build), "--quiet"], check=True,
                   capture_output=True)


@pytest.fixture(scope="session")
def installed_prefix(tmp_path_factory) -> pathlib.Path:
    """A meson install of this source tree under its own prefix:
    $LB_INSTALL_PREFIX when the CI step made one, else one made here."""
    given = os.environ.get("LB_INSTALL_PREFIX")
    if given:
        return pathlib.Path(given).resolve()
    if shutil.which("meson") is None:
        pytest.skip("no meson to install the library under a prefix")
    top = tmp_path_factory.mktemp("install")
    install_prefix(SOURCE_ROOT, top / "build", top / "prefix")
    return top / "prefix"


def own_inode(sock) -> int:
    """The inode of a socket this test made (what the socket table lists)."""
    return os.fstat(sock.fileno()).st_ino

