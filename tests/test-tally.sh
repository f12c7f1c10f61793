#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/tally.py adds up every result CI produces into the closing
# "N passed, N failed, N skipped" line. Fixtures for each input kind, made
# here in a temporary folder in the formats meson, pytest, go and
# scripts/test.sh write, with the exact counts they must give.
set -u
. "$LB_TESTS_DIR/lib.sh"

tally=$LB_TESTS_DIR/tally.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_tally ROOT: run it under the system python, keep output and status.
run_tally() {
	out=$(/usr/bin/python3 "$tally" "$1" 2>&1)
	status=$?
}
# counts STEP: "P F S" from the step's line of the last run ("" if none).
counts() {
	sed -nE "s/^  $1 +([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped( .*)?$/\1 \2 \3/p" <<<"$out"
}
# expect_counts STEP "P F S" WHAT
expect_counts() {
	local got
	got=$(counts "$1")
	[ "$got" = "$2" ] && ok "$3: $2" || fail "$3: want '$2' (passed failed skipped), got '$got'; output: ${out//$'\n'/ | }"
}

# meson's logs as meson 1.0 writes them: testlog.json, one line per test
# ("project:suite / test"), and testlog.junit.xml with a TAP test as a
# testsuite "project.NAME" of its cases and any other test as a testcase
# of the testsuite "project".
entry() { printf '{"name": "libloopback:%s", "stdout": "", "result": "%s", "returncode": %s}\n' "$1" "$2" "$3"; }
tapsuite() { # tapsuite NAME CASES...: each case "ok", "fail", "error" or "skip"
	local name="libloopback.libloopback:$1" c n=0
	shift
	printf '<testsuite name="%s" tests="%s">' "$name" $#
	for c in "$@"; do
		n=$((n + 1))
		case $c in
		ok) printf '<testcase name="%s" classname="%s" />' $n "$name" ;;
		fail) printf '<testcase name="%s" classname="%s"><failure /></testcase>' $n "$name" ;;
		error) printf '<testcase name="%s" classname="%s"><error /></testcase>' $n "$name" ;;
		skip) printf '<testcase name="%s" classname="%s"><skipped /></testcase>' $n "$name" ;;
		esac
	done
	printf '</testsuite>'
}
plaincase() { # plaincase NAME [failure|error|skipped]
	printf '<testcase name="libloopback:%s" classname="libloopback" time="0.1">' "$1"
	[ -n "${2:-}" ] && printf '<%s />' "$2"
	printf '</testcase>'
}

r=$tmp/results

# A TAP test: its cases count one by one; one that crashed or timed out
# after passing cases (meson's JUnit log has no failing case for it) is
# one failure more; one with a failing case is not counted twice.
mkdir -p "$r/meson"
{
	entry "unit / t-ok" OK 0
	entry "unit / t-crash" ERROR -11
	entry "unit / t-timeout" TIMEOUT -15
	entry "unit / t-failcase" FAIL 1
	entry "cli / t-skipall" SKIP 0
	entry "cli / plain-ok" OK 0
	entry "cli / plain-skip" SKIP 77
	entry "cli / plain-fail" FAIL 1
	entry "cli / plain-timeout" TIMEOUT -15
	entry "cli / plain-xfail" EXPECTEDFAIL 1
	entry "cli / plain-upass" UNEXPECTEDPASS 0
	entry "cli / not-in-junit" OK 0
	echo
} >"$r/meson/testlog.json"
{
	echo "<?xml version='1.0' encoding='utf-8'?>"
	printf '<testsuites tests="0" errors="0" failures="0">'
	tapsuite "unit / t-ok" ok ok skip
	tapsuite "unit / t-crash" ok
	tapsuite "unit / t-timeout" ok ok
	tapsuite "unit / t-failcase" ok fail error
	tapsuite "cli / t-skipall" skip skip
	printf '<testsuite name="libloopback" tests="6">'
	plaincase "cli / plain-ok"
	plaincase "cli / plain-skip" skipped
	plaincase "cli / plain-fail" failure
	plaincase "cli / plain-timeout"
	plaincase "cli / plain-xfail"
	plaincase "cli / plain-upass"
	printf '</testsuite></testsuites>\n'
} >"$r/meson/meson.junit.xml"

# pytest --junitxml: failure and error fail, skipped skips.
mkdir -p "$r/junit"
cat >"$r/junit/py.junit.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
<testcase classname="test_x" name="test_a" time="0.001"/>
<testcase classname="test_x" name="test_b" time="0.001"><system-out>noise</system-out></testcase>
<testcase classname="test_x" name="test_c" time="0.001"><failure message="assert 1 == 2">trace</failure></testcase>
<testcase classname="test_x" name="test_d" time="0.001"><error message="fixture failed">trace</error></testcase>
<testcase classname="test_x" name="test_e" time="0.001"><skipped type="pytest.skip" message="no go">why</skipped></testcase>
</testsuite></testsuites>
XML

