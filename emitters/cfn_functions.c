/*
 * cfn_functions.c - the lifecycle functions of the cluster stack: capacity
 * metric, scaler, drainer and cleanup (templates/functions/, one .py file each, issue 6).
 *
 * Each function gets its own role (only the calls its source makes, scoped
 * to this cluster where the service allows it, conditions where it does
 * not), a log group with retention, its schedule or event rule and the
 * permission for EventBridge to invoke it.  The source goes inline
 * (Code.ZipFile, the file verbatim as one JSON string), which keeps the
 * output offline and self-contained; the cluster template is deployed from
 * the assets bucket (up to 1 MB) and its size checked like every other's.
 * Each function's errors raise an alarm (cfn_alarms.c).  Every resource
 * that takes tags is tagged with the cluster.  Logical ids, log group
 * names and environment variables follow templates/CONTRACT.md.
 */
#include "config.h"

#include <assert.h>
#include <string.h>


#include "arena.h"
#include "cfn.h"
#include "diag.h"
#include "emitter.h"
#include "ir.h"
#include "tpl.h"


/* What building a function's pieces needs. */
struct scope {
	const struct ir *ir;
	struct arena *arena;
	const char *name; /* the cluster */
};

/*
 * Where an action may act, from narrowest to widest.  Each function's role
 * is built from the list of calls its source makes: one statement per kind
 * below, its resources the union of what its actions need.  An action
 * listed with one resource type only matches ARNs of that type, so a
 * union of two types grants nothing more than two statements would.
 */
enum reach {
	ECS,            /* ARNs of this cluster: cluster/<c>, <type>/<c>/<any> */
	IN_CLUSTER,     /* no resource-level permission; the ecs:cluster condition */
	TAGGED_EC2,     /* EC2 resources tagged ecsgen:cluster=<c> */
	COMPUTE_GROUPS, /* auto scaling groups <c>-compute-* */
	COMPUTE_STACKS, /* stacks <c>-compute-* */
	COMPUTE_ROLE,   /* the compute stacks' service role, passed to CloudFormation */
	STATE,          /* the scaler's parameter */
	LOCK,           /* the cluster's lock table */
	NAMESPACE,      /* no resource-level permission; the cloudwatch:namespace condition */
	PIPELINE,       /* this cluster's pipeline, <cluster>-pipeline */
	ANYWHERE,       /* no resource-level permission at all: "*" */
	NREACH,
};

static const struct {
	const char *action;
	enum reach reach;
	const char *type; /* the ARN part, for ECS and TAGGED_EC2 */
} calls[] = {
	{ "ecs:ListContainerInstances", ECS, "cluster" },
	{ "ecs:DescribeContainerInstances", ECS, "container-instance" },
	{ "ecs:UpdateContainerInstancesState", ECS, "container-instance" },
	{ "ecs:PutAttributes", ECS, "container-instance" },
	{ "ecs:DeleteAttributes", ECS, "container-instance" },
	{ "ecs:ListTasks", ECS, "container-instance" },
	{ "ecs:DescribeTasks", ECS, "task" },
	{ "ecs:DescribeServices", ECS, "service" },
	{ "ecs:ListServices", IN_CLUSTER, NULL },
	{ "ec2:DescribeSpotFleetInstances", TAGGED_EC2, "spot-fleet-request" },
	{ "ec2:ModifySpotFleetRequest", TAGGED_EC2, "spot-fleet-request" },
	{ "ec2:DescribeFleetInstances", TAGGED_EC2, "fleet" },
	{ "ec2:ModifyFleet", TAGGED_EC2, "fleet" },
	{ "ec2:TerminateInstances", TAGGED_EC2, "instance" },
	{ "autoscaling:TerminateInstanceInAutoScalingGroup", COMPUTE_GROUPS, NULL },
	{ "autoscaling:CompleteLifecycleAction", COMPUTE_GROUPS, NULL },
	{ "autoscaling:RecordLifecycleActionHeartbeat", COMPUTE_GROUPS, NULL },
	{ "cloudformation:DeleteStack", COMPUTE_STACKS, NULL },
	{ "iam:PassRole", COMPUTE_ROLE, NULL },
	{ "ssm:GetParameter", STATE, NULL },
	{ "ssm:PutParameter", STATE, NULL },
	{ "dynamodb:PutItem", LOCK, NULL },
	{ "dynamodb:DeleteItem", LOCK, NULL },
	{ "cloudwatch:PutMetricData", NAMESPACE, NULL },
	{ "codepipeline:StartPipelineExecution", PIPELINE, NULL },
	/*
	 * The functions find this cluster's compute stacks by listing every
	 * stack (describe_stacks without a name) and matching the exact name
	 * pattern; CloudFormation authorises that listing only against "*".
	 */
	{ "cloudformation:DescribeStacks", ANYWHERE, NULL },
	{ "ec2:DescribeInstances", ANYWHERE, NULL },
	{ "ec2:DescribeSpotFleetRequests", ANYWHERE, NULL },
	{ "ec2:DescribeFleets", ANYWHERE, NULL },
	{ "ec2:DescribeInstanceTypes", ANYWHERE, NULL },
	{ "autoscaling:DescribeAutoScalingGroups", ANYWHERE, NULL },
	{ "ecs:DescribeTaskDefinition", ANYWHERE, NULL },
};

