#!/bin/bash
# SPDX-License-Identifier: MIT
# owner_error tells why a socket has no owner listed, through the CLI, on a
# root listener held with every capability: "permission denied" for root
# without CAP_SYS_PTRACE and for nobody under hidepid=2, "not visible"
# from a PID namespace of its own, "not requested" with --no-owners; and
# check never says "no process" for a permission problem.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"

if [ "$(id -u)" != 0 ] || ! command -v capsh >/dev/null || ! command -v unshare >/dev/null ||
	! command -v setpriv >/dev/null; then
	skip "needs root, capsh, unshare and setpriv"
	finish
	exit 77
fi
# The other user runs a copy it can reach (the checkout may sit in a 0700
# directory, as /root does).
lb_t_need_nobody
# A leased port (run keeps the lease while the holder lives).
"$LOOPBACK" run -- sh -c 'exec "$0" "$1" --name lbt-oerr --timeout 60 "tcp/127.0.0.1/$PORT"' \
	"$PY" "$HOLDER" >"$LB_T_TMP/h.json" 2>"$LB_T_TMP/h.err" &
LB_T_PIDS+=($!)
for _ in $(seq 1 200); do grep -q '}$' "$LB_T_TMP/h.json" 2>/dev/null && break; sleep 0.05; done
P=$(jget "$LB_T_TMP/h.json" 'd["sockets"][0]["port"]') || { fail "holder: $(cat "$LB_T_TMP/h.err")"; finish; exit; }
HP=$(jget "$LB_T_TMP/h.json" 'd["pid"]')
chmod 755 "$LB_T_TMP"

# owner_json FILE: "owners-pids|owner_error" of the one socket in FILE
owner_json() { jget "$1" '"%s|%s" % ([o["pid"] for o in d[0]["owners"]] if len(d) == 1 else "n=%d" % len(d), d[0]["owner_error"] if d else "")'; }

"$LOOPBACK" who --json "127.0.0.1:$P" >"$LB_T_TMP/root.json"
r=$(owner_json "$LB_T_TMP/root.json")
[ "$r" = "[$HP]|None" ] && ok "as root: owner listed, owner_error null" || fail "as root: $r"

# Root without CAP_SYS_PTRACE, and without what a BPF owner scan needs
# (CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN), which would see every holder:
# the /proc scan's permission marks.
NOTRACE=cap_sys_ptrace,cap_bpf,cap_perfmon,cap_sys_admin
for backend in netlink procfs; do
	LOOPBACK_BACKEND=$backend capsh --drop=$NOTRACE -- -c "\"$LOOPBACK\" who --json 127.0.0.1:$P" \
		>"$LB_T_TMP/np.json" 2>"$LB_T_TMP/err"
	r=$(owner_json "$LB_T_TMP/np.json")
	[ "$r" = "[]|permission denied" ] && ok "root without CAP_SYS_PTRACE: permission denied ($backend)" ||
		fail "root without CAP_SYS_PTRACE ($backend): $r $(cat "$LB_T_TMP/err")"
done
out=$(capsh --drop=$NOTRACE -- -c "\"$LOOPBACK\" check 127.0.0.1:$P" 2>&1)
case $out in
*"no process"*) fail "check without CAP_SYS_PTRACE says no process: $out" ;;
*"blocker:"*"owner unknown: permission denied"*) ok "check without CAP_SYS_PTRACE: owner unknown: permission denied" ;;
*) fail "check without CAP_SYS_PTRACE: $out" ;;
esac
out=$(capsh --drop=$NOTRACE -- -c "\"$LOOPBACK\" who 127.0.0.1:$P" 2>&1)
case $out in *"permission denied"*) ok "who without CAP_SYS_PTRACE explains" ;; *) fail "who human: $out" ;; esac

# A user under a private /proc mounted hidepid=2: our processes are not
# even listed, which is still a permission problem. A uid of its own, so
# that no other process (unreadable to it) is visible and the answer
# rests on the hiding alone.
U=$((40000 + $$ % 20000))
unshare -m sh -c 'mount --make-rprivate / && mount -t proc -o hidepid=2 proc /proc && cd / &&
	exec setpriv --reuid="$2" --regid="$2" --clear-groups env LD_LIBRARY_PATH="$3" "$0" who --json "127.0.0.1:$1"' \
	"$LB_T_NOBODY_LB" "$P" "$U" "$LB_T_NOBODY_DIR/lib" >"$LB_T_TMP/hp.json" 2>"$LB_T_TMP/err"
r=$(owner_json "$LB_T_TMP/hp.json")
[ "$r" = "[]|permission denied" ] && ok "unprivileged user under hidepid=2: permission denied" ||
	fail "unprivileged user under hidepid=2: $r $(cat "$LB_T_TMP/err")"

# A PID namespace of its own (as root): every visible process was read.
unshare -p -f -m --mount-proc "$LOOPBACK" who --json "127.0.0.1:$P" >"$LB_T_TMP/ns.json" 2>"$LB_T_TMP/err"
r=$(owner_json "$LB_T_TMP/ns.json")
[ "$r" = "[]|not visible" ] && ok "own PID namespace: not visible" || fail "own PID namespace: $r $(cat "$LB_T_TMP/err")"
out=$(unshare -p -f -m --mount-proc "$LOOPBACK" check "127.0.0.1:$P" 2>&1)
case $out in
*"blocker:"*"owner unknown: not visible"*) ok "check from its own PID namespace: not visible" ;;
*) fail "check from own PID namespace: $out" ;;
esac

"$LOOPBACK" ls --json --no-owners --tcp >"$LB_T_TMP/no.json"
r=$(jget "$LB_T_TMP/no.json" '[s["owner_error"] for s in d if s["local"]["port"] == '"$P"']')
[ "$r" = "['not requested']" ] && ok "--no-owners: not requested" || fail "--no-owners: $r"
finish
