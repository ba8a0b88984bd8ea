# tests/lib.sh - TAP helpers for the shell tests (sourced, POSIX sh).
#
#	. "$top_srcdir/tests/lib.sh"
#	tap_ok "name" cmd args...     # passes when cmd exits 0
#	tap_is "name" expected actual # passes when the strings are equal
#	tap_require tool...           # a missing tool fails the test, never skips it
#	tap_done                      # prints the plan; exit status 1 on any failure
#
# Each test runs in its own temporary folder ($TEST_TMP), removed on exit.

: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
ECSGEN=${ECSGEN:-$top_builddir/ecsgen}
LC_ALL=C
export LC_ALL

TAP_COUNT=0
TAP_FAILED=0
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/ecsgen-test.XXXXXX") || exit 99
trap 'rm -rf "$TEST_TMP"' EXIT
trap 'exit 130' INT TERM

tap_pass() {
	TAP_COUNT=$((TAP_COUNT + 1))
	printf 'ok %d - %s\n' "$TAP_COUNT" "$1"
}

tap_fail() {
	TAP_COUNT=$((TAP_COUNT + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$TAP_COUNT" "$1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/# /'
	return 0
}

tap_ok() {
	_name=$1
	shift
	if _out=$("$@" 2>&1); then
		tap_pass "$_name"
	else
		tap_fail "$_name" "command failed: $*" "$_out"
	fi
}

tap_is() {
	if [ "$2" = "$3" ]; then
		tap_pass "$1"
	else
		tap_fail "$1" "expected: $2" "actual:   $3"
	fi
}

# A required tool that is missing is a failure with a clear message.
tap_require() {
	for _tool in "$@"; do
		if command -v "$_tool" >/dev/null 2>&1; then
			tap_pass "tool '$_tool' is installed"
		else
			tap_fail "tool '$_tool' is installed" "'$_tool' is missing: run the README's install command"
		fi
	done
}

tap_done() {
	printf '1..%d\n' "$TAP_COUNT"
	[ "$TAP_FAILED" -eq 0 ]
}

# example_views: each example folder for the checks written for one cluster:
# an example, or for one with 'environments' each environment's view
# (tests/environment_view.py), made under $TEST_TMP/views/.
example_views() {
	for _ex in "$top_srcdir"/examples/*/; do
		_ex=${_ex%/}
		_envs=$(sed -n 's/^environments: *\[\(.*\)\]/\1/p' "$_ex/infra.yml" | tr ',' ' ')
		if [ -z "$_envs" ]; then
			echo "$_ex"
			continue
		fi
		for _e in $_envs; do
			python3 "$top_srcdir/tests/environment_view.py" "$_ex" "$_e" "$TEST_TMP/views/${_ex##*/}-$_e" >&2 &&
				echo "$TEST_TMP/views/${_ex##*/}-$_e"
		done
	done
}
