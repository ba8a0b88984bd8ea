#!/bin/sh
# tests/criterion-tap.sh - run one Criterion test program so that it speaks
# TAP on standard output, for automake's tap-driver (CTEST_LOG_COMPILER).
#
# Criterion 2.4.1 writes its TAP report to standard output with --tap=-
# (the same as --output=tap:-; its --help says "stderr", but it is stdout)
# and its own progress and failure details to standard error, which the
# harness keeps in the .log.  -j1 keeps the order of results stable.
#
# A failing test already shows as "not ok"; Criterion's exit status 1 for
# it is then dropped, so one failure is not counted twice.  Any other
# non-zero status (a crash, a sanitizer report) is passed on and the
# harness reports it as an error.
#
# Usage: tests/criterion-tap.sh PROGRAM [CRITERION-OPTIONS...]
if [ $# -lt 1 ]; then
	echo "usage: $0 PROGRAM [OPTIONS...]" >&2
	exit 99
fi
prog=$1
shift
case $prog in */*) ;; *) prog=./$prog ;; esac

tap=$(mktemp "${TMPDIR:-/tmp}/criterion-tap.XXXXXX") || exit 99
trap 'rm -f "$tap"' EXIT
trap 'exit 130' INT TERM HUP

"$prog" --tap=- -j1 "$@" >"$tap"
status=$?
cat "$tap"
if [ "$status" -eq 1 ] && grep -q '^not ok' "$tap"; then
	status=0
fi
exit "$status"
