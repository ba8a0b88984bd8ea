/*
 * cfn_cluster.c - cloudformation/cluster.json: the long-lived stack of one
 * cluster (<cluster>-cluster): the ECS cluster, the badge and node security
 * groups, the node role and profile, the Spot Fleet role, the CloudFormation
 * service role compute stacks are created and deleted through, the
 * lifecycle functions (cfn_functions.c) and their alarms (cfn_alarms.c).
 *
 * Exports are kept to what never changes while compute stacks import it:
 * the cluster name and the four badge groups (names kept from the original
 * tool, so stacks written for it keep importing them).  Everything else a
 * compute stack needs is an output the Makefile passes on as a parameter
 * (templates/CONTRACT.md), so updating this stack is never blocked by an
 * export in use while an old fleet deflates.
 *
 * IAM roles are unnamed (CloudFormation names them, so the same cluster can
 * live in two regions) and share the path /ecsgen/<cluster>/, which lets the
 * pipeline's deploy role be scoped to this cluster's roles.
 */
#include "config.h"

#include <stdio.h>


#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"

/*
 * The badge groups.  Their GroupDescription is the original tool's, word
 * for word: the property is create-only, so any other text would replace
 * the groups of a cluster that tool deployed while its stacks still import
 * them, and the update would roll back (issue 15, item 6).
 */
static const struct {
	const char *id;
	const char *use;
	const char *description;
} badges[] = {
	{ "ALBBadgeSg", "worn by load balancers; the nodes admit it on the dynamic host ports",
	  "SG for ALB to wear in order to talk to ecs instances" },
	{ "DBBadgeSg", "worn by the nodes, so a database group can admit them",
	  "SG for DB to wear in order to talk to ecs instances" },
	{ "CacheBadgeSg", "for cache clusters, as in the original tool",
	  "SG for Cache to wear in order to talk to ecs instances" },
	{ "AuxBadgeSg", "for anything else, as in the original tool",
	  "SG for Aux to wear in order to talk to ecs instances" },
};

static struct cfn_value *vpc_id(const struct ir *ir)
{
	return ir->cluster.vpc.present ? cfn_str(ir->cluster.vpc.value) : cfn_ref("VpcId");
}

static void add_parameters(struct cfn_template *t, const struct ir *ir)
{
	if (!ir->cluster.vpc.present)
		cfn_param(t, "VpcId", "AWS::EC2::VPC::Id",
			  "VPC of the cluster (infra.yml names none: the Makefile passes the default VPC)");
	if (!ir->cluster.subnets.present)
		cfn_param(t, "Subnets", "List<AWS::EC2::Subnet::Id>",
			  "subnets of the nodes (infra.yml names none: the Makefile passes the default VPC's)");
}

static void add_cluster(struct cfn_template *t, const struct ir *ir)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, "Cluster", "AWS::ECS::Cluster"));
	struct cfn_value *setting;

	cfn_set_str(props, "ClusterName", ir->cluster.name.value);
	/* Container Insights bills per metric: off unless infra.yml asks. */
	setting = cfn_obj();
	cfn_set_str(setting, "Name", "containerInsights");
	cfn_set_str(setting, "Value", ir->cluster.container_insights.value ? "enabled" : "disabled");
	cfn_set(props, "ClusterSettings", cfn_array(setting, NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(ir));
}

static void add_badges(struct cfn_template *t, const struct ir *ir)
{
	size_t i;

	for (i = 0; i < sizeof badges / sizeof badges[0]; i++) {
		struct cfn_value *props = cfn_props(cfn_resource(t, badges[i].id, "AWS::EC2::SecurityGroup"));
		cfn_set_str(props, "GroupDescription", badges[i].description);
		cfn_set(props, "VpcId", vpc_id(ir));
		cfn_set(props, "Tags", cfn_cluster_tags(ir));
	}
}

static struct cfn_value *ingress(struct cfn_value *source, int from, int to, const char *why)
{
	struct cfn_value *rule = cfn_obj();
	cfn_set_str(rule, "IpProtocol", "tcp");
	cfn_set_int(rule, "FromPort", from);
	cfn_set_int(rule, "ToPort", to);
	cfn_set(rule, "SourceSecurityGroupId", source);
	cfn_set_str(rule, "Description", why);
	return rule;
}

/*
 * The nodes' own group, always: it admits the load-balancer badge and
 * security_group_ingress, and the nodes wear it beside infra.yml's
 * security_groups (without it the badge would reach nothing).
 */
