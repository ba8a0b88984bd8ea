// tests/bench/cdk/app.js - the full example's cluster (examples/full/infra.yml)
// built the AWS CDK way, for `make bench` to time `cdk synth` beside ecsgen.
//
// The same four stacks and the same resources ecsgen emits for that file:
// the cluster with its security groups, spot fleet and compute roles, the
// scaler state and the four lifecycle functions (their real sources,
// inline) with log groups, rules and permissions; the smoke-test task; one
// compute stack with a Status parameter, a spot fleet of three bids and a
// reserved auto scaling group, each from an IMDSv2, encrypted launch
// template; and the pipeline with its artifact bucket, two CodeBuild
// projects and a GitHub webhook.  Written as a CDK user would: L2
// constructs where CDK has them, L1 (Cfn*) where it does not (spot fleets).
//
// Run by tests/bench/bench.sh as `node app.js OUTDIR`: the same work as
// `cdk synth` minus the CLI's own start-up, so the ratio it prints is the
// lower bound of the real one.
'use strict';
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const logs = require('aws-cdk-lib/aws-logs');
const events = require('aws-cdk-lib/aws-events');
const targets = require('aws-cdk-lib/aws-events-targets');
const ssm = require('aws-cdk-lib/aws-ssm');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const s3 = require('aws-cdk-lib/aws-s3');
const codebuild = require('aws-cdk-lib/aws-codebuild');
const codepipeline = require('aws-cdk-lib/aws-codepipeline');
const actions = require('aws-cdk-lib/aws-codepipeline-actions');
const secrets = require('aws-cdk-lib/aws-secretsmanager');

const outdir = process.argv[2] || 'cdk.out';
const functions = process.env.ECSGEN_FUNCTIONS ||
	path.join(__dirname, '..', '..', '..', 'templates', 'functions');
const name = 'dev-cluster';
const env = { account: '123456789012', region: 'us-west-2' };

const app = new cdk.App({ outdir });

function network(scope) {
	return ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
		vpcId: 'vpc-88888888',
		availabilityZones: ['us-west-2a', 'us-west-2c', 'us-west-2b'],
		privateSubnetIds: ['subnet-9b2938c2', 'subnet-9b2938c3', 'subnet-9b2938c4'],
	});
}

// ---- the cluster stack ----
const clusterStack = new cdk.Stack(app, `${name}-cluster`, { env });
const vpc = network(clusterStack);
const cluster = new ecs.Cluster(clusterStack, 'Cluster', {
	clusterName: name, vpc, containerInsightsV2: ecs.ContainerInsights.DISABLED,
});
const nodeSg = new ec2.SecurityGroup(clusterStack, 'NodeSecurityGroup', { vpc, allowAllOutbound: true });
nodeSg.addIngressRule(ec2.Peer.securityGroupId('sg-0dab3aca'), ec2.Port.tcpRange(32768, 60999));
for (const badge of ['ALB', 'DB', 'Cache', 'Aux'])
	new ec2.SecurityGroup(clusterStack, `${badge}BadgeSg`, { vpc, description: `${name} ${badge} badge` });
