#!/bin/bash
# SPDX-License-Identifier: MIT
# tests/tally.py adds up every result CI produces into the closing
# "N passed, N failed, N skipped" line. Fixtures for each input kind, made
# here in a temporary folder, with the exact counts they must give.
set -u
. "$LB_TESTS_DIR/lib.sh"

tally=$LB_TESTS_DIR/tally.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A case that documents a known gap in tally.py: reported as TAP TODO
# (tally.py does not count it either way) until tally.py handles it.
todo() {
	LB_T_N=$((LB_T_N + 1))
	if [ "$1" = pass ]; then _tap "ok $LB_T_N - $2 # TODO fixed? drop the TODO"; else _tap "not ok $LB_T_N - $2 # TODO $3"; fi
}

# run_tally ROOT: run it under the system python, keep output and status.
run_tally() {
	out=$(/usr/bin/python3 "$tally" "$1" 2>&1)
	status=$?
}
# counts STEP: "P F S" from the step's line of the last run ("" if none).
counts() {
	sed -nE "s/^  $1 +([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p" <<<"$out"
}
# expect_counts STEP "P F S" WHAT
expect_counts() {
	local got
	got=$(counts "$1")
	[ "$got" = "$2" ] && ok "$3: $2" || fail "$3: want '$2' (passed failed skipped), got '$got'; output: $out"
}

r=$tmp/results
mkdir -p "$r"

# TAP from Check suites and tests/lib.sh.
mkdir -p "$r/tap/tap"
cat >"$r/tap/tap/suite.tap" <<'EOF'
ok 1 - first
ok 2 - second
not ok 3 - third
ok 4 - # SKIP no network here
ok 5 - lower case # skip also counts
not ok 6 - known gap # TODO later
1..6
EOF
printf 'ok 1 - other file\n1..1\n' >"$r/tap/tap/other.tap"
printf 'ok 1 - not a .tap file\n' >"$r/tap/tap/notes.txt"

# meson's testlog.json next to TAP files: a test with TAP counts its
# cases; a test that failed without a failing case (a crash) adds one
# failure; tests without TAP count once by their result.
mkdir -p "$r/meson/tap"
printf 'ok 1 - a\nok 2 - b\n1..2\n' >"$r/meson/tap/t-ok.tap"
printf 'ok 1 - before the crash\n' >"$r/meson/tap/t-crash.tap"
printf 'ok 1 - a\nnot ok 2 - b\n1..2\n' >"$r/meson/tap/t-failtap.tap"
entry() { printf '{"name": "%s", "stdout": "", "result": "%s", "returncode": %s}\n' "$1" "$2" "$3"; }
{
	entry "libloopback:unit / t-ok" OK 0
	entry "libloopback:unit / t-crash" FAIL -11
	entry "libloopback:unit / t-failtap" FAIL 1
	entry "libloopback:cli / plain-ok" OK 0
	entry "libloopback:cli / plain-skip" SKIP 77
	entry "libloopback:cli / plain-fail" FAIL 1
	entry "libloopback:cli / plain-timeout" TIMEOUT -15
	entry "libloopback:cli / plain-xfail" EXPECTEDFAIL 1
	entry "libloopback:cli / plain-upass" UNEXPECTEDPASS 0
	echo
} >"$r/meson/testlog.json"

# pytest --junitxml: failure and error fail, skipped skips.
mkdir -p "$r/junit"
cat >"$r/junit/py.junit.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
<testcase classname="test_x" name="test_a" time="0.001"/>
<testcase classname="test_x" name="test_b" time="0.001"><system-out>noise</system-out></testcase>
<testcase classname="test_x" name="test_c" time="0.001"><failure message="assert 1 == 2">trace</failure></testcase>
<testcase classname="test_x" name="test_d" time="0.001"><error message="fixture failed">trace</error></testcase>
<testcase classname="test_x" name="test_e" time="0.001"><skipped type="pytest.skip" message="no go">why</skipped></testcase>
</testsuite></testsuites>
EOF

