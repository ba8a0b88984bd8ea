#!/bin/sh
# tests/fuzz/run.sh SRCDIR BINDIR SECONDS - runs each fuzz target built by
# build.sh: first every input of its regression corpus once
# (tests/fuzz/regress/TARGET/: past findings, kept as reproducers), then
# fuzzing for SECONDS from its seeds with its dictionary, -timeout=10 (one
# input may take 10 s under ASan on two shared cores) and LeakSanitizer on.
# A crash, a leak, a timeout or running out of memory fails the run; the
# input that did it is left in BINDIR/TARGET-findings/ and named, ready to
# be copied into tests/fuzz/regress/TARGET/.  Exit 0 only when all is clean.
set -u
srcdir=$1 bin=$2 seconds=$3
status=0

seeds() { # TARGET: the seed files, one a line
	case $1 in
	compile) ls "$srcdir"/examples/*/infra.yml "$srcdir"/tests/bad/*.yml "$srcdir"/tests/warn/*.yml ;;
	template) find "$srcdir/templates" -name '*.tpl'; find "$srcdir/tests/tpl/bad" -type f -name '*.tpl' ;;
	subst) ls "$srcdir"/tests/fuzz/seeds/subst/* ;;
	esac
}

for t in compile template subst; do
	exe=$bin/$t
	[ -x "$exe" ] || { echo "fuzz/run.sh: error: $exe is not built (make fuzz-build)"; status=1; continue; }
	regress=$srcdir/tests/fuzz/regress/$t
	if ls "$regress"/* >/dev/null 2>&1; then
		if "$exe" -timeout=10 -rss_limit_mb=2048 "$regress"/* >"$bin/$t-regress.log" 2>&1; then
			echo "fuzz: $t: regression corpus ($(ls "$regress" | wc -l) inputs) clean"
		else
			echo "fuzz: $t: FAILED on the regression corpus:"
			tail -30 "$bin/$t-regress.log"
			status=1
		fi
	fi
	corpus=$bin/$t-corpus findings=$bin/$t-findings
	rm -rf "$findings"
	mkdir -p "$corpus" "$findings"
	seeds "$t" | while read -r f; do cp "$f" "$corpus/seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)"; done
	if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-dict="$bin/$t.dict" -artifact_prefix="$findings/" -print_final_stats=1 \
		"$corpus" >"$bin/$t.log" 2>&1; then
		echo "fuzz: $t: ${seconds}s clean, $(sed -n 's/^stat::number_of_executed_units: *//p' "$bin/$t.log") executions, corpus $(ls "$corpus" | wc -l)"
	else
		echo "fuzz: $t: FAILED; reproducer(s): $(ls "$findings"/* 2>/dev/null | tr '\n' ' ')"
		grep -m1 -A25 'ERROR:\|runtime error\|==ERROR\|Timeout\|out-of-memory' "$bin/$t.log" || tail -30 "$bin/$t.log"
		status=1
	fi
done
exit "$status"