struct function {
	const char *id;       /* logical ids: <id>Function, <id>Role, <id>LogGroup, <id>Permission */
	const char *slug;     /* log group /ecsgen/<cluster>/<slug> */
	const char *source;   /* asset name under templates/ */
	const char *rule;     /* the rule's logical id */
	const char *schedule; /* NULL: the drainer's event pattern */
	int timeout;          /* seconds */
	const char *description;
	const char *const *calls; /* what the source calls (tests/cfn/static_checks.py compares) */
	void (*env)(struct cfn_value *vars, const struct scope *s);
	bool pipeline_stack;  /* in the pipeline stack: its role under the pipeline's path, no boundary */
};

static int call_index(const char *action)
{
	size_t i;
	for (i = 0; i < sizeof calls / sizeof calls[0]; i++)
		if (!strcmp(calls[i].action, action))
			return (int)i;
	assert(!"an action missing from calls[]");
	return -1;
}

static struct cfn_value *resource_of(const struct scope *s, int call)
{
	switch (calls[call].reach) {
	case ECS:
		if (!strcmp(calls[call].type, "cluster"))
			return cfn_arn("ecs", "cluster/%s", s->name);
		return cfn_arn("ecs", "%s/%s/*", calls[call].type, s->name);
	case TAGGED_EC2:
		return cfn_arn("ec2", "%s/*", calls[call].type);
	case COMPUTE_GROUPS:
		return cfn_arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/%s*",
			       IR_NAME(s->ir, STACK_COMPUTE_PREFIX));
	case COMPUTE_STACKS:
		return cfn_arn("cloudformation", "stack/%s-compute-*/*", s->name);
	case COMPUTE_ROLE:
		return cfn_getatt("ComputeServiceRole", "Arn");
	case STATE:
		return cfn_arn("ssm", "parameter%s", IR_NAME(s->ir, STATE_PARAMETER));
	case LOCK:
		return cfn_getatt("LockTable", "Arn");
	case PIPELINE:
		return cfn_arn("codepipeline", "%s", IR_NAME(s->ir, STACK_PIPELINE));
	default:
		return cfn_str("*");
	}
}

static struct cfn_value *condition_of(struct cfn_value *statement, const struct scope *s, enum reach reach)
{
	switch (reach) {
	case IN_CLUSTER:
		return cfn_condition_on(statement, "ArnEquals", "ecs:cluster", cfn_arn("ecs", "cluster/%s", s->name));
	case TAGGED_EC2:
		return cfn_condition_on(statement, "StringEquals", arena_printf(s->arena, "aws:ResourceTag/%s", NAME_TAG_CLUSTER),
					cfn_str(s->name));
	case COMPUTE_ROLE:
		return cfn_condition_on(statement, "StringEquals", "iam:PassedToService",
					cfn_str("cloudformation.amazonaws.com"));
	case NAMESPACE:
		return cfn_condition_on(statement, "StringEquals", "cloudwatch:namespace",
					cfn_str(IR_NAME(s->ir, METRIC_NAMESPACE)));
	default:
		return statement;
	}
}

