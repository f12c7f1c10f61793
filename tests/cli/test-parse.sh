#!/bin/bash
# SPDX-License-Identifier: MIT
# loopback parse: human and JSON output, bare hosts, exit codes, batch
# mode framing (empty lines, CR, NUL, no final newline), usage errors.
set -u
. "$LB_TESTS_DIR/lib.sh"

py=/usr/bin/python3
read -r eph_first eph_last </proc/sys/net/ipv4/ip_local_port_range

# has "description" "haystack" "needle"
has() { case $2 in *"$3"*) ok "$1" ;; *) fail "$1: no '$3' in: $2" ;; esac; }

out=$("$LOOPBACK" parse 127.0.0.1:62893); rc=$?
[ "$rc" -eq 0 ] && ok "valid endpoint exits 0" || fail "valid endpoint exits 0 (got $rc)"
has "IPv4 loopback named" "$out" "127.0.0.1 - IPv4 loopback address"
has "reach explained" "$out" "reachable only from this machine"
has "IANA dynamic range" "$out" "62893 - in the IANA dynamic range (49152-65535)"
if [ 62893 -ge "$eph_first" ] && [ 62893 -le "$eph_last" ]; then
	has "against ephemeral range" "$out" "inside this host's ephemeral range $eph_first-$eph_last"
else
	has "against ephemeral range" "$out" "outside this host's ephemeral range $eph_first-$eph_last"
fi
in_port=$(( (eph_first + eph_last) / 2 ))
out=$("$LOOPBACK" parse "[::1]:$in_port")
has "port inside the ephemeral range" "$out" "inside this host's ephemeral range $eph_first-$eph_last"
has "IPv6 loopback" "$out" "::1 - IPv6 loopback address"

out=$("$LOOPBACK" parse '[fe80::1%lo]:22')
has "zone resolved to the interface index" "$out" "zone: lo - interface index $(cat /sys/class/net/lo/ifindex)"
has "well-known port" "$out" "22 - well-known"
out=$("$LOOPBACK" parse '[fe80::1%no-such-if0]:22')
has "unknown zone interface said" "$out" "no such interface on this host"

out=$("$LOOPBACK" parse '[::]:0')
has "port 0 explained" "$out" "0 - any port: the kernel picks one from the ephemeral range"
case $out in *"ephemeral range $eph_first"*) fail "port 0 not placed against the range" ;; *) ok "port 0 not placed against the range" ;; esac

out=$("$LOOPBACK" parse 0.0.0.0:80)
has "wildcard explained" "$out" "unspecified address"