const fleetRole = new iam.Role(clusterStack, 'SpotFleetRole', {
	assumedBy: new iam.ServicePrincipal('spotfleet.amazonaws.com'),
	managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2SpotFleetTaggingRole')],
});
const computeRole = new iam.Role(clusterStack, 'ComputeServiceRole', {
	assumedBy: new iam.ServicePrincipal('cloudformation.amazonaws.com'),
});
computeRole.addToPolicy(new iam.PolicyStatement({
	actions: ['ec2:CreateLaunchTemplate', 'ec2:DeleteLaunchTemplate', 'ec2:RequestSpotFleet',
		'ec2:CancelSpotFleetRequests', 'autoscaling:CreateAutoScalingGroup',
		'autoscaling:DeleteAutoScalingGroup', 'iam:PassRole'],
	resources: ['*'],
}));
const state = new ssm.StringParameter(clusterStack, 'ScalerState', {
	parameterName: `/ecsgen/${name}/scaler-state`, stringValue: '{}',
});
const lifecycle = [
	{ id: 'CapacityMetric', file: 'capacity_metric.py', schedule: 'rate(1 minute)', timeout: 30 },
	{ id: 'Scaler', file: 'scaler.py', schedule: 'rate(1 minute)', timeout: 60 },
	{ id: 'Drainer', file: 'drainer.py', timeout: 300 },
	{ id: 'Cleanup', file: 'cleanup.py', schedule: 'rate(1 hour)', timeout: 300 },
];
for (const f of lifecycle) {
	const logGroup = new logs.LogGroup(clusterStack, `${f.id}LogGroup`, {
		logGroupName: `/ecsgen/${name}/${f.id.toLowerCase()}`, retention: logs.RetentionDays.TWO_WEEKS,
	});
	const fn = new lambda.Function(clusterStack, `${f.id}Function`, {
		runtime: lambda.Runtime.PYTHON_3_12,
		handler: 'index.handler',
		code: lambda.Code.fromInline(fs.readFileSync(path.join(functions, f.file), 'utf8')),
		timeout: cdk.Duration.seconds(f.timeout),
		memorySize: 128,
		logGroup,
		environment: { CLUSTER_NAME: name, STATE_PARAMETER: state.parameterName },
	});
	fn.addToRolePolicy(new iam.PolicyStatement({
		actions: ['ecs:ListContainerInstances', 'ecs:DescribeContainerInstances',
			'ecs:UpdateContainerInstancesState', 'ecs:ListTasks'],
		resources: [cluster.clusterArn, `arn:aws:ecs:${env.region}:${env.account}:container-instance/${name}/*`],
	}));
	fn.addToRolePolicy(new iam.PolicyStatement({
		actions: ['ec2:DescribeSpotFleetRequests', 'ec2:DescribeInstances', 'cloudformation:DescribeStacks',
			'autoscaling:DescribeAutoScalingGroups', 'cloudwatch:GetMetricStatistics'],
		resources: ['*'],
	}));
	state.grantRead(fn);
	state.grantWrite(fn);
	const rule = f.schedule
		? new events.Rule(clusterStack, `${f.id}Schedule`, { schedule: events.Schedule.expression(f.schedule) })
		: new events.Rule(clusterStack, `${f.id}Events`, {
			eventPattern: { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] },
		});
	rule.addTarget(new targets.LambdaFunction(fn));
}

// ---- the health stack: the smoke-test task ----
const healthStack = new cdk.Stack(app, `${name}-health`, { env });
const task = new ecs.Ec2TaskDefinition(healthStack, 'TaskDefinition', { family: `${name}-health` });
task.addContainer('smoke', {
	image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
	memoryReservationMiB: 16,
	command: ['sh', '-c', 'echo ok'],
	logging: ecs.LogDrivers.awsLogs({
		streamPrefix: 'smoke',
		logGroup: new logs.LogGroup(healthStack, 'LogGroup', { retention: logs.RetentionDays.TWO_WEEKS }),
	}),
});

// ---- one compute stack ----
const computeStack = new cdk.Stack(app, `${name}-compute-1`, { env });
const computeVpc = network(computeStack);
const status = new cdk.CfnParameter(computeStack, 'Status', { allowedValues: ['active', 'inactive'], default: 'active' });
const active = new cdk.CfnCondition(computeStack, 'Active', { expression: cdk.Fn.conditionEquals(status.valueAsString, 'active') });
const ami = ecs.EcsOptimizedImage.amazonLinux2023();
const userData = ec2.UserData.forLinux();
userData.addCommands(
	`echo ECS_CLUSTER=${name} >> /etc/ecs/ecs.config`,
	'mkdir -p /efs',
	'echo "fs-df827476:/ /efs efs _netdev,tls 0 0" >> /etc/fstab',
	'mount -a');
