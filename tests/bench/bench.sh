#!/bin/sh
# tests/bench/bench.sh [ECSGEN] - what ecsgen costs, beside what the
# alternatives cost, measured in one run (`make bench`).
#
# First the floor under every number: /bin/true and ecsgen --version timed
# the same way, and what a first touch of a fresh 4 KiB page and of a
# 2 MiB huge page costs on this machine (tests/bench/pagecost.c).
#
# For the full example and for generated files of 1, 10, 100, 1,000 and
# 10,000 spot fleets, each of --validate, --check and a full compile
# (written to disk: before each run, untimed, a byte is appended to every
# file of out/, so that every run writes every file again), and for the
# full example a compile after an edit (one byte of out/Makefile changed:
# that file is written, the others are linked from the old tree, see
# src/writer.h) and one into an out/ that already holds the tree (written:
# nothing), gets
#   wall      the median whole-process wall time of RUNS runs (tests/bench/timeit.c);
#   CPU       the median user + system time of the same runs: on a loaded
#             machine wall time is mostly waiting for a core, CPU time is not;
#   RSS       the peak resident set size, from /usr/bin/time -v;
#   faults    the minor page faults of that run: each is a first touch of a
#             page, which costs microseconds in a virtual machine, so on one
#             they, not the instructions, set most of the wall time;
#   instr     the instructions of one run, from valgrind's callgrind: exact
#             and stable on a loaded machine, where wall times are not;
#   bound     the target, 1 M + 20 per byte a compile writes, and whether
#             instr is within it;
#   /fleet    the cost of one more fleet: (instr(N) - instr(1)) / (N - 1).
# Then the same inputs through python3 (PyYAML load, json dump: the floor
# of any tool written in Python), and the full example's cluster built the
# AWS CDK way (tests/bench/cdk/app.js, aws-cdk-lib pinned by its
# package-lock.json, installed here with `npm ci` on first use) and
# synthesised, with the ratios.  Last, the profile of the largest input.
#
# Not a test: nothing here fails on a number.  A missing tool fails the
# run and says so.
#
# Environment: RUNS (21) runs per wall time, BIG_RUNS (5) for 1,000 fleets
# and more, CDK_RUNS (3), SIZES ("1 10 100 1000 10000"), LIMIT_SIZES
# ("1 2 8 20 40": the compiles that fit, per fleet from the second size to
# the last), CDK_DIR (where aws-cdk-lib is installed; default
# tests/bench/cdk-work in the build folder), CC (cc, for the timer).
set -eu
ecsgen=${1:-${ECSGEN:-./ecsgen}}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
runs=${RUNS:-21}
big_runs=${BIG_RUNS:-5}
cdk_runs=${CDK_RUNS:-3}
sizes=${SIZES:-1 10 100 1000 10000}
limit_sizes=${LIMIT_SIZES:-1 2 8 20 40}
cdk_dir=${CDK_DIR:-$(pwd)/tests/bench/cdk-work}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }

# ---- set-up ----------------------------------------------------------------

