/*
 * cfn_create_only.c - the create-only properties of every resource type
 * ecsgen emits (see cfn_create_only.h), sorted by type.  Written from the
 * CloudFormation resource schemas' createOnlyProperties (the union of
 * every regional variant cfn-lint bundles); tests/cfn/create-only.test
 * fails when a row and the schemas part, or an emitted type has no row.
 * AWS::EC2::SpotFleet stays: --preview compares against templates older
 * ecsgen versions wrote.
 */
#include "config.h"

#include <string.h>

#include "cfn_create_only.h"

static const char *const autoscaling_autoscalinggroup[] = {
	"InstanceId",
	"AutoScalingGroupName",
	NULL,
};

static const char *const cloudwatch_alarm[] = {
	"AlarmName",
	NULL,
};

static const char *const codebuild_project[] = {
	"Name",
	NULL,
};

static const char *const codepipeline_pipeline[] = {
	"Name",
	NULL,
};

static const char *const codepipeline_webhook[] = {
	"Name",
	NULL,
};

static const char *const ec2_ec2fleet[] = {
	"LaunchTemplateConfigs",
	"OnDemandOptions",
	"ReplaceUnhealthyInstances",
	"SpotOptions",
	"TagSpecifications",
	"TerminateInstancesWithExpiration",
	"Type",
	"ValidFrom",
	"ValidUntil",
	"TargetCapacitySpecification/TargetCapacityUnitType",
	"TargetCapacitySpecification/DefaultTargetCapacityType",
	"ReservedCapacityOptions",
	NULL,
};

static const char *const ec2_launchtemplate[] = {
	"LaunchTemplateName",
	NULL,
};

static const char *const ec2_securitygroup[] = {
	"GroupDescription",
	"GroupName",
	"VpcId",
	NULL,
};

static const char *const ec2_spotfleet[] = {
	"SpotFleetRequestConfigData/AllocationStrategy",
	"SpotFleetRequestConfigData/IamFleetRole",
	"SpotFleetRequestConfigData/InstanceInterruptionBehavior",
	"SpotFleetRequestConfigData/InstancePoolsToUseCount",
	"SpotFleetRequestConfigData/LaunchSpecifications",
	"SpotFleetRequestConfigData/LaunchTemplateConfigs",
	"SpotFleetRequestConfigData/LoadBalancersConfig",
	"SpotFleetRequestConfigData/OnDemandAllocationStrategy",
	"SpotFleetRequestConfigData/OnDemandMaxTotalPrice",
	"SpotFleetRequestConfigData/OnDemandTargetCapacity",
	"SpotFleetRequestConfigData/ReplaceUnhealthyInstances",
	"SpotFleetRequestConfigData/SpotMaintenanceStrategies",
	"SpotFleetRequestConfigData/SpotMaxTotalPrice",
	"SpotFleetRequestConfigData/SpotPrice",
	"SpotFleetRequestConfigData/TagSpecifications",
	"SpotFleetRequestConfigData/TerminateInstancesWithExpiration",
	"SpotFleetRequestConfigData/Type",
	"SpotFleetRequestConfigData/ValidFrom",
	"SpotFleetRequestConfigData/ValidUntil",
	NULL,
};

static const char *const ecs_cluster[] = {
	"ClusterName",
	NULL,
};

static const char *const ecs_taskdefinition[] = {
	"Family",
	"ContainerDefinitions",
	"Cpu",
	"EnableFaultInjection",
	"ExecutionRoleArn",
	"InferenceAccelerators",
	"Memory",
	"NetworkMode",
	"PlacementConstraints",
	"ProxyConfiguration",
	"RequiresCompatibilities",
	"RuntimePlatform",
	"TaskRoleArn",
	"Volumes",
	"PidMode",
	"IpcMode",
	"EphemeralStorage",
	NULL,
};

static const char *const events_rule[] = {
	"Name",
	NULL,
};

static const char *const iam_instanceprofile[] = {
	"InstanceProfileName",
	"Path",
	NULL,
};

static const char *const iam_role[] = {
	"Path",
	"RoleName",
	NULL,
};

static const char *const iam_managedpolicy[] = {
	"ManagedPolicyName",
	"Description",
	"Path",
	NULL,
};

static const char *const kms_key[] = {
	NULL,
};

