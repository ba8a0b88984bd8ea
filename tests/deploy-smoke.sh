#!/bin/sh
# deploy-smoke.sh - the generated smoke test against a fake aws: pass (and
# the demotion of exactly this cluster's other active versions), task
# failure, instances that never register, a task that never stops.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/deploy-lib.sh"

tap_require sh grep sed awk
deploy_scripts || { tap_done; exit 1; }
fake_aws_setup
SMOKE_POLL=0 DEPLOY_POLL=0
export SMOKE_POLL DEPLOY_POLL

# scenario REGISTER_AFTER RUN_ANSWER STOP_AFTER EXIT_CODE: instances register
# on the REGISTER_AFTER-th poll (never when 0); run-task answers RUN_ANSWER;
# the task stops on the STOP_AFTER-th poll (never when 0) with EXIT_CODE.
scenario() {
	{
		printf "register_after='%s' run_answer='%s' stop_after='%s' exit_code='%s'\n" "$1" "$2" "$3" "$4"
		cat <<'SCENARIO'
answer() {
	case "$1 $2" in
	"ecs list-container-instances")
		n=$(hit register)
		if [ "$register_after" -gt 0 ] && [ "$n" -ge "$register_after" ]; then echo 2; else echo 0; fi ;;
	"ecs run-task") printf '%s\n' "$run_answer" | tr '|' '\t' ;;
	"ecs describe-tasks")
		n=$(hit task)
		if [ "$stop_after" -gt 0 ] && [ "$n" -ge "$stop_after" ]; then
			printf 'STOPPED\t%s\tEssential container in task exited\n' "$exit_code"
		else
			printf 'RUNNING\tNone\tNone\n'
		fi ;;
	"ecs stop-task") echo '{}' ;;
	"cloudformation list-stacks")
		printf 'c-compute-new\tc-compute-v1\tc2-compute-v0\tc-compute-old\tc-cluster\tc-health\tc-computer\n' ;;
	"cloudformation describe-stacks")
		stack=$(arg --stack-name "$@")
		case $(arg --query "$@") in
		*TaskDefinition*) echo "arn:aws:ecs:us-west-2:1:task-definition/c-health:3" ;;
		*ComputeServiceRoleArn*) echo "arn:aws:iam::1:role/c-compute-role" ;;
		*"ParameterKey=='Status'"*)
			case $stack in
			c-compute-old) printf 'inactive\tUPDATE_COMPLETE\t2020-01-01T00:00:00Z\n' ;;
			*) printf 'active\tCREATE_COMPLETE\t2020-01-01T00:00:00Z\n' ;;
			esac ;;
		*ParameterKey*) printf 'Version\tStatus\tAMI\n' ;;
		*StackStatus*) echo UPDATE_COMPLETE ;;
		esac ;;
	"cloudformation update-stack") echo "arn:aws:cloudformation:us-west-2:1:stack/$(arg --stack-name "$@")/9" ;;
	*) echo "unexpected: $*" >&2; return 255 ;;
	esac
}
SCENARIO
	} | fake_aws_scenario
}

run() {
	out=$(sh "$SCRIPTS/smoke-test.sh" c "$@" 2>&1)
	rc=$?
	calls=$(fake_aws_calls)
}

# flips: the stacks an update-stack went to, with the Status value.
flips() {
	sed -n 's/^cloudformation update-stack --stack-name \([^ ]*\) .*"ParameterKey":"Status","ParameterValue":"\([a-z]*\)".*/\1=\2/p' "$FAKE_AWS/calls"
}

# --- pass: registration after 3 polls, the task stops with 0 after 2
scenario 3 'arn:aws:ecs:us-west-2:1:task/c/abc|None' 2 0
run new
tap_is "pass: exit 0" 0 "$rc"
tap_is "pass: waited for registration" 3 "$(cat "$FAKE_AWS/count.register")"
tap_match "pass: registration filtered on this version" '^ecs list-container-instances --cluster c --filter attribute:asg_version == new --status ACTIVE' "$calls"
tap_match "pass: task definition from the health stack, placed on this version" '^ecs run-task --cluster c --task-definition arn:aws:ecs:us-west-2:1:task-definition/c-health:3 .*--placement-constraints \[\{"type":"memberOf","expression":"attribute:asg_version == new"\}\]' "$calls"
tap_is "pass: only this cluster's other active version is demoted, through the role" \
	"c-compute-v1=inactive" "$(flips)"
tap_match "pass: flips go through the compute service role" '^cloudformation update-stack --stack-name c-compute-v1 .*--use-previous-template --role-arn arn:aws:iam::1:role/c-compute-role' "$calls"
tap_match "pass: says so" "PASSED" "$out"

# --- task failure: exit code 1 -> the new stack is set inactive
scenario 1 'arn:aws:ecs:us-west-2:1:task/c/abc|None' 1 1
run new
tap_is "task failure: exit 1" 1 "$rc"
tap_is "task failure: only the new stack is set inactive" "c-compute-new=inactive" "$(flips)"
tap_match "task failure: the exit code is reported" "exit code 1 \(Essential container in task exited\)" "$out"

# --- not placed: run-task answers with failures only
scenario 1 'None|RESOURCE:MEMORY' 1 0
run new
tap_is "not placed: exit 1" 1 "$rc"
tap_is "not placed: three tries" 3 "$(grep -c '^ecs run-task' "$FAKE_AWS/calls")"
tap_match "not placed: the reason" "not placed: RESOURCE:MEMORY" "$out"
tap_is "not placed: the new stack is set inactive" "c-compute-new=inactive" "$(flips)"

# --- instances never register: bounded wait, no task run
scenario 0 'arn:aws:ecs:us-west-2:1:task/c/abc|None' 1 0
SMOKE_REGISTER_TIMEOUT=0 run new
tap_is "never registers: exit 1" 1 "$rc"
tap_match "never registers: says so" "0 of 1 instance\(s\) of version new registered within 0s" "$out"
tap_nomatch "never registers: no task run" '^ecs run-task' "$calls"
tap_is "never registers: the new stack is set inactive" "c-compute-new=inactive" "$(flips)"

# --- timeout: the task never stops; it is stopped and the version fails
scenario 1 'arn:aws:ecs:us-west-2:1:task/c/abc|None' 0 0
SMOKE_TASK_TIMEOUT=0 run new
tap_is "timeout: exit 1" 1 "$rc"
tap_match "timeout: the task is stopped" '^ecs stop-task --cluster c --task arn:aws:ecs:us-west-2:1:task/c/abc' "$calls"
tap_match "timeout: says so" "still RUNNING after 0s" "$out"
tap_is "timeout: the new stack is set inactive" "c-compute-new=inactive" "$(flips)"

# --- a bad VERSION never reaches the API
scenario 1 'x|None' 1 0
run 'a;b'
tap_is "bad version: exit 2" 2 "$rc"
tap_is "bad version: no call" "" "$calls"

tap_done
