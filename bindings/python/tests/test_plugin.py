# SPDX-License-Identifier: MIT
"""The pytest plugin (loopback.pytest_plugin), run in pytest subprocesses."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import pytest

import loopback
from loopback.pytest_plugin import parse_range
from conftest import PYTHON_DIR


def run_pytest(tmp_path, source, *args, timeout=120):
    (tmp_path / "test_generated.py").write_text(textwrap.dedent(source))
    env = dict(os.environ, PYTHONPATH=str(PYTHON_DIR))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "loopback.pytest_plugin",
                           "-p", "no:cacheprovider", "-q", *args, str(tmp_path)],
                          capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=timeout)


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

def test_released_after_the_test():
    assert not loopback.is_leased(SEEN["free"])

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
    assert not any(loopback.is_leased(p) for p in SEEN["group"][:3])
    assert not any(loopback.is_leased(p, loopback.Protocol.UDP) for p in SEEN["group"][3:])
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
