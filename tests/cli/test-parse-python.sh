#!/bin/bash
# SPDX-License-Identifier: MIT
# Differential test against an independent parser, CPython's ipaddress:
# random addresses in every text form and random mutations of them (fixed
# seed) through `loopback parse --batch=addr`. Both must agree on what is
# valid, and on the canonical text (RFC 5952; an IPv4-mapped address is
# written ::ffff:a.b.c.d by libloopback, so it is compared that way).
# Zones are left out: ipaddress takes any zone characters.
set -u
. "$LB_TESTS_DIR/lib.sh"

py=/usr/bin/python3
if ! $py -c 'import ipaddress' 2>/dev/null; then
	echo "1..0 # SKIP no $py"
	exit 77
fi

out=$($py - "$LOOPBACK" <<'PYEOF'
import ipaddress, random, subprocess, sys

rnd = random.Random(20261123)


def rand_addr():
    if rnd.random() < 0.3:
        return ipaddress.IPv4Address(rnd.randrange(2 ** 32))
    # zero groups are frequent so that every "::" placement shows up
    g = [0 if rnd.random() < 0.45 else rnd.choice([rnd.randrange(16), rnd.randrange(65536)])
         for _ in range(8)]
    if rnd.random() < 0.1:
        g[:6] = [0, 0, 0, 0, 0, 0xffff]
    return ipaddress.IPv6Address(b"".join(x.to_bytes(2, "big") for x in g))


def mutate(s):
    t = list(s)
    for _ in range(rnd.randint(1, 3)):
        op = rnd.randrange(3)
        c = rnd.choice("0123456789abcdefABCDEF:.x-/ g")
        if op == 0 and t:
            del t[rnd.randrange(len(t))]
        elif op == 1:
            t.insert(rnd.randrange(len(t) + 1), c)
        elif t:
            t[rnd.randrange(len(t))] = c
    return "".join(t)


def expected(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return "err"
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        return "ok\t::ffff:" + str(a.ipv4_mapped)
    return "ok\t" + a.compressed


valid = []
for _ in range(2000):
    a = rand_addr()
    valid.append(rnd.choice([a.exploded, a.compressed, a.compressed.upper()]))
mutated = [m for m in (mutate(s) for s in valid) if "%" not in m]
for name, inputs in (("valid", valid), ("mutated", mutated)):
    res = subprocess.run([sys.argv[1], "parse", "--batch=addr"], capture_output=True,
                         text=True, input="".join(s + "\n" for s in inputs))
    got = res.stdout.split("\n")[:-1]
    diffs = [(s, g, expected(s)) for s, g in zip(inputs, got)
             if (g if g.startswith("ok") else "err") != expected(s)]
    ok = len(got) == len(inputs) and not diffs
    accepted = sum(1 for g in got if g.startswith("ok"))
    print("%s\t%s\t%d\t%d\t%r" % ("ok" if ok else "fail", name, len(inputs), accepted, diffs[:5]))
PYEOF
)
while IFS=$'\t' read -r verdict name n accepted diffs; do
	if [ "$verdict" = ok ]; then
		ok "$name: $n inputs ($accepted valid), same verdict and canonical text as CPython ipaddress"
	else
		fail "$name: $n inputs differ from CPython ipaddress: $diffs"
	fi
done <<<"$out"
[ "$(printf '%s\n' "$out" | grep -c .)" -eq 2 ] && ok "both sets ran" || fail "python part failed: $out"
finish
