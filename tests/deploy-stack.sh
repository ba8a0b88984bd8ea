#!/bin/sh
# deploy-stack.sh - the generated stack-deploy helper against a fake aws:
# create, update, no-op, ROLLBACK_COMPLETE, failure with reasons, API error,
# Status flip with previous values, bounded wait.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/deploy-lib.sh"

tap_require sh grep sed
deploy_scripts || { tap_done; exit 1; }
fake_aws_setup
DEPLOY_POLL=0
export DEPLOY_POLL
printf '{}\n' >"$TEST_TMP/t.json"

# run ARGS...: runs the helper; sets rc, out (stdout and stderr) and calls.
run() {
	out=$(sh "$SCRIPTS/deploy-stack.sh" "$@" 2>&1)
	rc=$?
	calls=$(fake_aws_calls)
}

# --- create: absent, then CREATE_IN_PROGRESS, then CREATE_COMPLETE
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks")
		case $(arg --stack-name "$@") in
		arn:*) [ "$(hit poll)" -lt 2 ] && echo CREATE_IN_PROGRESS || echo CREATE_COMPLETE ;;
		*) no_stack "$(arg --stack-name "$@")" ;;
		esac ;;
	"cloudformation create-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/c-cluster/1" ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -t "$TEST_TMP/t.json" -g ecsgen:cluster=c -g ecsgen:version=v1 c-cluster VpcId=vpc-1 'Subnets=subnet-a,subnet-b'
tap_is "create: exit 0" 0 "$rc"
tap_match "create: create-stack with --on-failure DELETE" '^cloudformation create-stack --on-failure DELETE --stack-name c-cluster .*--template-body file://' "$calls"
tap_match "create: every parameter explicit, a list kept whole" '\[\{"ParameterKey":"VpcId","ParameterValue":"vpc-1"\},\{"ParameterKey":"Subnets","ParameterValue":"subnet-a,subnet-b"\}\]' "$calls"
tap_match "create: stack tags" '--tags \[\{"Key":"ecsgen:cluster","Value":"c"\},\{"Key":"ecsgen:version","Value":"v1"\}\]' "$calls"
tap_match "create: polls by stack id until complete" '^cloudformation describe-stacks --stack-name arn:aws:cloudformation:us-west-2:1:stack/c-cluster/1 ' "$calls"
tap_match "create: says so" "stack 'c-cluster' created" "$out"
tap_nomatch "create: no update" 'update-stack' "$calls"

# --- update: present, UPDATE_IN_PROGRESS, UPDATE_COMPLETE, through a role
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks")
		case $(arg --stack-name "$@") in
		arn:*) [ "$(hit poll)" -lt 3 ] && echo UPDATE_IN_PROGRESS || echo UPDATE_COMPLETE ;;
		*) echo CREATE_COMPLETE ;;
		esac ;;
	"cloudformation update-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/c-health/2" ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -t "$TEST_TMP/t.json" -r arn:aws:iam::1:role/cfn c-health A=1
tap_is "update: exit 0" 0 "$rc"
tap_match "update: update-stack with the template, role and parameters" '^cloudformation update-stack --stack-name c-health --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --template-body file://.* --role-arn arn:aws:iam::1:role/cfn --parameters \[\{"ParameterKey":"A","ParameterValue":"1"\}\]' "$calls"
tap_is "update: polled until complete" 3 "$(grep -c 'describe-stacks --stack-name arn:' "$FAKE_AWS/calls")"
tap_nomatch "update: no create" 'create-stack' "$calls"

# --- no-op: "No updates are to be performed" is success
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks") echo UPDATE_COMPLETE ;;
	"cloudformation update-stack")
		echo "An error occurred (ValidationError) when calling the UpdateStack operation: No updates are to be performed." >&2
		return 255 ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -t "$TEST_TMP/t.json" c-health
tap_is "no-op: exit 0" 0 "$rc"
tap_match "no-op: says up to date" "stack 'c-health' is up to date" "$out"

# --- ROLLBACK_COMPLETE: delete, wait, create
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks")
		case $(arg --stack-name "$@") in
		arn:*) echo CREATE_COMPLETE ;;
		*) if [ ! -f "$FAKE_AWS/state.deleted" ]; then echo ROLLBACK_COMPLETE
		   elif [ "$(hit gone)" -lt 2 ]; then echo DELETE_IN_PROGRESS
		   else no_stack c-compute-v1; fi ;;
		esac ;;
	"cloudformation delete-stack") : >"$FAKE_AWS/state.deleted" ;;
	"cloudformation create-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/c-compute-v1/3" ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -t "$TEST_TMP/t.json" -r arn:aws:iam::1:role/cfn c-compute-v1 Status=active