out=$("$LOOPBACK" parse localhost:3000)
has "localhost name" "$out" "a localhost name (RFC 6761)"
want=$($py -c 'import socket
seen=[]
for *_, sa in socket.getaddrinfo("localhost", None, 0, socket.SOCK_STREAM):
    if sa[0] not in seen: seen.append(sa[0])
print(", ".join(seen))')
has "localhost resolved in the resolver's order" "$out" "        $want"

out=$("$LOOPBACK" parse localhost); rc=$?
[ "$rc" -eq 0 ] && ok "bare name exits 0" || fail "bare name exits 0 ($rc)"
has "bare name said" "$out" "port: none given (a bare host name)"
out=$("$LOOPBACK" parse ::1)
has "bare address said" "$out" "port: none given (a bare address)"

out=$("$LOOPBACK" parse 010.1.1.1:80); rc=$?
[ "$rc" -eq 1 ] && ok "invalid exits 1" || fail "invalid exits 1 ($rc)"
has "reason and offset" "$out" "invalid: leading zero in IPv4 part (octal on some systems) (LB_ESYNTAX at byte 0)"
out=$("$LOOPBACK" parse 'host:80-90')
has "caret under the offset" "$out" $'    host:80-90\n           ^'
out=$("$LOOPBACK" parse $'a\tb:80')
has "control bytes escaped, caret aligned" "$out" $'    a\\tb:80\n     ^'
expect_exit 1 "one invalid among valid exits 1" "$LOOPBACK" parse 127.0.0.1:1 1.2.3.4.5:80 localhost:2
expect_exit 0 "all valid exits 0" "$LOOPBACK" parse 127.0.0.1:1 '[::1]:2' localhost:3
expect_exit 1 "input after -- may start with '-'" "$LOOPBACK" parse -- -a:80
expect_exit 2 "no input is a usage error" "$LOOPBACK" parse
expect_exit 2 "unknown option" "$LOOPBACK" parse --frobnicate 1.2.3.4:5
expect_exit 2 "bad batch mode" "$LOOPBACK" parse --batch=names
expect_exit 2 "batch with arguments" "$LOOPBACK" parse --batch=addr ::1
expect_exit 0 "--help" "$LOOPBACK" parse --help
has "--help documents exit status" "$("$LOOPBACK" parse --help)" "Exit status:"
has "verb listed in loopback --help" "$("$LOOPBACK" --help)" "parse "

# JSON: parse it, check the fields
json=$("$LOOPBACK" parse --json 127.0.0.1:62893 '[fe80::1%3]:22' localhost 010.1.1.1:80); rc=$?
[ "$rc" -eq 1 ] && ok "--json exit status follows validity" || fail "--json exit $rc"
check "JSON fields" $py -c '
import json, sys
d = json.loads(sys.argv[1]); first, last = int(sys.argv[2]), int(sys.argv[3])
a, b, c, e = d
assert a["valid"] and a["kind"] == "address" and a["family"] == "ipv4", a
assert a["host"] == "127.0.0.1" and a["class"] == "loopback" and a["port"] == 62893, a
assert a["port_class"] == "dynamic" and a["ephemeral"] == (first <= 62893 <= last), a
assert a["ephemeral_range"] == [first, last] and a["canonical"] == "127.0.0.1:62893", a
assert a["zone"] is None and a["scope_id"] == 0
assert b["host"] == "fe80::1%3" and b["zone"] == "3" and b["scope_id"] == 3, b
assert b["class"] == "link-local" and b["port_class"] == "well-known", b
assert b["canonical"] == "[fe80::1%3]:22"
assert c["kind"] == "name" and c["class"] == "localhost-name" and c["port"] is None, c
assert len(c["addresses"]) >= 1, c
assert e == {"input": "010.1.1.1:80", "valid": False, "error": {"offset": 0, "code": "LB_ESYNTAX",
             "reason": "leading zero in IPv4 part (octal on some systems)"}}, e
' "$json" "$eph_first" "$eph_last"
check "JSON escapes control bytes" $py -c 'import json,sys; d=json.loads(sys.argv[1]); assert d[0]["input"]=="a\tb:80" and not d[0]["valid"]' \
	"$("$LOOPBACK" parse --json $'a\tb:80')"

check "JSON stays valid UTF-8 for non-UTF-8 input" $py -c '
import json, sys
d = json.loads(sys.stdin.buffer.read().decode("utf-8"))
assert [x["input"] for x in d] == ["\ufffd:80", "b\u00fccher:80", "\ufffd\ufffd\ufffd"], d
assert [x["error"]["offset"] for x in d] == [0, 1, 0], d
' < <("$LOOPBACK" parse --json $'\xff:80' $'b\xc3\xbccher:80' $'\xed\xa0\x80')

# Batch framing: only "\n" is removed; CR, NUL and an unterminated last
# line are inputs like any other; an empty line is an empty input.
got=$(printf '::1\n\n1.2.3.4\r\n::1\0\nfe80::1%%eth0' | "$LOOPBACK" parse --batch=addr); rc=$?
want=$(printf 'ok\t::1\nerr\t0\tempty input\nerr\t7\tunexpected character in IPv4 address\nerr\t3\tunexpected character in IPv6 address\nok\tfe80::1%%eth0')
[ "$got" = "$want" ] && ok "batch=addr framing" || fail "batch=addr framing: $got"
[ "$rc" -eq 1 ] && ok "batch with invalid lines exits 1" || fail "batch exit $rc"
got=$(printf '[::1]:80\nlocalhost.:0080\n' | "$LOOPBACK" parse --batch=endpoint); rc=$?
[ "$got" = "$(printf 'ok\t::1\t80\nok\tlocalhost.\t80')" ] && ok "batch=endpoint output" || fail "batch=endpoint: $got"
[ "$rc" -eq 0 ] && ok "all-valid batch exits 0" || fail "batch exit $rc"
got=$("$LOOPBACK" parse --batch=endpoint </dev/null); rc=$?
[ -z "$got" ] && [ "$rc" -eq 0 ] && ok "empty stdin: no output, exit 0" || fail "empty stdin: '$got' $rc"
# a full disk is a failure, not a silent success
rc=0; "$LOOPBACK" parse 1.2.3.4:5 >/dev/full 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] && ok "write error exits 2" || fail "write error exits 2 (got $rc)"
rc=0; printf '::1\n' | "$LOOPBACK" parse --batch=addr >/dev/full 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] && ok "batch write error exits 2" || fail "batch write error exits 2 (got $rc)"
# a long line (1 MiB) is one input, judged and answered on one line
got=$(head -c 1048576 /dev/zero | tr '\0' 'a' | "$LOOPBACK" parse --batch=endpoint)
[ "$got" = "$(printf 'err\t0\tlabel longer than 63 characters in host name' | sed 's/\t0\t/\t63\t/')" ] &&
	ok "1 MiB line" || fail "1 MiB line: ${got:0:80}"
finish