# go test -json: pass/fail/skip events of tests (subtests included);
# output events and stray text do not count; a package that fails with
# no failing test (TestMain, a panic outside a test) is one failure, and
# go 1.19 reports a package that does not build as plain text only.
mkdir -p "$r/go"
cat >"$r/go/binding.gojson" <<'JSON'
{"Action":"run","Package":"x","Test":"TestA"}
{"Action":"output","Package":"x","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"x","Test":"TestA","Elapsed":0}
{"Action":"run","Package":"x","Test":"TestB"}
{"Action":"fail","Package":"x","Test":"TestB","Elapsed":0}
{"Action":"skip","Package":"x","Test":"TestC","Elapsed":0}
{"Action":"pass","Package":"x","Test":"TestD/sub","Elapsed":0}
{"Action":"fail","Package":"x","Elapsed":0.01}
not json at all
{"Action":"pass","Package":"y","Test":"TestE","Elapsed":0}
{"Action":"fail","Package":"y","Elapsed":0.01}
JSON
printf 'FAIL\tgt/b [build failed]\n' >"$r/go/build.gojson"

# steps.txt: a build step's own result.
mkdir -p "$r/steps"
printf 'ok build gcc\nfail build clang\nskip fuzz: no targets yet\nok bindings\n' >"$r/steps/steps.txt"

# status (scripts/test.sh): a step that exited non-zero with no failing
# case is one failure; with failing cases, none more; exit 0 adds none.
mkdir -p "$r/st-bad" "$r/st-badcase" "$r/st-good"
printf 'exit 2\nseconds 7\n' >"$r/st-bad/status"
printf 'ok x\n' >"$r/st-bad/steps.txt"
printf 'exit 1\nseconds 3\n' >"$r/st-badcase/status"
printf 'fail x\n' >"$r/st-badcase/steps.txt"
printf 'exit 0\nseconds 5\n' >"$r/st-good/status"
printf 'ok x\n' >"$r/st-good/steps.txt"
echo "stray file" >"$r/README"

run_tally "$r"
expect_counts meson "9 7 4" "meson: TAP cases one by one, a crash or timeout after passing cases is one more failure, a plain test's TIMEOUT/UNEXPECTEDPASS fail, a test only in testlog.json counts once"
expect_counts junit "2 2 1" "junit: failure and error fail, skipped skips"
expect_counts go "3 3 1" "go test -json: test events count, subtests too; a package failing without a failing test and a package that does not build are failures"
expect_counts steps "2 1 1" "steps.txt: ok/fail/skip lines"
expect_counts st-bad "1 1 0" "a step that exited non-zero with no failing case is a failure"
expect_counts st-badcase "0 1 0" "a step that exited non-zero with a failing case is not counted twice"
expect_counts st-good "1 0 0" "a step that exited 0 adds nothing"
grep -q '^  st-bad .*(7 s)$' <<<"$out" && ok "the step line says how long the step took" ||
	fail "the step line says how long the step took: $out"
grep -q 'st-bad: exited 2 with no failing case' <<<"$out" && ok "the added failure is explained" ||
	fail "the added failure is explained: $out"
last=$(tail -n 1 <<<"$out")
[ "$last" = "18 passed, 15 failed, 7 skipped" ] && ok "the last line sums every step: $last" ||
	fail "the last line sums every step: want '18 passed, 15 failed, 7 skipped', got '$last'"
[ "$(grep -c '^  [a-z-]* .* passed, ' <<<"$out")" -eq 7 ] && ok "one line per step folder, files in the root ignored" ||
	fail "one line per step folder, files in the root ignored: $out"
[ "$status" -ne 0 ] && ok "exit status is non-zero when anything failed ($status)" ||
	fail "exit status is non-zero when anything failed"

# Only one failure anywhere is enough for a non-zero status.
g=$tmp/one-failure
mkdir -p "$g/a" "$g/b"
printf 'ok fine\n' >"$g/a/steps.txt"
entry "unit / crashed" ERROR -6 >"$g/b/testlog.json"
run_tally "$g"
[ "$status" -ne 0 ] && [ "$(tail -n 1 <<<"$out")" = "1 passed, 1 failed, 0 skipped" ] &&
	ok "a lone crashed test fails the run" || fail "a lone crashed test fails the run: status $status, $out"

# Only a non-zero exit status is enough too.
g=$tmp/one-status
mkdir -p "$g/a"
printf 'exit 1\nseconds 1\n' >"$g/a/status"
run_tally "$g"
[ "$status" -ne 0 ] && [ "$(tail -n 1 <<<"$out")" = "0 passed, 1 failed, 0 skipped" ] &&
	ok "a step's non-zero exit alone fails the run" || fail "a step's non-zero exit alone fails the run: status $status, $out"

# All passed or skipped: status 0.
g=$tmp/green
mkdir -p "$g/a" "$g/b"
entry "unit / fine" OK 0 >"$g/a/testlog.json"
printf 'exit 0\nseconds 1\n' >"$g/a/status"
printf 'ok build\nskip cross: no toolchain\n' >"$g/b/steps.txt"
run_tally "$g"
[ "$status" -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = "2 passed, 0 failed, 1 skipped" ] &&
	ok "exit status 0 when nothing failed (skips allowed)" || fail "exit status 0 when nothing failed: status $status, $out"

finish