/* The role's statements: its own log group, then one statement per reach. */
static struct cfn_value *statements(const struct scope *s, const struct function *f)
{
	static const char *const logs[] = { "logs:CreateLogStream", "logs:PutLogEvents", NULL };
	struct cfn_value *st = cfn_array(NULL);
	const char *actions[sizeof calls / sizeof calls[0] + 1];
	bool made[sizeof calls / sizeof calls[0]] = { false };
	size_t j;
	int reach;

	/* Which rows of calls[] f makes: looked up once, not once per reach. */
	for (j = 0; f->calls[j]; j++) {
		int k = call_index(f->calls[j]);
		if (k >= 0)
			made[k] = true;
	}
	/* The group exists (this stack makes it), so no logs:CreateLogGroup. */
	cfn_push(st, cfn_allow(logs, cfn_arn("logs", "log-group:%s%s:*", IR_NAME(s->ir, LOG_GROUP_PREFIX), f->slug)));
	for (reach = 0; reach < NREACH; reach++) {
		struct cfn_value *resources = cfn_array(NULL);
		size_t n = 0, i;

		for (i = 0; i < sizeof calls / sizeof calls[0]; i++) {
			if (calls[i].reach != (enum reach)reach || !made[i])
				continue;
			actions[n++] = calls[i].action;
			cfn_push_unique(resources, resource_of(s, (int)i));
		}
		actions[n] = NULL;
		if (n)
			cfn_push(st, condition_of(cfn_allow(actions, resources), s, (enum reach)reach));
	}
	return st;
}

/* What each source calls: templates/functions/<name>.py, issue 6. */
static const char *const capacity_metric_calls[] = {
	"cloudformation:DescribeStacks", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances",
	"ecs:ListServices", "ecs:DescribeServices", "ecs:DescribeTaskDefinition", "cloudwatch:PutMetricData", NULL,
};
static const char *const scaler_calls[] = {
	"cloudformation:DescribeStacks", "cloudwatch:PutMetricData", "ec2:DescribeInstances",
	"ec2:DescribeInstanceTypes", "ec2:DescribeFleets", "ec2:DescribeFleetInstances", "ec2:ModifyFleet",
	"ec2:DescribeSpotFleetRequests", "ec2:DescribeSpotFleetInstances", "ec2:ModifySpotFleetRequest",
	"ec2:TerminateInstances", "autoscaling:DescribeAutoScalingGroups",
	"autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:CompleteLifecycleAction",
	"autoscaling:RecordLifecycleActionHeartbeat", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances",
	"ecs:UpdateContainerInstancesState", "ecs:PutAttributes", "ecs:ListServices", "ecs:DescribeServices",
	"ecs:DescribeTaskDefinition", "ecs:ListTasks", "ecs:DescribeTasks", "ssm:GetParameter", "ssm:PutParameter",
	"dynamodb:PutItem", "dynamodb:DeleteItem", NULL,
};
static const char *const drainer_calls[] = {
	"ec2:DescribeInstances", "autoscaling:CompleteLifecycleAction", "ecs:ListContainerInstances",
	"ecs:DescribeContainerInstances", "ecs:UpdateContainerInstancesState", "ecs:PutAttributes", NULL,
};
static const char *const cleanup_calls[] = {
	"cloudformation:DescribeStacks", "cloudformation:DeleteStack", "iam:PassRole", "ec2:DescribeInstances",
	"ec2:DescribeFleetInstances", "ec2:DescribeSpotFleetInstances", "autoscaling:DescribeAutoScalingGroups",
	"ecs:ListContainerInstances", "ecs:DescribeContainerInstances", NULL,
};

static const char *const ami_update_calls[] = { "codepipeline:StartPipelineExecution", NULL };

/* --- environment (templates/CONTRACT.md) ---------------------------------- */

/* How a function knows this cluster's compute stacks: <prefix><VERSION>, exactly. */
static void env_compute_stacks(struct cfn_value *vars, const struct scope *s)
{
	cfn_set_str(vars, "STACK_COMPUTE_PREFIX", IR_NAME(s->ir, STACK_COMPUTE_PREFIX));
	cfn_set_str(vars, "VERSION_CHARS", IR_NAME(s->ir, VERSION_CHARS));
}

