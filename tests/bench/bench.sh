#!/bin/sh
# tests/bench/bench.sh [ECSGEN] - whole-process timings of ecsgen.
#
# Each command runs RUNS times; the median wall time is reported, and its
# ratio to a baseline measured in the same run (`ecsgen --version`: process
# start, no work), so numbers compare across machines.  Then the same file
# grown to N fleets shows how the cost grows with the input: the per-fleet
# cost should stay flat (linear growth).  Not a test: nothing here fails on
# a number.
set -eu
ecsgen=${1:-${ECSGEN:-./ecsgen}}
top=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-21}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now_ns() { date +%s%N; }

# median_us CMD...: median wall time in microseconds over $runs runs.
median_us() {
	i=0
	: >"$tmp/times"
	while [ "$i" -lt "$runs" ]; do
		t0=$(now_ns)
		"$@" >/dev/null 2>&1 || true
		t1=$(now_ns)
		echo $(((t1 - t0) / 1000)) >>"$tmp/times"
		i=$((i + 1))
	done
	sort -n "$tmp/times" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

grow() { # grow N FILE: a cluster with N spot fleets of two bids each
	awk -v n="$1" 'BEGIN {
		print "cluster:\n  name: bench\n  vpc: vpc-0a1b2c3d\n  subnets: [subnet-0a1b2c3d]"
		print "ec2_instances:\n  ebs_mounts:\n    - {name: root, device_name: /dev/xvda, size: 30}\n  spot_fleets:"
		for (i = 0; i < n; i++) {
			printf "    - name: fleet%d\n      min_weight: 0\n      max_weight: 8\n", i
			print "      bids:\n        - {instance_type: t3.small, price: 0.01}\n        - {instance_type: t3.medium, price: 0.02, weight: 2}"
		}
	}' >"$2"
}

base=$(median_us "$ecsgen" --version)
printf '%-44s %10s %8s\n' "command (median of $runs runs)" "wall us" "x base"
printf '%-44s %10d %8s\n' "baseline: ecsgen --version" "$base" "1.0"
report() {
	us=$(median_us "$@")
	printf '%-44s %10d %8s\n' "$label" "$us" "$(awk -v a="$us" -v b="$base" 'BEGIN { printf "%.1f", a / (b ? b : 1) }')"
}
label="--validate examples/full" report "$ecsgen" --validate "$top/examples/full/infra.yml"
label="compile examples/full into out/" report "$ecsgen" "$top/examples/full/infra.yml" -o "$tmp/out"
label="--check examples/full" report "$ecsgen" --check "$top/examples/full/infra.yml" -o "$tmp/out"
label="compile examples/multi-fleet" report "$ecsgen" "$top/examples/multi-fleet/infra.yml" -o "$tmp/out2"

echo
printf '%-12s %10s %12s %14s\n' "fleets" "bytes" "wall us" "us per fleet"
for n in 250 500 1000 2000 4000; do
	grow "$n" "$tmp/grow.yml"
	us=$(median_us "$ecsgen" --dump-ir "$tmp/grow.yml")
	printf '%-12d %10d %12d %14s\n' "$n" "$(wc -c <"$tmp/grow.yml")" "$us" \
		"$(awk -v a="$us" -v b="$base" -v n="$n" 'BEGIN { printf "%.2f", (a - b) / n }')"
done
