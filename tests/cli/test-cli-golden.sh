#!/bin/bash
# SPDX-License-Identifier: MIT
# The socket writers' output, byte for byte: ls, who and audit (table and
# --json) on a fixed mock socket table (tests/data/cli-golden/sockets.txt:
# every state, IPv4, IPv6 with zones, mapped addresses, the largest
# numbers, owners with escapes, bytes that are not UTF-8, a process column
# longer than the table keeps) give exactly tests/data/cli-golden/expected.txt.
# The writers are tuned for speed (bench/README.md); this keeps what they
# print from changing with them. Needs the mock backend (-Dtest_doubles=true).
# Not --all-netns: as root the mock table comes once per namespace on the
# host, which other programs create and remove.
#
#   LB_GOLDEN_WRITE=1 ... test-cli-golden.sh   rewrites expected.txt (review the diff)
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
dir=$LB_TESTS_DIR/data/cli-golden
if [ "${LB_TEST_DOUBLES:-0}" != 1 ]; then
	skip "the mock backend needs -Dtest_doubles=true"
	finish
	exit 77
fi
tmp=$(mktemp -d)
lb_t_on_exit 'rm -rf "$tmp"'

# One section per command: its arguments, its stdout, its exit status.
cases=(
	"ls"
	"ls --json"
	"ls --listening"
	"ls --listening --json"
	"ls --no-owners"
	"ls --no-owners --json"
	"ls --all-owners --json"
	"--color=always ls -l"
	"ls -6 --udp --json"
	"audit"
	"audit --json"
	"audit --allow tcp/8080"
	"who 8080"
	"who --json 8080"
	"who 7001"
	"who --json 7001"
	"who 7002"
	"who --json 5353"
)
for c in "${cases[@]}"; do
	printf '== loopback %s\n' "$c"
	rc=0
	# shellcheck disable=SC2086 # the case is split into words on purpose
	LOOPBACK_BACKEND=mock LOOPBACK_MOCK_FILE=$dir/sockets.txt NO_COLOR='' LC_ALL=C "$lb" $c || rc=$?
	printf '== exit %s\n' "$rc"
done >"$tmp/actual.txt" 2>"$tmp/err.txt"

if [ "${LB_GOLDEN_WRITE:-0}" = 1 ]; then
	cp "$tmp/actual.txt" "$dir/expected.txt"
	ok "wrote $dir/expected.txt"
	finish
	exit
fi
if [ -s "$tmp/err.txt" ]; then
	fail "nothing on stderr: $(head -c 300 "$tmp/err.txt" | tr '\n' ' ')"
else
	ok "nothing on stderr"
fi
if cmp -s "$dir/expected.txt" "$tmp/actual.txt"; then
	ok "${#cases[@]} commands print exactly tests/data/cli-golden/expected.txt"
else
	fail "output differs from tests/data/cli-golden/expected.txt:"
	diff -a "$dir/expected.txt" "$tmp/actual.txt" | head -40 | sed 's/^/# /'
fi
# Each JSON output is one valid JSON document.
bad=$(/usr/bin/python3 - "$tmp/actual.txt" <<'PYEOF'
import json, sys
data = open(sys.argv[1], "rb").read().split(b"\n== ")
bad = []
for sec in data:
    head, _, body = sec.partition(b"\n")
    if b"--json" in head:
        body = body.rsplit(b"== exit", 1)[0]
        try:
            json.loads(body.decode("utf-8"))
        except Exception as e:
            bad.append("%s: %s" % (head.decode("utf-8", "replace"), e))
print("; ".join(bad))
PYEOF
)
if [ -z "$bad" ]; then ok "every --json section is valid JSON (UTF-8)"; else fail "invalid JSON: $bad"; fi
finish
