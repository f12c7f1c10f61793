# SPDX-License-Identifier: MIT
"""<loopback/socket.h> through the binding: a fixture table, then real sockets."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

import loopback
from loopback import Family, OwnerMode, Protocol, State
from conftest import SOURCE_ROOT, have_unshare, require_mock, run_python

MOCK = SOURCE_ROOT / "tests/data/sock-mock-basic.txt"


@pytest.fixture
def mock_table(monkeypatch):
    require_mock(monkeypatch)


def test_mock_every_field(mock_table):
    socks = loopback.sockets()
    assert socks.backend == "mock"
    assert [(s.protocol, s.local.port) for s in socks] == [
        (Protocol.TCP, 8080), (Protocol.TCP, 8443), (Protocol.TCP, 9000), (Protocol.TCP, 5432),
        (Protocol.TCP, 5432), (Protocol.TCP, 40001), (Protocol.UDP, 5353), (Protocol.UDP, 53)]
    node = socks[0]
    assert (node.family, node.state, node.state_name, node.local.host, node.remote) == (
        Family.INET, State.LISTEN, "LISTEN", "0.0.0.0", None)
    assert (node.uid, node.inode, node.rx_queue, node.tx_queue) == (1000, 5001, 0, 128)
    assert node.pids == [4242, 4243] and node.owner_error is None
    o = node.owners[0]
    assert o == loopback.Owner(pid=4242, name="node", cmdline="node server.js --port 8080",
                               argv=("node", "server.js", "--port", "8080"),
                               exe="/usr/bin/node", uid=1000, user="dev",
                               start_time=1763880000000, error=None)
    v6 = socks[2]
    assert (v6.family, v6.local.host, v6.v6only) == (Family.INET6, "::1", True)
    hidden = v6.owners[0]
    assert (hidden.pid, hidden.cmdline, hidden.exe) == (4300, None, None)
    assert isinstance(hidden.error, loopback.PermissionDenied)
    est = socks[4]
    assert (est.state, est.state_name, str(est.remote), est.rx_queue) == (
        State.ESTABLISHED, "ESTAB", "127.0.0.1:40000", 12)
    tw = socks[5]
    assert (tw.state_name, tw.inode, tw.owners) == ("TIME-WAIT", 0, ())
    mdns = socks[6]
    assert (mdns.state, mdns.state_name, mdns.owners) == (State.CLOSE, "UNCONN", ())
    assert isinstance(mdns.owner_error, loopback.PermissionDenied)


def test_mock_filters(mock_table):
    ports = lambda socks: [s.local.port for s in socks]  # noqa: E731
    assert ports(loopback.sockets(protocols=Protocol.UDP)) == [5353, 53]
    assert ports(loopback.sockets(families=[Family.INET6])) == [8443, 9000]
    assert ports(loopback.sockets(states=[State.LISTEN], protocols=Protocol.TCP)) == [
        8080, 8443, 9000, 5432]
    assert ports(loopback.sockets(local_address="127.0.0.1")) == [5432, 5432, 40001]
    assert ports(loopback.sockets(remote_address="127.0.0.1", remote_port=5432)) == [40001]
    assert ports(loopback.sockets(uid=105)) == [5432, 5432]
    assert ports(loopback.who(5432)) == [5432, 5432]
    assert ports(loopback.who("127.0.0.1:5432")) == [5432, 5432]
    assert ports(loopback.who("[::1]:5432")) == []
    assert ports(loopback.who(53, protocols=Protocol.UDP)) == [53]
    assert ports(loopback.ports_of(900)) == [5432]
    assert sorted(ports(loopback.ports_of(4242, descendants=True))) == [8080, 9000]
    assert all(s.owners == () for s in loopback.sockets(owners=OwnerMode.NONE))


def test_bad_arguments(mock_table):
    with pytest.raises(loopback.InvalidArgument):
        loopback.sockets(families=[Family.NONE])
    with pytest.raises(loopback.InvalidArgument):
        loopback.sockets(protocols=Protocol(0))
    with pytest.raises(loopback.InvalidArgument):
        loopback.sockets(states=[])
    with pytest.raises(loopback.InvalidArgument):
        loopback.sockets(pid=-1)
    with pytest.raises(loopback.InvalidArgument):
        loopback.who("localhost:80")
    with pytest.raises(loopback.OutOfRange):
        loopback.sockets(local_port=65536)


def test_mock_bad_fixture(monkeypatch, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("socket tcp LISTEN 0.0.0.0 99999 0.0.0.0 0\n")
    require_mock(monkeypatch)
    monkeypatch.setenv("LOOPBACK_MOCK_FILE", str(bad))
    with pytest.raises(loopback.BadData):
        loopback.sockets()


# A child holding a TCP listener on 127.0.0.1 and a UDP socket on ::1, on
# the first two ports of $LB_PORTS (leased by the test); with --child it
# starts a grandchild doing the same on the next two. Prints "tcp udp
# tcp-inode" (and the grandchild's tcp port and pid), then waits for stdin.
SERVER = r"""
import os, socket, sys, time
ports = [int(p) for p in os.environ["LB_PORTS"].split()]
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.bind(("127.0.0.1", ports[0])); t.listen()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.bind(("::1", ports[1]))
out = [ports[0], ports[1], os.fstat(t.fileno()).st_ino]
if "--child" in sys.argv:
    import subprocess
    env = dict(os.environ, LB_PORTS=" ".join(map(str, ports[2:])))
    kid = subprocess.Popen([sys.executable, "-c", sys.argv[1], "grandchild-marker"],
                           stdout=subprocess.PIPE, text=True, env=env)
    out.append(int(kid.stdout.readline().split()[0]))
    out.append(kid.pid)