tap_is "rollback-complete: exit 0" 0 "$rc"
tap_is "rollback-complete: delete (through the role), then create" \
	"cloudformation delete-stack --stack-name c-compute-v1 --role-arn arn:aws:iam::1:role/cfn
cloudformation create-stack" "$(grep -E -o '^cloudformation (delete|create)-stack( --stack-name [^ ]* --role-arn [^ ]*)?' "$FAKE_AWS/calls")"

# --- failure: the create fails and is deleted; the reasons are printed
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks")
		case $(arg --stack-name "$@") in
		arn:*) case $(arg --query "$@") in
			*StackStatusReason*) echo "The following resource(s) failed to create: [Fleet]." ;;
			*) [ "$(hit poll)" -lt 2 ] && echo ROLLBACK_IN_PROGRESS || echo DELETE_COMPLETE ;;
			esac ;;
		*) no_stack c-compute-v2 ;;
		esac ;;
	"cloudformation create-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/c-compute-v2/4" ;;
	"cloudformation describe-stack-events")
		printf 'Fleet\tCREATE_FAILED\tInvalid spot price: 0.0001 is below the minimum\n' ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -t "$TEST_TMP/t.json" c-compute-v2 Status=active
tap_is "failure: exit 1" 1 "$rc"
tap_match "failure: final status named" "is DELETE_COMPLETE, not CREATE_COMPLETE" "$out"
tap_match "failure: the stack's reason" "failed to create: \[Fleet\]" "$out"
tap_match "failure: the failed resource's reason" "Fleet.*CREATE_FAILED.*Invalid spot price" "$out"

# --- API error: printed as the CLI gave it
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks") no_stack c-cluster ;;
	"cloudformation create-stack")
		echo "An error occurred (ValidationError) when calling the CreateStack operation: Parameters: [VpcId] must have values" >&2
		return 255 ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -t "$TEST_TMP/t.json" c-cluster
tap_is "api error: exit 1" 1 "$rc"
tap_match "api error: printed" "Parameters: \[VpcId\] must have values" "$out"

# --- other describe errors are not "absent"
fake_aws_scenario <<'SCENARIO'
answer() {
	echo "Unable to locate credentials. You can configure credentials by running \"aws configure\"." >&2
	return 253
}
SCENARIO
run -t "$TEST_TMP/t.json" c-cluster
tap_is "credentials error: exit 1" 1 "$rc"
tap_match "credentials error: printed" "Unable to locate credentials" "$out"
tap_nomatch "credentials error: no create attempted" 'create-stack' "$calls"

# --- Status flip: previous template, every other parameter previous
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks")
		case $(arg --query "$@") in
		*ParameterKey*) printf 'Version\tStatus\tAMI\tSubnets\n' ;;
		*) case $(arg --stack-name "$@") in
			arn:*) echo UPDATE_COMPLETE ;;
			*) echo CREATE_COMPLETE ;;
			esac ;;
		esac ;;
	"cloudformation update-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/c-compute-v1/5" ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
run -p -r arn:aws:iam::1:role/cfn c-compute-v1 Status=inactive
tap_is "flip: exit 0" 0 "$rc"
tap_match "flip: previous template, only Status changes" '^cloudformation update-stack --stack-name c-compute-v1 --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --use-previous-template --role-arn arn:aws:iam::1:role/cfn --parameters \[\{"ParameterKey":"Status","ParameterValue":"inactive"\},\{"ParameterKey":"Version","UsePreviousValue":true\},\{"ParameterKey":"AMI","UsePreviousValue":true\},\{"ParameterKey":"Subnets","UsePreviousValue":true\}\]' "$calls"
tap_nomatch "flip: no template body" 'template-body' "$calls"

fake_aws_scenario <<'SCENARIO'
answer() { no_stack c-compute-v9; }
SCENARIO
run -p c-compute-v9 Status=inactive
tap_is "flip of an absent stack: exit 1" 1 "$rc"
tap_match "flip of an absent stack: says so" "stack 'c-compute-v9' does not exist" "$out"

# --- bounded wait
fake_aws_scenario <<'SCENARIO'
answer() {
	case "$1 $2" in
	"cloudformation describe-stacks")
		case $(arg --stack-name "$@") in
		arn:*) echo CREATE_IN_PROGRESS ;;
		*) no_stack c-cluster ;;
		esac ;;
	"cloudformation create-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/c-cluster/6" ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
DEPLOY_TIMEOUT=0 run -t "$TEST_TMP/t.json" c-cluster
tap_is "timeout: exit 1" 1 "$rc"
tap_match "timeout: says it gave up" "still CREATE_IN_PROGRESS after 0s; giving up" "$out"

# --- usage
run
tap_is "usage: exit 2" 2 "$rc"
run -t "$TEST_TMP/t.json" -p c-cluster
tap_is "usage: -t with -p is exit 2" 2 "$rc"

tap_done
