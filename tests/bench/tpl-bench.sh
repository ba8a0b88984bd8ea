#!/bin/sh
# tests/bench/tpl-bench.sh - show that rendering a template costs time
# linear in its output (issue 4).  Not a timed test: it prints a table.
#
#	sh tests/bench/tpl-bench.sh [BUILDDIR]
#
# tests/tpl/tpl-tool (built by `make check`) renders a template that walks
# N spot fleets with 4 bids each (two nested loops, filters on every line)
# REPS times in-process and prints the output size and the median time.
# The first size is the baseline: ns/byte should stay flat as N doubles, and
# "ratio" (time over baseline time, divided by size over baseline size)
# near 1.  A quadratic engine would show the ratio doubling down the table.
set -eu
builddir=${1:-.}
tool=$builddir/tests/tpl/tpl-tool
[ -x "$tool" ] || { echo "tpl-bench: build $tool first (make check)" >&2; exit 2; }
reps=${REPS:-31}

printf '%8s %10s %12s %8s %6s\n' fleets bytes median_ns ns/byte ratio
base_bytes=
base_ns=
for n in 250 500 1000 2000 4000 8000 16000; do
	set -- $("$tool" bench "$n" "$reps")
	bytes=$1
	ns=$2
	if [ -z "$base_bytes" ]; then
		base_bytes=$bytes
		base_ns=$ns
	fi
	awk -v n="$n" -v b="$bytes" -v t="$ns" -v bb="$base_bytes" -v bt="$base_ns" \
		'BEGIN { printf "%8d %10d %12d %8.2f %6.2f\n", n, b, t, t / b, (t / bt) / (b / bb) }'
done