print(*out, flush=True)
sys.stdin.read()
"""


@pytest.fixture
def server(lease_ports):
    """A child process holding a TCP listener on 127.0.0.1 and a UDP socket on ::1,
    and a grandchild with another TCP listener and UDP socket, all on ports
    this test leased."""
    lease = lease_ports(4, protocols=Protocol.ALL)
    env = dict(os.environ, LB_PORTS=" ".join(map(str, lease.ports)))
    p = subprocess.Popen([sys.executable, "-c", SERVER, SERVER, "--child", "server-marker"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        tcp, udp, inode, kid_tcp, kid_pid = map(int, p.stdout.readline().split())
        assert (tcp, udp, kid_tcp) == lease.ports[:3]
        yield p, tcp, udp, inode, kid_tcp, kid_pid
    finally:
        p.stdin.close()
        p.wait(timeout=10)


@pytest.fixture(params=["netlink", "procfs"])
def backend(request, monkeypatch):
    monkeypatch.setenv("LOOPBACK_BACKEND", request.param)
    return request.param


def test_who_names_the_real_process(server, backend):
    p, tcp, udp, inode, kid_tcp, kid_pid = server
    socks = loopback.who(tcp)
    assert socks.backend == backend
    # The port is leased by this test: the child's listener is the only
    # socket on it (a port from the ephemeral range, as bind(port 0) gives,
    # may be shared with any program's outgoing connections or TIME-WAITs).
    assert [x.inode for x in socks] == [inode]
    s = socks[0]
    assert (s.protocol, s.family, s.state, str(s.local)) == (
        Protocol.TCP, Family.INET, State.LISTEN, f"127.0.0.1:{tcp}")
    assert s.uid == os.geteuid() and s.inode > 0
    assert s.pids == [p.pid]
    o = s.owners[0]
    assert o.name.startswith("python3")
    assert o.exe == os.path.realpath(sys.executable)
    assert o.cmdline.endswith("--child server-marker")
    # The vector keeps the program text (spaces, newlines) one argument.
    assert o.argv == (sys.executable, "-c", SERVER, SERVER, "--child", "server-marker")
    assert abs(o.start_time / 1000 - time.time()) < 120
    assert o.error is None
    u = loopback.who(udp, protocols=Protocol.UDP)
    assert [(x.state_name, x.local.host, x.pids) for x in u] == [("UNCONN", "::1", [p.pid])]


def test_ports_of_a_process_and_its_tree(server, backend):
    p, tcp, udp, inode, kid_tcp, kid_pid = server
    mine = loopback.ports_of(p.pid)
    assert sorted((s.protocol, s.local.port) for s in mine) == sorted(
        [(Protocol.TCP, tcp), (Protocol.UDP, udp)])
    tree = loopback.ports_of(p.pid, descendants=True)
    got = {(s.protocol, s.local.port): s.pids for s in tree}
    assert got[(Protocol.TCP, kid_tcp)] == [kid_pid]
    assert len(tree) == 4  # the grandchild's two sockets too
    assert [s.local.port for s in loopback.ports_of(p.pid, states=[State.LISTEN])] == [tcp]


def test_established_connection_both_ends(server, backend):
    p, tcp, *_ = server
    with socket.create_connection(("127.0.0.1", tcp), timeout=5) as c:
        here = c.getsockname()[1]
        mine = loopback.sockets(protocols=Protocol.TCP, remote_address="127.0.0.1",
                                remote_port=tcp, states=[State.ESTABLISHED])
        assert [(s.local.port, s.pids) for s in mine] == [(here, [os.getpid()])]
        # The accepted end sits in the listener's queue: established, no holder yet.
        theirs = loopback.sockets(local_port=tcp, states=[State.ESTABLISHED])
        assert [str(s.remote) for s in theirs] == [f"127.0.0.1:{here}"]


def test_namespaces_errors(tmp_path):
    with pytest.raises(loopback.NotFound):
        loopback.sockets(netns_path=str(tmp_path / "nonexistent"))
    with pytest.raises(loopback.InvalidArgument):
        loopback.sockets(netns_path="/etc/hosts")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root for a network namespace")
def test_other_namespace_by_pid(lease_ports):
    # A listener in a fresh namespace: invisible here, listed through its pid.
    port = lease_ports().port
    code = ("import socket,sys; s=socket.socket(); s.bind(('127.0.0.1',%d)); s.listen();"
            "print(s.getsockname()[1], flush=True); sys.stdin.read()" % port)
    p = subprocess.Popen(["unshare", "-n", "sh", "-c",
                          'ip link set lo up && exec "$0" -c "$1"', sys.executable, code],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert int(p.stdout.readline()) == port
        pid = p.pid  # unshare and sh exec: the pid is python's
        inside = loopback.sockets(netns_pid=pid, local_port=port)
        assert [(s.state, s.pids) for s in inside] == [(State.LISTEN, [pid])]
        here = loopback.sockets(local_port=port, local_address="127.0.0.1")
        assert all(s.pids != [pid] for s in here)
    finally:
        p.stdin.close()
        p.wait(timeout=10)


def test_unprivileged_sees_socket_with_owner_unknown(server, nobody_python):
    p, tcp, *_ = server
    r = nobody_python("import loopback; s = loopback.who(%d); "
                      "print(len(s), s[0].pids, type(s[0].owner_error).__name__)" % tcp)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "[]", "PermissionDenied"]


def test_owner_error_listed_or_not_requested(server, backend):
    p, tcp, *_ = server
    s = loopback.who(tcp)[0]
    assert s.pids == [p.pid] and s.owner_error is None
    s = loopback.sockets(local_port=tcp, protocols=Protocol.TCP, owners=OwnerMode.NONE)[0]
    assert s.owners == () and isinstance(s.owner_error, loopback.NotRequested)
    assert s.owner_error.code == loopback.ErrorCode.ENOTREQUESTED == -22


OWNER_ERROR = ("import loopback; s = loopback.who(%d); "
               "print(len(s), s[0].pids, type(s[0].owner_error).__name__)")


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("capsh"),
                    reason="needs root and capsh")
def test_owner_error_permission_without_ptrace(server):
    # Root without CAP_SYS_PTRACE cannot read the links of a process that
    # has capabilities it lacks: permission denied, not "no owner". (Nor
    # what a BPF owner scan needs, which would see every holder.)
    p, tcp, *_ = server
    r = run_python(OWNER_ERROR % tcp,
                   prefix=["capsh", "--drop=cap_sys_ptrace,cap_bpf,cap_perfmon,cap_sys_admin",
                           "--", "-c", 'exec "$0" "$@"'])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "[]", "PermissionDenied"]


@pytest.mark.skipif(not have_unshare(), reason="needs root and unshare")
def test_owner_error_not_visible_from_own_pid_namespace(server):
    p, tcp, *_ = server
    r = run_python(OWNER_ERROR % tcp, prefix=["unshare", "-p", "-f", "-m", "--mount-proc"])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "[]", "NotVisible"]


def _bpf_scan_runs() -> bool:
    try:
        return loopback.sockets(protocols=Protocol.TCP,
                                owner_scan=loopback.OwnerScan.BPF).owner_scan == "bpf"
    except (loopback.PermissionDenied, loopback.NotSupported):
        return False


def test_owner_scan_both_paths_agree(server):
    # The BPF scan (when this host and user may run it) and the /proc scan
    # name the same holders; the list says which ran.
    p, tcp, udp, inode, kid_tcp, kid_pid = server
    proc = loopback.who(tcp, owners=OwnerMode.ALL, owner_scan=loopback.OwnerScan.PROC)
    assert proc.owner_scan == "proc" and proc[0].pids == [p.pid]
    if not _bpf_scan_runs():
        pytest.skip("the BPF owner scan cannot run here (not root, or no BTF/iterator)")
    bpf = loopback.who(tcp, owner_scan=loopback.OwnerScan.BPF)
    assert bpf.owner_scan == "bpf"
    assert [s.pids for s in bpf] == [s.pids for s in proc]
    assert loopback.who(tcp).owner_scan == "bpf"  # AUTO picks it
    none = loopback.sockets(local_port=tcp, protocols=Protocol.TCP, owners=OwnerMode.NONE)
    assert none.owner_scan is None
    with pytest.raises(ValueError):
        loopback.who(tcp, owner_scan=7)


def test_owner_scan_unprivileged_falls_back(server, nobody_python):
    p, tcp, *_ = server
    r = nobody_python("import loopback; s = loopback.who(%d); print(s.owner_scan)\n"
                      "try:\n"
                      "    loopback.who(%d, owner_scan=loopback.OwnerScan.BPF)\n"
                      "except (loopback.PermissionDenied, loopback.NotSupported) as e:\n"
                      "    print(type(e).__name__)\n" % (tcp, tcp))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "proc"
    assert r.stdout.split()[1] in ("PermissionDenied", "NotSupported")
