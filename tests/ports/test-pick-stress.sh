#!/bin/bash
# SPDX-License-Identifier: MIT
# Collision stress and group atomicity: many processes pick at once and
# hold every lease at the same time; no port may be given twice.
#   LB_STRESS_PROCS (64) processes x LB_STRESS_EACH (157) picks = 10048 ports.
set -u
# As root, in a network namespace of its own: ports and leases are per
# namespace, so another checkout running this test, or any program's
# leases, cannot take part in the contention the group tests measure.
if [ -z "${LB_T_NETNS:-}" ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	exec env LB_T_NETNS=1 unshare -n bash "$0" "$@"
fi
. "$LB_TESTS_DIR/lib.sh"
[ -n "${LB_T_NETNS:-}" ] && echo "# in a private network namespace" || echo "# in the host's network namespace (not root)"
hold=${LB_PICK_HOLD:?}
procs=${LB_STRESS_PROCS:-64}
each=${LB_STRESS_EACH:-157}
tmp=$(mktemp -d)
pids=()
cleanup() {
	exec 3>&- 2>/dev/null
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
lb_t_on_exit cleanup

# run_all N ARGS...: start N holders on one barrier (fd 3 on a fifo), wait
# (at most 60 s) until every one printed "ready".
run_all() {
	local n=$1 i t; shift
	rm -f "$tmp"/out.* "$tmp/barrier"
	mkfifo "$tmp/barrier"
	exec 3<>"$tmp/barrier"
	pids=()
	for ((i = 0; i < n; i++)); do
		"$hold" "$@" <"$tmp/barrier" >"$tmp/out.$i" 2>"$tmp/err.$i" 3>&- &
		pids+=($!)
	done
	for ((t = 0; t < 600; t++)); do
		[ "$(cat "$tmp"/out.* 2>/dev/null | grep -c '^ready$')" -eq "$n" ] && return 0
		sleep 0.1
	done
	return 1
}
release_all() {
	exec 3>&-
	local rc=0 p
	for p in "${pids[@]}"; do wait "$p" || rc=1; done
	pids=()
	return $rc
}
# our_inodes: the inodes of the sockets the running holders hold (the
# leases among them): other programs (another checkout running this
# test on the host) may hold leases on the same ports too.
our_inodes() {
	local p
	for p in "${pids[@]}"; do
		ls -l "/proc/$p/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p'
	done | sort -u
}
# lease_table: "INODE PORT" of every TCP lease in this namespace.
lease_table() { awk '$8 ~ /^@loopback\/lease\/tcp\// { n = split($8, f, "/"); print $7, f[n] }' /proc/net/unix | sort -k1,1; }
# leased_of FILE: how many of the ports listed in FILE our holders lease now.
leased_of() {
	lease_table | join - <(our_inodes) | awk '{ print $2 }' | sort -u | comm -12 - <(sort -u "$1") | wc -l
}
# Ranges for the group tests, varied so that concurrent runs rarely meet.
gbase=$((10000 + (RANDOM % 180) * 100))
sbase=$((gbase + 500))

# 1. Collision stress.
start=$(date +%s.%N)
if run_all "$procs" --rounds "$each"; then ok "$procs holders are ready"; else fail "$procs holders are ready"; fi
end=$(date +%s.%N)
total=$(cat "$tmp"/out.* | grep '^ports ' | wc -l)
dups=$(cat "$tmp"/out.* | grep '^ports ' | cut -d' ' -f2 | sort -n | uniq -d | wc -l)
want=$((procs * each))
[ "$total" -eq "$want" ] && ok "$want ports picked" || fail "$want ports picked (got $total)"
[ "$dups" -eq 0 ] && ok "no port given twice among $total" || fail "$dups ports given twice"
cat "$tmp"/out.* | grep '^ports ' | cut -d' ' -f2 >"$tmp/picked"
held=$(leased_of "$tmp/picked")
[ "$held" -eq "$want" ] && ok "$want leases visible in /proc/net/unix" || fail "leases visible: $held, want $want"
lease_table | join - <(our_inodes) | awk '{ print $1 }' >"$tmp/inodes"
eph=$(cat /proc/sys/net/ipv4/ip_local_port_range)
read -r ef el <<<"$eph"
inside=$(cat "$tmp"/out.* | grep '^ports ' | cut -d' ' -f2 | awk -v a="$ef" -v b="$el" '$1 >= a && $1 <= b || $1 < 1024' | wc -l)
[ "$inside" -eq 0 ] && ok "no port in the ephemeral range or below 1024" || fail "$inside ports in the ephemeral range or below 1024"
check "holders exit cleanly" release_all
after=$(lease_table | awk '{ print $1 }' | comm -12 - "$tmp/inodes" | wc -l)
[ "$after" -eq 0 ] && [ -s "$tmp/inodes" ] && ok "every lease gone after the holders exit" || fail "$after of our leases left"
echo "# $want leased ports by $procs processes in $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.2f", b - a}') s" >&2

# 2. Group atomicity: 16 processes x 6 contiguous groups of 8 from a
# 400-port range: 768 ports wanted, at most 400 exist, so many fail.
run_all 16 --rounds 6 --count 8 --contiguous --range "$gbase-$((gbase + 399))" ||
	fail "group holders are ready"
bad=$(cat "$tmp"/out.* | awk '/^ports /{ if (NF != 9) { print; next } for (i = 3; i <= NF; i++) if ($i != $(i-1) + 1) { print; next } }' | wc -l)
[ "$bad" -eq 0 ] && ok "every group is 8 contiguous ports" || fail "$bad incomplete or gapped groups"
got=$(cat "$tmp"/out.* | grep -c '^ports ')
ex=$(cat "$tmp"/out.* | grep -c '^exhausted$')
[ $((got + ex)) -eq 96 ] && ok "each round got a group or exhausted ($got groups, $ex exhausted)" || fail "rounds: $got + $ex != 96"
[ "$ex" -gt 0 ] && ok "contention made some rounds exhaust" || fail "no round exhausted: no contention"
dups=$(cat "$tmp"/out.* | grep '^ports ' | cut -d' ' -f2- | tr ' ' '\n' | sort -n | uniq -d | wc -l)
[ "$dups" -eq 0 ] && ok "no port in two groups" || fail "$dups ports in two groups"
seq "$gbase" $((gbase + 399)) >"$tmp/range"
held=$(leased_of "$tmp/range")
[ "$held" -eq $((got * 8)) ] && ok "exhausted rounds left no lease behind ($held held)" || fail "held $held leases, want $((got * 8))"
check "group holders exit cleanly" release_all

# 3. All or none with scattered groups: 4 processes each want 150 of 300.
run_all 4 --count 150 --range "$sbase-$((sbase + 299))" || fail "scattered holders are ready"
sizes=$(cat "$tmp"/out.* | awk '/^ports /{print NF-1} /^exhausted$/{print 0}' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')
badsize=$(cat "$tmp"/out.* | awk '/^ports /{ if (NF-1 != 150) print }' | wc -l)
[ "$badsize" -eq 0 ] && ok "scattered groups are all or none ($sizes)" || fail "partial groups: $sizes"
got=$(cat "$tmp"/out.* | grep -c '^ports ')
seq "$sbase" $((sbase + 299)) >"$tmp/range"
held=$(leased_of "$tmp/range")
[ "$held" -eq $((got * 150)) ] && ok "losers released everything ($held held)" || fail "held $held, want $((got * 150))"
dups=$(cat "$tmp"/out.* | grep '^ports ' | cut -d' ' -f2- | tr ' ' '\n' | sort -n | uniq -d | wc -l)
[ "$dups" -eq 0 ] && ok "no port in two scattered groups" || fail "$dups ports in two groups"
check "scattered holders exit cleanly" release_all
finish