case $ecsgen in */*) ;; *) ecsgen=./$ecsgen ;; esac
[ -x "$ecsgen" ] || die "no ecsgen at '$ecsgen': build it first (make)"
ecsgen=$(cd "$(dirname "$ecsgen")" && pwd)/$(basename "$ecsgen")
for tool in valgrind callgrind_annotate readelf python3 node npm "${CC:-cc}"; do
	command -v "$tool" >/dev/null 2>&1 || die "'$tool' is missing: it is needed for the benchmark"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian package 'time')"
python3 -c 'import yaml' 2>/dev/null || die "python3 has no PyYAML (pip install pyyaml)"
# The interpreter itself: a pyenv shim would add its own start-up to every run.
python=$(python3 -c 'import sys; print(sys.executable)')
"${CC:-cc}" -O2 -o "$tmp/timeit" "$here/timeit.c" || die "cannot build the timer"
"${CC:-cc}" -O2 -o "$tmp/pagecost" "$here/pagecost.c" || die "cannot build tests/bench/pagecost.c"

# aws-cdk-lib, exactly as the lock file pins it, once per lock file.
mkdir -p "$cdk_dir"
cp "$here/cdk/package.json" "$here/cdk/package-lock.json" "$here/cdk/app.js" "$cdk_dir/"
if ! cmp -s "$cdk_dir/package-lock.json" "$cdk_dir/node_modules/.bench-lock" 2>/dev/null; then
	echo "bench: installing aws-cdk-lib into $cdk_dir (npm ci)" >&2
	(cd "$cdk_dir" && npm ci --no-audit --no-fund >&2) || die "npm ci failed in $cdk_dir"
	cp "$cdk_dir/package-lock.json" "$cdk_dir/node_modules/.bench-lock"
fi
cdk_version=$(node -p "require('$cdk_dir/node_modules/aws-cdk-lib/package.json').version")

# gen N FILE: N spot fleets of one bid each, flow style; below 10,000 also
# two EBS mounts, one EFS mount and two auto scaling groups.  10,000
# fleets fit ecsgen's 1 MiB input cap only like this, without the extras.
gen() {
	awk -v n="$1" 'BEGIN {
		print "# tests/bench/bench.sh: " n " spot fleets"
		print "cluster:\n  name: bench\n  vpc: vpc-0a1b2c3d\n  availability_zones: [us-west-2a, us-west-2b]"
		print "  subnets: [subnet-0a1b2c3d, subnet-0a1b2c3e]\n  security_group_ingress: [sg-0dab3aca]"
		print "ec2_instances:"
		if (n < 10000) {
			print "  efs_mounts:\n    - {name: shared, efs_id: fs-df827476, local_path: /efs}"
			print "  ebs_mounts:\n    - {name: root, device_name: /dev/xvda, size: 30}"
			print "    - {name: data, device_name: /dev/xvdb, size: 100, mount_path: /data}"
			print "  auto_scaling_groups:\n    - {name: reserved, instance_type: t3.medium, desired_instances: 1}"
			print "    - {name: batch, instance_type: c5.large, desired_instances: 2}"
		}
		print "  spot_fleets:"
		for (i = 0; i < n; i++)
			printf "    - {name: f%d, min_weight: 0, max_weight: 8, bids: [{instance_type: t3.small, price: 0.01}]}\n", i
	}' >"$2"
}

# ---- measuring one command ------------------------------------------------

# wall RUNS CMD...: sets $wall_us, $cpu_us and $status.
wall() {
	# shellcheck disable=SC2046 # three numbers, split on purpose
	set -- $(TIMEIT_BEFORE=$before "$tmp/timeit" "$@")
	wall_us=$1
	cpu_us=$2
	status=$3
}

# The shell command timeit runs, untimed, before each run (empty: none);
# rss and instr run it too, before their one run.
before=''

# rss CMD...: sets $kb, the peak RSS in KiB, and $faults, the minor page faults.
rss() {
	[ -z "$before" ] || sh -c "$before"
	/usr/bin/time -v "$@" >/dev/null 2>"$tmp/time.txt" || true
	kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
	faults=$(sed -n 's/^[[:space:]]*Minor (reclaiming a frame) page faults: //p' "$tmp/time.txt")
}

# instr NAME CMD...: instructions of one run; keeps the profile as $tmp/NAME.cg.
instr() {
	name=$1
	shift
	[ -z "$before" ] || sh -c "$before"
	valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg" "$@" >/dev/null 2>"$tmp/cg.txt" || true
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$tmp/cg.txt"
}

tree_bytes() { [ -d "$1" ] && find "$1" -type f -exec cat {} + | wc -c | tr -d ' ' || echo 0; }

fmt() { awk -v v="$1" 'BEGIN { s = sprintf("%.0f", v); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }'; }

# stale_all DIR: the shell command that makes every file of DIR stale by one
# byte, so that the writer writes the whole tree again.
stale_all() {
	# shellcheck disable=SC2016 # $f is the inner sh's
	printf '%s' "[ ! -d '$1' ] || find '$1' -type f -exec sh -c 'for f; do printf x >>\"\$f\"; done' sh {} +"
}

# row LABEL FLEETS MODE INFRA: measure one mode on one input and print a row.
# MODE: validate | check | compile | edit | unchanged.  Remembers instr per (mode, fleets).
row() {
	label=$1 fleets=$2 mode=$3 infra=$4
	out=$tmp/out.$label
	before=''
	case $mode in
	validate) set -- "$ecsgen" -q --validate "$infra" ;;
	check) set -- "$ecsgen" -q --check "$infra" -o "$out" ;;
	compile)
		set -- "$ecsgen" -q "$infra" -o "$out"
		before=$(stale_all "$out") ;;
	edit)
		set -- "$ecsgen" -q "$infra" -o "$out"
		# One file stale by one byte: it is written, the others linked.
		before="[ ! -f '$out/Makefile' ] || printf x >>'$out/Makefile'" ;;
	unchanged)
		set -- "$ecsgen" -q "$infra" -o "$out"
		"$@" >/dev/null 2>&1 || true ;;
	esac
	nruns=$runs
	[ "$fleets" -ge 1000 ] && nruns=$big_runs
	wall "$nruns" "$@"
	rss "$@"
	ins=$(instr "$mode.$label" "$@")
	before=''
	[ "$mode" = compile ] && [ "$status" -eq 0 ] && tree_bytes "$out" >"$tmp/bytes.$label"
	bytes=$(cat "$tmp/bytes.$label" 2>/dev/null || echo)
	if [ -n "$bytes" ]; then
		bound=$((1000000 + 20 * bytes))
		verdict=$(awk -v i="$ins" -v b="$bound" 'BEGIN { printf "%s %.2fx", i <= b ? "ok  " : "MISS", i / b }')
		bound=$(fmt "$bound")
	else
		bound=- verdict="(exit $status: no output, past the supported maxima)"
	fi
	eval "ins_${mode}_$fleets=$ins"
	per=-
	eval "first=\${ins_${mode}_1:-}"
	if [ "$fleets" -gt 1 ] && [ "$label" != full ] && [ -n "$first" ]; then
		per=$(fmt $(((ins - first) / (fleets - 1))))
	fi
	printf '%-8s %-9s %6s %8s %4s %8s %8s %8s %7s %6s %13s %11s %9s  %s\n' \
		"$label" "$mode" "$fleets" "$(wc -c <"$infra" | tr -d ' ')" "$status" "${bytes:--}" \
		"$(fmt "$wall_us")" "$(fmt "$cpu_us")" "$kb" "$faults" "$(fmt "$ins")" "$bound" "$per" "$verdict"
	eval "wall_${mode}_$label=$wall_us cpu_${mode}_$label=$cpu_us rss_${mode}_$label=$kb"
}

# floor LABEL CMD...: a process that does (almost) nothing, timed the same way.
floor() {
	label=$1
	shift
	wall "$runs" "$@"
	rss "$@"
	printf '%-34s %8s %8s %7s %6s\n' "$label" "$(fmt "$wall_us")" "$(fmt "$cpu_us")" "$kb" "$faults"
}

# ---- the run ---------------------------------------------------------------

# Set through eval below, named by mode and input.
a='' b='' one='' v='' c='' rss_compile_full='' rss_edit_full='' rss_unchanged_full=''

printf 'ecsgen benchmark: %s, %s, %s cores, load %s; wall: median of %s runs (%s for 1,000 fleets and more)\n' \
	"$(date -u +%Y-%m-%dT%H:%MZ)" "$(uname -m)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs" "$big_runs"
if readelf -l "$ecsgen" 2>/dev/null | grep -q 'program interpreter'; then linked="shared libraries"; else linked="static"; fi
printf 'ecsgen: %s, linked %s; transparent huge pages: %s\n\n' "$("$ecsgen" --version)" "$linked" \
	"$(sed -n 's/.*\[\(.*\)\].*/\1/p' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null || echo unknown)"

