#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Print the C sources a simple meson.build compiles for a host OS.

Usage: meson-sources.py MESON_BUILD HOST_OS VAR

For the cross steps that build without meson (zig cc cannot pass meson's
linker detection): follows `if/elif/else/endif` blocks whose condition
only tests host_os (other conditions count as false), and collects the
'*.c' strings of `VAR = files(...)` and `VAR += files(...)`. Paths are
printed relative to the directory of MESON_BUILD.
"""
import re
import sys


def cond_true(cond, host_os):
    cond = cond.strip()
    if "host_os" not in cond:
        return False
    expr = re.sub(r"\bhost_os\b", repr(host_os), cond)
    try:
        return bool(eval(expr, {"__builtins__": {}}, {}))
    except Exception:
        return False


def main():
    path, host_os, var = sys.argv[1:4]
    text = open(path).read()
    stack = []  # per if-block: [active, any_branch_taken]
    active = True
    out = []
    collecting = False
    for line in text.splitlines():
        s = line.split("#", 1)[0].strip()
        m = re.match(r"(if|elif)\s+(.*)$", s)
        if m and m.group(1) == "if":
            parent = active
            taken = parent and cond_true(m.group(2), host_os)
            stack.append([parent, taken])
            active = taken
            continue
        if m and m.group(1) == "elif":
            parent, taken = stack[-1]
            now = parent and not taken and cond_true(m.group(2), host_os)
            stack[-1][1] = taken or now
            active = now
            continue
        if s == "else":
            parent, taken = stack[-1]
            active = parent and not taken
            stack[-1][1] = True
            continue
        if s == "endif":
            active = stack.pop()[0]
            continue
        if re.match(rf"{var}\s*\+?=\s*files\(", s):
            collecting = active
        if collecting:
            out += re.findall(r"'([^']+\.c)'", s)
            if ")" in s:
                collecting = False
    for f in out:
        print(f)


main()
