#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Add up test results from every step into one closing line.

Usage: tally.py RESULTS_DIR

RESULTS_DIR holds one folder per step (a build configuration, a binding, a
cross-build). A step folder may contain:
  meson.junit.xml  meson's JUnit log (meson-logs/testlog.junit.xml): meson
                   parses the TAP of the Check suites and shell tests
                   (protocol: 'tap') into one testcase per case; a test of
                   another protocol is one testcase
  testlog.json     meson's test log (meson-logs/testlog.json): a test whose
                   result is bad but that has no failing case in the JUnit
                   log (a crash or a timeout after passing cases) adds one
                   failure; a test missing from the JUnit log counts once
  *.junit.xml      other JUnit files (pytest --junitxml)
  *.gojson         go test -json (plus go's plain "FAIL pkg [build failed]")
  steps.txt        lines "ok NAME", "fail NAME", "skip NAME" (build steps)
  status           written by scripts/test.sh: "exit N" (the step's own
                   exit status) and "seconds N" (its duration); a step that
                   exited non-zero without any failure counted above adds
                   one failure, so the status and the tally cannot disagree
Prints one line per step, then "N passed, N failed, N skipped" last; exits
1 when anything failed.
"""
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

GOOD = ("OK", "SKIP", "EXPECTEDFAIL")


def junit_counts(path):
    p = f = s = 0
    for tc in ET.parse(path).getroot().iter("testcase"):
        kinds = {c.tag for c in tc}
        if kinds & {"failure", "error"}:
            f += 1
        elif "skipped" in kinds:
            s += 1
        else:
            p += 1
    return p, f, s


def meson_counts(junit, testlog):
    """meson's JUnit cases, checked against each test's result in testlog.

    meson writes a TAP test as a <testsuite name="PROJECT.NAME"> of its
    cases, any other test as a <testcase classname="PROJECT" name="NAME">
    (NAME is "PROJECT:SUITE / TEST" as in testlog.json). Its JUnit log
    drops what befalls the test as a whole: a crash or a timeout after
    passing cases, a timeout or an unexpected pass of a non-TAP test. So a
    test that testlog.json calls bad is at least one failure.
    """
    p = f = s = 0
    results = {}
    if testlog and os.path.exists(testlog):
        with open(testlog) as fh:
            for line in fh:
                line = line.strip()
                if line:
                    t = json.loads(line)
                    name = t.get("name", "")
                    results[name.split(":", 1)[0] + "." + name] = t.get("result", "")
    seen, failed = set(), set()
    if junit and os.path.exists(junit):
        root = ET.parse(junit).getroot()
        for suite in root.iter("testsuite"):
            for tc in suite.iter("testcase"):
                key = suite.get("name", "")
                tap_case = key in results
                if not tap_case:
                    key = tc.get("classname", "") + "." + tc.get("name", "")
                seen.add(key)
                kinds = {c.tag for c in tc}
                if kinds & {"failure", "error"} or (
                        not tap_case and results.get(key, "OK") not in GOOD):
                    f += 1
                    failed.add(key)
                elif "skipped" in kinds:
                    s += 1
                else:
                    p += 1
    for key, result in results.items():
        if result in GOOD:
            if key not in seen:
                if result == "SKIP":
                    s += 1
                else:
                    p += 1
        elif key not in failed:
            f += 1
    return p, f, s


def go_counts(path):
    p = f = s = 0
    failed_tests = {}
    failed_pkgs = set()
    with open(path, errors="replace") as fh:
        for line in fh:
            try:
                ev = json.loads(line)
            except ValueError:
                # go reports a package that does not build as text only.
                if re.match(r"FAIL\s+\S+ \[(build|setup) failed\]", line):
                    f += 1
                continue
            if not isinstance(ev, dict):
                continue
            a, pkg = ev.get("Action"), ev.get("Package", "")
            if not ev.get("Test"):
                if a == "fail":
                    failed_pkgs.add(pkg)
                continue
            if a == "pass":
                p += 1
            elif a == "fail":
                f += 1
                failed_tests[pkg] = failed_tests.get(pkg, 0) + 1
            elif a == "skip":
                s += 1
    # A package that failed without a failing test (TestMain, a panic
    # outside a test, a timeout) is one failure.
    f += sum(1 for pkg in failed_pkgs if not failed_tests.get(pkg))
    return p, f, s


def steps_counts(path):
    p = f = s = 0
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


def read_status(d):
    """(exit status or None, seconds or None) from the step's status file."""
    code = secs = None
    path = os.path.join(d, "status")
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                key, _, val = line.strip().partition(" ")
                if key == "exit" and val.lstrip("-").isdigit():
                    code = int(val)
                elif key == "seconds" and val.isdigit():
                    secs = int(val)
    return code, secs


def step_counts(d):
    p = f = s = 0
    notes = []
    for name in sorted(os.listdir(d)):
        path = os.path.join(d, name)
        if name == "meson.junit.xml":
            continue
        if name.endswith(".junit.xml"):
            jp, jf, js = junit_counts(path)
            p, f, s = p + jp, f + jf, s + js
        elif name.endswith(".gojson"):
            gp, gf, gs = go_counts(path)
            p, f, s = p + gp, f + gf, s + gs
        elif name == "steps.txt":
            sp, sf, ss = steps_counts(path)
            p, f, s = p + sp, f + sf, s + ss
    mp, mf, ms = meson_counts(os.path.join(d, "meson.junit.xml"),
                              os.path.join(d, "testlog.json"))
    p, f, s = p + mp, f + mf, s + ms
    code, secs = read_status(d)
    if code not in (None, 0) and f == 0:
        f += 1
        notes.append(f"exited {code} with no failing case: counted as a failure")
    return p, f, s, secs, notes


def main():
    root = sys.argv[1]
    tp = tf = ts = 0
    total_secs = 0
    for step in sorted(os.listdir(root)):
        d = os.path.join(root, step)
        if not os.path.isdir(d):
            continue
        p, f, s, secs, notes = step_counts(d)
        line = f"  {step:<16} {p} passed, {f} failed, {s} skipped"
        if secs is not None:
            line += f"  ({secs} s)"
            total_secs += secs
        print(line)
        for note in notes:
            print(f"    {step}: {note}")
        tp, tf, ts = tp + p, tf + f, ts + s
    if total_secs:
        print(f"  steps took {total_secs} s in all")
    print(f"{tp} passed, {tf} failed, {ts} skipped")
    return 1 if tf else 0


if __name__ == "__main__":
    sys.exit(main())