header() {
	printf '%-8s %-9s %6s %8s %4s %8s %8s %8s %7s %6s %13s %11s %9s  %s\n' input mode fleets "in B" exit "out B" \
		"wall us" "CPU us" "RSS KB" faults instructions "bound" "/fleet" "instr vs bound"
}
# What starting a process costs here, before ecsgen does anything: the
# floor under every wall time below (on a virtual machine, mostly page
# faults and exec).
printf '%-34s %8s %8s %7s %6s\n' "process floor, same timer" "wall us" "CPU us" "RSS KB" faults
floor "/bin/true" /bin/true
floor "ecsgen --version (exec + loading)" "$ecsgen" --version
# shellcheck disable=SC2046 # two numbers, split on purpose
set -- $("$tmp/pagecost")
printf 'first touch of fresh memory (tests/bench/pagecost.c): %s us a 4 KiB page, %s us a 2 MiB huge page\n' "$1" "$2"
echo
header
for mode in compile edit unchanged check validate; do
	row full 1 "$mode" "$top/examples/full/infra.yml"
done
for n in $sizes; do
	gen "$n" "$tmp/f$n.yml"
	for mode in compile check validate; do
		row "f$n" "$n" "$mode" "$tmp/f$n.yml"
	done
done

# Per-fleet cost: flat means linear.  From 100 fleets on, past the
# supported maxima, the run stops at the check, so the cost of one more
# fleet is the slope between two sizes, not (instr(N) - instr(1)) / (N - 1),
# whose instr(1) holds a whole emit.
echo
last=$(echo "$sizes" | awk '{ print $NF }')
prev='' first_slope='' last_slope=''
for n in $sizes; do
	[ "$n" -ge 100 ] || continue
	if [ -n "$prev" ]; then
		eval "a=\$ins_validate_$prev b=\$ins_validate_$n"
		last_slope=$(((b - a) / (n - prev)))
		first_slope=${first_slope:-$last_slope}
		printf -- '--validate per fleet from %s to %s fleets: %s instructions\n' "$(fmt "$prev")" "$(fmt "$n")" \
			"$(fmt "$last_slope")"
	fi
	prev=$n
