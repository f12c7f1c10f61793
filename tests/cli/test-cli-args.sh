#!/bin/bash
# SPDX-License-Identifier: MIT
# Arguments as every GNU tool takes them: options before or after the
# operands on every verb (getopt_long through one helper), "--" ends the
# options (and starts run's and wait's command), a bad option is one line
# naming it and exit 2, and an error line quotes at most ~100 bytes.
set -u
. "$LB_TESTS_DIR/lib.sh"
. "$LB_TESTS_DIR/sockets/common.sh"
lb=$LOOPBACK

P=$("$lb" pick) || { fail "pick a port"; finish; exit; }
start_holder h -- --name lbt-args --timeout 60 "tcp/127.0.0.1/$P" || { fail "holder started"; finish; exit; }

# Options after operands, verb by verb.
expect_exit 0 "who PORT --json" "$lb" who "$P" --json
out=$("$lb" who "$P" --json) && [ "${out:0:1}" = "[" ] && ok "who PORT --json prints JSON" || fail "who PORT --json: $out"
expect_exit 0 "who PORT -t --all-owners" "$lb" who "$P" -t --all-owners
expect_exit 1 "check 127.0.0.1:PORT --json (in use)" "$lb" check "127.0.0.1:$P" --json
out=$("$lb" check "127.0.0.1:$P" --json); [ "${out:0:1}" = "[" ] && ok "check HOST:PORT --json prints JSON" || fail "check --json: $out"
expect_exit 0 "wait HOST:PORT -t 5" "$lb" wait "127.0.0.1:$P" -t 5
expect_exit 0 "wait HOST:PORT --timeout=5" "$lb" wait "127.0.0.1:$P" --timeout=5
out=$("$lb" parse 127.0.0.1:1 --json) && [ "${out:0:1}" = "[" ] && ok "parse STRING --json" || fail "parse STRING --json: $out"
out=$("$lb" pick --json -n 2) && case $out in '{"ports":['*) ok "pick --json -n 2" ;; *) fail "pick --json -n 2: $out" ;; esac
expect_exit 0 "ls --json -l (options in any order)" "$lb" ls -l --json
out=$("$lb" run -n 2 -e A -e B -- sh -c 'echo "$A $B"') && [ -n "${out#* }" ] && ok "run -n 2 -e A -e B -- CMD" || fail "run: $out"
# Short options cluster and take attached values.
expect_exit 0 "who -tu PORT (cluster)" "$lb" who -tu "$P"
out=$("$lb" pick -n2) && [ "$(printf '%s\n' "$out" | wc -l)" = 2 ] && ok "pick -n2 (attached value)" || fail "pick -n2: $out"
# Unambiguous abbreviations work, as in GNU tools.
expect_exit 0 "who --js PORT (abbreviation of --json)" "$lb" who --js "$P"

# "--" ends the options: after it, a string that starts with '-' is an operand.
expect_exit 1 "parse -- -a:80: an operand" "$lb" parse --json -- -a:80
out=$("$lb" parse -- --json 2>/dev/null); case $out in *"--json"*) ok "parse -- --json parses the string --json" ;; *) fail "parse -- --json: $out" ;; esac
# run and wait: the command after "--" keeps its options.
out=$("$lb" run -- sh -c 'echo "$0 $1"' --json -n) && [ "$out" = "--json -n" ] && ok "run -- CMD keeps CMD's options" || fail "run -- CMD: $out"
out=$("$lb" wait "127.0.0.1:$P" -t 5 -- echo --help -t) && [ "$out" = "--help -t" ] && ok "wait HOST:PORT -t 5 -- CMD --help: CMD gets --help" || fail "wait -- CMD: $out"
out=$("$lb" wait -t 5 -- "127.0.0.1:$P" 2>&1); rc=$?
[ $rc = 2 ] && ok "wait -- HOST:PORT: the endpoint is not the command (usage error)" || fail "wait -- HOST:PORT: exit $rc $out"
expect_exit 125 "run CMD without --: usage error (125)" "$lb" run true