static void env_metric(struct cfn_value *vars, const struct scope *s)
{
	env_compute_stacks(vars, s);
	cfn_set_str(vars, "METRIC_NAMESPACE", IR_NAME(s->ir, METRIC_NAMESPACE));
}

static void env_scaler(struct cfn_value *vars, const struct scope *s)
{
	env_metric(vars, s);
	cfn_set(vars, "STATE_PARAMETER", cfn_ref("ScalerState"));
	cfn_set(vars, "LOCK_TABLE", cfn_ref("LockTable"));
	cfn_set_str(vars, "COOLDOWN_SECONDS", "300");
	cfn_set_str(vars, "INACTIVE_STEP_SECONDS", "60");
	cfn_set_str(vars, "SMOKE_TEST_GRACE_SECONDS", "900");
}

static void env_drainer(struct cfn_value *vars, const struct scope *s)
{
	(void)s;
	cfn_set_str(vars, "TAG_CLUSTER", NAME_TAG_CLUSTER);
}

static void env_cleanup(struct cfn_value *vars, const struct scope *s)
{
	env_compute_stacks(vars, s);
	cfn_set_str(vars, "MIN_STACK_AGE_SECONDS", "600");
	cfn_set(vars, "COMPUTE_ROLE_ARN", cfn_getatt("ComputeServiceRole", "Arn"));
}

static void env_ami_update(struct cfn_value *vars, const struct scope *s)
{
	cfn_set_str(vars, "PIPELINE_NAME", IR_NAME(s->ir, STACK_PIPELINE));
}

static const struct function functions[] = {
	{ "CapacityMetric", "capacity-metric", "functions/capacity_metric.py", "CapacityMetricSchedule",
	  "rate(1 minute)", 60, "publishes the cluster's headroom and unplaced demand",
	  capacity_metric_calls, env_metric, false },
	{ "Scaler", "scaler", "functions/scaler.py", "ScalerSchedule", "rate(1 minute)", 120,
	  "grows and shrinks the active spot fleets, deflates inactive compute stacks",
	  scaler_calls, env_scaler, false },
	{ "Drainer", "drainer", "functions/drainer.py", "DrainerEvents", NULL, 60,
	  "drains a node before auto scaling or a spot interruption takes it",
	  drainer_calls, env_drainer, false },
	{ "Cleanup", "cleanup", "functions/cleanup.py", "CleanupSchedule", "rate(5 minutes)", 120,
	  "deletes inactive compute stacks left without instances and tasks",
	  cleanup_calls, env_cleanup, false },
};

/*
 * The drainer's events: the termination lifecycle action of this cluster's
 * groups (CloudFormation names them <cluster>-compute-<version>-...), and
 * every spot interruption warning and rebalance recommendation (the drainer
 * ignores other clusters' instances: the event names only the instance).
 */
static struct cfn_value *drainer_pattern(const struct scope *s)
{
	struct cfn_value *lifecycle = cfn_obj(), *spot = cfn_obj(), *detail = cfn_obj(), *prefix = cfn_obj();
	struct cfn_value *pattern;

	cfn_set(lifecycle, "source", cfn_array(cfn_str("aws.autoscaling"), NULL));
	cfn_set(lifecycle, "detail-type", cfn_array(cfn_str("EC2 Instance-terminate Lifecycle Action"), NULL));
	cfn_set_str(prefix, "prefix", IR_NAME(s->ir, STACK_COMPUTE_PREFIX));
	cfn_set(detail, "AutoScalingGroupName", cfn_array(prefix, NULL));
	cfn_set(lifecycle, "detail", detail);
	cfn_set(spot, "source", cfn_array(cfn_str("aws.ec2"), NULL));
	cfn_set(spot, "detail-type", cfn_array(cfn_str("EC2 Spot Instance Interruption Warning"),
					       cfn_str("EC2 Instance Rebalance Recommendation"), NULL));
	pattern = cfn_obj();
	cfn_set(pattern, "$or", cfn_array(lifecycle, spot, NULL));
	return pattern;
}

static const char *id(const struct scope *s, const struct function *f, const char *suffix)
{
	return cfn_id(s->arena, "", f->id, suffix);
}

