/*
 * cfn_pipeline.c - cloudformation/pipeline.json: the delivery pipeline of
 * one cluster (<cluster>-pipeline): an artifact bucket, a source action
 * (a CodeConnections connection, which make put-pipeline sets up by
 * default, or GitHub with a token from Secrets Manager when ConnectionArn
 * is empty), the permissions boundary of the cluster's roles, the AMI
 * bake (skipped when
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


#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"
#include "lower.h"

#define BUILD_IMAGE "aws/codebuild/standard:7.0"

/*
 * One cluster's part of the pipeline: its deploy stage, project, role and
 * boundary.  Without environments the one cluster is infra.yml's; with
 * them, one per environment, each scoped to that environment's cluster.
 */
struct scope {
	const struct ir *ir;       /* the cluster's (for the pipeline's own parts, infra.yml's) */
	const struct ir *pipeline; /* infra.yml's: the pipeline's names (its build logs) */
	struct arena *arena;
	const char *name;          /* ir's cluster.name */
	bool bake;                 /* some stage's images are baked (no cluster.ami or cluster.amis) */
	/* The stage: name, logical-id part and project name suffix ("Deploy", "", "deploy"). */
	const char *stage, *id, *project;
	const char *environment;   /* NULL without environments */
};

/*
 * The deploy stages, in ctx->stages' order (emitter.h: the one place that
 * order is kept): "Deploy" and "<cluster>-deploy" for the one cluster, or
 * "Deploy<Env>" and "<pipeline>-deploy-<env>" for each environment.
 */
static struct scope *deploy_stages(const struct emit_context *ctx, const struct scope *top, size_t *n)
{
	const struct emit_environment single = { NULL, ctx->ir };
	const struct emit_environment *stages = ctx->nstages ? ctx->stages : &single;
	struct scope *out;
	size_t i;

	*n = ctx->nstages ? ctx->nstages : 1;
	out = arena_array(ctx->arena, *n, sizeof *out);
	for (i = 0; i < *n; i++) {
		const char *e = stages[i].name;
		out[i] = *top;
		out[i].ir = stages[i].ir;
		out[i].name = stages[i].ir->cluster.name.value;
		out[i].environment = e;
		out[i].id = e ? lower_logical_id(ctx->arena, e) : "";
		out[i].stage = arena_printf(ctx->arena, "Deploy%s", out[i].id);
		out[i].project = e ? arena_printf(ctx->arena, "deploy-%s", e) : "deploy";
	}
	return out;
}

/* Every project is the pipeline's: <infra.yml's cluster.name>-<project>. */
static const char *project_name(const struct scope *s, const char *project)
{
	return arena_printf(s->arena, "%s-%s", s->pipeline->cluster.name.value, project);
}

static void allow(struct cfn_value *st, const char *const *actions, struct cfn_value *resources)
{
	cfn_push(st, cfn_allow(actions, resources));
}

static struct cfn_value *bucket_arn(const char *suffix)
{
	return cfn_sub(suffix ? "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*" : "arn:${AWS::Partition}:s3:::${ArtifactBucket}");
}

static struct cfn_value *stacks_of_cluster(const struct scope *s)
{
	return cfn_array(cfn_arn("cloudformation", "stack/%s/*", IR_NAME(s->ir, STACK_ASSETS)),
			 cfn_arn("cloudformation", "stack/%s/*", IR_NAME(s->ir, STACK_CLUSTER)),
			 cfn_arn("cloudformation", "stack/%s/*", IR_NAME(s->ir, STACK_HEALTH)),
			 cfn_arn("cloudformation", "stack/%s*/*", IR_NAME(s->ir, STACK_COMPUTE_PREFIX)), NULL);
}

static struct cfn_value *cluster_roles(const struct scope *s)
{
	return cfn_sub(arena_printf(s->arena, "arn:${AWS::Partition}:iam::${AWS::AccountId}:role%s*",
				    IR_NAME(s->ir, ROLE_PATH)));
}

/* The pipeline's own roles and the boundary: a path the deploy role cannot touch. */
static const char *pipeline_path(struct arena *arena, const char *cluster)
{
	return arena_printf(arena, "/ecsgen-pipeline/%s/", cluster);
}

const char *cfn_pipeline_role_path(struct arena *arena, const struct ir *ir)
{
	return pipeline_path(arena, ir->cluster.name.value);
}

struct cfn_value *cfn_role_boundary(struct arena *arena, const struct ir *ir)
{
	return cfn_sub(arena_printf(arena, "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy%s%s",
				    pipeline_path(arena, ir->cluster.name.value), IR_NAME(ir, ROLE_BOUNDARY)));
}

