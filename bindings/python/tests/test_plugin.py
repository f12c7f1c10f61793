# SPDX-License-Identifier: MIT
"""The pytest plugin (loopback.pytest_plugin), run in pytest subprocesses."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import textwrap
import tomllib

import pytest

import loopback
from loopback.pytest_plugin import parse_range
from conftest import PYTHON_DIR


def run_pytest(tmp_path, source, *args, timeout=120, env=None, plugin=True):
    """pytest on one generated test file in tmp_path; env entries set to None
    are removed."""
    (tmp_path / "test_generated.py").write_text(textwrap.dedent(source))
    full = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    full.update(env or {})
    full = {k: v for k, v in full.items() if v is not None}
    dash_p = ["-p", "loopback.pytest_plugin"] if plugin else []
    return subprocess.run([sys.executable, "-m", "pytest", *dash_p,
                           "-p", "no:cacheprovider", "-q", *args, str(tmp_path)],
                          capture_output=True, text=True, env=full, cwd=tmp_path,
                          timeout=timeout)


def installed(site):
    """site: a directory as pip would fill it, the package and its metadata
    (a dist-info with the pytest11 entry points of pyproject.toml)."""
    with open(PYTHON_DIR / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    shutil.copytree(PYTHON_DIR / "loopback", site / "loopback",
                    ignore=shutil.ignore_patterns("__pycache__"))
    info = site / f"loopback-{project['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    eps = project["entry-points"]["pytest11"]
    assert eps, "pyproject.toml registers no pytest plugin"
    (info / "entry_points.txt").write_text(
        "[pytest11]\n" + "".join(f"{name} = {value}\n" for name, value in eps.items()))
    return {"PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}


UNRELATED = """
def test_unrelated():
    assert 1 + 1 == 2
"""


def test_installed_plugin_without_the_library(tmp_path):
    # The package installed (its entry point loads the plugin into every
    # pytest run) and no library anywhere it can be found: a test using no
    # fixture passes; one using a fixture errors, saying how to fix it.
    env = installed(tmp_path / "site")
    env["LOOPBACK_LIBRARY"] = str(tmp_path / "nowhere" / "libloopback.so.1")
    run = tmp_path / "run"
    run.mkdir()
    r = run_pytest(run, UNRELATED, env=env, plugin=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 passed" in r.stdout
    r = run_pytest(run, UNRELATED + """
def test_needs_a_port(free_port):
    pass
""", "-p", "no:xdist", env=env, plugin=False)
    assert r.returncode != 0
    assert "1 passed, 1 error" in r.stdout, r.stdout + r.stderr
    # The fixture came from the installed entry point and failed on the library.
    assert "fixture 'free_port' not found" not in r.stdout
    assert "LibraryNotFound" in r.stdout and "nowhere" in r.stdout
    assert "LOOPBACK_LIBRARY=" in r.stdout and "PKG_CONFIG_PATH=" in r.stdout


def test_installed_plugin_and_dash_p(tmp_path):
    # Installed, and named with -p as well (as the README says to do when
    # it is not installed): one plugin, the fixtures work.
    env = installed(tmp_path / "site")
    if os.sep in loopback.library_path:  # the copy is outside the build tree
        env["LOOPBACK_LIBRARY"] = loopback.library_path
    run = tmp_path / "run"
    run.mkdir()
    for plugin in (True, False):
        r = run_pytest(run, FIXTURES, env=env, plugin=plugin)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "5 passed" in r.stdout
        assert "already registered" not in r.stdout + r.stderr


FIXTURES = """
import os, socket
import loopback

SEEN = {}

def test_free_port(free_port):
    assert isinstance(free_port, int)
    assert free_port not in loopback.ephemeral_range()
    assert loopback.lease_holders(free_port) == [os.getpid()]
    for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        with socket.socket(fam) as s:
            s.bind((host, free_port))
    SEEN["free"] = free_port

def holders(port, protocol=loopback.Protocol.TCP):
    try:
        return loopback.lease_holders(port, protocol)
    except loopback.NotFound:
        return []

def test_released_after_the_test():
    assert os.getpid() not in holders(SEEN["free"])