const instanceRole = new iam.Role(computeStack, 'InstanceRole', {
	assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
	managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonEC2ContainerServiceforEC2Role')],
});
function launchTemplate(id, instanceType) {
	return new ec2.LaunchTemplate(computeStack, id, {
		machineImage: ami,
		instanceType: instanceType && new ec2.InstanceType(instanceType),
		userData,
		role: instanceRole,
		requireImdsv2: true,
		keyPair: ec2.KeyPair.fromKeyPairName(computeStack, `${id}Key`, 'dev-cluster-admin'),
		securityGroup: ec2.SecurityGroup.fromSecurityGroupId(computeStack, `${id}Sg`, 'sg-093c234a'),
		blockDevices: [{
			deviceName: '/dev/xvda',
			volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
		}],
	});
}
const fleetTemplate = launchTemplate('SpotFleetMainLaunchTemplate');
const bids = [['t3.medium', '0.015', 1], ['t3.small', '0.01', 1], ['t3.medium', '0.014', 1]];
new ec2.CfnSpotFleet(computeStack, 'SpotFleetMain', {
	spotFleetRequestConfigData: {
		iamFleetRole: `arn:aws:iam::${env.account}:role/${name}-SpotFleetRole`,
		allocationStrategy: 'lowestPrice',
		targetCapacity: cdk.Token.asNumber(cdk.Fn.conditionIf(active.logicalId, 1, 0)),
		excessCapacityTerminationPolicy: 'noTermination',
		launchTemplateConfigs: [{
			launchTemplateSpecification: {
				launchTemplateId: fleetTemplate.launchTemplateId,
				version: fleetTemplate.latestVersionNumber,
			},
			overrides: bids.map(([type, price, weight], i) => ({
				instanceType: type, spotPrice: price, weightedCapacity: weight,
				subnetId: computeVpc.privateSubnets[i % 3].subnetId,
			})),
		}],
	},
});
const reserved = new autoscaling.AutoScalingGroup(computeStack, 'AutoScalingGroupReserved', {
	vpc: computeVpc,
	launchTemplate: launchTemplate('AutoScalingGroupReservedLaunchTemplate', 't2.medium'),
	minCapacity: 1, maxCapacity: 1, desiredCapacity: 1,
});
reserved.addLifecycleHook('Drain', {
	lifecycleTransition: autoscaling.LifecycleTransition.INSTANCE_TERMINATING,
	heartbeatTimeout: cdk.Duration.minutes(5),
});
new cdk.CfnOutput(computeStack, 'SpotFleetMainId', { value: 'SpotFleetMain' });

// ---- the pipeline stack ----
const pipelineStack = new cdk.Stack(app, `${name}-pipeline`, { env });
const artifacts = new s3.Bucket(pipelineStack, 'ArtifactBucket', {
	encryption: s3.BucketEncryption.S3_MANAGED,
	blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
	enforceSSL: true,
});
const buildLogs = new logs.LogGroup(pipelineStack, 'BuildLogGroup', { retention: logs.RetentionDays.TWO_WEEKS });
function project(id, buildspec) {
	return new codebuild.PipelineProject(pipelineStack, id, {
		buildSpec: codebuild.BuildSpec.fromSourceFilename(buildspec),
		environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0 },
		logging: { cloudWatch: { logGroup: buildLogs } },
	});
}
const token = new secrets.Secret(pipelineStack, 'WebhookSecret');
const source = new codepipeline.Artifact('Source');
new codepipeline.Pipeline(pipelineStack, 'Pipeline', {
	artifactBucket: artifacts,
	stages: [
		{ stageName: 'Source', actions: [new actions.GitHubSourceAction({
			actionName: 'GitHub', owner: 'kloudcover', repo: 'infra', branch: 'main',
			oauthToken: token.secretValue, output: source,
			trigger: actions.GitHubTrigger.WEBHOOK,
		})] },
		{ stageName: 'Bake', actions: [new actions.CodeBuildAction({
			actionName: 'Bake', project: project('BakeProject', 'buildspec-ami.yml'), input: source,
		})] },
		{ stageName: 'Deploy', actions: [new actions.CodeBuildAction({
			actionName: 'Deploy', project: project('DeployProject', 'buildspec.yml'), input: source,
		})] },
	],
});

app.synth();