/*
 * A function's name, and its rule's: <cluster>-<slug>, fixed here so the
 * deploy role can name exactly these (cfn_function_arns) instead of every
 * function and rule of the account.  Both names are at most 64 characters
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html,
 * https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html);
 * a longer one keeps the cluster name's start and adds an FNV-1a hash of
 * the whole name, so two clusters never share a name.
 */
#define NAME_LIMIT 64

static const char *function_name(struct arena *arena, const char *cluster, const char *slug)
{
	unsigned long hash = 2166136261UL;
	const unsigned char *p;
	size_t keep;

	if (strlen(cluster) + 1 + strlen(slug) <= NAME_LIMIT)
		return arena_printf(arena, "%s-%s", cluster, slug);
	for (p = (const unsigned char *)cluster; *p; p++)
		hash = ((hash ^ *p) * 16777619UL) & 0xffffffffUL;
	keep = NAME_LIMIT - 1 - strlen(slug) - 9;
	return arena_printf(arena, "%.*s-%08lx-%s", (int)keep, cluster, hash, slug);
}

/*
 * The newest Python runtime Lambda offers, deprecated on 30 June 2029
 * (creation blocked from 31 July 2029, updates from 31 August 2029), on
 * Graviton: arm64 costs less per GB-second than x86_64 and the functions
 * are pure Python on boto3 (arm64 is in most Regions: Lambda's pricing page
 * lists them).  Bump it when Lambda lists a newer
 * python3.x; tests/cfn/static_checks.py fails once cfn-lint's runtime table
 * names a successor or a deprecation date that has passed.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 * https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html
 */
#define FUNCTION_RUNTIME "python3.14"

static void add_log_group(struct cfn_template *t, const struct scope *s, const struct function *f)
{
	struct cfn_value *props = cfn_props(cfn_deleted_with_stack(cfn_resource(t, id(s, f, "LogGroup"), "AWS::Logs::LogGroup")));
	cfn_set_str(props, "LogGroupName", arena_printf(s->arena, "%s%s", IR_NAME(s->ir, LOG_GROUP_PREFIX), f->slug));
	cfn_set_int(props, "RetentionInDays", NAME_LOG_RETENTION_DAYS);
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

static void add_role(struct cfn_template *t, const struct scope *s, const struct function *f)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, id(s, f, "Role"), "AWS::IAM::Role"));

	/*
	 * A function of the pipeline stack (deployed by make put-pipeline, not by
	 * the deploy role) has its role where the deploy role cannot reach it.
	 */
	cfn_set_str(props, "Path", f->pipeline_stack ? cfn_pipeline_role_path(s->arena, s->ir) : IR_NAME(s->ir, ROLE_PATH));
	cfn_set(props, "AssumeRolePolicyDocument", cfn_assume_role("lambda.amazonaws.com"));
	if (!f->pipeline_stack)
		cfn_set(props, "PermissionsBoundary", cfn_role_boundary(s->arena, s->ir));
	cfn_set(props, "Policies", cfn_array(cfn_inline_policy(f->slug, statements(s, f)), NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

static int add_function(struct emit_context *ctx, struct cfn_template *t, const struct scope *s,
			const struct function *f)
{
	struct cfn_value *props, *code, *vars, *logging;
	const char *source;
	size_t len;

	source = tpl_asset(ctx->templates, f->source, &len);
	if (!source || memchr(source, '\0', len))
		return diag_error(ctx->diags, DIAG_TEMPLATE, loc_none(), "templates/%s: the %s function's source is missing",
				  f->source, f->slug);
	props = cfn_props(cfn_resource(t, id(s, f, "Function"), "AWS::Lambda::Function"));
	cfn_set_str(props, "FunctionName", function_name(s->arena, s->name, f->slug));
	cfn_set_str(props, "Description", f->description);
	cfn_set_str(props, "Runtime", FUNCTION_RUNTIME);
	cfn_set(props, "Architectures", cfn_array(cfn_str("arm64"), NULL));
	cfn_set_str(props, "Handler", "index.handler");
	cfn_set(props, "Role", cfn_getatt(id(s, f, "Role"), "Arn"));
	cfn_set_int(props, "Timeout", f->timeout);
	cfn_set_int(props, "MemorySize", 128);
	code = cfn_set(props, "Code", cfn_obj());
	cfn_set(code, "ZipFile", cfn_str_len(source, len));
	vars = cfn_obj();
	cfn_set_str(vars, "CLUSTER_NAME", s->name);
	if (f->env)
		f->env(vars, s);
	cfn_set(cfn_set(props, "Environment", cfn_obj()), "Variables", vars);
	logging = cfn_set(props, "LoggingConfig", cfn_obj());
	cfn_set(logging, "LogGroup", cfn_ref(id(s, f, "LogGroup")));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
	return 0;
}

static void add_rule(struct cfn_template *t, const struct scope *s, const struct function *f)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, f->rule, "AWS::Events::Rule"));
	struct cfn_value *target = cfn_obj();

	cfn_set_str(props, "Name", function_name(s->arena, s->name, f->slug));

	if (f->schedule)
		cfn_set_str(props, "ScheduleExpression", f->schedule);
	else
		cfn_set(props, "EventPattern", drainer_pattern(s));
	cfn_set_str(props, "State", "ENABLED");
	cfn_set(target, "Arn", cfn_getatt(id(s, f, "Function"), "Arn"));
	cfn_set_str(target, "Id", f->slug);
	cfn_set(props, "Targets", cfn_array(target, NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));

	props = cfn_props(cfn_resource(t, id(s, f, "Permission"), "AWS::Lambda::Permission"));
	cfn_set_str(props, "Action", "lambda:InvokeFunction");
	cfn_set(props, "FunctionName", cfn_ref(id(s, f, "Function")));
	cfn_set_str(props, "Principal", "events.amazonaws.com");
	cfn_set(props, "SourceArn", cfn_getatt(f->rule, "Arn"));
}