def test_port_lease_listens(port_lease):
    srv = port_lease.listen()
    with srv, socket.create_connection(("127.0.0.1", port_lease.port), timeout=5):
        assert srv.getsockname() == ("127.0.0.1", port_lease.port)

def test_port_group(port_group):
    g = port_group(3, contiguous=True)
    u = port_group(2, protocols=loopback.Protocol.UDP)
    assert len(g.ports) == 3 and g.ports == tuple(range(g.ports[0], g.ports[0] + 3))
    assert len(set(g.ports) | set(u.ports)) == 5 or u.protocols != g.protocols
    assert all(loopback.lease_holders(p) == [os.getpid()] for p in g.ports)
    assert loopback.lease_holders(u.port, loopback.Protocol.UDP) == [os.getpid()]
    SEEN["group"] = g.ports + u.ports

def test_group_released():
    assert not any(os.getpid() in holders(p) for p in SEEN["group"][:3])
    assert not any(os.getpid() in holders(p, loopback.Protocol.UDP) for p in SEEN["group"][3:])
"""


def test_fixtures(tmp_path):
    r = run_pytest(tmp_path, FIXTURES)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "5 passed" in r.stdout


def test_port_range_option(tmp_path):
    base = random.randrange(21000, 29000, 8)
    src = """
    def test_in_range(free_port, port_group):
        g = port_group(2)
        assert {free_port, *g.ports} <= set(range(%d, %d))
    """ % (base, base + 8)
    r = run_pytest(tmp_path, src, f"--loopback-port-range={base}-{base + 7}")
    assert r.returncode == 0, r.stdout + r.stderr
    r = run_pytest(tmp_path, src, "--loopback-port-range=9-x")
    assert r.returncode != 0 and "not FIRST-LAST" in r.stdout + r.stderr


def test_parse_range():
    assert parse_range("20000-20099") == (20000, 20099)
    for bad in ("", "1", "2-1", "0-5", "1-65536", "a-b", "-5", "5-"):
        with pytest.raises(loopback.InvalidArgument):
            parse_range(bad)


PARALLEL = """
import os, time, pytest
import loopback

LOG = os.environ["LB_PORT_LOG"]

@pytest.mark.parametrize("i", range(%d))
def test_hold(i, free_port, port_group):
    ports = (free_port,) + port_group(2).ports
    start = time.monotonic()
    time.sleep(0.02)
    for p in ports:
        assert loopback.lease_holders(p) == [os.getpid()]
    end = time.monotonic()
    with open(LOG, "a") as f:
        f.write("".join(f"{p} {os.getpid()} {i} {start} {end}\\n" for p in ports))
"""


def test_parallel_workers_never_share_a_port(tmp_path):
    # 4 xdist workers, 48 tests each holding 3 ports, all from a 32-port
    # range: ports are reused over the run (pigeonhole: 144 > 32), but two
    # tests holding the same port at the same time would be a collision.
    pytest.importorskip("xdist")
    tests, width = 48, 32
    base = random.randrange(21000, 29000, width)
    log = tmp_path / "ports.log"
    env_log = {"LB_PORT_LOG": str(log)}
    os.environ.update(env_log)
    try:
        r = run_pytest(tmp_path, PARALLEL % tests, "-n", "4",
                       f"--loopback-port-range={base}-{base + width - 1}", timeout=300)
    finally:
        del os.environ["LB_PORT_LOG"]
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{tests} passed" in r.stdout
    rows = [line.split() for line in log.read_text().splitlines()]
    assert len(rows) == 3 * tests
    pids = {row[1] for row in rows}
    assert len(pids) == 4, "the tests ran in 4 worker processes"
    held = {}
    for port, pid, test, start, end in rows:
        assert base <= int(port) < base + width
        held.setdefault(port, []).append((float(start), float(end), pid, test))
    assert max(len(v) for v in held.values()) > 1, "ports were reused over the run"
    for port, spans in held.items():
        spans.sort()
        for (s1, e1, p1, t1), (s2, e2, p2, t2) in zip(spans, spans[1:]):
            assert e1 <= s2, f"port {port} held by test {t1} (pid {p1}) and {t2} (pid {p2}) at once"
