#!/bin/bash
# SPDX-License-Identifier: MIT
# Smoke test of bench/busyhost (suite bench-smoke): a small busy host sets up
# exactly what its manifest says (cross-checked with ss), the same seed gives
# the same layout, and it cleans up after itself on SIGTERM, at the end of
# its lifetime, and when it is killed outright.
# Runs in a private network namespace when it can (as root), so that the
# counts are exact; elsewhere it checks only the manifest's own ports.
set -u
if [ "${LB_SMOKE_NETNS:-}" = "" ] && [ "$(id -u)" -eq 0 ] &&
   unshare -n true 2>/dev/null; then
	LB_SMOKE_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$LB_TESTS_DIR/lib.sh"
BUSYHOST=${BUSYHOST:-$LB_BUILD_ROOT/bench/busyhost}
exact=0
if [ "${LB_SMOKE_NETNS:-}" = 1 ]; then
	ip link set lo up && exact=1
fi

tmp=$(mktemp -d)
pids_started=()
cleanup() {
	local p
	for p in "${pids_started[@]}"; do kill -KILL "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

PROCS=20 LISTENERS=200 CONNS=100 FDS=1000

# start NAME ARGS...: start busyhost in the background, wait for "ready"
# (at most 20 s); sets $bh_pid; returns non-zero if it never got ready.
start() {
	local name=$1 i; shift
	"$BUSYHOST" --procs $PROCS --listeners $LISTENERS --conns $CONNS --fds $FDS \
		--manifest "$tmp/$name.tsv" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	bh_pid=$!
	pids_started+=("$bh_pid")
	for ((i = 0; i < 200; i++)); do
		grep -qx ready "$tmp/$name.out" 2>/dev/null && return 0
		kill -0 "$bh_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# alive PID: the process exists and is not a zombie.
alive() {
	local st
	st=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# none_alive FILE: no worker PID listed in the manifest is alive (waits up to 5 s).
none_alive() {
	local i p left
	for ((i = 0; i < 50; i++)); do
		left=0
		for p in $(awk -F'\t' '$1 == "proc" { print $3 }' "$1"); do
			alive "$p" && left=$((left + 1))
		done
		[ "$left" -eq 0 ] && return 0
		sleep 0.1
	done
	echo "# $left workers still alive" >&2
	return 1
}

# --- the first run: everything the manifest says is there ---------------
if start a --seed 7 --lifetime 30; then
	ok "busyhost gets ready"
else
	fail "busyhost gets ready: $(cat "$tmp/a.err")"
	finish
	exit
fi
m=$tmp/a.tsv
count() { awk -F'\t' -v k="$1" '$1 == k { n++ } END { print n + 0 }' "$m"; }
[ "$(count proc)" -eq $PROCS ] && ok "manifest lists $PROCS processes" ||
	fail "manifest lists $PROCS processes ($(count proc))"
[ "$(count listen)" -eq $LISTENERS ] && ok "manifest lists $LISTENERS listeners" ||
	fail "manifest lists $LISTENERS listeners ($(count listen))"
[ "$(count conn)" -eq $CONNS ] && ok "manifest lists $CONNS connections" ||
	fail "manifest lists $CONNS connections ($(count conn))"

# Each worker is alive, a child of busyhost, and holds exactly the fds the
# manifest says; together at least --fds.
bad=0 total=0
while IFS=$'\t' read -r kind idx pid nfds; do
	[ "$kind" = proc ] || continue
	ppid=$(awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$pid/stat" 2>/dev/null)
	n=$(($(ls "/proc/$pid/fd" 2>/dev/null | wc -l)))
	if [ "$ppid" != "$bh_pid" ] || [ "$n" -ne "$nfds" ]; then
		echo "# worker $idx pid $pid: ppid $ppid, $n fds, manifest $nfds" >&2
		bad=$((bad + 1))
	fi
	total=$((total + n))
done <"$m"
[ $bad -eq 0 ] && ok "every worker is busyhost's child with the manifest's fd count" ||
	fail "every worker is busyhost's child with the manifest's fd count ($bad differ)"
[ $total -ge $FDS ] && ok "workers hold at least $FDS fds ($total)" ||
	fail "workers hold at least $FDS fds ($total)"

# Listeners: ports outside the ephemeral range, all different, and ss shows
# each one, owned by the manifest's PID.
read -r eph_lo eph_hi < /proc/sys/net/ipv4/ip_local_port_range
awk -F'\t' -v lo="$eph_lo" -v hi="$eph_hi" '
	$1 == "listen" && ($6 >= lo && $6 <= hi || $6 < 1024 || seen[$6]++) { bad++ }
	END { exit bad > 0 }' "$m" &&
	ok "listener ports are distinct and outside the ephemeral range $eph_lo-$eph_hi" ||
	fail "listener ports are distinct and outside the ephemeral range $eph_lo-$eph_hi"
awk -F'\t' -v lo="$eph_lo" -v hi="$eph_hi" '
	$1 == "conn" && ($6 < lo || $6 > hi) { bad++ } END { exit bad > 0 }' "$m" &&
	ok "client ports are in the ephemeral range" || fail "client ports are in the ephemeral range"

# "PORT PID" pairs from ss (-p prints pid=N for each holder).
ss -Htlnp >"$tmp/ss-listen"
awk '{ n = split($4, a, ":"); port = a[n]
       s = $0; while (match(s, /pid=[0-9]+/)) { print port, substr(s, RSTART + 4, RLENGTH - 4); s = substr(s, RSTART + RLENGTH) } }' \
	"$tmp/ss-listen" | sort -u >"$tmp/ss-listen.pairs"
awk -F'\t' '$1 == "listen" { print $6, $3 }' "$m" | sort -u >"$tmp/m-listen.pairs"
missing=$(comm -23 "$tmp/m-listen.pairs" "$tmp/ss-listen.pairs" | wc -l)
[ "$missing" -eq 0 ] && ok "ss shows every listener with its owner" ||
	fail "ss shows every listener with its owner ($missing missing)"
fam_ok=$(awk -F'\t' '$1 == "listen" { print ($4 == 4 ? "127.0.0.1" : "[::1]") ":" $6 }' "$m" | sort)
fam_ss=$(awk '{ print $4 }' "$tmp/ss-listen" | sort)
[ "$(comm -23 <(echo "$fam_ok") <(echo "$fam_ss") | wc -l)" -eq 0 ] &&
	ok "each listener is on the manifest's loopback address" ||
	fail "each listener is on the manifest's loopback address"

# Established: each connection shows twice, "LOCAL PEER PID" for the client
# and the server end, owned by the manifest's PIDs.
ss -Htnp state established >"$tmp/ss-estab"
awk '{ n = split($3, a, ":"); l = a[n]; n = split($4, b, ":"); p = b[n]
       if (match($0, /pid=[0-9]+/)) print l, p, substr($0, RSTART + 4, RLENGTH - 4) }' \
	"$tmp/ss-estab" | sort -u >"$tmp/ss-estab.triples"
awk -F'\t' '$1 == "conn" { print $6, $9, $5; print $9, $6, $8 }' "$m" | sort -u >"$tmp/m-estab.triples"
missing=$(comm -23 "$tmp/m-estab.triples" "$tmp/ss-estab.triples" | wc -l)
[ "$missing" -eq 0 ] && ok "ss shows both ends of every connection with their owners" ||
	fail "ss shows both ends of every connection with their owners ($missing missing)"

if [ $exact -eq 1 ]; then
	n=$(wc -l <"$tmp/ss-listen")
	[ "$n" -eq $LISTENERS ] && ok "ss -Htln counts exactly $LISTENERS listeners" ||
		fail "ss -Htln counts exactly $LISTENERS listeners ($n)"
	n=$(wc -l <"$tmp/ss-estab")
	[ "$n" -eq $((2 * CONNS)) ] && ok "ss counts exactly $((2 * CONNS)) established ends" ||
		fail "ss counts exactly $((2 * CONNS)) established ends ($n)"
else
	skip "exact ss counts need a private network namespace (root)"
	skip "exact ss counts need a private network namespace (root)"
fi

# SIGTERM: busyhost exits 0 and no worker is left.
kill -TERM "$bh_pid"
rc=0; wait "$bh_pid" || rc=$?
[ $rc -eq 0 ] && ok "SIGTERM stops busyhost with exit 0" || fail "SIGTERM stops busyhost with exit 0 ($rc)"
check "no worker left after SIGTERM" none_alive "$m"

# --- the same seed, the same layout -----------------------------------------
# The layout without PIDs and client ports.
layout() { awk -F'\t' '$1 == "listen" { print $1, $2, $4, $6 } $1 == "conn" { print $1, $2, $3, $4, $7, $9 }' "$1"; }
if start b --seed 7 --lifetime 2; then
	if [ $exact -eq 1 ]; then
		[ "$(layout "$tmp/a.tsv")" = "$(layout "$tmp/b.tsv")" ] &&
			ok "the same seed gives the same layout" || fail "the same seed gives the same layout"
	else
		skip "layouts can differ on a shared network namespace"
	fi
	# --- the lifetime ends it ------------------------------------------------
	rc=0; wait "$bh_pid" || rc=$?
	[ $rc -eq 0 ] && ok "busyhost stops itself after --lifetime with exit 0" ||
		fail "busyhost stops itself after --lifetime with exit 0 ($rc)"
	check "no worker left after the lifetime" none_alive "$tmp/b.tsv"
else
	fail "second busyhost gets ready: $(cat "$tmp/b.err")"
fi

# --- killed outright: the workers die with it (PR_SET_PDEATHSIG) -----------
if start c --seed 8 --lifetime 30; then
	kill -KILL "$bh_pid"
	wait "$bh_pid" 2>/dev/null
	check "no worker left after busyhost is killed" none_alive "$tmp/c.tsv"
	[ "$(layout "$tmp/a.tsv")" != "$(layout "$tmp/c.tsv")" ] &&
		ok "another seed gives another layout" || fail "another seed gives another layout"
else
	fail "third busyhost gets ready: $(cat "$tmp/c.err")"
fi

# --- bad arguments -----------------------------------------------------------
expect_exit 2 "--procs 0 is refused" "$BUSYHOST" --procs 0 --manifest "$tmp/x.tsv"
expect_exit 2 "connections with one process are refused" "$BUSYHOST" --procs 1 --conns 5 --manifest "$tmp/x.tsv"
expect_exit 2 "a stray argument is refused" "$BUSYHOST" --procs 2 extra
expect_exit 2 "a bad number is refused" "$BUSYHOST" --listeners 12x
expect_exit 2 "more fds per process than the hard limit is refused" \
	"$BUSYHOST" --procs 1 --conns 0 --listeners 1 --fds 5000000 --manifest "$tmp/x.tsv"
[ ! -e "$tmp/x.tsv" ] && ok "a refused run writes no manifest" || fail "a refused run writes no manifest"
finish