static void add_node_group(struct cfn_template *t, struct arena *arena, const struct ir *ir)
{
	const struct ir_strings *extra = &ir->cluster.security_group_ingress;
	struct cfn_value *props, *rules;
	size_t i;

	props = cfn_props(cfn_resource(t, "NodeSecurityGroup", "AWS::EC2::SecurityGroup"));
	cfn_set_str(props, "GroupDescription",
		    arena_printf(arena, "%s nodes", ir->cluster.name.value));
	cfn_set(props, "VpcId", vpc_id(ir));
	rules = cfn_set(props, "SecurityGroupIngress", cfn_array(NULL));
	cfn_push(rules, ingress(cfn_getatt("ALBBadgeSg", "GroupId"), CFN_HOST_PORT_FIRST, CFN_HOST_PORT_LAST,
				"load balancers to the ECS dynamic host ports"));
	for (i = 0; i < extra->n; i++)
		cfn_push(rules, ingress(cfn_str(extra->items[i].value), 0, 65535,
					"infra.yml security_group_ingress: every TCP port"));
	cfn_set(props, "Tags", cfn_cluster_tags(ir));
}

/*
 * An unnamed role under /ecsgen/<cluster>/, trusted by one service.  (The
 * cluster template carries the functions' source, so its roles go without
 * descriptions or tags: stack tags reach them anyway.)
 */
static struct cfn_value *role(struct cfn_template *t, struct arena *arena, const struct ir *ir,
				const char *id, const char *service)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, id, "AWS::IAM::Role"));
	cfn_set_str(props, "Path", IR_NAME(ir, ROLE_PATH));
	cfn_set(props, "AssumeRolePolicyDocument", cfn_assume_role(service));
	cfn_set(props, "PermissionsBoundary", cfn_role_boundary(arena, ir));
	cfn_set(props, "Tags", cfn_cluster_tags(ir));
	return props;
}

