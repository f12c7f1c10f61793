#!/bin/bash
# SPDX-License-Identifier: MIT
# Every verb's real --json output validates against the JSON Schema that
# is installed with the man page (man/loopback.schema.json), with no field
# the schema does not name; every verb with --json has its definition
# (tests/cli/json-schema.py). The outputs come from real sockets: a TCP
# listener and a UDP socket held by a process whose argument has a space,
# on ports leased by `loopback run`. Also checks a few values the schema
# cannot: argv, address flags, owner_error.
set -u
. "$LB_TESTS_DIR/lib.sh"
PY=/usr/bin/python3
SCHEMA=$LB_SOURCE_ROOT/man/loopback.schema.json
if ! "$PY" -c 'import jsonschema' 2>/dev/null; then
	skip "python3-jsonschema is not installed"
	finish
	exit 77
fi
T=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
jget() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

"$LOOPBACK" run --env PT --env PU --tcp --udp -- sh -c 'exec "$0" "$1" --name "lbt json" --timeout 60 "tcp/127.0.0.1/$PT" "udp/127.0.0.1/$PU"' \
	"$PY" "$LB_TESTS_DIR/sockets/holder.py" >"$T/h.out" 2>"$T/h.err" &
PIDS+=($!)
for _ in $(seq 1 200); do grep -q '}$' "$T/h.out" 2>/dev/null && break; sleep 0.05; done
P=$(jget "$T/h.out" 'd["sockets"][0]["port"]') || { fail "holder: $(cat "$T/h.err")"; finish; exit; }
PU=$(jget "$T/h.out" 'd["sockets"][1]["port"]')
O=$T/out
mkdir "$O"
"$LOOPBACK" parse --json 127.0.0.1:62893 '[fe80::1%lo]:22' localhost:3000 ::ffff:127.0.0.1 example.invalid \
	010.1.1.1:80 '[::1]' 0.0.0.0:0 >"$O/parse.mixed.json"
"$LOOPBACK" parse --json --resolve localhost >"$O/parse.resolved.json"
"$LOOPBACK" who --json "127.0.0.1:$P" >"$O/who.listener.json"
"$LOOPBACK" who --json --udp "$PU" >"$O/who.udp.json"
"$LOOPBACK" pick --json >"$O/pick.one.json"
"$LOOPBACK" pick --json --count 2 --udp --tcp -4 >"$O/pick.two.json"
"$LOOPBACK" ls --json >"$O/ls.all.json"
"$LOOPBACK" ls --json --no-owners >"$O/ls.no-owners.json"
"$LOOPBACK" ls --json --owner-scan=proc >"$O/ls.proc.json"
"$LOOPBACK" ls --json --listening --udp >"$O/ls.udp.json"
"$LOOPBACK" audit --json --allow "$P" >"$O/audit.all.json"
"$LOOPBACK" check --json "127.0.0.1:$P" >"$O/check.in-use.json"
"$LOOPBACK" check --json --udp "0.0.0.0:$PU" >"$O/check.udp.json"
"$LOOPBACK" wait --json -t 5 "127.0.0.1:$P" >"$O/wait.ready.json"
"$LOOPBACK" wait --json -t 0.2 "127.0.0.1:$PU" >"$O/wait.timed-out.json" # TCP: nobody listens on PU
if command -v capsh >/dev/null && [ "$(id -u)" = 0 ]; then
	# The /proc scan's mark (a BPF scan, when root may run one, sees all).
	capsh --drop=cap_sys_ptrace -- -c "\"$LOOPBACK\" who --json --owner-scan=proc 127.0.0.1:$P" >"$O/who.hidden.json"
fi
for f in "$O"/*.json; do [ -s "$f" ] || fail "$(basename "$f") is empty"; done

while IFS= read -r line; do
	case $line in
	"ok "*) ok "${line#ok }" ;;
	"not ok "*) fail "${line#not ok }" ;;
	*) echo "$line" ;;
	esac
done < <("$PY" "$LB_TESTS_DIR/cli/json-schema.py" "$SCHEMA" "$LOOPBACK" "$O" 2>&1)

# What the schema cannot say.
r=$(jget "$O/who.listener.json" '"lbt json" in d[0]["owners"][0]["argv"] and "lbt" not in d[0]["owners"][0]["argv"]')
[ "$r" = True ] && ok "who --json: argv keeps 'lbt json' one argument" || fail "argv: $(head -c 600 "$O/who.listener.json")"
r=$(jget "$O/parse.mixed.json" '[x.get("flags") for x in d if x["input"] in ("::ffff:127.0.0.1", "localhost:3000")]')
[ "$r" = "[None, ['loopback', 'mapped']]" ] && ok "parse --json: flags of ::ffff:127.0.0.1, null for a name" || fail "parse flags: $r"
r=$(jget "$O/ls.no-owners.json" 'sorted(set(s["owner_error"] for s in d))')
[ "$r" = "['not requested']" ] && ok "ls --json --no-owners: owner_error not requested" || fail "ls --no-owners: $r"
r=$(jget "$O/ls.no-owners.json" 'sorted(set(str(s["owner_scan"]) for s in d))')
[ "$r" = "['None']" ] && ok "ls --json --no-owners: owner_scan null" || fail "ls --no-owners owner_scan: $r"
r=$(jget "$O/ls.proc.json" 'sorted(set(str(s["owner_scan"]) for s in d))')
[ "$r" = "['proc']" ] && ok "ls --json --owner-scan=proc: owner_scan proc" || fail "ls --owner-scan=proc: $r"
r=$(jget "$O/ls.all.json" 'sorted(set(str(s["owner_scan"]) for s in d))')
case $r in "['bpf']"|"['proc']") ok "ls --json: owner_scan $r" ;; *) fail "ls owner_scan: $r" ;; esac
if [ -f "$O/who.hidden.json" ]; then
	r=$(jget "$O/who.hidden.json" 'd[0]["owner_error"], d[0]["owners"]')
	[ "$r" = "permission denied []" ] && ok "who --json without CAP_SYS_PTRACE: permission denied" || fail "hidden: $r"
fi
r=$(jget "$O/wait.ready.json" 'd["outcome"], d["listeners"][0]["local"]["port"], d["listeners"][0]["owners"][0]["pid"] > 0')
[ "$r" = "ready $P True" ] && ok "wait --json: ready, the listener and its owner" || fail "wait ready: $r"
r=$(jget "$O/wait.timed-out.json" 'd["outcome"], d["ready"], d["listeners"]')
[ "$r" = "timed-out False []" ] && ok "wait --json: timed out, no listener" || fail "wait timed out: $r"
r=$(jget "$O/check.in-use.json" 'd[0]["protocol"], d[0]["blockers"][0]["protocol"]')
[ "$r" = "tcp tcp" ] && ok "check and its blockers both say \"protocol\"" || fail "check protocol: $r"
finish
