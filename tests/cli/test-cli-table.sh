#!/bin/bash
# SPDX-License-Identifier: MIT
# The audit table's header lines up with its rows (STATUS over the
# allowed/EXPOSED mark, PROTO over the protocol, LOCAL over the address),
# with and without --all-netns; the ls table the same.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK

P=$("$lb" pick) || { fail "pick a port"; finish; exit; }
start_holder h -- --name lbt-table --timeout 60 "tcp/0.0.0.0/$P" || { fail "holder started"; finish; exit; }

# aligned FILE DESC: the header's PROTO/STATE/LOCAL/USER columns start where
# the fields of our row start.
aligned() {
	"$PY" - "$1" "$P" <<'PYEOF'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
port = sys.argv[2]
head = lines[0]
row = next((l for l in lines if re.search(r"\s0\.0\.0\.0:%s\s" % port, l)), None)
if row is None:
    print("no row for port", port); sys.exit(1)
def col(line, i):  # start of the i-th field (split on runs of spaces)
    return [m.start() for m in re.finditer(r"\S+", line)][i]
names = head.split()
bad = []
for i, name in enumerate(names):
    if i >= len(row.split()):
        break
    if col(head, i) != col(row, i):
        bad.append("%s at %d, field at %d" % (name, col(head, i), col(row, i)))
if bad:
    print("\n".join([head, row] + bad)); sys.exit(1)
PYEOF
}

"$lb" audit >"$LB_T_TMP/audit.txt"; rc=$?
[ $rc = 1 ] && ok "audit with a 0.0.0.0 listener exits 1" || fail "audit exit $rc"
head -1 "$LB_T_TMP/audit.txt" | grep -q '^STATUS  *PROTO  *STATE  *LOCAL' && ok "audit header starts with STATUS" || fail "audit header: $(head -1 "$LB_T_TMP/audit.txt")"
out=$(aligned "$LB_T_TMP/audit.txt") && ok "audit: header columns over the row's fields" || fail "audit misaligned: $out"
"$lb" audit --allow "tcp/$P" >"$LB_T_TMP/audit2.txt"
out=$(aligned "$LB_T_TMP/audit2.txt") && ok "audit --allow: the allowed row lines up too" || fail "audit --allow misaligned: $out"
grep -q "^allowed  *tcp  *LISTEN  *0.0.0.0:$P " "$LB_T_TMP/audit2.txt" && ok "audit --allow tcp/PORT: the row is allowed" || fail "allowed row: $(grep ":$P " "$LB_T_TMP/audit2.txt")"
"$lb" ls -l >"$LB_T_TMP/ls.txt"
out=$(aligned "$LB_T_TMP/ls.txt") && ok "ls: header columns over the row's fields" || fail "ls misaligned: $out"
if [ "$(id -u)" = 0 ]; then
	"$lb" audit --all-netns >"$LB_T_TMP/audit3.txt"
	out=$(aligned "$LB_T_TMP/audit3.txt") && ok "audit --all-netns: aligned with the NETNS column" || fail "audit --all-netns misaligned: $out"
	"$lb" ls -l --all-netns >"$LB_T_TMP/ls3.txt"
	out=$(aligned "$LB_T_TMP/ls3.txt") && ok "ls --all-netns: aligned with the NETNS column" || fail "ls --all-netns misaligned: $out"
else
	skip "--all-netns needs root"
	skip "--all-netns needs root"
fi
finish