static void add_instance_profile(struct cfn_template *t, struct arena *arena, const struct ir *ir)
{
	struct cfn_value *props;

	if (ir->ec2_instances.instance_profile_arn.present)
		return;
	/* The ECS agent and SSM Session Manager, nothing wider. */
	props = role(t, arena, ir, "InstanceRole", "ec2.amazonaws.com");
	cfn_set(props, "ManagedPolicyArns",
		cfn_array(cfn_sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"),
			  cfn_sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"), NULL));

	props = cfn_props(cfn_resource(t, "InstanceProfile", "AWS::IAM::InstanceProfile"));
	cfn_set_str(props, "Path", IR_NAME(ir, ROLE_PATH));
	cfn_set(props, "Roles", cfn_array(cfn_ref("InstanceRole"), NULL));
}

/*
 * The CloudFormation service role of the compute stacks: what creating,
 * updating and deleting launch templates, EC2 Fleets and auto scaling
 * groups takes, scoped to this region and account, to groups named after
 * this cluster's compute stacks and to the role they pass.  EC2 Fleet acts
 * through its service-linked role, which the deploy creates
 * (deploy-compute.sh): nothing is passed to it.  Older versions' stacks
 * hold Spot Fleets: this role still describes and cancels those, so the
 * cleanup function can delete them, and requests none.  The cleanup
 * function and the pipeline then need only CloudFormation rights on
 * <cluster>-compute-* and iam:PassRole on this role.
 */
static void add_compute_service_role(struct cfn_template *t, struct arena *arena, const struct ir *ir)
{
	static const char *const describe[] = {
		"ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeFleets",
		"ec2:DescribeSpotFleetRequests",
		"ec2:DescribeImages", "ec2:DescribeInstances", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
		"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeScalingActivities",
		"autoscaling:DescribeLifecycleHooks", NULL,
	};
	static const char *const ec2_write[] = {
		"ec2:CreateLaunchTemplate", "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate",
		"ec2:DeleteLaunchTemplate", "ec2:CreateFleet", "ec2:ModifyFleet", "ec2:DeleteFleets",
		"ec2:DescribeFleetInstances", "ec2:DescribeSpotFleetInstances", "ec2:CancelSpotFleetRequests",
		"ec2:RunInstances", "ec2:CreateTags", "ec2:DeleteTags", NULL,
	};
	static const char *const asg_write[] = {
		"autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup",
		"autoscaling:DeleteAutoScalingGroup", "autoscaling:PutLifecycleHook",
		"autoscaling:DeleteLifecycleHook", "autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags", NULL,
	};
	static const char *const pass[] = { "iam:PassRole", NULL };
	static const char *const linked[] = { "iam:CreateServiceLinkedRole", NULL };
	static const char *const read_template[] = { "s3:GetObject", NULL };
	struct cfn_value *props, *statements, *instance_role;


	props = role(t, arena, ir, "ComputeServiceRole", "cloudformation.amazonaws.com");
	statements = cfn_array(NULL);
	/* Describe calls have no resource-level permissions. */
	cfn_push(statements, cfn_allow(describe, cfn_str("*")));
	cfn_push(statements, cfn_allow(ec2_write, cfn_array(
		cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:*"),
		cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}::image/*"),
		cfn_sub("arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*"), NULL)));
	cfn_push(statements, cfn_allow(asg_write, cfn_arn("autoscaling",
		"autoScalingGroup:*:autoScalingGroupName/%s*", IR_NAME(ir, STACK_COMPUTE_PREFIX))));
	/* The nodes' role: ours, or the unknown one behind infra.yml's profile. */
	instance_role = ir->ec2_instances.instance_profile_arn.present ?
		cfn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*") : cfn_getatt("InstanceRole", "Arn");
	cfn_push(statements, cfn_condition_on(cfn_allow(pass, instance_role), "StringEquals",
					      "iam:PassedToService", cfn_str("ec2.amazonaws.com")));
	/* First use of auto scaling or Spot in an account creates their linked roles (EC2 Fleet's: the deploy). */
	cfn_push(statements, cfn_condition_on(cfn_allow(linked,
		cfn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/*")),
		"StringEquals", "iam:AWSServiceName",
		cfn_array(cfn_str("autoscaling.amazonaws.com"), cfn_str("spot.amazonaws.com"), NULL)));
	/*
	 * The compute template comes from the assets bucket (--template-url).
	 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
	 */
	cfn_push(statements, cfn_allow(read_template, cfn_assets_arn(arena, ir, true)));
	cfn_set(props, "Policies", cfn_array(cfn_inline_policy("compute-stacks", statements), NULL));
}

static void add_outputs(struct cfn_template *t, const struct ir *ir)
{
	struct cfn_value *groups;
	size_t i;

	cfn_output(t, "ClusterName", "the ECS cluster", cfn_ref("Cluster"), "${AWS::StackName}:ClusterName");
	for (i = 0; i < sizeof badges / sizeof badges[0]; i++) {
		char export_name[64];
		snprintf(export_name, sizeof export_name, "${AWS::StackName}:%s", badges[i].id);
		cfn_output(t, badges[i].id, badges[i].use, cfn_getatt(badges[i].id, "GroupId"), export_name);
	}
	if (ir->cluster.security_groups.present) {
		groups = cfn_array(cfn_ref("NodeSecurityGroup"), NULL);
		for (i = 0; i < ir->cluster.security_groups.n; i++)
			cfn_push(groups, cfn_str(ir->cluster.security_groups.items[i].value));
		groups = cfn_join(",", groups);
	} else {
		groups = cfn_ref("NodeSecurityGroup");
	}
	cfn_output(t, "NodeSecurityGroup", "the nodes' security groups, comma-separated (compute parameter)",
		   groups, NULL);
	cfn_output(t, "InstanceProfileArn", "the nodes' instance profile (compute parameter)",
		   ir->ec2_instances.instance_profile_arn.present ?
		   cfn_ir_string(&ir->ec2_instances.instance_profile_arn) : cfn_getatt("InstanceProfile", "Arn"),
		   NULL);
	cfn_output(t, "ComputeServiceRoleArn", "the role compute stacks are created and deleted through",
		   cfn_getatt("ComputeServiceRole", "Arn"), NULL);
	cfn_output(t, "AlarmTopicArn", "the SNS topic the cluster's alarms notify", cfn_alarm_topic(ir), NULL);
	cfn_output(t, "VpcId", "the cluster's VPC (compute parameter)", vpc_id(ir), NULL);
	if (ir->cluster.subnets.present) {
		groups = cfn_array(NULL);
		for (i = 0; i < ir->cluster.subnets.n; i++)
			cfn_push(groups, cfn_str(ir->cluster.subnets.items[i].value));
	} else {
		groups = cfn_ref("Subnets");
	}
	cfn_output(t, "Subnets", "the nodes' subnets, comma-separated (compute parameter)",
		   cfn_join(",", groups), NULL);
}

int cfn_cluster_build(struct emit_context *ctx, const struct emitter *row)
{
	const struct ir *ir = ctx->ir;
	struct cfn_template t;

	cfn_template_init(&t, row->path,
			  arena_printf(ctx->arena, "ecsgen: cluster %s: ECS cluster, security groups, roles, lifecycle functions",
				       ir->cluster.name.value));
	add_parameters(&t, ir);
	add_cluster(&t, ir);
	add_badges(&t, ir);
	add_node_group(&t, ctx->arena, ir);
	add_instance_profile(&t, ctx->arena, ir);
	add_compute_service_role(&t, ctx->arena, ir);
	if (cfn_add_functions(ctx, &t) < 0) {
		cfn_template_release(&t);
		return -1;
	}
	cfn_add_alarms(&t, ctx->arena, ir);
	add_outputs(&t, ir);
	return cfn_template_emit(ctx, &t, ir->cluster.name.loc);
}

