#!/bin/bash
# SPDX-License-Identifier: MIT
# Help texts, the man page and the parsers agree: every long option a
# verb's --help names is accepted by that verb and documented in
# loopback(1); every verb's help says its exit status; --help works after
# operands too; the global --color is in loopback --help and loopback(1).
set -u
. "$LB_TESTS_DIR/lib.sh"
lb=$LOOPBACK
man=$LB_SOURCE_ROOT/man/loopback.1

for verb in parse who ls audit pick run check wait; do
	help=$("$lb" $verb --help) || fail "$verb --help exits 0"
	case $help in *"Exit status"*) ok "$verb --help: exit status" ;; *) fail "$verb --help: no exit status" ;; esac
	case $help in *"-h, --help"*) ok "$verb --help lists -h, --help" ;; *) fail "$verb --help lacks -h, --help" ;; esac
	for o in $(printf '%s\n' "$help" | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
		# A known option never says "unknown"; the trailing operand keeps
		# ls, audit and pick from listing or picking.
		err=$("$lb" $verb "$o" extra-operand 2>&1 >/dev/null)
		case $err in *"unknown option"*|*"ambiguous"*) fail "$verb $o (named by --help) is not accepted: $err" ;;
		*) ok "$verb accepts $o" ;; esac
		m=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$m" "$man" && ok "$verb $o is in loopback(1)" || fail "$verb $o is not in loopback(1)"
	done
done
out=$("$lb" who 8080 --help); case $out in "Usage: loopback who"*) ok "who PORT --help: the help" ;; *) fail "who PORT --help: $out" ;; esac
out=$("$lb" --help); case $out in *"--color"*) ok "loopback --help names --color" ;; *) fail "loopback --help lacks --color" ;; esac
grep -q '^\.SH EXAMPLES' "$man" && ok "loopback(1) has EXAMPLES" || fail "loopback(1) has no EXAMPLES"
grep -q 'NO_COLOR' "$man" && ok "loopback(1) documents NO_COLOR" || fail "loopback(1) lacks NO_COLOR"
finish
