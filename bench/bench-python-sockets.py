#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""In-process socket listing on a busy host: the Python binding's
loopback.sockets() beside psutil.net_connections("inet"), and the Go
binding's Sockets() (its benchmark, bindings/go/sockets_bench_test.go).

  bench-python-sockets.py --busyhost BUILD/bench/busyhost
        [--go-test PATH_OF_A_COMPILED_GO_TEST] [--rounds 5] [--small]

LOOPBACK_LIBRARY names the library (else the build tree is looked for).
As root it re-runs itself in a private network namespace (unshare -n), so
busyhost's 10,000 listeners take nobody's ports. busyhost stops after its
lifetime (300 s) or when this script ends (SIGTERM to its PID).

Every round runs each measurement once, interleaved, after gc.collect();
medians in milliseconds around the call alone (process start excluded),
wall-clock and CPU time (user + system of the process: on a shared,
loaded machine the steadier of the two):

- psutil.net_connections("inet"): sockets with pids, fully built tuples;
- loopback.sockets(): the list (items read their fields on demand);
- loopback.sockets() + fields: then, for every socket, what psutil gives
  (local and remote address and port, state name, pids);
- the C call alone: lb_query_new, lb_socket_list_get, lb_socket_list_free
  through ctypes, with owners and without;
- Go Sockets(): the same list built as Go values (BenchmarkSockets, and
  BenchmarkSocketsNoOwners), each per round in a fresh process as its
  first call (-test.benchtime 1x: with the library's and the Go heap's
  start-up) and warm (3x, after the testing package's unreported N=1 run).
"""
import argparse
import ctypes
import gc
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bindings", "python"))


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--busyhost", required=True)
    ap.add_argument("--go-test", help="a Go test binary of bindings/go (go test -c)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--small", action="store_true", help="a small busy host (a smoke run)")
    return ap.parse_args()


def timed(fn):
    """Wall-clock and CPU (user + system of this process) milliseconds of fn()."""
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    r = fn()
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3, r


def main():
    args = parse_args()
    if os.geteuid() == 0 and not os.environ.get("LB_BENCH_NETNS"):
        env = dict(os.environ, LB_BENCH_NETNS="1")
        os.execvpe("unshare", ["unshare", "-n", sys.executable] + sys.argv, env)
    if os.environ.get("LB_BENCH_NETNS"):
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    import psutil
    import loopback
    from loopback._native import C

    size = (["--procs", "20", "--listeners", "500", "--conns", "300", "--fds", "2000"]
            if args.small else
            ["--procs", "400", "--listeners", "10000", "--conns", "8000", "--fds", "40000"])
    print("load average at the start %s; %s" % (
        " ".join("%.2f" % x for x in os.getloadavg()),
        "private network namespace" if os.environ.get("LB_BENCH_NETNS") else "this namespace"))
    manifest = "/tmp/bench-python-sockets-%d.tsv" % os.getpid()
    bh = subprocess.Popen([args.busyhost] + size + ["--seed", "1", "--lifetime", "300",
                                                    "--manifest", manifest],
                          stdout=subprocess.PIPE, text=True)
    try:
        t0 = time.monotonic()
        if bh.stdout.readline().strip() != "ready":
            sys.exit("busyhost did not get ready (exit %s)" % bh.poll())
        print("busyhost %s ready in %.1f s (pid %d)" % (" ".join(size), time.monotonic() - t0,
                                                        bh.pid))

        def c_call(owners):
            q, lst = ctypes.c_void_p(), ctypes.c_void_p()
            C.lb_query_new(ctypes.byref(q))
            C.lb_query_set_owners(q, owners)
            rc = C.lb_socket_list_get(q, ctypes.byref(lst))
            n = C.lb_socket_list_count(lst) if rc == 0 else -1
            C.lb_socket_list_free(lst)
            C.lb_query_free(q)
            return n

        def with_fields():
            out = loopback.sockets()
            for s in out:
                (s.local.host, s.local.port, s.remote and (s.remote.host, s.remote.port),
                 s.state_name, s.pids)
            return out

        measures = [
            ("psutil.net_connections('inet')", lambda: psutil.net_connections("inet")),
            ("loopback.sockets()", loopback.sockets),
            ("loopback.sockets() + every socket's fields", with_fields),
            ("C lb_socket_list_get, owners", lambda: [0] * c_call(1)),
            ("C lb_socket_list_get, no owners", lambda: [0] * c_call(0)),
        ]
        times = {name: [] for name, _ in measures}
        cpu = {name: [] for name, _ in measures}
        counts = {}
        for _ in range(args.rounds):
            for name, fn in measures:
                ms, cpu_ms, r = timed(fn)
                times[name].append(ms)
                cpu[name].append(cpu_ms)
                counts[name] = len(r)
                del r
            # Go, interleaved too: each benchmark in a fresh process, once
            # as its first call (1x), once warm (3x: the testing package's
            # N=1 run first is not reported; the mean of 3 calls after it
            # is), as Python's medians are of calls in a warm process.
            for bt, label in ((("1x", "first call"), ("3x", "warm")) if args.go_test else ()):
                out = subprocess.run([args.go_test, "-test.run", "^$", "-test.bench", "Sockets",
                                      "-test.benchtime", bt],
                                     capture_output=True, text=True, timeout=600).stdout
                for m in re.finditer(r"^(Benchmark\w+)-\d+\s+\d+\s+(\d+) ns/op\s+"
                                     r"([\d.]+) cpu-ms/op\s+(\d+) sockets/op", out, re.M):
                    name = "Go %s, %s" % (m.group(1), label)
                    times.setdefault(name, []).append(int(m.group(2)) / 1e6)
                    cpu.setdefault(name, []).append(float(m.group(3)))
                    counts[name] = int(m.group(4))
    finally:
        bh.terminate()
        try:
            bh.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bh.kill()
            bh.wait()
        for p in (manifest, manifest + ".tmp"):
            if os.path.exists(p):
                os.unlink(p)

    base = statistics.median(times[measures[0][0]])
    cbase = statistics.median(cpu[measures[0][0]])
    print("load average at the end %s; %d rounds; medians in ms (wall-clock range); "
          "ratios to psutil" % (" ".join("%.2f" % x for x in os.getloadavg()), args.rounds))
    print("| measurement | sockets | wall ms | range | / psutil | CPU ms | / psutil |")
    print("|---|---|---|---|---|---|---|")
    for name in times:
        t, c = times[name], cpu[name]
        print("| %s | %d | %.0f | %.0f-%.0f | %.2f | %.0f | %.2f |" % (
            name, counts[name], statistics.median(t), min(t), max(t),
            statistics.median(t) / base, statistics.median(c), statistics.median(c) / cbase))


if __name__ == "__main__":
    main()
