# SPDX-License-Identifier: MIT
"""Every export is exercised by the C tests.

usage: abi-called.py SYMFILE INCLUDEDIR TEST.c...
For each symbol of the version script: at least one of the C tests calls
it, and (unless it returns void) at least one call sits inside a Check
assertion (ck_assert*), so its result is compared with a real expectation,
not just made. Prints "ok ..." / "not ok ..." lines.
"""
import glob
import os
import re
import sys

symfile, incdir, tests = sys.argv[1], sys.argv[2], sys.argv[3:]
syms = sorted(set(re.findall(r"^\s+(lb_\w+);", open(symfile).read(), re.M)))

returns = {}
for h in glob.glob(os.path.join(incdir, "**", "*.h"), recursive=True):
    text = re.sub(r"/\*.*?\*/", " ", open(h).read(), flags=re.S)
    for ret, name in re.findall(r"LB_EXPORT\s+([^;{(]*?)\b(lb_\w+)\s*\(", text):
        returns[name] = " ".join(ret.split())


def asserted_calls(text):
    """Names of lb_ functions called inside the arguments of ck_assert*()."""
    out = set()
    for m in re.finditer(r"\bck_assert\w*\s*\(", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out |= set(re.findall(r"\b(lb_\w+)\s*\(", text[m.end():i]))
    return out


called, asserted = {}, set()
for t in tests:
    text = re.sub(r"/\*.*?\*/", " ", open(t).read(), flags=re.S)
    for name in set(re.findall(r"\b(lb_\w+)\s*\(", text)):
        called.setdefault(name, []).append(os.path.basename(t))
    asserted |= asserted_calls(text)

failed = 0
for s in syms:
    if s not in returns:
        print("not ok %s: no LB_EXPORT declaration found in include/" % s)
        failed += 1
    elif s not in called:
        print("not ok %s: no C test calls it" % s)
        failed += 1
    elif returns[s] != "void" and s not in asserted:
        print("not ok %s: called (%s) but its result is never asserted" % (s, ", ".join(called[s])))
        failed += 1
    else:
        print("ok %s: %s%s" % (s, ", ".join(sorted(called[s])[:3]),
                               "" if returns[s] == "void" else ", result asserted"))
print("# %d exports, %d C tests" % (len(syms), len(tests)))
sys.exit(1 if failed else 0)