static const char *const lambda_function[] = {
	"FunctionName",
	"PackageType",
	"TenancyConfig",
	NULL,
};

static const char *const lambda_permission[] = {
	"FunctionName",
	"FunctionUrlAuthType",
	"InvokedViaFunctionUrl",
	"SourceAccount",
	"SourceArn",
	"Principal",
	"PrincipalOrgID",
	"Action",
	"EventSourceToken",
	NULL,
};

static const char *const dynamodb_table[] = {
	"ImportSourceSpecification",
	"TableName",
	NULL,
};

static const char *const lambda_eventinvokeconfig[] = {
	"FunctionName",
	"Qualifier",
	NULL,
};

static const char *const logs_loggroup[] = {
	"LogGroupName",
	NULL,
};

static const char *const s3_bucket[] = {
	"BucketName",
	"BucketNamePrefix",
	"BucketNamespace",
	NULL,
};

static const char *const s3_bucketpolicy[] = {
	"Bucket",
	NULL,
};

static const char *const sns_subscription[] = {
	"Endpoint",
	"Protocol",
	"TopicArn",
	NULL,
};

static const char *const sns_topic[] = {
	"FifoTopic",
	"TopicName",
	NULL,
};

static const char *const sns_topicpolicy[] = {
	NULL,
};

static const char *const ssm_parameter[] = {
	"Name",
	NULL,
};

static const char *const secretsmanager_secret[] = {
	"Name",
	NULL,
};

const struct cfn_create_only cfn_create_only[] = {
	{ "AWS::AutoScaling::AutoScalingGroup", autoscaling_autoscalinggroup },
	{ "AWS::CloudWatch::Alarm", cloudwatch_alarm },
	{ "AWS::CodeBuild::Project", codebuild_project },
	{ "AWS::CodePipeline::Pipeline", codepipeline_pipeline },
	{ "AWS::CodePipeline::Webhook", codepipeline_webhook },
	{ "AWS::DynamoDB::Table", dynamodb_table },
	{ "AWS::EC2::EC2Fleet", ec2_ec2fleet },
	{ "AWS::EC2::LaunchTemplate", ec2_launchtemplate },
	{ "AWS::EC2::SecurityGroup", ec2_securitygroup },
	{ "AWS::EC2::SpotFleet", ec2_spotfleet },
	{ "AWS::ECS::Cluster", ecs_cluster },
	{ "AWS::ECS::TaskDefinition", ecs_taskdefinition },
	{ "AWS::Events::Rule", events_rule },
	{ "AWS::IAM::InstanceProfile", iam_instanceprofile },
	{ "AWS::IAM::ManagedPolicy", iam_managedpolicy },
	{ "AWS::IAM::Role", iam_role },
	{ "AWS::KMS::Key", kms_key },
	{ "AWS::Lambda::Function", lambda_function },
	{ "AWS::Lambda::EventInvokeConfig", lambda_eventinvokeconfig },
	{ "AWS::Lambda::Permission", lambda_permission },
	{ "AWS::Logs::LogGroup", logs_loggroup },
	{ "AWS::S3::Bucket", s3_bucket },
	{ "AWS::S3::BucketPolicy", s3_bucketpolicy },
	{ "AWS::SNS::Subscription", sns_subscription },
	{ "AWS::SNS::Topic", sns_topic },
	{ "AWS::SNS::TopicPolicy", sns_topicpolicy },
	{ "AWS::SSM::Parameter", ssm_parameter },
	{ "AWS::SecretsManager::Secret", secretsmanager_secret },
};

const size_t cfn_create_only_count = sizeof cfn_create_only / sizeof cfn_create_only[0];

const struct cfn_create_only *cfn_create_only_find(const char *type)
{
	size_t i;

	for (i = 0; i < cfn_create_only_count; i++)
		if (!strcmp(cfn_create_only[i].type, type))
			return &cfn_create_only[i];
	return NULL;
}

bool cfn_create_only_covers(const char *type, const char *path)
{
	const struct cfn_create_only *row = cfn_create_only_find(type);
	const char *const *p;

	if (!row)
		return true;
	for (p = row->properties; *p; p++) {
		size_t n = strlen(*p);
		if (!strncmp(path, *p, n) && (path[n] == '\0' || path[n] == '/'))
			return true;
	}
	return false;
}
