#!/bin/sh
# tests/bench/hostile.sh [ECSGEN] - wall time and peak memory of ecsgen on the
# hostile inputs of issue 16 at the sizes it reported (before the fixes:
# 320 KB one-line list 11-18 s, 8,000 keys in one flow mapping 10-18 s and
# 929 MB, 70,000 keys 7.5 s, 144 KB of '${AWS::X}' 6 GB).  Prints one line
# each; exits 1 when one takes more than LIMIT_S seconds (default 3: "well
# under a second" with room for a loaded machine) or writes more than
# 64 KiB of diagnostics.
set -eu
ecsgen=${1:-${ECSGEN:-./ecsgen}}
top=$(cd "$(dirname "$0")/../.." && pwd)
limit_ms=$((${LIMIT_S:-3} * 1000))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

run() { # KIND N
	sh "$top/tests/hostile/gen.sh" "$1" "$2" >"$tmp/in.yml"
	kb=$(($(wc -c <"$tmp/in.yml") / 1024))
	t0=$(date +%s%N)
	/usr/bin/env time -f %M -o "$tmp/mem" "$ecsgen" --validate "$tmp/in.yml" >/dev/null 2>"$tmp/err" || true
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	errbytes=$(wc -c <"$tmp/err")
	printf '%-9s %7d items %6d KB: %6d ms, %6s KB peak, %7d bytes of diagnostics\n' \
		"$1" "$2" "$kb" "$ms" "$(tail -1 "$tmp/mem")" "$errbytes"
	if [ "$ms" -gt "$limit_ms" ] || [ "$errbytes" -gt 65536 ]; then
		echo "  too slow or too much output (limit ${limit_ms} ms, 64 KiB)"
		status=1
	fi
}

command -v time >/dev/null 2>&1 || [ -x /usr/bin/time ] || { echo "hostile.sh: GNU time (/usr/bin/time) is missing" >&2; exit 2; }
run subnets 20000
run subnets 60000
run flowkeys 8000
run keys 70000
run dupkeys 70000
run sub 16000
exit "$status"