# A bad option: one line, naming it, exit 2, on every verb.
for verb in parse who ls audit pick check wait; do
	err=$("$lb" $verb --frobnicate 2>&1 >/dev/null); rc=$?
	n=$(printf '%s\n' "$err" | wc -l)
	case $err in *"$verb: unknown option '--frobnicate'"*) [ "$rc" = 2 ] && [ "$n" = 1 ] && ok "$verb --frobnicate: one line, exit 2" || fail "$verb --frobnicate: exit $rc, $n lines: $err" ;;
	*) fail "$verb --frobnicate: $err" ;; esac
done
err=$("$lb" run --frobnicate -- true 2>&1 >/dev/null); rc=$?
case $err in *"run: unknown option '--frobnicate'"*) [ $rc = 125 ] && ok "run --frobnicate: exit 125" || fail "run --frobnicate: exit $rc" ;; *) fail "run --frobnicate: $err" ;; esac
err=$("$lb" who -x "$P" 2>&1 >/dev/null); case $err in *"unknown option '-x'"*) ok "who -x: named" ;; *) fail "who -x: $err" ;; esac
err=$("$lb" ls --pid 2>&1 >/dev/null); case $err in *"option '--pid' needs an argument"*) ok "ls --pid: needs an argument" ;; *) fail "ls --pid: $err" ;; esac
err=$("$lb" wait "127.0.0.1:$P" -t 2>&1 >/dev/null); case $err in *"option '-t' needs an argument"*) ok "wait -t: needs an argument" ;; *) fail "wait -t: $err" ;; esac
err=$("$lb" ls --json=yes 2>&1 >/dev/null); case $err in *"'--json' takes no argument"*) ok "ls --json=yes: takes no argument" ;; *) fail "ls --json=yes: $err" ;; esac
err=$("$lb" ls --all 2>&1 >/dev/null); case $err in *"'--all' is ambiguous"*) ok "ls --all: ambiguous (--all-netns, --all-owners)" ;; *) fail "ls --all: $err" ;; esac
expect_exit 2 "ls --allow: audit's option only" "$lb" ls --allow 80
expect_exit 2 "ls with an operand" "$lb" ls extra
expect_exit 2 "pick with an operand" "$lb" pick 80
expect_exit 2 "wait with two endpoints" "$lb" wait "127.0.0.1:$P" "127.0.0.1:$P" -t 0

# Missing operands: one usage line, as for every verb.
for verb in parse who check wait; do
	err=$("$lb" $verb 2>&1 >/dev/null); rc=$?
	n=$(printf '%s\n' "$err" | wc -l)
	case $err in "loopback: $verb: usage: loopback $verb "*) [ "$rc" = 2 ] && [ "$n" = 1 ] && ok "$verb without operands: one usage line, exit 2" || fail "$verb: exit $rc, $n lines: $err" ;;
	*) fail "$verb without operands: $err" ;; esac
done

# An error line quotes at most ~100 bytes of a bad argument, and no control byte.
long=$(head -c 5000 /dev/zero | tr '\0' 'x')
err=$("$lb" pick --count "$long" 2>&1 >/dev/null)
[ "${#err}" -lt 300 ] && ok "a 5000-byte bad value: the error line is short (${#err} bytes)" || fail "error line of ${#err} bytes"
case $err in *"xxx..."*) ok "a cut value ends with ..." ;; *) fail "no ... in: $err" ;; esac
err=$("$lb" who "$(printf 'a\nb\033[31m')" 2>&1 >/dev/null)
n=$(printf '%s\n' "$err" | wc -l)
case $err in *$'\033'*) fail "ESC passed into the error line" ;; *) [ "$n" = 1 ] && ok "control bytes escaped: one line" || fail "$n lines: $err" ;; esac
err=$("$lb" "verb$long" 2>&1 >/dev/null)
[ "${#err}" -lt 300 ] && ok "an unknown verb is quoted short" || fail "unknown verb: ${#err} bytes"

# POSIXLY_CORRECT does not change the order rules.
expect_exit 0 "POSIXLY_CORRECT: who PORT --json still works" env POSIXLY_CORRECT=1 "$lb" who "$P" --json
finish
