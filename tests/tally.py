#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Add up test results from every suite into one closing line.

Usage: tally.py RESULTS_DIR

RESULTS_DIR holds one folder per step (a build configuration, a binding, a
cross-build). A step folder may contain:
  tap/*.tap        TAP from Check suites (tests/lb-test.h) and shell tests
                   (tests/lib.sh): one line per test case
  testlog.json     meson's test log: tests that wrote no TAP count as one,
                   and a test that failed without a failing TAP line (a
                   crash, a timeout) counts as one failure
  *.junit.xml      pytest --junitxml
  *.gojson         go test -json
  steps.txt        lines "ok NAME", "fail NAME", "skip NAME" (build steps)
Prints one line per step, then "N passed, N failed, N skipped" last.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET


def tap_counts(path):
    p = f = s = 0
    with open(path, errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("not ok"):
                if "# TODO" in line:
                    continue
                f += 1
            elif line.startswith("ok"):
                if "# SKIP" in line.upper() or "# skip" in line:
                    s += 1
                else:
                    p += 1
    return p, f, s


def step_counts(d):
    p = f = s = 0
    tapdir = os.path.join(d, "tap")
    taps = {}
    if os.path.isdir(tapdir):
        for name in sorted(os.listdir(tapdir)):
            if name.endswith(".tap"):
                taps[name[:-4]] = tap_counts(os.path.join(tapdir, name))
    for tp, tf, ts in taps.values():
        p, f, s = p + tp, f + tf, s + ts
    log = os.path.join(d, "testlog.json")
    if os.path.exists(log):
        with open(log) as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                t = json.loads(line)
                name, result = t.get("name", ""), t.get("result", "")
                name = name.split(" / ")[-1].strip()
                bad = result not in ("OK", "SKIP", "EXPECTEDFAIL")
                if name in taps:
                    if bad and taps[name][1] == 0:
                        f += 1
                elif result == "SKIP":
                    s += 1
                elif bad:
                    f += 1
                else:
                    p += 1
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name.endswith(".junit.xml"):
            for tc in ET.parse(path).getroot().iter("testcase"):
                kinds = {c.tag for c in tc}
                if kinds & {"failure", "error"}:
                    f += 1
                elif "skipped" in kinds:
                    s += 1
                else:
                    p += 1
        elif name.endswith(".gojson"):
            with open(path, errors="replace") as fh:
                for line in fh:
                    try:
                        ev = json.loads(line)
                    except ValueError:
                        continue
                    if not ev.get("Test"):
                        continue
                    a = ev.get("Action")
                    if a == "pass":
                        p += 1
                    elif a == "fail":
                        f += 1
                    elif a == "skip":
                        s += 1
        elif name == "steps.txt":
            with open(path) as fh:
                for line in fh:
                    word = line.split(" ", 1)[0]
                    if word == "ok":
                        p += 1
                    elif word == "fail":
                        f += 1
                    elif word == "skip":
                        s += 1
    return p, f, s


def main():
    root = sys.argv[1]
    tp = tf = ts = 0
    for step in sorted(os.listdir(root)):
        d = os.path.join(root, step)
        if not os.path.isdir(d):
            continue
        p, f, s = step_counts(d)
        print(f"  {step:<16} {p} passed, {f} failed, {s} skipped")
        tp, tf, ts = tp + p, tf + f, ts + s
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main())
