#!/bin/bash
# SPDX-License-Identifier: MIT
# exe_wrapper of the Windows step (scripts/test.d/cross-windows.sh):
# `wine PROGRAM ARGS...` with its output through files, then copied to our
# stdout and stderr. With the step's persistent wineserver, a helper
# process wine starts on demand (explorer.exe /desktop, services.exe, ...)
# outlives the test and keeps the standard handles it inherited: had they
# been meson's pipes, meson would wait for them to close and time the
# test out after its last case. The helpers keep these files instead.
# The exit status is wine's, i.e. the program's; stopped by meson (a
# timeout), it stops wine and still hands on what the program wrote.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lb-wine-run.XXXXXX") || exit 125
flush() {
	cat "$tmp/out"
	cat "$tmp/err" >&2
	rm -rf "$tmp"
}
wine "$@" >"$tmp/out" 2>"$tmp/err" </dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid"; flush; exit 143' TERM INT
wait "$pid"
rc=$?
# A program that failed without a word: say so, with what wine knew.
if [ "$rc" != 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then
	echo "wine-run: wine $* exited $rc with no output (WINEPREFIX=${WINEPREFIX:-})" >>"$tmp/err"
fi
flush
exit "$rc"
