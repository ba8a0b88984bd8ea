# tests/deploy/lib.sh - shared setup of the deploy tests (sourced after lib.sh).
#
#	deploy_examples           # the examples' names
#	deploy_generate NAME DIR  # ecsgen examples/NAME/infra.yml -o DIR, or fail
#	deploy_scripts            # SCRIPTS=: a generated scripts/ folder
#	deploy_generate_all       # GENERATED=: the examples generated in gen-all/
#	deploy_trees              # each cluster's tree among them: NAME, or NAME/ENV
#	fake_aws_setup            # puts tests/deploy/fake-aws on PATH as `aws`
#	fake_aws_scenario         # reads the scenario's answer() from stdin
#	fake_aws_calls            # the calls so far, one line each
#	fake_dynamodb_table NAME  # an empty table in the fake's honest DynamoDB
#
# The fake keeps its state in $FAKE_AWS; a new scenario clears it.

# Every example (the folder names under examples/ that hold an infra.yml).
deploy_examples() {
	for _dir in "$top_srcdir"/examples/*/; do
		[ -f "$_dir/infra.yml" ] && basename "$_dir"
	done
}

deploy_generate() {
	"$ECSGEN" -q "$top_srcdir/examples/$1/infra.yml" -o "$2"
}

fake_aws_setup() {
	FAKE_AWS=$TEST_TMP/fake-aws
	mkdir -p "$FAKE_AWS/bin"
	ln -sf "$top_srcdir/tests/deploy/fake-aws" "$FAKE_AWS/bin/aws"
	PATH=$FAKE_AWS/bin:$PATH
	export FAKE_AWS PATH
	iam_record argv0
}

# iam_record EXT: the fake (argv0) or the recording wrapper (jsonl) keeps
# every aws call of this test in $ECSGEN_IAM_RECORDS/deploy-NAME.EXT for the
# IAM check (tests/iam/iam.test); make check sets ECSGEN_IAM_RECORDS.
iam_record() {
	[ -n "${ECSGEN_IAM_RECORDS:-}" ] || return 0
	mkdir -p "$ECSGEN_IAM_RECORDS"
	ECSGEN_IAM_RECORD=$ECSGEN_IAM_RECORDS/deploy-$(basename "$0" .test).$1
	: >"$ECSGEN_IAM_RECORD"
	export ECSGEN_IAM_RECORD
}

fake_aws_scenario() {
	rm -f "$FAKE_AWS"/count.* "$FAKE_AWS/calls" "$FAKE_AWS"/state.*
	rm -rf "$FAKE_AWS/dynamodb"
	: >"$FAKE_AWS/calls"
	cat >"$FAKE_AWS/scenario.sh"
}

# fake_dynamodb_table NAME: an empty table NAME in the fake's DynamoDB (a
# scenario answers `dynamodb ...` with fake_dynamodb "$@", after a shift).
fake_dynamodb_table() {
	mkdir -p "$FAKE_AWS/dynamodb"
	echo '{}' >"$FAKE_AWS/dynamodb/$1.json"
}

fake_aws_calls() {
	cat "$FAKE_AWS/calls"
}

# tap_match NAME PATTERN TEXT: passes when a line of TEXT matches the
# grep -E PATTERN.
tap_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		tap_pass "$1"
	else
		tap_fail "$1" "no line matches: $2" "$(printf '%s\n' "$3" | head -n 20)"
	fi
}

tap_nomatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		tap_fail "$1" "a line matches: $2" "$(printf '%s\n' "$3" | grep -E -- "$2" | head -n 20)"
	else
		tap_pass "$1"
	fi
}

# deploy_scripts: SCRIPTS = the scripts folder of a generated example (they
# are the same for every example).
deploy_scripts() {
	_example=$(deploy_examples | head -n 1)
	if [ -z "$_example" ] || ! _err=$(deploy_generate "$_example" "$TEST_TMP/gen" 2>&1); then
		tap_fail "generate an example's out/" "ecsgen failed on examples/$_example/infra.yml" "$_err"
		return 1
	fi
	SCRIPTS=$TEST_TMP/gen/scripts
	deploy_names c
}

# deploy_names CLUSTER: the names out/Makefile exports to the scripts (the
# names table's block of "ID := value" lines), for a cluster named CLUSTER
# (the script tests call their cluster c), exported here as make would.
# C_OUT: that cluster's out/ (ecsgen init's starter), for tests that run
# its Makefile.
deploy_names() {
	rm -rf "$TEST_TMP/names"
	if ! _err=$("$ECSGEN" init --name "$1" "$TEST_TMP/names" 2>&1 >/dev/null &&
		"$ECSGEN" -q "$TEST_TMP/names/infra.yml" -o "$TEST_TMP/names/out" 2>&1); then
		tap_fail "generate the names of cluster $1" "$_err"
		return 1
	fi
	eval "$(sed -n '/^# The names the stacks/,/^$/s/^\([A-Z_]*\) := \(.*\)$/export \1='"'"'\2'"'"'/p' \
		"$TEST_TMP/names/out/Makefile")"
	[ -n "${STACK_CLUSTER:-}" ] || { tap_fail "out/Makefile names the cluster stack" "no STACK_CLUSTER line"; return 1; }
	C_OUT=$TEST_TMP/names/out
}

# deploy_generate_all: every example into $TEST_TMP/gen-all/NAME; a failure
# is a failed test, and the example is left out.
deploy_generate_all() {
	GENERATED=
	mkdir -p "$TEST_TMP/gen-all"
	for _example in $(deploy_examples); do
		if _err=$(deploy_generate "$_example" "$TEST_TMP/gen-all/$_example" 2>&1); then
			GENERATED="$GENERATED $_example"
		else
			tap_fail "$_example: ecsgen generates out/" "$_err"
		fi
	done
	[ -n "$GENERATED" ] || { tap_fail "at least one example generates"; return 1; }
}

# deploy_trees: after deploy_generate_all, the folder of each cluster under
# gen-all/: NAME, or with environments (out/Makefile's ENVIRONMENTS) NAME/ENV
# for each, whose out/ENV/ holds that cluster's Makefile, packer/ and scripts/.
deploy_trees() {
	for _name in $GENERATED; do
		_envs=$(sed -n 's/^ENVIRONMENTS := //p' "$TEST_TMP/gen-all/$_name/Makefile")
		if [ -z "$_envs" ]; then
			echo "$_name"
		else
			for _e in $_envs; do
				echo "$_name/$_e"
			done
		fi
	done
}

# tap_has NAME TEXT FILE: passes when FILE holds TEXT (a fixed string) as
# part of a line.
tap_has() {
	if grep -Fq -- "$2" "$3"; then
		tap_pass "$1"
	else
		tap_fail "$1" "no line of $3 holds: $2"
	fi
}

# deploy_make ARGS...: make as a user runs it, not as a sub-make of make check.
deploy_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES make --no-print-directory "$@"
}
