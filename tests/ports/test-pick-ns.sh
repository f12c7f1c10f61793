#!/bin/bash
# SPDX-License-Identifier: MIT
# Picking in a network namespace with IPv6 disabled, leases scoped per
# namespace, and picking as an unprivileged user.
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
if ! unshare -n true 2>/dev/null; then
	skip "unshare -n needs root here"
	finish
	exit 77
fi
# The runs as nobody use a copy staged where nobody can reach it.
lb_t_need_nobody
nlb=$LB_T_NOBODY_LB
# in_ns 'SCRIPT' ARGS: run a shell script in a fresh network namespace with lo up.
in_ns() { local s=$1; shift; unshare -n bash -c 'ip link set lo up && '"$s" "$@"; }

out=$(in_ns 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "$0" pick --json' "$lb")
case $out in *'"ipv4_only":true'*) ok "IPv6 disabled: pick degrades to IPv4 with the flag" ;; *) fail "IPv6 disabled: $out" ;; esac
out=$(in_ns 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "$0" pick -6 --json' "$lb")
case $out in *'"ipv4_only":true'*) ok "IPv6 disabled: pick -6 degrades too, no error" ;; *) fail "pick -6: $out" ;; esac
out=$(in_ns 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1 && "$0" run --listen-fds -- sh -c "echo \$LISTEN_FDS"' "$lb")
[ "$out" = 1 ] && ok "IPv6 disabled: run --listen-fds works" || fail "run in ns: $out"
out=$(in_ns '"$0" pick --json' "$lb")
case $out in *'"ipv4_only":false'*) ok "IPv6 enabled in a namespace: no flag" ;; *) fail "ns with IPv6: $out" ;; esac

# Leases live in the network namespace, like ports.
out=$("$lb" run -- sh -c 'unshare -n "$0" pick --range $PORT-$PORT >/dev/null; echo "ns=$?"; "$0" pick --range $PORT-$PORT >/dev/null 2>&1; echo "host=$?"' "$lb")
[ "$out" = "$(printf 'ns=0\nhost=1')" ] && ok "a lease is per network namespace" || fail "lease scope: $out"

# Unprivileged user.
out=$("${NOBODY[@]}" "$nlb" pick -n 3 --udp --tcp)
n=$(echo "$out" | awk '$1 >= 1024' | wc -l)
[ "$n" -eq 3 ] && ok "pick as an unprivileged user" || fail "pick as nobody: $out"
out=$("${NOBODY[@]}" "$nlb" run -- sh -c 'echo $PORT')
[ -n "$out" ] && ok "run as an unprivileged user" || fail "run as nobody"
out=$(in_ns 'sysctl -qw net.ipv4.ip_unprivileged_port_start=5000 && "${@:1}" "$0" pick -n 20' "$nlb" "${NOBODY[@]}")
n=$(echo "$out" | awk '$1 >= 5000' | wc -l)
[ "$n" -eq 20 ] && ok "default range starts at ip_unprivileged_port_start (5000)" || fail "unprivileged start: $out"
rc=0; in_ns '"${@:1}" "$0" pick --range 1000-1010' "$nlb" "${NOBODY[@]}" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] && ok "privileged ports are never given to an unprivileged user" || fail "nobody got a port below 1024 (exit $rc)"
rc=0; in_ns '"$0" pick --range 1000-1010' "$lb" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 0 ] && ok "root may pick from an explicit privileged range" || fail "root --range 1000-1010: exit $rc"
out=$(in_ns 'sysctl -qw net.ipv4.ip_local_reserved_ports=30000-30009,30011 && "$0" pick --range 30000-30011 -n 1' "$lb")
[ "$out" = 30010 ] && ok "reserved ports are skipped" || fail "reserved: $out"
out=$(in_ns 'sysctl -qw "net.ipv4.ip_local_port_range=20000 20999" && "$0" pick -n 50' "$lb")
n=$(echo "$out" | awk '$1 < 20000 || $1 > 20999' | wc -l)
[ "$n" -eq 50 ] && ok "the namespace's own ephemeral range is avoided" || fail "ephemeral: $out"
finish
