#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""What `loopback ls` costs besides the owner scan, on the busy host
(bench/busyhost): the API call and the CLI's writers in-process
(bench/bench-ls), and whole processes against ss and /bin/true: start-up
(`loopback --version`), `ls --listening --no-owners` against `ss -tuln`,
`ls --no-owners --json` against `ss -tuan`. Commands run interleaved, A B
A B ..., with the output to /dev/null; each pair gives one ratio, and the
median of the ratios is reported with the median times. Times are wall
clock and CPU (user + system of the child, from wait4). Run through
bench/run-ls.sh (private network namespace, release build)."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(argv):
    """Wall and CPU milliseconds of one run of argv, output to /dev/null."""
    with open(os.devnull, "wb") as null:
        t0 = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_DUP2, null.fileno(), 1)])
        _, status, ru = os.wait4(pid, 0)
        wall = (time.perf_counter() - t0) * 1e3
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit("run-ls: %s exited with %s" % (" ".join(argv), status))
    return wall, (ru.ru_utime + ru.ru_stime) * 1e3


def pair(a, b, runs):
    """Interleaved runs of a and b (one unmeasured run each first)."""
    run_once(a)
    run_once(b)
    ra, rb = [], []
    for _ in range(runs):
        ra.append(run_once(a))
        rb.append(run_once(b))
    med = lambda xs: statistics.median(xs)
    return {
        "a_wall": med([w for w, _ in ra]), "b_wall": med([w for w, _ in rb]),
        "a_cpu": med([c for _, c in ra]), "b_cpu": med([c for _, c in rb]),
        "wall_ratio": med([x[0] / y[0] for x, y in zip(ra, rb)]),
        "cpu_ratio": med([x[1] / y[1] if y[1] else float("nan") for x, y in zip(ra, rb)]),
    }


def bench_ls(prog, args):
    out = subprocess.run([prog] + args, stdout=subprocess.PIPE, text=True, check=True).stdout
    d = {}
    for line in out.splitlines():
        k, _, v = line.partition(":")
        d[k] = v.split()
    return int(d["sockets"][0]), statistics.median(map(float, d["samples_ms"])), \
        statistics.median(map(float, d["cpu_ms"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--busyhost", required=True)
    ap.add_argument("--loopback", required=True)
    ap.add_argument("--bench-ls", required=True)
    ap.add_argument("--before", help="another build's tools/loopback to compare with")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--netns", default="")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="ls-bench-")
    bh_argv = [a.busyhost, "--procs", "400", "--listeners", "10000", "--conns", "8000",
               "--fds", "40000", "--seed", "1", "--lifetime", "600",
               "--manifest", os.path.join(tmp, "busyhost.tsv")]
    load0 = os.getloadavg()
    bh = subprocess.Popen(bh_argv, stdout=subprocess.PIPE, text=True)
    try:
        if bh.stdout.readline().strip() != "ready":
            sys.exit("busyhost did not get ready (exit %s)" % bh.poll())
        rows = []
        lb = a.loopback
        for label, args in [("API: lb_socket_list_get, no owners", ["api"]),
                            ("API: the same, listeners only", ["api", "--listening"]),
                            ("writer: JSON of every socket", ["json"]),
                            ("writer: JSON of the listeners", ["json", "--listening"]),
                            ("writer: table of every socket", ["table"])]:
            n, wall, cpu = bench_ls(a.bench_ls, args + ["--runs", str(a.runs)])
            rows.append("| %s (in-process, %d sockets) | %.2f | %.2f |" % (label, n, wall, cpu))
        pairs = [
            ("`loopback --version`", [lb, "--version"], "`/bin/true`", ["/bin/true"]),
            ("`loopback --version`", [lb, "--version"], "`ss -V`", [shutil.which("ss"), "-V"]),
            ("`loopback ls --listening --no-owners`", [lb, "ls", "--listening", "--no-owners"],
             "`ss -tuln`", [shutil.which("ss"), "-tuln"]),
            ("`loopback ls --no-owners --json`", [lb, "ls", "--no-owners", "--json"],
             "`ss -tuan`", [shutil.which("ss"), "-tuan"]),
            ("`loopback ls --no-owners`", [lb, "ls", "--no-owners"],
             "`ss -tuan`", [shutil.which("ss"), "-tuan"]),
        ]
        if a.before:
            for args in (["--version"], ["ls", "--listening", "--no-owners", "--json"],
                         ["ls", "--no-owners", "--json"], ["ls", "--no-owners"]):
                pairs.append(("`loopback %s`" % " ".join(args), [lb] + args,
                              "the same, before", [a.before] + args))
        prow = []
        for na, aa, nb, bb in pairs:
            r = pair(aa, bb, a.runs)
            prow.append("| %s | %s | %.2f / %.2f | %.2f / %.2f | **%.2f** | %.2f |" % (
                na, nb, r["a_wall"], r["a_cpu"], r["b_wall"], r["b_cpu"],
                r["wall_ratio"], r["cpu_ratio"]))
    finally:
        bh.terminate()
        try:
            bh.wait(timeout=30)
        except subprocess.TimeoutExpired:
            bh.kill()
            bh.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    load1 = os.getloadavg()
    print("Load average %.2f %.2f %.2f at the start, %.2f %.2f %.2f at the end; %s; %d runs each."
          % (load0 + load1 + (a.netns or "host network namespace", a.runs)))
    print()
    print("| measured | median wall ms | median CPU ms |")
    print("|---|---|---|")
    print("\n".join(rows))
    print()
    print("| A | B | A wall / CPU ms | B wall / CPU ms | A/B wall | A/B CPU |")
    print("|---|---|---|---|---|---|")
    print("\n".join(prow))


if __name__ == "__main__":
    main()
