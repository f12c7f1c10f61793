#!/bin/bash
# SPDX-License-Identifier: MIT
# The tool's global behaviour: --help, --version, unknown verbs, exit codes.
set -u
. "$LB_TESTS_DIR/lib.sh"

out=$("$LOOPBACK" --help) && ok "--help exits 0" || fail "--help exits 0"
case $out in *"Exit status:"*) ok "--help documents exit status" ;; *) fail "--help documents exit status" ;; esac
out=$("$LOOPBACK" --version)
case $out in "loopback "[0-9]*) ok "--version prints a version" ;; *) fail "--version prints a version: $out" ;; esac
expect_exit 2 "no arguments is a usage error" "$LOOPBACK"
expect_exit 2 "unknown verb is a usage error" "$LOOPBACK" no-such-verb
err=$("$LOOPBACK" no-such-verb 2>&1 >/dev/null)
case $err in *"unknown verb 'no-such-verb'"*) ok "unknown verb is named" ;; *) fail "unknown verb is named: $err" ;; esac
finish