/* "aws:ResourceTag/ecsgen:cluster" and the like. */
static const char *tag_key(const struct scope *s, const char *prefix)
{
	return arena_printf(s->arena, "%s/%s", prefix, NAME_TAG_CLUSTER);
}

static struct cfn_value *region_ec2(void)
{
	return cfn_array(cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*"),
			 cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}::image/*"),
			 cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*"), NULL);
}

static void add_parameters(struct cfn_template *t)
{
	struct cfn_value *p;

	cfn_param(t, "GitHubOwner", "String", "owner of the cluster's repository (the Makefile reads git remote)");
	cfn_param(t, "GitHubRepo", "String", "name of the cluster's repository");
	cfn_param(t, "GitHubBranch", "String", "branch that deploys");
	p = cfn_param(t, "GitHubTokenSecret", "String",
		      "Secrets Manager secret whose SecretString is the GitHub personal access token");
	cfn_set_str(p, "Default", "GithubToken");
	p = cfn_param(t, "ConnectionArn", "String",
		      "the CodeConnections connection of the source (make put-pipeline's default; empty: the GitHub token)");
	cfn_set_str(p, "Default", "");
	cfn_set_str(p, "AllowedPattern",
		    "^$|^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]+$");
	cfn_param(t, "EcsgenSourceUrl", "String", "URL of the ecsgen source tarball the builds compile");
	/* The builds run with the deploy role's rights: only these exact bytes. */
	p = cfn_param(t, "EcsgenSourceSha256", "String",
		      "SHA-256 of that tarball (sha256sum); a build whose download differs stops before unpacking it");
	cfn_set_str(p, "AllowedPattern", "^[0-9a-f]{64}$");
	cfn_condition(t, "UseConnection", cfn_not(cfn_equals(cfn_ref("ConnectionArn"), cfn_str(""))));
	/*
	 * The connection's service, from its ARN (arn:aws:<service>:...; the
	 * ":::" keeps Fn::Select in range when ConnectionArn is empty): a
	 * connection made before the rename to CodeConnections keeps its
	 * codestar-connections ARN, and only that prefix's action uses it.
	 * https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html
	 */
	cfn_condition(t, "CodestarConnection",
		      cfn_equals(cfn_select(2, cfn_split(":", cfn_join("", cfn_array(cfn_ref("ConnectionArn"),
										cfn_str(":::"), NULL)))),
				 cfn_str("codestar-connections")));
	cfn_condition(t, "UseToken", cfn_equals(cfn_ref("ConnectionArn"), cfn_str("")));
}

static struct cfn_value *role(struct cfn_template *t, const struct scope *s, const char *id,
				const char *service, const char *what, struct cfn_value *statements)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, id, "AWS::IAM::Role"));
	cfn_set_str(props, "Description", arena_printf(s->arena, "%s: %s", s->name, what));
	/* Not under /ecsgen/<cluster>/, which the deploy role may change: no self-escalation. */
	cfn_set_str(props, "Path", pipeline_path(s->arena, s->name));
	cfn_set(props, "AssumeRolePolicyDocument", cfn_assume_role(service));
	cfn_set(props, "Policies", cfn_array(cfn_inline_policy(id, statements), NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
	return props;
}

/* What every CodeBuild project does: its logs, the pipeline's artifacts. */
static struct cfn_value *build_basics(const struct scope *s)
{
	static const char *const logs[] = { "logs:CreateLogStream", "logs:PutLogEvents", NULL };
	static const char *const artifacts[] = { "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", NULL };
	struct cfn_value *st = cfn_array(NULL);

	allow(st, logs, cfn_arn("logs", "log-group:%scodebuild:*", IR_NAME(s->pipeline, LOG_GROUP_PREFIX)));
	allow(st, artifacts, bucket_arn("/*"));
	return st;
}

/* Reading the stacks: the bake keeps AMIs a compute stack uses, deploy demotes old ones. */
static void read_stacks(struct cfn_value *st, const struct scope *s)
{
	static const char *const list[] = { "cloudformation:ListStacks", NULL };
	static const char *const describe[] = { "cloudformation:DescribeStacks", NULL };

	allow(st, list, cfn_str("*"));
	allow(st, describe, stacks_of_cluster(s));
}

/* Packer's amazon-ebs builder and `make ami`'s cleanup of older images. */
static void add_bake_role(struct cfn_template *t, const struct scope *s, const struct scope *stages, size_t n)
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
	struct cfn_value *st = build_basics(s);

	/* Describe calls have no resource-level permissions. */
	allow(st, describe, cfn_str("*"));
	allow(st, build, region_ec2());
	/* Each stage's stacks: an image one of them runs is kept. */
	read_stacks(st, &stages[0]);
	for (size_t i = 1; i < n; i++) {
		static const char *const describe_stacks[] = { "cloudformation:DescribeStacks", NULL };
		allow(st, describe_stacks, stacks_of_cluster(&stages[i]));
	}
	role(t, s, "BakeRole", "codebuild.amazonaws.com", "CodeBuild bakes the nodes' AMI with Packer", st);
}

