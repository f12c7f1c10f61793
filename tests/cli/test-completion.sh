#!/bin/bash
# SPDX-License-Identifier: MIT
# completion/loopback.bash driven as bash does it: source it (after
# bash-completion when installed, and once without it), set COMP_WORDS and
# COMP_CWORD, call the function, read COMPREPLY. Verbs and options are
# compared with what the built tool's --help says, so the test fails when
# the completion misses a verb or an option.
set -u
. "$LB_TESTS_DIR/lib.sh"

script=$LB_SOURCE_ROOT/completion/loopback.bash
bc=/usr/share/bash-completion/bash_completion
tooldir=$(cd "$(dirname "$LOOPBACK")" && pwd)
export PATH=$tooldir:$PATH

# complete WITH_BC WORD...: the completions for a command line whose last
# WORD is the one being completed, one per line, sorted.
complete_line() {
	local with_bc=$1
	shift
	bash --norc --noprofile -c '
		[ "$1" = 1 ] && . "$2"
		. "$3" || exit 3
		shift 3
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_loopback loopback "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$with_bc" "$bc" "$script" "$@" 2>&1 | LC_ALL=C sort -u
}

modes=(0)
if [ -f "$bc" ]; then
	modes=(1 0)
else
	skip "bash-completion is not installed: only the fallback without it is tested"
fi

verbs=$(loopback --help | awk '/^Verbs:/ { on = 1; next } on && /^$/ { exit } on { print $1 }' | LC_ALL=C sort)
[ "$(wc -w <<<"$verbs")" -ge 8 ] && ok "loopback --help lists $(wc -w <<<"$verbs") verbs" || fail "loopback --help lists the verbs: $verbs"

for m in "${modes[@]}"; do
	w=$([ "$m" = 1 ] && echo "with bash-completion" || echo "without bash-completion")
	got=$(complete_line "$m" loopback "")
	[ "$got" = "$verbs" ] && ok "$w: 'loopback <TAB>' offers every verb" ||
		fail "$w: 'loopback <TAB>' offers every verb: got '$(tr '\n' ' ' <<<"$got")'"
	got=$(complete_line "$m" loopback p | tr '\n' ' ')
	[ "$got" = "parse pick " ] && ok "$w: 'loopback p<TAB>' gives parse pick" || fail "$w: 'loopback p<TAB>' gives parse pick: '$got'"
	got=$(complete_line "$m" loopback --v | tr '\n' ' ')
	[ "$got" = "--version " ] && ok "$w: 'loopback --v<TAB>' gives --version" || fail "$w: 'loopback --v<TAB>': '$got'"

	# Every long option of every verb, as its --help names it.
	for v in $verbs; do
		want=$(loopback "$v" --help | grep -E '^[[:space:]]+-' | grep -oE '(^|[ ,])--[a-zA-Z0-9][a-zA-Z0-9-]*=?' |
			sed 's/^[ ,]*//' | LC_ALL=C sort -u)
		got=$(complete_line "$m" loopback "$v" --)
		missing=$(LC_ALL=C comm -23 <(printf '%s\n' "$want") <(printf '%s\n' "$got") | tr '\n' ' ')
		if [ -n "$want" ] && [ -z "$missing" ]; then
			ok "$w: 'loopback $v --<TAB>' offers its $(wc -l <<<"$want") long options"
		else
			fail "$w: 'loopback $v --<TAB>' offers its long options; missing: ${missing:-(help names none)}"
		fi
	done
done

# A few options of each verb, by prefix, and values (with bash-completion
# when it is there).
m=${modes[0]}
expect() {
	local desc=$1 want=$2 got
	shift 2
	got=$(complete_line "$m" "$@")
	if grep -qxF -- "$want" <<<"$got"; then ok "$desc"; else fail "$desc: got '$(head -c 300 <<<"$got" | tr '\n' ' ')'"; fi
}
expect "who --all<TAB> gives --all-owners" --all-owners loopback who --all
expect "ls --li<TAB> gives --listening" --listening loopback ls --li
expect "ls --no<TAB> gives --no-owners" --no-owners loopback ls --no
expect "ls -4 --chi<TAB> gives --children" --children loopback ls -4 --chi
expect "audit --al<TAB> gives --allow" --allow loopback audit --al
expect "audit --all-n<TAB> gives --all-netns (from the combined option line)" --all-netns loopback audit --all-n
expect "pick --con<TAB> gives --contiguous" --contiguous loopback pick --con
expect "pick --ra<TAB> gives --range" --range loopback pick --ra
expect "run --li<TAB> gives --listen-fds" --listen-fds loopback run --li
expect "check --u<TAB> gives --udp" --udp loopback check --u
expect "wait --fr<TAB> gives --free" --free loopback wait 127.0.0.1:1 --fr
expect "wait --pi<TAB> gives --pid" --pid loopback wait 127.0.0.1:1 --pi
expect "parse --re<TAB> gives --resolve" --resolve loopback parse --re
expect "parse --batch=e<TAB> gives endpoint" endpoint loopback parse --batch=e
expect "ls --user ro<TAB> gives root" root loopback ls --user ro
expect "audit --user ro<TAB> gives root" root loopback audit --user ro
expect "ls --pid $$<TAB> gives this shell's pid" "$$" loopback ls --pid "$$"
expect "wait -p $$<TAB> gives this shell's pid" "$$" loopback wait 127.0.0.1:1 -p "$$"
expect "run -- ech<TAB> completes a command" echo loopback run -- ech
got=$(complete_line "$m" loopback wait 127.0.0.1:1 --timeout "")
[ -z "$got" ] && ok "wait --timeout <TAB> offers nothing (a number)" || fail "wait --timeout <TAB> offers nothing: '$got'"
got=$(complete_line "$m" loopback pick --count "")
[ -z "$got" ] && ok "pick --count <TAB> offers nothing (a number)" || fail "pick --count <TAB> offers nothing: '$got'"

# --netns: the namespaces `ip netns add` made, as /run/netns paths.
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
	ns=lbcomp$$
	if ip netns add "$ns" 2>/dev/null; then
		expect "ls --netns /run/netns/lbc<TAB> gives the namespace" "/run/netns/$ns" loopback ls --netns /run/netns/lbc
		expect "ls --netns <TAB> gives the namespace" "/run/netns/$ns" loopback ls --netns ""
		ip netns delete "$ns"
	else
		skip "ip netns add failed: --netns values not tested"
	fi
else
	skip "not root: --netns values not tested (needs ip netns add)"
fi
finish