/*
 * One run at a time (I6): an event Lambda could not deliver at once is
 * dropped after a minute and a failed run is not retried, since the next
 * scheduled run redoes the work from what AWS reports then.  Without this,
 * Lambda retries a failed asynchronous invocation twice, the retries
 * overlapping the next scheduled runs:
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
static void add_invoke_config(struct cfn_template *t, const struct scope *s, const struct function *f)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, id(s, f, "InvokeConfig"), "AWS::Lambda::EventInvokeConfig"));

	cfn_set(props, "FunctionName", cfn_ref(id(s, f, "Function")));
	cfn_set_str(props, "Qualifier", "$LATEST");
	cfn_set_int(props, "MaximumRetryAttempts", 0);
	cfn_set_int(props, "MaximumEventAgeInSeconds", 60);
}

/* The scaler's cooldown clocks, owned by this stack (CONTRACT: STATE_PARAMETER). */
static void add_scaler_state(struct cfn_template *t, const struct scope *s)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, "ScalerState", "AWS::SSM::Parameter"));
	cfn_set_str(props, "Name", IR_NAME(s->ir, STATE_PARAMETER));
	cfn_set_str(props, "Type", "String");
	cfn_set_str(props, "Value", "{}");
	/*
	 * No Tags of its own: the stack's ecsgen:cluster tag reaches it, and
	 * moto 5.2.1 fails on this type's Tags map (it expects the API's list).
	 */
}

/*
 * The cluster's lock: one item per holder ("scaler" is the scaler's lease,
 * I6), taken with a conditional put and released by its owner only.
 */
static void add_lock_table(struct cfn_template *t, const struct scope *s)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, "LockTable", "AWS::DynamoDB::Table"));
	struct cfn_value *attr = cfn_obj(), *key = cfn_obj(), *sse = cfn_obj();

	cfn_set_str(props, "TableName", IR_NAME(s->ir, LOCK_TABLE));
	cfn_set_str(props, "BillingMode", "PAY_PER_REQUEST");
	cfn_set_str(attr, "AttributeName", "pk");
	cfn_set_str(attr, "AttributeType", "S");
	cfn_set(props, "AttributeDefinitions", cfn_array(attr, NULL));
	cfn_set_str(key, "AttributeName", "pk");
	cfn_set_str(key, "KeyType", "HASH");
	cfn_set(props, "KeySchema", cfn_array(key, NULL));
	cfn_set(sse, "SSEEnabled", cfn_bool(true));
	cfn_set(props, "SSESpecification", sse);
}

