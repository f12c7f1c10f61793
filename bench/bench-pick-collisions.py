#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Collision comparison: P processes each take K ports at once and keep
them (as a test harness would until its servers bind), with libloopback
(lb-pick-hold: leased picks) and with portpicker without its server
(Debian python3-portpicker: pick_unused_port() binds, closes, returns),
and with the Python binding's drop-in loopback.portpicker (leased picks;
needs LOOPBACK_LIBRARY or a build tree next to bindings/python).
Counts ports handed out more than once among the P*K.
  bench-pick-collisions.py LB_PICK_HOLD [P] [K]"""
import collections, os, subprocess, sys, time

hold = sys.argv[1]
P = int(sys.argv[2]) if len(sys.argv) > 2 else 64
K = int(sys.argv[3]) if len(sys.argv) > 3 else 157

PP = r'''
import os, sys
os.environ.pop("PORTSERVER_ADDRESS", None)
import portpicker
ports = [portpicker.pick_unused_port() for _ in range(int(sys.argv[1]))]
print("\n".join("ports %d" % p for p in ports)); print("ready"); sys.stdout.flush()
sys.stdin.read()
'''

def run(cmd):
    r, w = os.pipe()
    t0 = time.monotonic()
    procs = [subprocess.Popen(cmd, stdin=r, stdout=subprocess.PIPE, text=True) for _ in range(P)]
    os.close(r)
    outs = []
    for p in procs:                      # read until "ready": all hold at once
        lines = []
        for line in p.stdout:
            if line.strip() == "ready":
                break
            lines.append(line)
        outs.append(lines)
    t1 = time.monotonic()
    os.close(w)                          # barrier released
    for p in procs:
        p.stdout.read(); p.wait(timeout=60)
    ports = [int(x) for lines in outs for l in lines for x in l.split()[1:]]
    c = collections.Counter(ports)
    dup = sum(n - 1 for n in c.values() if n > 1)
    return len(ports), dup, t1 - t0

LBPP = PP.replace("import portpicker", "from loopback import portpicker")
py_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bindings", "python")
os.environ["PYTHONPATH"] = py_dir

env_hold = [hold, "--rounds", str(K)]
for name, cmd in (("libloopback (lb_port_pick, leased)", env_hold),
                  ("portpicker 1.5.2, no portserver", ["/usr/bin/python3", "-c", PP, str(K)]),
                  ("loopback.portpicker (leased)", ["/usr/bin/python3", "-c", LBPP, str(K)])):
    n, dup, secs = run(cmd)
    print("%s|%d|%d|%d|%.2f" % (name, P, n, dup, secs))