done
if [ -n "$first_slope" ]; then
	awk -v a="$first_slope" -v b="$last_slope" 'BEGIN {
		printf "--validate per fleet, the last slope against the first: %+.1f%% (target: within 20%%)\n", (b - a) / a * 100 }'
fi

# The compiles that fit CloudFormation's limits: up to 40 fleets, the
# checker's maximum (SUPPORTED MAXIMA in man ecsgen); past it --validate
# and a compile stop at the check, so the sizes above measure the front end.
echo
printf 'compiles within the supported maxima (40 spot fleets), with the mounts and groups:\n'
header
for n in $limit_sizes; do
	gen "$n" "$tmp/c$n.yml"
	row "c$n" "$n" compile "$tmp/c$n.yml"
done
lo=$(echo "$limit_sizes" | awk '{ print ($2 != "" ? $2 : $1) }')
hi=$(echo "$limit_sizes" | awk '{ print $NF }')
if [ "$lo" != "$hi" ]; then
	eval "a=\$ins_compile_$lo b=\$ins_compile_$hi one=\$ins_compile_1"
	awk -v a="$a" -v b="$b" -v o="$one" -v f="$lo" -v l="$hi" 'BEGIN {
		pa = (a - o) / (f - 1); pb = (b - o) / (l - 1)
		printf "compile per fleet: %d instructions at %d fleets, %d at %d: %+.1f%% (target: within 20%%)\n",
			pa, f, pb, l, (pb - pa) / pa * 100 }'
fi

# ---- baselines -----------------------------------------------------------

echo
loader=$("$python" -c 'import yaml; print("CSafeLoader" if hasattr(yaml, "CSafeLoader") else "SafeLoader")')
cat >"$tmp/pyyaml.py" <<EOF
import json, sys, yaml
with open(sys.argv[1]) as f:
    data = yaml.load(f, Loader=yaml.$loader)
with open(sys.argv[2], "w") as f:
    json.dump(data, f)
EOF
printf 'python3 %s, PyYAML %s (%s, the libyaml one when there), load + json.dump, same inputs:\n' \
	"$("$python" -c 'import sys; print(sys.version.split()[0])')" "$("$python" -c 'import yaml; print(yaml.__version__)')" "$loader"