int cfn_add_functions(struct emit_context *ctx, struct cfn_template *t)
{
	struct scope s = { ctx->ir, ctx->arena, ctx->ir->cluster.name.value };
	size_t i;
	int err = 0;

	add_scaler_state(t, &s);
	add_lock_table(t, &s);
	for (i = 0; i < sizeof functions / sizeof functions[0]; i++) {
		add_log_group(t, &s, &functions[i]);
		add_role(t, &s, &functions[i]);
		err |= add_function(ctx, t, &s, &functions[i]);
		add_rule(t, &s, &functions[i]);
		add_invoke_config(t, &s, &functions[i]);
		cfn_function_alarm(t, s.arena, s.ir, functions[i].id, functions[i].slug);
	}
	return err ? -1 : 0;
}

/*
 * cluster.ami_updates: auto.  AWS's public topic of ECS-optimized AMI
 * updates lives in us-east-1 (account 177427601217), whichever region the
 * images are for:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ECS-AMI-SubscribeTopic.html
 * SNS delivers to a Lambda function in another region, and the
 * subscription is made in the topic's region: AWS::SNS::Subscription's
 * Region, set when the stack is elsewhere.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-cross-region-delivery.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sns-subscription.html
 * The topic is in a region enabled by default, so its principal is
 * sns.amazonaws.com in the function's policy, limited to that topic.
 */
#define AMI_UPDATE_TOPIC_REGION "us-east-1"
#define AMI_UPDATE_TOPIC "arn:aws:sns:" AMI_UPDATE_TOPIC_REGION ":177427601217:ecs-optimized-amazon-ami-update"

static const struct function ami_update = {
	"AmiUpdate", "ami-update", "functions/ami_update.py", NULL, NULL, 60,
	"starts the pipeline when AWS publishes a new ECS-optimized AMI",
	ami_update_calls, env_ami_update, true,
};

int cfn_add_ami_update_trigger(struct emit_context *ctx, struct cfn_template *t)
{
	struct scope s = { ctx->ir, ctx->arena, ctx->ir->cluster.name.value };
	struct cfn_value *props;
	int err;

	add_log_group(t, &s, &ami_update);
	add_role(t, &s, &ami_update);
	err = add_function(ctx, t, &s, &ami_update);
	cfn_condition(t, "InAmiUpdateTopicRegion", cfn_equals(cfn_ref("AWS::Region"), cfn_str(AMI_UPDATE_TOPIC_REGION)));
	props = cfn_props(cfn_resource(t, "AmiUpdateSubscription", "AWS::SNS::Subscription"));
	cfn_set_str(props, "TopicArn", AMI_UPDATE_TOPIC);
	cfn_set_str(props, "Protocol", "lambda");
	cfn_set(props, "Endpoint", cfn_getatt(id(&s, &ami_update, "Function"), "Arn"));
	cfn_set(props, "Region", cfn_if("InAmiUpdateTopicRegion", cfn_novalue(), cfn_str(AMI_UPDATE_TOPIC_REGION)));
	props = cfn_props(cfn_resource(t, id(&s, &ami_update, "Permission"), "AWS::Lambda::Permission"));
	cfn_set_str(props, "Action", "lambda:InvokeFunction");
	cfn_set(props, "FunctionName", cfn_ref(id(&s, &ami_update, "Function")));
	cfn_set_str(props, "Principal", "sns.amazonaws.com");
	cfn_set_str(props, "SourceArn", AMI_UPDATE_TOPIC);
	return err ? -1 : 0;
}

struct cfn_value *cfn_function_arns(struct arena *arena, const struct ir *ir, bool rules)
{
	struct cfn_value *arns = cfn_array(NULL);
	size_t i;

	for (i = 0; i < sizeof functions / sizeof functions[0]; i++) {
		const char *name = function_name(arena, ir->cluster.name.value, functions[i].slug);
		if (rules) {
			cfn_push(arns, cfn_arn("events", "rule/%s", name));
			continue;
		}
		/* And its versions and qualifiers ($LATEST: the invoke config's). */
		cfn_push(arns, cfn_arn("lambda", "function:%s", name));
		cfn_push(arns, cfn_arn("lambda", "function:%s:*", name));
	}
	return arns;
}
