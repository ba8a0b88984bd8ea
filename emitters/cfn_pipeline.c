/*
 * cfn_pipeline.c - cloudformation/pipeline.json: the delivery pipeline of
 * one cluster (<cluster>-pipeline): an artifact bucket, a source action
 * (GitHub with a token from Secrets Manager, or a CodeConnections
 * connection when ConnectionArn is set), the AMI bake (skipped when
 * cluster.ami pins one) and the deploy stages, each a CodeBuild project.
 *
 * Every name other stacks or roles refer to is fixed here (the pipeline,
 * the projects, the secrets), and ARNs are built from those names with
 * Fn::Sub rather than Ref/GetAtt of the resources: the test emulator skips
 * CodeBuild, CodePipeline and Secrets Manager resources, and a reference to
 * a skipped resource leaves a stack stuck.  Parameters and outputs follow
 * templates/CONTRACT.md.  No role has a wildcard action; "*" resources only
 * for calls that have no resource-level permissions.
 */
#include "config.h"

#include <json-c/json.h>

#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"

#define BUILD_IMAGE "aws/codebuild/standard:7.0"

/*
 * The deploy stages, in order.  More environments (a later issue) are more
 * rows: each gets its own stage and CodeBuild project.
 */
static const struct {
	const char *stage;   /* stage and action name */
	const char *project; /* <cluster>-<project> */
} deploy_stages[] = {
	{ "Deploy", "deploy" },
};

struct scope {
	const struct ir *ir;
	struct arena *arena;
	const char *name;
	bool bake; /* no cluster.ami or cluster.amis: the images are baked */
};

static const char *project_name(const struct scope *s, const char *project)
{
	return arena_printf(s->arena, "%s-%s", s->name, project);
}

static void allow(struct json_object *st, const char *const *actions, struct json_object *resources)
{
	cfn_push(st, cfn_allow(actions, resources));
}

static struct json_object *bucket_arn(const char *suffix)
{
	return cfn_sub(suffix ? "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*" : "arn:${AWS::Partition}:s3:::${ArtifactBucket}");
}

static struct json_object *stacks_of_cluster(const struct scope *s)
{
	return cfn_array(cfn_arn("cloudformation", "stack/%s/*", IR_NAME(s->ir, STACK_ASSETS)),
			 cfn_arn("cloudformation", "stack/%s/*", IR_NAME(s->ir, STACK_CLUSTER)),
			 cfn_arn("cloudformation", "stack/%s/*", IR_NAME(s->ir, STACK_HEALTH)),
			 cfn_arn("cloudformation", "stack/%s*/*", IR_NAME(s->ir, STACK_COMPUTE_PREFIX)), NULL);
}

static struct json_object *cluster_roles(const struct scope *s)
{
	return cfn_sub(arena_printf(s->arena, "arn:${AWS::Partition}:iam::${AWS::AccountId}:role%s*",
				    IR_NAME(s->ir, ROLE_PATH)));
}

static struct json_object *region_ec2(void)
{
	return cfn_array(cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*"),
			 cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}::image/*"),
			 cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*"), NULL);
}

static void add_parameters(struct cfn_template *t)
{
	struct json_object *p;

	cfn_param(t, "GitHubOwner", "String", "owner of the cluster's repository (the Makefile reads git remote)");
	cfn_param(t, "GitHubRepo", "String", "name of the cluster's repository");
	cfn_param(t, "GitHubBranch", "String", "branch that deploys");
	p = cfn_param(t, "GitHubTokenSecret", "String",
		      "Secrets Manager secret whose SecretString is the GitHub personal access token");
	cfn_set_str(p, "Default", "GithubToken");
	p = cfn_param(t, "ConnectionArn", "String",
		      "a CodeConnections connection to use instead of the token (empty: the token)");
	cfn_set_str(p, "Default", "");
	cfn_param(t, "EcsgenSourceUrl", "String", "URL of the ecsgen source tarball the builds compile");
	/* The builds run with the deploy role's rights: only these exact bytes. */
	p = cfn_param(t, "EcsgenSourceSha256", "String",
		      "SHA-256 of that tarball (sha256sum); a build whose download differs stops before unpacking it");
	cfn_set_str(p, "AllowedPattern", "^[0-9a-f]{64}$");
	cfn_condition(t, "UseConnection", cfn_not(cfn_equals(cfn_ref("ConnectionArn"), cfn_str(""))));
	cfn_condition(t, "UseToken", cfn_equals(cfn_ref("ConnectionArn"), cfn_str("")));
}