# go test -json: pass/fail/skip events of tests (subtests included);
# output events, package events and stray text do not count.
mkdir -p "$r/go"
cat >"$r/go/binding.gojson" <<'EOF'
{"Action":"run","Package":"x","Test":"TestA"}
{"Action":"output","Package":"x","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"pass","Package":"x","Test":"TestA","Elapsed":0}
{"Action":"run","Package":"x","Test":"TestB"}
{"Action":"fail","Package":"x","Test":"TestB","Elapsed":0}
{"Action":"skip","Package":"x","Test":"TestC","Elapsed":0}
{"Action":"pass","Package":"x","Test":"TestD/sub","Elapsed":0}
{"Action":"fail","Package":"x","Elapsed":0.01}
not json at all
EOF

# steps.txt: a build step's own result.
mkdir -p "$r/steps"
printf 'ok build gcc\nfail build clang\nskip fuzz: no targets yet\nok bindings\n' >"$r/steps/steps.txt"
echo "stray file" >"$r/README"

run_tally "$r"
expect_counts tap "3 1 2" "TAP: ok, not ok, SKIP (any case) count; TODO does not"
expect_counts meson "6 5 1" "testlog.json: a crash without a failing TAP line is a failure, no double count"
expect_counts junit "2 2 1" "junit: failure and error fail, skipped skips"
expect_counts go "2 1 1" "go test -json: test events count, subtests too"
expect_counts steps "2 1 1" "steps.txt: ok/fail/skip lines"
last=$(tail -n 1 <<<"$out")
[ "$last" = "15 passed, 10 failed, 6 skipped" ] && ok "the last line sums every step: $last" ||
	fail "the last line sums every step: want '15 passed, 10 failed, 6 skipped', got '$last'"
[ "$(grep -c ' passed, ' <<<"$out")" -eq 6 ] && ok "one line per step folder, files in the root ignored" ||
	fail "one line per step folder, files in the root ignored: $out"
[ "$status" -ne 0 ] && ok "exit status is non-zero when anything failed ($status)" ||
	fail "exit status is non-zero when anything failed"

# Only one failure anywhere is enough for a non-zero status.
g=$tmp/one-failure
mkdir -p "$g/a/tap" "$g/b"
printf 'ok 1 - fine\n1..1\n' >"$g/a/tap/x.tap"
entry "libloopback:unit / crashed" FAIL -6 >"$g/b/testlog.json"
run_tally "$g"
[ "$status" -ne 0 ] && [ "$(tail -n 1 <<<"$out")" = "1 passed, 1 failed, 0 skipped" ] &&
	ok "a lone crashed test fails the run" || fail "a lone crashed test fails the run: status $status, $out"

# All passed or skipped: status 0.
g=$tmp/green
mkdir -p "$g/a/tap" "$g/b"
printf 'ok 1 - fine\nok 2 - # SKIP not here\n1..2\n' >"$g/a/tap/x.tap"
printf 'ok build\nskip cross: no toolchain\n' >"$g/b/steps.txt"
run_tally "$g"
[ "$status" -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = "2 passed, 0 failed, 2 skipped" ] &&
	ok "exit status 0 when nothing failed (skips allowed)" || fail "exit status 0 when nothing failed: status $status, $out"

# Known gaps, kept visible as TODO until tally.py covers them.
g=$tmp/gaps
mkdir -p "$g/gopkg" "$g/gobuild" "$g/emptytap/tap"
# A Go package whose TestMain exits non-zero (or that panics outside a
# test) reports only a package-level fail event.
printf '{"Action":"fail","Package":"gt/a","Elapsed":0.009}\n' >"$g/gopkg/p.gojson"
# go 1.19 reports a package that does not build as plain text, no JSON.
printf 'FAIL\tgt/b [build failed]\n' >"$g/gobuild/b.gojson"
# A shell test that exits 77 before its first case leaves an empty TAP
# file (tests/lib.sh creates it) and meson says SKIP.
: >"$g/emptytap/tap/early-skip.tap"
entry "libloopback:cli / early-skip" SKIP 77 >"$g/emptytap/testlog.json"
run_tally "$g"
[ "$(counts gopkg)" = "0 1 0" ] && todo pass "a package-level go fail counts as a failure" ||
	todo fail "a package-level go fail counts as a failure" "tally.py ignores events without Test (got '$(counts gopkg)')"
[ "$(counts gobuild)" = "0 1 0" ] && todo pass "a go package that does not build counts as a failure" ||
	todo fail "a go package that does not build counts as a failure" "tally.py skips non-JSON lines (got '$(counts gobuild)')"
[ "$(counts emptytap)" = "0 0 1" ] && todo pass "a skipped test with an empty TAP file counts as skipped" ||
	todo fail "a skipped test with an empty TAP file counts as skipped" "tally.py counts nothing for it (got '$(counts emptytap)')"

finish
