# SPDX-License-Identifier: MIT
# Shell test helpers: one TAP line per case on stdout, which meson counts
# (protocol: 'tap' in tests/meson.build). Source it, call
# ok/fail/skip/check, and end with `finish`. Anything else a test prints
# on stdout must not start with "ok", "not ok", "1.." or "Bail out!".
# To skip the whole test: skip "why"; finish; exit 77.
# Ports: lb_t_lease (never port 0 or a fixed port); running as nobody:
# lb_t_nobody / lb_t_need_nobody; clean-ups: lb_t_on_exit (lib.sh owns the
# EXIT trap: a test that sets its own loses lib.sh's clean-ups).

LB_T_N=0
LB_T_FAILED=0

_tap() { printf '%s\n' "$*"; }

ok()   { LB_T_N=$((LB_T_N + 1)); _tap "ok $LB_T_N - $*"; }
fail() { LB_T_N=$((LB_T_N + 1)); LB_T_FAILED=$((LB_T_FAILED + 1)); _tap "not ok $LB_T_N - $*"; }
skip() { LB_T_N=$((LB_T_N + 1)); _tap "ok $LB_T_N - # SKIP $*"; }

# check "description" command args...: ok if the command succeeds.
check() {
	local desc=$1; shift
	if "$@"; then ok "$desc"; else fail "$desc"; fi
}

# expect_exit CODE "description" command args...: ok if it exits with CODE.
expect_exit() {
	local want=$1 desc=$2 rc=0; shift 2
	"$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$desc"; else fail "$desc (exit $rc, want $want)"; fi
}

finish() {
	_tap "1..$LB_T_N"
	[ "$LB_T_FAILED" -eq 0 ]
}