static struct json_object *role(struct cfn_template *t, const struct scope *s, const char *id,
				const char *service, const char *what, struct json_object *statements)
{
	struct json_object *props = cfn_props(cfn_resource(t, id, "AWS::IAM::Role"));
	cfn_set_str(props, "Description", arena_printf(s->arena, "%s: %s", s->name, what));
	/* Not under /ecsgen/<cluster>/, which the deploy role may change: no self-escalation. */
	cfn_set_str(props, "Path", arena_printf(s->arena, "/ecsgen-pipeline/%s/", s->name));
	cfn_set(props, "AssumeRolePolicyDocument", cfn_assume_role(service));
	cfn_set(props, "Policies", cfn_array(cfn_inline_policy(id, statements), NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
	return props;
}

/* What every CodeBuild project does: its logs, the pipeline's artifacts. */
static struct json_object *build_basics(const struct scope *s)
{
	static const char *const logs[] = { "logs:CreateLogStream", "logs:PutLogEvents", NULL };
	static const char *const artifacts[] = { "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", NULL };
	struct json_object *st = cfn_array(NULL);

	allow(st, logs, cfn_arn("logs", "log-group:%scodebuild:*", IR_NAME(s->ir, LOG_GROUP_PREFIX)));
	allow(st, artifacts, bucket_arn("/*"));
	return st;
}

/* Reading the stacks: the bake keeps AMIs a compute stack uses, deploy demotes old ones. */
static void read_stacks(struct json_object *st, const struct scope *s)
{
	static const char *const list[] = { "cloudformation:ListStacks", NULL };
	static const char *const describe[] = { "cloudformation:DescribeStacks", NULL };

	allow(st, list, cfn_str("*"));
	allow(st, describe, stacks_of_cluster(s));
}

/* Packer's amazon-ebs builder and `make ami`'s cleanup of older images. */
static void add_bake_role(struct cfn_template *t, const struct scope *s)
{
	static const char *const describe[] = {
		"ec2:DescribeImages", "ec2:DescribeInstances",
		"ec2:DescribeInstanceStatus", "ec2:DescribeRegions", "ec2:DescribeSecurityGroups",
		"ec2:DescribeSnapshots", "ec2:DescribeSubnets", "ec2:DescribeTags", "ec2:DescribeVolumes",
		"ec2:DescribeVpcs", "ec2:DescribeKeyPairs", NULL,
	};
	static const char *const build[] = {
		"ec2:RunInstances", "ec2:StopInstances", "ec2:TerminateInstances", "ec2:CreateKeyPair",
		"ec2:DeleteKeyPair", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
		"ec2:AuthorizeSecurityGroupIngress", "ec2:CreateImage", "ec2:RegisterImage",
		"ec2:DeregisterImage", "ec2:ModifyImageAttribute", "ec2:CreateSnapshot", "ec2:DeleteSnapshot",
		"ec2:DeleteVolume", "ec2:CreateTags", "ec2:DescribeImageAttribute", NULL,
	};
	struct json_object *st = build_basics(s);

	/* Describe calls have no resource-level permissions. */
	allow(st, describe, cfn_str("*"));
	allow(st, build, region_ec2());
	read_stacks(st, s);
	role(t, s, "BakeRole", "codebuild.amazonaws.com", "CodeBuild bakes the nodes' AMI with Packer", st);
}

/*
 * make deploy: the cluster and health stacks with this role's own rights
 * (scoped to this cluster's names and the /ecsgen/<cluster>/ role path),
 * compute stacks through their service role, then the smoke test.
 */
static void add_deploy_role(struct cfn_template *t, const struct scope *s)
{
	static const char *const stacks[] = {
		"cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:DeleteStack",
		"cloudformation:DescribeStackEvents", "cloudformation:DescribeStackResources",
		"cloudformation:GetTemplate", "cloudformation:CreateChangeSet",
		"cloudformation:DescribeChangeSet", "cloudformation:DeleteChangeSet", NULL,
	};
	static const char *const validate[] = { "cloudformation:ValidateTemplate", NULL };
	static const char *const pass[] = { "iam:PassRole", NULL };
	static const char *const roles[] = {
		"iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
		"iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy",
		"iam:DetachRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:CreateInstanceProfile",
		"iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile",
		"iam:RemoveRoleFromInstanceProfile", NULL,
	};
	static const char *const attach[] = { "iam:AttachRolePolicy", NULL };
	static const char *const ec2_describe[] = {
		"ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeImages",
		"ec2:DescribeInstances", NULL,
	};
	static const char *const groups[] = {
		"ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
		"ec2:RevokeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
		"ec2:RevokeSecurityGroupEgress", "ec2:CreateTags", "ec2:DeleteTags", NULL,
	};
	static const char *const cluster[] = {
		"ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings",
		"ecs:DescribeClusters", "ecs:TagResource", "ecs:UntagResource", "ecs:ListContainerInstances", NULL,
	};
	static const char *const taskdefs[] = { "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", NULL };
	static const char *const health[] = { "ecs:RegisterTaskDefinition", "ecs:RunTask", NULL };
	static const char *const tag[] = { "ecs:TagResource", NULL };
	static const char *const linked[] = { "iam:CreateServiceLinkedRole", NULL };
	static const char *const tasks[] = { "ecs:DescribeTasks", "ecs:StopTask", NULL };
	static const char *const nodes[] = { "ecs:DescribeContainerInstances", "ecs:ListTasks", NULL };
	static const char *const functions[] = {
		"lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction",
		"lambda:GetFunctionConfiguration", "lambda:UpdateFunctionCode",
		"lambda:UpdateFunctionConfiguration", "lambda:AddPermission", "lambda:RemovePermission",
		"lambda:TagResource", "lambda:UntagResource", "lambda:ListTags", NULL,
	};
	static const char *const rules[] = {
		"events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:PutTargets",
		"events:RemoveTargets", "events:TagResource", "events:UntagResource", NULL,
	};
	static const char *const logs[] = {
		"logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy",
		"logs:DeleteRetentionPolicy", "logs:TagResource", "logs:UntagResource", "logs:TagLogGroup", NULL,
	};
	static const char *const describe_logs[] = { "logs:DescribeLogGroups", NULL };
	static const char *const params[] = {
		"ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters",
		"ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", NULL,
	};
	static const char *const public_ami[] = { "ssm:GetParameter", "ssm:GetParameters", NULL };
	static const char *const lock[] = {
		"dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTable", "dynamodb:DeleteTable",
		"dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive", "dynamodb:TagResource",
		"dynamodb:UntagResource", "dynamodb:ListTagsOfResource",
		/* The deploy's lock (scripts/lock.sh): its items. */
		"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", NULL,
	};
	static const char *const invoke_configs[] = {
		"lambda:PutFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig",
		"lambda:UpdateFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig", NULL,
	};
	static const char *const alarms[] = {
		"cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms",
		"cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource", NULL,
	};
	static const char *const topic[] = {
		"sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes",
		"sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource", "sns:ListSubscriptionsByTopic",
		"sns:GetDataProtectionPolicy", "sns:Subscribe", "sns:Unsubscribe", "sns:GetSubscriptionAttributes",
		"sns:SetSubscriptionAttributes", NULL,
	};
	static const char *const new_key[] = { "kms:CreateKey", NULL };
	static const char *const key[] = {
		"kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:EnableKeyRotation",
		"kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource",
		"kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion", NULL,
	};
	static const char *const templates[] = { "s3:GetObject", "s3:PutObject", NULL };
	static const char *const assets[] = {
		"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:GetEncryptionConfiguration",
		"s3:PutEncryptionConfiguration", "s3:GetBucketVersioning", "s3:PutBucketVersioning",
		"s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
		"s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock",
		"s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls", "s3:GetBucketTagging",
		"s3:PutBucketTagging", NULL,
	};
	struct json_object *st = build_basics(s);

	allow(st, stacks, stacks_of_cluster(s));
	read_stacks(st, s);
	allow(st, validate, cfn_str("*"));
	/*
	 * The compute stacks' service role (CloudFormation), the functions'
	 * roles (Lambda), and the instance role, which AddRoleToInstanceProfile
	 * passes (EC2).
	 */
	cfn_push(st, cfn_condition_on(cfn_allow(pass, cluster_roles(s)), "StringEquals", "iam:PassedToService",
				      cfn_array(cfn_str("cloudformation.amazonaws.com"), cfn_str("lambda.amazonaws.com"),
						cfn_str("ec2.amazonaws.com"), NULL)));
	/* The first cluster of an account creates ECS's service-linked role. */
	cfn_push(st, cfn_condition_on(cfn_allow(linked, cfn_sub(
		"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS")),
		"StringEquals", "iam:AWSServiceName", cfn_str("ecs.amazonaws.com")));
	/*
	 * EC2 Fleet's, which must exist before the first fleet: deploy-compute.sh
	 * creates it (CloudFormation does not).  Granted without fleets too: a
	 * fleet added to infra.yml is deployed by this role before anyone
	 * updates the pipeline stack.
	 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-prerequisites.html
	 */
	cfn_push(st, cfn_condition_on(cfn_allow(linked, cfn_sub(
		"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/ec2fleet.amazonaws.com/AWSServiceRoleForEC2Fleet")),
		"StringEquals", "iam:AWSServiceName", cfn_str("ec2fleet.amazonaws.com")));
	allow(st, roles, cfn_array(cluster_roles(s),
				   cfn_sub(arena_printf(s->arena,
					"arn:${AWS::Partition}:iam::${AWS::AccountId}:instance-profile%s*",
					IR_NAME(s->ir, ROLE_PATH))), NULL));
	cfn_push(st, cfn_condition_on(cfn_allow(attach, cluster_roles(s)), "ArnEquals", "iam:PolicyARN",
		cfn_array(cfn_sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"),
			  cfn_sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"), NULL)));
	allow(st, ec2_describe, cfn_str("*"));
	allow(st, groups, cfn_array(cfn_arn("ec2", "security-group/*"), cfn_arn("ec2", "vpc/*"), NULL));
	allow(st, cluster, cfn_arn("ecs", "cluster/%s", s->name));
	allow(st, taskdefs, cfn_str("*"));
	allow(st, health, cfn_arn("ecs", "task-definition/%s:*", IR_NAME(s->ir, STACK_HEALTH)));
	/* The health stack's tags on its task definition: tag-on-create only. */
	cfn_push(st, cfn_condition_on(cfn_allow(tag, cfn_arn("ecs", "task-definition/%s:*", IR_NAME(s->ir, STACK_HEALTH))),
				      "StringEquals", "ecs:CreateAction", cfn_str("RegisterTaskDefinition")));
	allow(st, tasks, cfn_arn("ecs", "task/%s/*", s->name));
	allow(st, nodes, cfn_arn("ecs", "container-instance/%s/*", s->name));
	/*
	 * Functions and rules get CloudFormation's names, <stack>-<id>-<random>
	 * cut to 64 characters, so a long cluster name need not survive in
	 * them: this region and account is as narrow as a name pattern goes.
	 */
	allow(st, functions, cfn_arn("lambda", "function:*"));
	allow(st, rules, cfn_arn("events", "rule/*"));
	allow(st, logs, cfn_arn("logs", "log-group:%s*", IR_NAME(s->ir, LOG_GROUP_PREFIX)));
	allow(st, describe_logs, cfn_str("*"));
	allow(st, params, cfn_arn("ssm", "parameter%s*", IR_NAME(s->ir, PARAMETER_PREFIX)));
	allow(st, public_ami, cfn_sub("arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/aws/service/ecs/*"));
	/*
	 * The cluster stack's lock table (CloudFormation's handlers, and the
	 * deploy's lock items: scripts/lock.sh), the functions' invoke configs,
	 * the alarms and their topic.
	 */
	allow(st, lock, cfn_arn("dynamodb", "table/%s", IR_NAME(s->ir, LOCK_TABLE)));
	allow(st, invoke_configs, cfn_arn("lambda", "function:*"));
	allow(st, alarms, cfn_arn("cloudwatch", "alarm:%s*", IR_NAME(s->ir, ALARM_PREFIX)));
	if (!s->ir->cluster.alarm_topic_arn.present) {
		allow(st, topic, cfn_arn("sns", "%s", IR_NAME(s->ir, ALARM_TOPIC)));
		/*
		 * A new key has no ARN to name: CreateKey only with the cluster's
		 * tag, every later call only on a key that carries it.
		 * https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html
		 */
		cfn_push(st, cfn_condition_on(cfn_allow(new_key, cfn_str("*")), "StringEquals",
					      arena_printf(s->arena, "aws:RequestTag/%s", NAME_TAG_CLUSTER), cfn_str(s->name)));
		cfn_push(st, cfn_condition_on(cfn_allow(key, cfn_arn("kms", "key/*")), "StringEquals",
					      arena_printf(s->arena, "aws:ResourceTag/%s", NAME_TAG_CLUSTER), cfn_str(s->name)));
	}
	/*
	 * Templates go through the assets bucket (make put-pipeline deployed it
	 * first): upload, and read for --template-url; the assets stack itself
	 * may be updated in place, never replaced.
	 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
	 */
	allow(st, templates, cfn_assets_arn(s->arena, s->ir, true));
	allow(st, assets, cfn_assets_arn(s->arena, s->ir, false));
	role(t, s, "DeployRole", "codebuild.amazonaws.com", "CodeBuild deploys the cluster's stacks", st);
}

static void add_pipeline_role(struct cfn_template *t, const struct scope *s)
{
	static const char *const artifacts[] = { "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", NULL };
	static const char *const bucket[] = { "s3:GetBucketVersioning", "s3:GetBucketLocation", NULL };
	static const char *const builds[] = { "codebuild:StartBuild", "codebuild:BatchGetBuilds", NULL };
	static const char *const connection[] = { "codeconnections:UseConnection", "codestar-connections:UseConnection", NULL };
	struct json_object *st = cfn_array(NULL), *projects = cfn_array(NULL);
	size_t i;

	allow(st, artifacts, bucket_arn("/*"));
	allow(st, bucket, bucket_arn(NULL));
	if (s->bake)
		cfn_push(projects, cfn_arn("codebuild", "project/%s", project_name(s, "bake")));
	for (i = 0; i < sizeof deploy_stages / sizeof deploy_stages[0]; i++)
		cfn_push(projects, cfn_arn("codebuild", "project/%s", project_name(s, deploy_stages[i].project)));
	allow(st, builds, projects);
	cfn_push(st, cfn_if("UseConnection", cfn_allow(connection, cfn_ref("ConnectionArn")), cfn_novalue()));
	role(t, s, "PipelineRole", "codepipeline.amazonaws.com", "CodePipeline runs the cluster's pipeline", st);
}

static void add_project(struct cfn_template *t, const struct scope *s, const char *id, const char *project,
			const char *role_id, const char *buildspec, int minutes)
{
	struct json_object *props = cfn_props(cfn_resource(t, id, "AWS::CodeBuild::Project"));
	struct json_object *env, *vars, *var, *logs;

	cfn_set_str(props, "Name", project_name(s, project));
	cfn_set(props, "ServiceRole", cfn_getatt(role_id, "Arn"));
	cfn_set_str(cfn_set(props, "Artifacts", cfn_obj()), "Type", "CODEPIPELINE");
	{
		struct json_object *source = cfn_set(props, "Source", cfn_obj());
		cfn_set_str(source, "Type", "CODEPIPELINE");
		cfn_set_str(source, "BuildSpec", buildspec);
	}
	env = cfn_set(props, "Environment", cfn_obj());
	cfn_set_str(env, "Type", "LINUX_CONTAINER");
	cfn_set_str(env, "ComputeType", "BUILD_GENERAL1_SMALL");
	cfn_set_str(env, "Image", BUILD_IMAGE);
	vars = cfn_set(env, "EnvironmentVariables", cfn_array(NULL));
	var = cfn_push(vars, cfn_obj());
	cfn_set_str(var, "Name", "ECSGEN_SOURCE_URL");
	cfn_set(var, "Value", cfn_ref("EcsgenSourceUrl"));
	var = cfn_push(vars, cfn_obj());
	cfn_set_str(var, "Name", "ECSGEN_SOURCE_SHA256");
	cfn_set(var, "Value", cfn_ref("EcsgenSourceSha256"));
	logs = cfn_set(cfn_set(props, "LogsConfig", cfn_obj()), "CloudWatchLogs", cfn_obj());
	cfn_set_str(logs, "Status", "ENABLED");
	cfn_set(logs, "GroupName", cfn_ref("BuildLogGroup"));
	cfn_set_int(props, "TimeoutInMinutes", minutes);
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

static struct json_object *action_type(const char *category, const char *owner, const char *provider)
{
	struct json_object *type = cfn_obj();
	cfn_set_str(type, "Category", category);
	cfn_set_str(type, "Owner", owner);
	cfn_set_str(type, "Provider", provider);
	cfn_set_str(type, "Version", "1");
	return type;
}

static struct json_object *artifact(const char *name)
{
	struct json_object *a = cfn_obj();
	cfn_set_str(a, "Name", name);
	return cfn_array(a, NULL);
}

/* Both sources publish the commit as #{SourceVariables.CommitId}. */
static struct json_object *source_action(bool connection)
{
	struct json_object *action = cfn_obj(), *config = cfn_obj();

	cfn_set_str(action, "Name", "Source");
	if (connection) {
		cfn_set(action, "ActionTypeId", action_type("Source", "AWS", "CodeStarSourceConnection"));
		cfn_set(config, "ConnectionArn", cfn_ref("ConnectionArn"));
		cfn_set(config, "FullRepositoryId", cfn_sub("${GitHubOwner}/${GitHubRepo}"));
		cfn_set(config, "BranchName", cfn_ref("GitHubBranch"));
		cfn_set_str(config, "OutputArtifactFormat", "CODE_ZIP");
		cfn_set(config, "DetectChanges", cfn_bool(true));
	} else {
		cfn_set(action, "ActionTypeId", action_type("Source", "ThirdParty", "GitHub"));
		cfn_set(config, "Owner", cfn_ref("GitHubOwner"));
		cfn_set(config, "Repo", cfn_ref("GitHubRepo"));
		cfn_set(config, "Branch", cfn_ref("GitHubBranch"));
		/* The token never enters a template: a dynamic reference, resolved by CloudFormation. */
		cfn_set(config, "OAuthToken", cfn_sub("{{resolve:secretsmanager:${GitHubTokenSecret}:SecretString}}"));
		cfn_set(config, "PollForSourceChanges", cfn_bool(false));
	}
	cfn_set(action, "Configuration", config);
	cfn_set(action, "OutputArtifacts", artifact("Source"));
	cfn_set_str(action, "Namespace", "SourceVariables");
	cfn_set_int(action, "RunOrder", 1);
	return action;
}

static struct json_object *build_action(const char *name, const char *project, struct json_object *env,
					const char *namespace)
{
	struct json_object *action = cfn_obj(), *config = cfn_obj();

	cfn_set_str(action, "Name", name);
	cfn_set(action, "ActionTypeId", action_type("Build", "AWS", "CodeBuild"));
	cfn_set_str(config, "ProjectName", project);
	if (env)
		cfn_set_str(config, "EnvironmentVariables",
			    json_object_to_json_string_ext(env, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(env);
	cfn_set(action, "Configuration", config);
	cfn_set(action, "InputArtifacts", artifact("Source"));
	if (namespace)
		cfn_set_str(action, "Namespace", namespace);
	cfn_set_int(action, "RunOrder", 1);
	return action;
}

static struct json_object *stage(const char *name, struct json_object *action)
{
	struct json_object *st = cfn_obj();
	cfn_set_str(st, "Name", name);
	cfn_set(st, "Actions", cfn_array(action, NULL));
	return st;
}

static struct json_object *env_var(const char *name, const char *value)
{
	struct json_object *var = cfn_obj();
	cfn_set_str(var, "name", name);
	cfn_set_str(var, "value", value);
	cfn_set_str(var, "type", "PLAINTEXT");
	return var;
}

static void add_pipeline(struct cfn_template *t, const struct scope *s)
{
	struct json_object *props = cfn_props(cfn_resource(t, "Pipeline", "AWS::CodePipeline::Pipeline"));
	struct json_object *stages, *store;
	size_t i;

	cfn_set_str(props, "Name", IR_NAME(s->ir, STACK_PIPELINE));
	cfn_set_str(props, "PipelineType", "V2");
	/* A deploy is never superseded halfway: runs queue. */
	cfn_set_str(props, "ExecutionMode", "QUEUED");
	cfn_set(props, "RoleArn", cfn_getatt("PipelineRole", "Arn"));
	store = cfn_set(props, "ArtifactStore", cfn_obj());
	cfn_set_str(store, "Type", "S3");
	cfn_set(store, "Location", cfn_ref("ArtifactBucket"));
	stages = cfn_set(props, "Stages", cfn_array(NULL));
	cfn_push(stages, stage("Source", cfn_if("UseConnection", source_action(true), source_action(false))));
	if (s->bake)
		cfn_push(stages, stage("Bake", build_action("Bake", project_name(s, "bake"), NULL, "BakeVariables")));
	for (i = 0; i < sizeof deploy_stages / sizeof deploy_stages[0]; i++) {
		struct json_object *env = cfn_array(env_var("VERSION", "#{SourceVariables.CommitId}"),
						    env_var("AMI", s->bake ? "#{BakeVariables.AMI}" : ""), NULL);
		cfn_push(stages, stage(deploy_stages[i].stage,
				       build_action(deploy_stages[i].stage, project_name(s, deploy_stages[i].project),
						    env, NULL)));
	}
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

/* GitHub token source only: the webhook, with its own generated secret (never the token). */
static void add_webhook(struct cfn_template *t, const struct scope *s)
{
	const char *secret = IR_NAME(s->ir, WEBHOOK_SECRET);
	struct json_object *resource, *props, *gen, *filter;

	resource = cfn_resource(t, "WebhookSecret", "AWS::SecretsManager::Secret");
	cfn_set_str(resource, "Condition", "UseToken");
	props = cfn_props(resource);
	cfn_set_str(props, "Name", secret);
	cfn_set_str(props, "Description", arena_printf(s->arena, "%s: HMAC secret of the GitHub webhook", s->name));
	gen = cfn_set(props, "GenerateSecretString", cfn_obj());
	cfn_set_int(gen, "PasswordLength", 40);
	cfn_set(gen, "ExcludePunctuation", cfn_bool(true));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));

	resource = cfn_resource(t, "Webhook", "AWS::CodePipeline::Webhook");
	cfn_set_str(resource, "Condition", "UseToken");
	cfn_set_str(resource, "DependsOn", "WebhookSecret");
	props = cfn_props(resource);
	cfn_set_str(props, "Authentication", "GITHUB_HMAC");
	cfn_set_str(cfn_set(props, "AuthenticationConfiguration", cfn_obj()), "SecretToken",
		    arena_printf(s->arena, "{{resolve:secretsmanager:%s:SecretString}}", secret));
	filter = cfn_obj();
	cfn_set_str(filter, "JsonPath", "$.ref");
	cfn_set_str(filter, "MatchEquals", "refs/heads/{Branch}");
	cfn_set(props, "Filters", cfn_array(filter, NULL));
	cfn_set_str(props, "TargetPipeline", IR_NAME(s->ir, STACK_PIPELINE));
	cfn_set_str(props, "TargetAction", "Source");
	cfn_set(props, "TargetPipelineVersion", cfn_getatt("Pipeline", "Version"));
	cfn_set(props, "RegisterWithThirdParty", cfn_bool(true));
}

int cfn_pipeline_build(struct emit_context *ctx, const struct emitter *row)
{
	struct scope s = { ctx->ir, ctx->arena, ctx->ir->cluster.name.value, !ctx->ir->pinned_any };
	struct cfn_template t;
	struct json_object *props;
	size_t i;

	cfn_template_init(&t, row->path,
			  arena_printf(ctx->arena, "ecsgen: cluster %s: the delivery pipeline", s.name));
	add_parameters(&t);
	/* Artifacts expire after 90 days, their old versions after 30. */
	cfn_private_bucket(&t, "ArtifactBucket", ctx->ir, "expire-old-artifacts", 90, 30);
	props = cfn_props(cfn_resource(&t, "BuildLogGroup", "AWS::Logs::LogGroup"));
	cfn_set_str(props, "LogGroupName", arena_printf(ctx->arena, "%scodebuild", IR_NAME(ctx->ir, LOG_GROUP_PREFIX)));
	cfn_set_int(props, "RetentionInDays", NAME_LOG_RETENTION_DAYS);
	cfn_set(props, "Tags", cfn_cluster_tags(ctx->ir));
	if (s.bake) {
		add_bake_role(&t, &s);
		add_project(&t, &s, "BakeProject", "bake", "BakeRole", "out/buildspec-ami.yml", 60);
	}
	add_deploy_role(&t, &s);
	for (i = 0; i < sizeof deploy_stages / sizeof deploy_stages[0]; i++)
		add_project(&t, &s, cfn_id(ctx->arena, "", deploy_stages[i].stage, "Project"),
			    deploy_stages[i].project, "DeployRole", "out/buildspec.yml", 120);
	add_pipeline_role(&t, &s);
	add_pipeline(&t, &s);
	add_webhook(&t, &s);
	cfn_output(&t, "ArtifactBucket", "the artifact bucket (make destroy empties it)", cfn_ref("ArtifactBucket"),
		   NULL);
	cfn_output(&t, "PipelineName", "the pipeline", cfn_str(IR_NAME(ctx->ir, STACK_PIPELINE)), NULL);
	return cfn_template_emit(ctx, &t, ctx->ir->cluster.name.loc);
}

