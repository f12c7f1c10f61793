#!/bin/bash
# SPDX-License-Identifier: MIT
# Bring debian/libloopback1.symbols in line with lib/libloopback.sym: an
# export not yet listed is added with its version node and the project's
# current version (the first release that has it); lines of the file are
# otherwise kept. Run it in the commit that adds an export (the package
# build fails on an unlisted one: dpkg-gensymbols -c4).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n "s/^[[:space:]]*version: '\([^']*\)'.*/\1/p" "$top/meson.build" | head -n 1)
/usr/bin/python3 - "$top/lib/libloopback.sym" "$top/debian/libloopback1.symbols" "$version" <<'PY'
import re, sys
symfile, debfile, version = sys.argv[1:4]
exports = {}   # symbol -> version node
node = None
for line in open(symfile):
    m = re.match(r'^\s*(LOOPBACK_[0-9.]+)\s*\{', line)
    if m:
        node = m.group(1)
    m = re.match(r'^\s*(lb_\w+);', line)
    if m:
        exports[m.group(1)] = node
lines = open(debfile).read().splitlines()
head = [l for l in lines if not l.startswith(' ')]
entries = [l for l in lines if l.startswith(' ')]
listed = {re.match(r'^ (\S+)@', l).group(1) for l in entries}
nodes = sorted(set(exports.values()))
for n in nodes:
    if n not in listed:
        entries.append(' %s@%s %s' % (n, n, version))
for s, n in sorted(exports.items()):
    if s not in listed:
        entries.append(' %s@%s %s' % (s, n, version))
entries = [l for l in entries if re.match(r'^ (\S+)@', l).group(1) in set(exports) | set(nodes)]
entries.sort(key=lambda l: (not l.startswith(' LOOPBACK_'), l))
open(debfile, 'w').write('\n'.join(head + entries) + '\n')
PY