# ---- clean-up at exit ----
# lb_t_on_exit 'COMMAND': run COMMAND (eval'd) when the test exits, after
# the ones registered before it. Tests register here instead of setting
# their own EXIT trap, so lib.sh's own clean-ups run too.
LB_T_ON_EXIT=()
lb_t_on_exit() { LB_T_ON_EXIT+=("$1"); }
_lb_t_exit() {
	local i
	# End the lease holders first: a clean-up that runs `wait` would
	# otherwise wait for them, and they for this shell to exit.
	for i in "${LB_T_LEASE_FDS[@]}"; do exec {i}>&-; done
	for ((i = ${#LB_T_ON_EXIT[@]} - 1; i >= 0; i--)); do eval "${LB_T_ON_EXIT[i]}"; done
}
trap _lb_t_exit EXIT

# ---- ports ----
# lb_t_lease N [PICK OPTIONS...]: lease N ports for the rest of the test
# from the library (outside the ephemeral range, free on TCP and UDP,
# IPv4 and IPv6 unless the options say otherwise), never port 0 or a fixed
# port: another program's traffic cannot be on them, and no other
# libloopback picker (another checkout running the suite) is given them.
# The ports are in the array LB_T_PORTS (and LB_T_PORT, the first); the
# leases are held by a background `loopback run` (pids in LB_T_LEASE_PIDS:
# run and its command) that lives until this shell and every child that
# inherited the pipe to it are gone, even after SIGKILL (at the latest
# when the test exits: clean-ups may `wait` for every child). Returns 1 (the
# reason on stderr) when no port could be leased.
LB_T_PORTS=()
LB_T_PORT=
LB_T_LEASE_PIDS=()
LB_T_LEASE_FDS=()
lb_t_lease() {
	local n=$1 f i line=; shift
	f=$(mktemp "${TMPDIR:-/tmp}/lb-t-lease.XXXXXX") || return 1
	[ $# -gt 0 ] || set -- --tcp --udp
	# The command reports run's pid ($PPID), its own and the ports, then
	# reads the pipe from this shell until it closes.
	local fd
	exec {fd}> >(exec >/dev/null 2>&1
		"$LOOPBACK" run --count "$n" "$@" -- \
			sh -c 'echo "$PPID $$ $PORTS" >"$0.new" && mv "$0.new" "$0" && exec cat >/dev/null' "$f" \
			2>"$f.err" || echo "error $?" >"$f")
	LB_T_LEASE_FDS+=("$fd")
	for i in $(seq 1 400); do
		read -r line <"$f" 2>/dev/null
		[ -n "$line" ] && break
		sleep 0.025
	done
	case $line in
	"" | error*)
		echo "lb_t_lease: could not lease $n port(s): ${line:-timeout} $(cat "$f.err" 2>/dev/null)" >&2
		rm -f "$f" "$f.err" "$f.new"
		return 1 ;;
	esac
	rm -f "$f" "$f.err"
	# shellcheck disable=SC2206
	local w=($line)
	LB_T_LEASE_PIDS+=("${w[0]}" "${w[1]}")
	LB_T_PORTS=("${w[@]:2}")
	LB_T_PORT=${LB_T_PORTS[0]}
}

# ---- running as nobody ----
# lb_t_nobody [FILE...]: prepare to run programs as user nobody (65534).
# A checkout inside a private directory (a clone in /root, mode 0700) is
# out of nobody's reach, so this stages a copy of what the unprivileged
# run needs (the loopback tool, libloopback.so*, and each FILE given) in
# a fresh directory under /tmp that nobody can read, removed at exit.
# Sets NOBODY (the command prefix: setpriv, the library path, cwd /),
# LB_T_NOBODY_DIR, LB_T_NOBODY_LB (the staged tool) and, for each FILE,
# LB_T_NOBODY_DIR/bin/<its name>. Returns 1 with the reason in
# LB_T_NOBODY_WHY when nobody cannot be used here.
NOBODY=()
LB_T_NOBODY_DIR=
LB_T_NOBODY_LB=
LB_T_NOBODY_WHY=
lb_t_nobody() {
	local d f libdir
	if [ "$(id -u)" != 0 ]; then LB_T_NOBODY_WHY="running as another user needs root"; return 1; fi
	if ! command -v setpriv >/dev/null; then LB_T_NOBODY_WHY="setpriv is not installed"; return 1; fi
	d=$(mktemp -d /tmp/lb-t-nobody.XXXXXX) || { LB_T_NOBODY_WHY="mktemp -d under /tmp failed"; return 1; }
	LB_T_NOBODY_DIR=$d
	lb_t_on_exit 'rm -rf "$LB_T_NOBODY_DIR"'
	mkdir "$d/bin" "$d/lib"
	libdir=$(dirname "${LB_SHARED_LIB:-$(dirname "$LOOPBACK")/../lib/libloopback.so}")
	cp "$LOOPBACK" "$d/bin/loopback" || { LB_T_NOBODY_WHY="staging $LOOPBACK failed"; return 1; }
	for f in "$libdir"/libloopback.so*; do
		[ -d "$f" ] || cp -P "$f" "$d/lib/" || { LB_T_NOBODY_WHY="staging $f failed"; return 1; }
	done
	for f in "$@"; do cp "$f" "$d/bin/" || { LB_T_NOBODY_WHY="staging $f failed"; return 1; }; done
	chmod 755 "$d" "$d/bin" "$d/lib"
	chmod -R a+rX "$d"
	LB_T_NOBODY_LB=$d/bin/loopback
	NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups
		env -C / LD_LIBRARY_PATH="$d/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
	if ! "${NOBODY[@]}" "$LB_T_NOBODY_LB" --version >/dev/null 2>"$d/err"; then
		LB_T_NOBODY_WHY="the staged copy does not run as nobody: $(cat "$d/err")"
		return 1
	fi
}

# lb_t_need_nobody [FILE...]: lb_t_nobody, or skip the whole test (exit 77)
# with the reason.
lb_t_need_nobody() {
	lb_t_nobody "$@" && return 0
	skip "cannot run as nobody: $LB_T_NOBODY_WHY"
	finish
	exit 77
}