printf '%-8s %6s %10s %10s %8s %13s %13s\n' input fleets "wall us" "CPU us" "RSS KB" "x --validate" "x compile"
for label in full $(for n in $sizes; do echo "f$n"; done); do
	if [ "$label" = full ]; then infra=$top/examples/full/infra.yml fleets=1; else infra=$tmp/$label.yml fleets=${label#f}; fi
	nruns=$runs
	[ "$fleets" -ge 1000 ] && nruns=$big_runs
	wall "$nruns" "$python" "$tmp/pyyaml.py" "$infra" "$tmp/py.json"
	rss "$python" "$tmp/pyyaml.py" "$infra" "$tmp/py.json"
	eval "v=\$wall_validate_$label c=\$wall_compile_$label"
	printf '%-8s %6s %10s %10s %8s %13s %13s\n' "$label" "$fleets" "$(fmt "$wall_us")" "$(fmt "$cpu_us")" "$kb" \
		"$(awk -v a="$wall_us" -v b="$v" 'BEGIN { printf "%.1f", a / b }')" \
		"$(awk -v a="$wall_us" -v b="$c" 'BEGIN { printf "%.1f", a / b }')"
done

echo
printf 'AWS CDK synth of the full example'"'"'s cluster (tests/bench/cdk/app.js, aws-cdk-lib %s, node %s), side by side:\n' \
	"$cdk_version" "$(node --version)"
ECSGEN_FUNCTIONS=$top/templates/functions
export ECSGEN_FUNCTIONS
wall "$cdk_runs" node "$cdk_dir/app.js" "$tmp/cdk.out"
[ "$status" -eq 0 ] || die "the CDK app failed: run 'node $cdk_dir/app.js' to see why"
cdk_us=$wall_us cdk_cpu=$cpu_us
rss node "$cdk_dir/app.js" "$tmp/cdk.out"
cdk_kb=$kb
printf '%-44s %12s %12s %8s\n' command "wall us" "CPU us" "RSS KB"
printf '%-44s %12s %12s %8s\n' "cdk synth (node app.js, $cdk_runs runs)" "$(fmt "$cdk_us")" "$(fmt "$cdk_cpu")" "$cdk_kb"
side=$tmp/out.side
"$ecsgen" -q "$top/examples/full/infra.yml" -o "$side"
before=$(stale_all "$side")
wall "$runs" "$ecsgen" -q "$top/examples/full/infra.yml" -o "$side"
printf '%-44s %12s %12s %8s\n' "ecsgen examples/full -o out, all stale ($runs)" "$(fmt "$wall_us")" "$(fmt "$cpu_us")" "$rss_compile_full"
stale_us=$wall_us stale_cpu=$cpu_us
before="printf x >>'$side/Makefile'"
wall "$runs" "$ecsgen" -q "$top/examples/full/infra.yml" -o "$side"
printf '%-44s %12s %12s %8s\n' "ecsgen examples/full -o out, one file stale ($runs)" "$(fmt "$wall_us")" "$(fmt "$cpu_us")" "$rss_edit_full"
edit_us=$wall_us edit_cpu=$cpu_us
before=''
wall "$runs" "$ecsgen" -q "$top/examples/full/infra.yml" -o "$side"
printf '%-44s %12s %12s %8s\n' "ecsgen examples/full -o out, unchanged ($runs)" "$(fmt "$wall_us")" "$(fmt "$cpu_us")" "$rss_unchanged_full"
awk -v a="$cdk_us" -v b="$stale_us" -v c="$cdk_cpu" -v d="$stale_cpu" -v e="$wall_us" -v f="$cpu_us" \
    -v g="$edit_us" -v h="$edit_cpu" 'BEGIN {
	printf "ecsgen is %.0fx faster than CDK synth in wall time, %.0fx in CPU time, writing all of out/ (target: 1000x)\n", a / b, c / (d ? d : 1)
	printf "ecsgen is %.0fx faster than CDK synth in wall time, %.0fx in CPU time, one file of out/ changed\n", a / g, c / (h ? h : 1)
	printf "ecsgen is %.0fx faster than CDK synth in wall time, %.0fx in CPU time, out/ unchanged\n", a / e, c / (f ? f : 1) }'

# ---- where the time goes on the largest input -------------------------------

echo
for mode in validate compile; do
	cg=$tmp/$mode.f$last.cg
	[ -f "$cg" ] || continue
	printf 'profile, %s of %s fleets (callgrind, exclusive, top 8):\n' "$mode" "$last"
	callgrind_annotate "$cg" 2>/dev/null | awk '/^ *[0-9,]+ +\(/ && !/PROGRAM TOTALS/ { print "  " $0; if (++n == 8) exit }'
done