/*
 * The permissions boundary of every role the cluster stack creates (the
 * deploy role may create or grant to a role only with it): the most any
 * of them may do, which is what the cluster's own roles need and nothing
 * else -- no IAM but passing this cluster's roles, no other cluster's
 * resources.  Its statements follow those roles: the nodes' two AWS
 * managed policies (AmazonEC2ContainerServiceforEC2Role and
 * AmazonSSMManagedInstanceCore, as AWS grants them: on "*"), the compute
 * stacks' service role (cfn_cluster.c) and the lifecycle functions'
 * (cfn_functions.c).  tests/iam/iam.test evaluates every call of those
 * roles through it.  An action AWS later adds to a managed policy stays
 * denied until it is added here.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEC2ContainerServiceforEC2Role.html
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonSSMManagedInstanceCore.html
 */
static void add_role_boundary(struct cfn_template *t, const struct scope *s)
{
	static const char *const ecs[] = {
		"ecs:CreateCluster", "ecs:RegisterContainerInstance", "ecs:DeregisterContainerInstance",
		"ecs:Poll", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState",
		"ecs:SubmitAttachmentStateChanges", "ecs:SubmitContainerStateChange", "ecs:SubmitTaskStateChange",
		"ecs:TagResource", "ecs:ListContainerInstances", "ecs:DescribeContainerInstances",
		"ecs:PutAttributes", "ecs:DeleteAttributes", "ecs:ListTasks", "ecs:DescribeTasks",
		"ecs:DescribeServices", NULL,
	};
	static const char *const anywhere[] = {
		/* The nodes. */
		"ecs:DiscoverPollEndpoint", "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
		"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents",
		"ec2:DescribeTags", "ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance",
		"ssm:GetDocument", "ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters",
		"ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems",
		"ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
		"ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
		"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel", "ec2messages:AcknowledgeMessage",
		"ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
		"ec2messages:GetMessages", "ec2messages:SendReply",
		/* The functions and the compute service role: reads with no resource-level permissions. */
		"ecs:ListServices", "ecs:DescribeTaskDefinition", "cloudformation:DescribeStacks",
		"ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeFleets",
		"ec2:DescribeSpotFleetRequests", "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions",
		"ec2:DescribeImages", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
		"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities",
		"autoscaling:DescribeLifecycleHooks", NULL,
	};
	static const char *const ec2[] = {
		"ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
		"ec2:DeleteLaunchTemplate", "ec2:CreateFleet", "ec2:ModifyFleet", "ec2:DeleteFleets",
		"ec2:DescribeFleetInstances", "ec2:DescribeSpotFleetInstances", "ec2:ModifySpotFleetRequest",
		"ec2:CancelSpotFleetRequests", "ec2:RunInstances", "ec2:TerminateInstances", "ec2:CreateTags",
		"ec2:DeleteTags", NULL,
	};
	static const char *const groups[] = {
		"autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup",
		"autoscaling:DeleteAutoScalingGroup", "autoscaling:PutLifecycleHook", "autoscaling:DeleteLifecycleHook",
		"autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags",
		"autoscaling:TerminateInstanceInAutoScalingGroup", "autoscaling:CompleteLifecycleAction",
		"autoscaling:RecordLifecycleActionHeartbeat", NULL,
	};
	static const char *const stacks[] = { "cloudformation:DeleteStack", NULL };
	static const char *const pass[] = { "iam:PassRole", NULL };
	static const char *const linked[] = { "iam:CreateServiceLinkedRole", NULL };
	static const char *const state[] = { "ssm:PutParameter", NULL };
	static const char *const lock[] = { "dynamodb:PutItem", "dynamodb:DeleteItem", NULL };
	static const char *const metric[] = { "cloudwatch:PutMetricData", NULL };
	static const char *const read_template[] = { "s3:GetObject", NULL };
	struct cfn_value *props, *st = cfn_array(NULL);

	allow(st, ecs, cfn_array(cfn_arn("ecs", "cluster/%s", s->name), cfn_arn("ecs", "container-instance/%s/*", s->name),
				 cfn_arn("ecs", "task/%s/*", s->name), cfn_arn("ecs", "service/%s/*", s->name), NULL));
	allow(st, anywhere, cfn_str("*"));
	allow(st, ec2, region_ec2());
	allow(st, groups, cfn_arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/%s*",
				  IR_NAME(s->ir, STACK_COMPUTE_PREFIX)));
	allow(st, stacks, cfn_arn("cloudformation", "stack/%s*/*", IR_NAME(s->ir, STACK_COMPUTE_PREFIX)));
	/*
	 * The nodes' role to EC2: ours, or the one behind infra.yml's instance
	 * profile, which no template names (the compute service role passes
	 * any role to EC2 then, and so may this); the compute service role to
	 * CloudFormation.
	 */
	cfn_push(st, cfn_condition_on(cfn_allow(pass, s->ir->ec2_instances.instance_profile_arn.present ?
						cfn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*") :
						cluster_roles(s)),
				      "StringEquals", "iam:PassedToService", cfn_str("ec2.amazonaws.com")));
	cfn_push(st, cfn_condition_on(cfn_allow(pass, cluster_roles(s)), "StringEquals", "iam:PassedToService",
				      cfn_str("cloudformation.amazonaws.com")));
	cfn_push(st, cfn_condition_on(cfn_allow(linked,
		cfn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/*")),
		"StringEquals", "iam:AWSServiceName",
		cfn_array(cfn_str("autoscaling.amazonaws.com"), cfn_str("spot.amazonaws.com"), NULL)));
	allow(st, state, cfn_arn("ssm", "parameter%s", IR_NAME(s->ir, STATE_PARAMETER)));
	allow(st, lock, cfn_arn("dynamodb", "table/%s", IR_NAME(s->ir, LOCK_TABLE)));
	cfn_push(st, cfn_condition_on(cfn_allow(metric, cfn_str("*")), "StringEquals", "cloudwatch:namespace",
				      cfn_str(IR_NAME(s->ir, METRIC_NAMESPACE))));
	allow(st, read_template, cfn_assets_arn(s->arena, s->ir, true));

	props = cfn_props(cfn_resource(t, cfn_id(s->arena, "RoleBoundary", s->id, ""), "AWS::IAM::ManagedPolicy"));
	cfn_set_str(props, "ManagedPolicyName", IR_NAME(s->ir, ROLE_BOUNDARY));
	cfn_set_str(props, "Path", pipeline_path(s->arena, s->name));
	cfn_set_str(props, "Description",
		    arena_printf(s->arena, "%s: the most any role of the cluster stack may do (its permissions boundary)", s->name));
	cfn_set(props, "PolicyDocument", cfn_policy_document(st));
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
	/* Granting rights: only to a role under this cluster's boundary (add_role_boundary). */
	static const char *const bounded[] = {
		"iam:CreateRole", "iam:PutRolePolicy", "iam:PutRolePermissionsBoundary", NULL,
	};
	static const char *const roles[] = {
		"iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
		"iam:UpdateAssumeRolePolicy", "iam:DeleteRolePolicy", "iam:GetRolePolicy",
		"iam:DetachRolePolicy", "iam:TagRole", "iam:UntagRole", "iam:CreateInstanceProfile",
		"iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile",
		"iam:RemoveRoleFromInstanceProfile", NULL,
	};
	static const char *const attach[] = { "iam:AttachRolePolicy", NULL };
	static const char *const ec2_describe[] = {
		"ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "ec2:DescribeSubnets", "ec2:DescribeImages",
		"ec2:DescribeInstances", NULL,
	};
	static const char *const new_group[] = { "ec2:CreateSecurityGroup", NULL };
	static const char *const tag_new_group[] = { "ec2:CreateTags", NULL };
	static const char *const groups[] = {
		"ec2:DeleteSecurityGroup", "ec2:AuthorizeSecurityGroupIngress",
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
	/*
	 * What the cluster stack's resources take goes in a managed policy
	 * (DeployClusterPolicy): a role's inline policies share 10,240
	 * characters, and this role's would not fit them with a long cluster
	 * name.  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
	 */
	struct cfn_value *st = build_basics(s), *cl = cfn_array(NULL), *props;

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
	/*
	 * A role this role creates or grants to can do no more than the
	 * boundary allows, whatever its own policies say, and the boundary
	 * cannot be taken off (no iam:DeleteRolePermissionsBoundary), so a
	 * changed cluster template cannot mint a role wider than the cluster's.
	 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
	 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
	 * (CreateRole, PutRolePolicy, AttachRolePolicy, PutRolePermissionsBoundary: iam:PermissionsBoundary)
	 */
	cfn_push(st, cfn_condition_on(cfn_allow(bounded, cluster_roles(s)), "ArnEquals", "iam:PermissionsBoundary",
				      cfn_role_boundary(s->arena, s->ir)));
	cfn_push(st, cfn_condition_on(cfn_condition_on(cfn_allow(attach, cluster_roles(s)), "ArnEquals", "iam:PolicyARN",
		cfn_array(cfn_sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"),
			  cfn_sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"), NULL)),
		"ArnEquals", "iam:PermissionsBoundary", cfn_role_boundary(s->arena, s->ir)));
	allow(st, ec2_describe, cfn_str("*"));
	/*
	 * Security groups: created only with this cluster's tag (the stack tag
	 * and each group's own Tags, tag-on-create), in any VPC (the user's);
	 * every later change only on a group that carries the tag, so another
	 * cluster's groups and the user's own stay out of reach.
	 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_ec2_securitygroups-vpc.html
	 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
	 * (security-group: aws:ResourceTag; CreateSecurityGroup: aws:RequestTag)
	 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html
	 */
	allow(cl, new_group, cfn_arn("ec2", "vpc/*"));
	cfn_push(cl, cfn_condition_on(cfn_allow(new_group, cfn_arn("ec2", "security-group/*")), "StringEquals",
				      tag_key(s, "aws:RequestTag"), cfn_str(s->name)));
	cfn_push(cl, cfn_condition_on(cfn_allow(tag_new_group, cfn_arn("ec2", "security-group/*")), "StringEquals",
				      "ec2:CreateAction", cfn_str("CreateSecurityGroup")));
	cfn_push(cl, cfn_condition_on(cfn_allow(groups, cfn_arn("ec2", "security-group/*")), "StringEquals",
				      tag_key(s, "aws:ResourceTag"), cfn_str(s->name)));
	allow(st, cluster, cfn_arn("ecs", "cluster/%s", s->name));
	allow(st, taskdefs, cfn_str("*"));
	allow(st, health, cfn_arn("ecs", "task-definition/%s:*", IR_NAME(s->ir, STACK_HEALTH)));
	/* The health stack's tags on its task definition: tag-on-create only. */
	cfn_push(st, cfn_condition_on(cfn_allow(tag, cfn_arn("ecs", "task-definition/%s:*", IR_NAME(s->ir, STACK_HEALTH))),
				      "StringEquals", "ecs:CreateAction", cfn_str("RegisterTaskDefinition")));
	allow(st, tasks, cfn_arn("ecs", "task/%s/*", s->name));
	allow(st, nodes, cfn_arn("ecs", "container-instance/%s/*", s->name));
	/* The functions and their rules, by the names the cluster stack gives them. */
	allow(st, functions, cfn_function_arns(s->arena, s->ir, false));
	allow(cl, rules, cfn_function_arns(s->arena, s->ir, true));
	allow(cl, logs, cfn_arn("logs", "log-group:%s*", IR_NAME(s->ir, LOG_GROUP_PREFIX)));
	allow(cl, describe_logs, cfn_str("*"));
	allow(cl, params, cfn_arn("ssm", "parameter%s*", IR_NAME(s->ir, PARAMETER_PREFIX)));
	allow(cl, public_ami, cfn_sub("arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/aws/service/ecs/*"));
	/*
	 * The cluster stack's lock table (CloudFormation's handlers, and the
	 * deploy's lock items: scripts/lock.sh), the functions' invoke configs,
	 * the alarms and their topic.
	 */
	allow(cl, lock, cfn_arn("dynamodb", "table/%s", IR_NAME(s->ir, LOCK_TABLE)));
	allow(cl, invoke_configs, cfn_function_arns(s->arena, s->ir, false));
	allow(cl, alarms, cfn_arn("cloudwatch", "alarm:%s*", IR_NAME(s->ir, ALARM_PREFIX)));
	if (!s->ir->cluster.alarm_topic_arn.present) {
		allow(cl, topic, cfn_arn("sns", "%s", IR_NAME(s->ir, ALARM_TOPIC)));
		/*
		 * A new key has no ARN to name: CreateKey only with the cluster's
		 * tag, every later call only on a key that carries it.
		 * https://docs.aws.amazon.com/kms/latest/developerguide/tag-authorization.html
		 */
		cfn_push(cl, cfn_condition_on(cfn_allow(new_key, cfn_str("*")), "StringEquals",
					      arena_printf(s->arena, "aws:RequestTag/%s", NAME_TAG_CLUSTER), cfn_str(s->name)));
		cfn_push(cl, cfn_condition_on(cfn_allow(key, cfn_arn("kms", "key/*")), "StringEquals",
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
	props = role(t, s, cfn_id(s->arena, "DeployRole", s->id, ""), "codebuild.amazonaws.com",
		     "CodeBuild deploys the cluster's stacks", st);
	cfn_set(props, "ManagedPolicyArns", cfn_array(cfn_ref(cfn_id(s->arena, "DeployClusterPolicy", s->id, "")), NULL));
	props = cfn_props(cfn_resource(t, cfn_id(s->arena, "DeployClusterPolicy", s->id, ""), "AWS::IAM::ManagedPolicy"));
	cfn_set_str(props, "ManagedPolicyName", arena_printf(s->arena, "%s-deploy", s->name));
	cfn_set_str(props, "Path", pipeline_path(s->arena, s->name));
	cfn_set_str(props, "Description",
		    arena_printf(s->arena, "%s: what the deploy role needs for the cluster stack's resources", s->name));
	cfn_set(props, "PolicyDocument", cfn_policy_document(cl));
}

static void add_pipeline_role(struct cfn_template *t, const struct scope *s, const struct scope *stages, size_t n)
{
	static const char *const artifacts[] = { "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", NULL };
	static const char *const bucket[] = { "s3:GetBucketVersioning", "s3:GetBucketLocation", NULL };
	static const char *const builds[] = { "codebuild:StartBuild", "codebuild:BatchGetBuilds", NULL };
	struct cfn_value *st = cfn_array(NULL), *projects = cfn_array(NULL), *use;
	size_t i;

	allow(st, artifacts, bucket_arn("/*"));
	allow(st, bucket, bucket_arn(NULL));
	if (s->bake)
		cfn_push(projects, cfn_arn("codebuild", "project/%s", project_name(s, "bake")));
	for (i = 0; i < n; i++)
		cfn_push(projects, cfn_arn("codebuild", "project/%s", project_name(s, stages[i].project)));
	allow(st, builds, projects);
	/* The source action's connection, by the action of the ARN's own service. */
	use = cfn_obj();
	cfn_set_str(use, "Effect", "Allow");
	cfn_set(use, "Action", cfn_if("CodestarConnection", cfn_str("codestar-connections:UseConnection"),
				      cfn_str("codeconnections:UseConnection")));
	cfn_set(use, "Resource", cfn_ref("ConnectionArn"));
	cfn_push(st, cfn_if("UseConnection", use, cfn_novalue()));
	role(t, s, "PipelineRole", "codepipeline.amazonaws.com", "CodePipeline runs the cluster's pipeline", st);
}

static void add_project(struct cfn_template *t, const struct scope *s, const char *id, const char *project,
			const char *role_id, const char *buildspec, int minutes, const char *environment)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, id, "AWS::CodeBuild::Project"));
	struct cfn_value *env, *vars, *var, *logs;

	cfn_set_str(props, "Name", project_name(s, project));
	cfn_set(props, "ServiceRole", cfn_getatt(role_id, "Arn"));
	cfn_set_str(cfn_set(props, "Artifacts", cfn_obj()), "Type", "CODEPIPELINE");
	{
		struct cfn_value *source = cfn_set(props, "Source", cfn_obj());
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
	/* The stage's environment: buildspec.yml's make deploy ENVIRONMENT=... */
	if (environment) {
		var = cfn_push(vars, cfn_obj());
		cfn_set_str(var, "Name", "ENVIRONMENT");
		cfn_set_str(var, "Value", environment);
	}
	logs = cfn_set(cfn_set(props, "LogsConfig", cfn_obj()), "CloudWatchLogs", cfn_obj());
	cfn_set_str(logs, "Status", "ENABLED");
	cfn_set(logs, "GroupName", cfn_ref("BuildLogGroup"));
	cfn_set_int(props, "TimeoutInMinutes", minutes);
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

static struct cfn_value *action_type(const char *category, const char *owner, const char *provider)
{
	struct cfn_value *type = cfn_obj();
	cfn_set_str(type, "Category", category);
	cfn_set_str(type, "Owner", owner);
	cfn_set_str(type, "Provider", provider);
	cfn_set_str(type, "Version", "1");
	return type;
}

static struct cfn_value *artifact(const char *name)
{
	struct cfn_value *a = cfn_obj();
	cfn_set_str(a, "Name", name);
	return cfn_array(a, NULL);
}

/* Both sources publish the commit as #{SourceVariables.CommitId}. */
static struct cfn_value *source_action(bool connection)
{
	struct cfn_value *action = cfn_obj(), *config = cfn_obj();

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

static struct cfn_value *build_action(const char *name, const char *project, struct cfn_value *env,
					const char *namespace)
{
	struct cfn_value *action = cfn_obj(), *config = cfn_obj();

	cfn_set_str(action, "Name", name);
	cfn_set(action, "ActionTypeId", action_type("Build", "AWS", "CodeBuild"));
	cfn_set_str(config, "ProjectName", project);
	if (env)
		cfn_set(config, "EnvironmentVariables", cfn_plain(env));
	cfn_set(action, "Configuration", config);
	cfn_set(action, "InputArtifacts", artifact("Source"));
	if (namespace)
		cfn_set_str(action, "Namespace", namespace);
	cfn_set_int(action, "RunOrder", 1);
	return action;
}

static struct cfn_value *stage(const char *name, struct cfn_value *action)
{
	struct cfn_value *st = cfn_obj();
	cfn_set_str(st, "Name", name);
	cfn_set(st, "Actions", cfn_array(action, NULL));
	return st;
}

static struct cfn_value *env_var(const char *name, const char *value)
{
	struct cfn_value *var = cfn_obj();
	cfn_set_str(var, "name", name);
	cfn_set_str(var, "value", value);
	cfn_set_str(var, "type", "PLAINTEXT");
	return var;
}

static void add_pipeline(struct cfn_template *t, const struct scope *s, const struct scope *stages, size_t n)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, "Pipeline", "AWS::CodePipeline::Pipeline"));
	struct cfn_value *list, *store;
	size_t i;

	cfn_set_str(props, "Name", IR_NAME(s->ir, STACK_PIPELINE));
	cfn_set_str(props, "PipelineType", "V2");
	/* A deploy is never superseded halfway: runs queue. */
	cfn_set_str(props, "ExecutionMode", "QUEUED");
	cfn_set(props, "RoleArn", cfn_getatt("PipelineRole", "Arn"));
	store = cfn_set(props, "ArtifactStore", cfn_obj());
	cfn_set_str(store, "Type", "S3");
	cfn_set(store, "Location", cfn_ref("ArtifactBucket"));
	list = cfn_set(props, "Stages", cfn_array(NULL));
	cfn_push(list, stage("Source", cfn_if("UseConnection", source_action(true), source_action(false))));
	if (s->bake)
		cfn_push(list, stage("Bake", build_action("Bake", project_name(s, "bake"), NULL, "BakeVariables")));
	/*
	 * One stage per cluster, in order: CodePipeline runs a stage only once
	 * the one before it succeeded, and each deploy ends with its smoke
	 * test (make deploy), so prod deploys only a version staging's smoke
	 * test passed.  Each takes its own baked image (buildspec-ami.yml).
	 * https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts.html
	 */
	for (i = 0; i < n; i++) {
		bool baked = s->bake && !stages[i].ir->pinned_any;
		const char *ami = !baked ? "" : stages[i].environment ?
			arena_printf(s->arena, "#{BakeVariables.AMI_%s}", stages[i].id) : "#{BakeVariables.AMI}";
		struct cfn_value *env = cfn_array(env_var("VERSION", "#{SourceVariables.CommitId}"),
						    env_var("AMI", ami), NULL);
		cfn_push(list, stage(stages[i].stage,
				     build_action(stages[i].stage, project_name(s, stages[i].project), env, NULL)));
	}
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

/*
 * cluster.ami_updates: weekly.  An EventBridge rule starts the pipeline
 * every Monday at 06:00 UTC, through a role that may start this pipeline
 * and nothing else; the bake skips a current image and the deploy step
 * deploys nothing new when neither the commit nor the image changed.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-trigger-source-schedule.html
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
static void add_ami_schedule(struct cfn_template *t, const struct scope *s)
{
	static const char *const start[] = { "codepipeline:StartPipelineExecution", NULL };
	struct cfn_value *st = cfn_array(NULL), *props, *target;
	const char *pipeline = IR_NAME(s->ir, STACK_PIPELINE);

	allow(st, start, cfn_arn("codepipeline", "%s", pipeline));
	role(t, s, "AmiScheduleRole", "events.amazonaws.com", "EventBridge starts the pipeline each week for new images", st);
	props = cfn_props(cfn_resource(t, "AmiSchedule", "AWS::Events::Rule"));
	/* No Name: CloudFormation's generated one always fits EventBridge's 64 characters. */
	cfn_set_str(props, "Description", arena_printf(s->arena, "%s: runs the pipeline weekly, so a new ECS-optimized image rolls out", s->name));
	cfn_set_str(props, "ScheduleExpression", "cron(0 6 ? * MON *)");
	cfn_set_str(props, "State", "ENABLED");
	target = cfn_obj();
	cfn_set(target, "Arn", cfn_arn("codepipeline", "%s", pipeline));
	cfn_set_str(target, "Id", "pipeline");
	cfn_set(target, "RoleArn", cfn_getatt("AmiScheduleRole", "Arn"));
	cfn_set(props, "Targets", cfn_array(target, NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(s->ir));
}

/* GitHub token source only: the webhook, with its own generated secret (never the token). */
static void add_webhook(struct cfn_template *t, const struct scope *s)
{
	const char *secret = IR_NAME(s->ir, WEBHOOK_SECRET);
	struct cfn_value *resource, *props, *gen, *filter;

	resource = cfn_deleted_with_stack(cfn_resource(t, "WebhookSecret", "AWS::SecretsManager::Secret"));
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
	struct scope s = { ctx->ir, ctx->ir, ctx->arena, ctx->ir->cluster.name.value, false, "Deploy", "", "deploy", NULL };
	struct cfn_template t;
	struct cfn_value *props;
	struct scope *stages;
	size_t i, n;

	stages = deploy_stages(ctx, &s, &n);
	for (i = 0; i < n; i++)
		s.bake = s.bake || !stages[i].ir->pinned_any;
	for (i = 0; i < n; i++)
		stages[i].bake = s.bake;

	cfn_template_init(&t, row->path,
			  arena_printf(ctx->arena, "ecsgen: cluster %s: the delivery pipeline", s.name));
	add_parameters(&t);
	/* Artifacts expire after 90 days, their old versions after 30. */
	cfn_private_bucket(&t, "ArtifactBucket", ctx->ir, "expire-old-artifacts", 90, 30);
	props = cfn_props(cfn_deleted_with_stack(cfn_resource(&t, "BuildLogGroup", "AWS::Logs::LogGroup")));
	cfn_set_str(props, "LogGroupName", arena_printf(ctx->arena, "%scodebuild", IR_NAME(ctx->ir, LOG_GROUP_PREFIX)));
	cfn_set_int(props, "RetentionInDays", NAME_LOG_RETENTION_DAYS);
	cfn_set(props, "Tags", cfn_cluster_tags(ctx->ir));
	if (s.bake) {
		add_bake_role(&t, &s, stages, n);
		add_project(&t, &s, "BakeProject", "bake", "BakeRole", "out/buildspec-ami.yml", 60, NULL);
	}
	/* Each stage's boundary, deploy role and project, scoped to its own cluster's names. */
	for (i = 0; i < n; i++) {
		add_role_boundary(&t, &stages[i]);
		add_deploy_role(&t, &stages[i]);
		add_project(&t, &stages[i], cfn_id(ctx->arena, "", stages[i].stage, "Project"), stages[i].project,
			    cfn_id(ctx->arena, "DeployRole", stages[i].id, ""), "out/buildspec.yml", 120,
			    stages[i].environment);
	}
	add_pipeline_role(&t, &s, stages, n);
	add_pipeline(&t, &s, stages, n);
	add_webhook(&t, &s);
	if (ctx->ir->ami_updates == IR_AMI_UPDATES_WEEKLY)
		add_ami_schedule(&t, &s);
	else if (ctx->ir->ami_updates == IR_AMI_UPDATES_AUTO && cfn_add_ami_update_trigger(ctx, &t) < 0)
		return -1;
	cfn_output(&t, "ArtifactBucket", "the artifact bucket (make destroy empties it)", cfn_ref("ArtifactBucket"),
		   NULL);
	cfn_output(&t, "PipelineName", "the pipeline", cfn_str(IR_NAME(ctx->ir, STACK_PIPELINE)), NULL);
	return cfn_template_emit(ctx, &t, ctx->ir->cluster.name.loc);
}

