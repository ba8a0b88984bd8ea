/*
 * schema.c - the table of every infra.yml key (see schema.h).
 *
 * The keys come from the original tool's README tables and from what its code
 * really read (../shared/reference).  Order here is the order of --dump-ir,
 * the docs and the generated JSON Schema.
 */
#include "config.h"

#include <string.h>

#include "ir.h"
#include "schema.h"
#include "strbuf.h"

#define NO_BOUNDS 1, 0
#define KEY(type, field, kind, flags, format, def, lo, hi, desc) \
	{ #field, kind, flags, format, def, lo, hi, offsetof(type, field), NULL, desc }
#define SUB(type, field, kind, flags, child, desc) \
	{ #field, kind, flags, FMT_NONE, NULL, NO_BOUNDS, offsetof(type, field), &child, desc }
/* A list of mappings of at most `most` items (see SUPPORTED MAXIMA in man/ecsgen.1.in). */
#define LIST(type, field, flags, child, most, desc) \
	{ #field, SCHEMA_OBJECT_LIST, flags, FMT_NONE, NULL, 0, most, offsetof(type, field), &child, desc }
/* A mapping of strings of at most `most` keys, walked by templates as a list of string_pair_object. */
#define MAP(type, field, flags, format, most, desc) \
	{ #field, SCHEMA_STRING_MAP, flags, format, NULL, 0, most, offsetof(type, field), &string_pair_object, desc }
#define OBJECT(type, docpath, keys) \
	{ docpath, sizeof(type), offsetof(type, loc), keys, sizeof keys / sizeof keys[0], NULL }

/* One pair of a SCHEMA_STRING_MAP: not keys of infra.yml, the names templates read a pair by. */
static const struct schema_key string_pair_keys[] = {
	KEY(struct ir_string_pair, key, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_NONE, NULL, 1, 0, "the key"),
	KEY(struct ir_string_pair, value, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_NONE, NULL, 1, 0, "its value"),
};
static const struct schema_object string_pair_object = OBJECT(struct ir_string_pair, "(key: value)", string_pair_keys);

static const struct schema_key bid_keys[] = {
	KEY(struct ir_bid, instance_type, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_INSTANCE_TYPE, NULL, 1, 0,
	    "EC2 instance type to bid on, e.g. t3.medium"),
	KEY(struct ir_bid, price, SCHEMA_PRICE, SCHEMA_REQUIRED, FMT_NONE, NULL, 1, 0,
	    "highest price per instance-hour in USD (set it to the on-demand price unless you want to live dangerously)"),
	KEY(struct ir_bid, weight, SCHEMA_INT, 0, FMT_NONE, "1", 1, 1000,
	    "capacity units one instance of this type counts for"),
};
static const struct schema_object bid_object = OBJECT(struct ir_bid, "ec2_instances.spot_fleets[].bids[]", bid_keys);

static const struct schema_key spot_fleet_keys[] = {
	KEY(struct ir_spot_fleet, name, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_NAME, NULL, 1, 0,
	    "name of the fleet; its logical id is derived from it"),
	KEY(struct ir_spot_fleet, timeout, SCHEMA_DURATION, 0, FMT_NONE, "2m", 1, 0,
	    "how long ECS gives a container to stop before it is killed (ECS_CONTAINER_STOP_TIMEOUT); never a limit on a drain: a node with tasks is not stopped"),
	KEY(struct ir_spot_fleet, desired_weight, SCHEMA_INT, 0, FMT_NONE, "1", 0, 10000,
	    "capacity the fleet starts with, in weight units"),
	KEY(struct ir_spot_fleet, min_weight, SCHEMA_INT, SCHEMA_REQUIRED, FMT_NONE, NULL, 0, 10000,
	    "least capacity the scaler keeps, in weight units (0 allows scaling to zero)"),
	KEY(struct ir_spot_fleet, max_weight, SCHEMA_INT, SCHEMA_REQUIRED, FMT_NONE, NULL, 1, 10000,
	    "most capacity the scaler grows to, in weight units"),
	KEY(struct ir_spot_fleet, task_threshold_out, SCHEMA_INT, 0, FMT_NONE, "3", 0, 1000000,
	    "scale out when fewer copies of the largest task than this still fit"),
	KEY(struct ir_spot_fleet, task_threshold_in, SCHEMA_INT, 0, FMT_NONE, "10", 0, 1000000,
	    "scale in when more copies of the largest task than this still fit"),
	/* 20 bids in 15 subnets: 300 overrides, the most an EC2 Fleet or Spot Fleet takes. */
	LIST(struct ir_spot_fleet, bids, SCHEMA_REQUIRED, bid_object, 20,
	     "the instance types the fleet may launch, each with its price and weight"),
	KEY(struct ir_spot_fleet, on_demand_fallback, SCHEMA_DURATION, 0, FMT_NONE, NULL, 1, 0,
	    "when spot capacity stays short this long while tasks wait, the scaler adds on-demand capacity (off when absent)"),
	KEY(struct ir_spot_fleet, on_demand_fallback_max_per_hour, SCHEMA_PRICE, 0, FMT_NONE, NULL, 1, 0,
	    "most the fleet's on-demand nodes may cost together per hour in USD (OnDemandOptions.MaxTotalPrice)"),
	KEY(struct ir_spot_fleet, logical_id, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "name with letters and digits only, for CloudFormation logical ids"),
	KEY(struct ir_spot_fleet, variant, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "the image variant of its bids: x86_64, arm64 or gpu"),
};
static const struct schema_object spot_fleet_object =
	OBJECT(struct ir_spot_fleet, "ec2_instances.spot_fleets[]", spot_fleet_keys);

static const struct schema_key asg_keys[] = {
	KEY(struct ir_asg, name, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_NAME, NULL, 1, 0,
	    "name of the group; its logical id is derived from it"),
	KEY(struct ir_asg, instance_type, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_INSTANCE_TYPE, NULL, 1, 0,
	    "EC2 instance type (the one your reserved instances cover)"),
	KEY(struct ir_asg, desired_instances, SCHEMA_INT, 0, FMT_NONE, "1", 0, 10000,
	    "instances the group starts with"),
	KEY(struct ir_asg, min_size, SCHEMA_INT, SCHEMA_DEFAULT_FROM_KEY, FMT_NONE, "desired_instances", 0, 10000,
	    "least instances while the version is active"),
	KEY(struct ir_asg, max_size, SCHEMA_INT, SCHEMA_DEFAULT_FROM_KEY, FMT_NONE, "desired_instances", 0, 10000,
	    "most instances"),
	KEY(struct ir_asg, timeout, SCHEMA_DURATION, 0, FMT_NONE, "2m", 1, 0,
	    "how long ECS gives a container to stop before it is killed (ECS_CONTAINER_STOP_TIMEOUT); the termination hook waits this and 2 minutes between heartbeats, renewed until the node is empty"),
	KEY(struct ir_asg, logical_id, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "name with letters and digits only, for CloudFormation logical ids"),
	KEY(struct ir_asg, variant, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "the image variant of its instance type: x86_64, arm64 or gpu"),
};
static const struct schema_object asg_object =
	OBJECT(struct ir_asg, "ec2_instances.auto_scaling_groups[]", asg_keys);

static const struct schema_key efs_keys[] = {
	KEY(struct ir_efs_mount, name, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_NAME, NULL, 1, 0,
	    "name of the mount"),
	KEY(struct ir_efs_mount, efs_id, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_EFS_ID, NULL, 1, 0,
	    "id of the EFS file system, e.g. fs-0123abcd"),
	KEY(struct ir_efs_mount, local_path, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_ABS_PATH, NULL, 1, 0,
	    "absolute path where the nodes mount it, e.g. /efs"),
	KEY(struct ir_efs_mount, logical_id, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "name with letters and digits only"),
};
static const struct schema_object efs_object =
	OBJECT(struct ir_efs_mount, "ec2_instances.efs_mounts[]", efs_keys);

static const struct schema_key ebs_keys[] = {
	KEY(struct ir_ebs_mount, name, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_NAME, NULL, 1, 0,
	    "name of the volume"),
	KEY(struct ir_ebs_mount, device_name, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_DEVICE_NAME, NULL, 1, 0,
	    "device name, e.g. /dev/xvda for the root volume or /dev/xvdb"),
	KEY(struct ir_ebs_mount, size, SCHEMA_INT, SCHEMA_REQUIRED, FMT_NONE, NULL, 1, 16384,
	    "size in GiB (encrypted gp3)"),
	KEY(struct ir_ebs_mount, mount_path, SCHEMA_STRING, 0, FMT_ABS_PATH, NULL, 1, 0,
	    "for a non-root volume: format it on first boot and mount it here"),
	KEY(struct ir_ebs_mount, logical_id, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "name with letters and digits only"),
};
static const struct schema_object ebs_object =
	OBJECT(struct ir_ebs_mount, "ec2_instances.ebs_mounts[]", ebs_keys);

static const struct schema_key amis_keys[] = {
	KEY(struct ir_amis, x86_64, SCHEMA_STRING, 0, FMT_AMI_ID, NULL, 1, 0,
	    "the image of the x86_64 fleets and groups"),
	KEY(struct ir_amis, arm64, SCHEMA_STRING, 0, FMT_AMI_ID, NULL, 1, 0,
	    "the image of the arm64 (Graviton) fleets and groups"),
	KEY(struct ir_amis, gpu, SCHEMA_STRING, 0, FMT_AMI_ID, NULL, 1, 0,
	    "the image of the NVIDIA GPU fleets and groups (it must have the NVIDIA driver)"),
};
static const struct schema_object amis_object = OBJECT(struct ir_amis, "cluster.amis", amis_keys);

static const struct schema_key cluster_keys[] = {
	KEY(struct ir_cluster, name, SCHEMA_STRING, SCHEMA_REQUIRED, FMT_CLUSTER_NAME, NULL, 1, 0,
	    "name of the ECS cluster; prefix of every stack name"),
	KEY(struct ir_cluster, vpc, SCHEMA_STRING, 0, FMT_VPC_ID, NULL, 1, 0,
	    "VPC to deploy to (default: the region's default VPC, found at deploy time)"),
	KEY(struct ir_cluster, availability_zones, SCHEMA_STRING_LIST, 0, FMT_AZ, NULL, 0, 15,
	    "availability zones of the subnets, for documentation and a consistency check"),
	KEY(struct ir_cluster, subnets, SCHEMA_STRING_LIST, 0, FMT_SUBNET_ID, NULL, 0, 15,
	    "subnets for the nodes (default: the default VPC's subnets, found at deploy time)"),
	/* A network interface takes at most 16 groups (5 by default): the node group, the DB badge and these. */
	KEY(struct ir_cluster, security_groups, SCHEMA_STRING_LIST, 0, FMT_SG_ID, NULL, 0, 3,
	    "security groups for the nodes, beside the generated node group (3 at most)"),
	/* One rule each in the node group, beside the ALB badge's: 60 rules a group by default. */
	KEY(struct ir_cluster, security_group_ingress, SCHEMA_STRING_LIST, 0, FMT_SG_ID, NULL, 0, 50,
	    "security groups allowed to reach the nodes' dynamic host ports"),
	KEY(struct ir_cluster, keypair, SCHEMA_STRING, 0, FMT_KEYPAIR, NULL, 1, 0,
	    "EC2 key pair for SSH (default: none; use SSM Session Manager)"),
	KEY(struct ir_cluster, ami, SCHEMA_STRING, 0, FMT_AMI_ID, NULL, 1, 0,
	    "pin the node AMI of a cluster with one image variant; no AMI is baked when set"),
	SUB(struct ir_cluster, amis, SCHEMA_OBJECT, 0, amis_object,
	    "pin one AMI per image variant (x86_64, arm64, gpu), each variant the cluster runs; no AMI is baked when set"),
	KEY(struct ir_cluster, container_insights, SCHEMA_BOOL, 0, FMT_NONE, "false", 1, 0,
	    "turn on CloudWatch Container Insights (billed per metric)"),
	KEY(struct ir_cluster, alarm_email, SCHEMA_STRING, 0, FMT_EMAIL, NULL, 1, 0,
	    "e-mail address subscribed to the cluster's alarm topic (AWS mails a confirmation link first)"),
	KEY(struct ir_cluster, alarm_topic_arn, SCHEMA_STRING, 0, FMT_SNS_TOPIC_ARN, NULL, 1, 0,
	    "send the alarms to this existing SNS topic instead of a generated one (its policy must let CloudWatch publish)"),
	/* AWS takes 50 tags on a resource, the ones ecsgen sets on a node (IR_TAGS_OWN_MAX) included. */
	MAP(struct ir_cluster, tags, 0, FMT_TAG, IR_TAGS_MAX - IR_TAGS_OWN_MAX,
	    "cost-allocation tags (key: value) on every resource that takes tags, the nodes, their volumes and the fleets included"),
	KEY(struct ir_cluster, ami_updates, SCHEMA_STRING, 0, FMT_AMI_UPDATES, "off", 1, 0,
	    "what starts the pipeline for a new ECS-optimized image: auto (AWS's update topic), weekly (a schedule) or off; a new image rolls as a new version"),
};
static const struct schema_object cluster_object = OBJECT(struct ir_cluster, "cluster", cluster_keys);

static const struct schema_key ec2_keys[] = {
	KEY(struct ir_ec2_instances, instance_profile_arn, SCHEMA_STRING, 0, FMT_SUB, NULL, 1, 0,
	    "instance profile for the nodes; may use ${AWS::AccountId}-style substitutions (default: a generated ECS + SSM profile)"),
	KEY(struct ir_ec2_instances, autoscaling, SCHEMA_BOOL, 0, FMT_NONE, "true", 1, 0,
	    "let the scaler grow and shrink the active spot fleets"),
	KEY(struct ir_ec2_instances, imds_for_tasks, SCHEMA_BOOL, 0, FMT_NONE, "false", 1, 0,
	    "let task containers reach the instance metadata service, and so act as the node (for daemons that need it)"),
	KEY(struct ir_ec2_instances, user_data, SCHEMA_STRING, 0, FMT_FILE, NULL, 1, 0,
	    "shell script, relative to infra.yml, appended to the generated user data"),
	LIST(struct ir_ec2_instances, efs_mounts, SCHEMA_UNIQUE_NAME, efs_object, 10,
	    "EFS file systems to mount on every node"),
	LIST(struct ir_ec2_instances, ebs_mounts, SCHEMA_UNIQUE_NAME, ebs_object, 10,
	    "EBS volumes of every node"),
	LIST(struct ir_ec2_instances, spot_fleets, SCHEMA_UNIQUE_NAME, spot_fleet_object, 40,
	    "spot fleets (each an EC2 Fleet) with their bids"),
	LIST(struct ir_ec2_instances, auto_scaling_groups, SCHEMA_UNIQUE_NAME, asg_object, 50,
	    "auto scaling groups for reserved instances, held at their size"),
	KEY(struct ir_ec2_instances, user_data_text, SCHEMA_STRING, SCHEMA_DERIVED, FMT_NONE, NULL, 1, 0,
	    "contents of the user_data file"),
};
static const struct schema_object ec2_object = OBJECT(struct ir_ec2_instances, "ec2_instances", ec2_keys);

static const struct schema_key root_keys[] = {
	KEY(struct ir, kind, SCHEMA_STRING, 0, FMT_KIND, NULL, 1, 0,
	    "file kind; when present it must be aws-ecs-cluster-deployer"),
	KEY(struct ir, ecs_deployer_version, SCHEMA_STRING, SCHEMA_IGNORED, FMT_NONE, NULL, 1, 0,
	    "version of the original tool; accepted and ignored"),
	SUB(struct ir, cluster, SCHEMA_OBJECT, SCHEMA_REQUIRED, cluster_object,
	    "the cluster: name, network, security groups, AMI"),
	SUB(struct ir, ec2_instances, SCHEMA_OBJECT, SCHEMA_REQUIRED, ec2_object,
	    "the nodes: fleets, groups, mounts, scaling"),
	/* One deploy stage each, in order; each compiles into out/<name>/ (driver.c). */
	KEY(struct ir, environments, SCHEMA_STRING_LIST, 0, FMT_ENVIRONMENT, NULL, 0, 10,
	    "deploy stages in order, e.g. [staging, prod]: each a cluster '<cluster.name>-<environment>' "
	    "from infra.yml overlaid with <environment>.yml beside it, compiled into out/<environment>/"),
	KEY(struct ir, variants, SCHEMA_STRING_LIST, SCHEMA_DERIVED, FMT_NONE, NULL, 0, 3,
	    "the image variants the fleets and groups run: x86_64, arm64, gpu"),
};
const struct schema_object schema_root = {
	"", sizeof(struct ir), offsetof(struct ir, loc), root_keys, sizeof root_keys / sizeof root_keys[0],
	SCHEMA_EXTENSION_PREFIX,
};

const struct schema_key *schema_find_key(const struct schema_object *obj, const char *name)
{
	size_t i;
	for (i = 0; i < obj->nkeys; i++)
		if (!strcmp(obj->keys[i].name, name))
			return &obj->keys[i];
	return NULL;
}

const struct schema_object *schema_find_object(const struct schema_object *obj, const char *path)
{
	size_t i;

	if (!obj)
		return NULL;
	if (obj->path && !strcmp(obj->path, path))
		return obj;
	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_object *found;
		if (!obj->keys[i].object)
			continue;
		if ((found = schema_find_object(obj->keys[i].object, path)))
			return found;
	}
	return NULL;
}

const char *schema_type_name(enum schema_type type)
{
	static const char *const names[] = {
		[SCHEMA_STRING] = "string",
		[SCHEMA_INT] = "integer",
		[SCHEMA_BOOL] = "boolean",
		[SCHEMA_PRICE] = "price",
		[SCHEMA_DURATION] = "duration",
		[SCHEMA_STRING_LIST] = "list of strings",
		[SCHEMA_OBJECT] = "mapping",
		[SCHEMA_OBJECT_LIST] = "list of mappings",
		[SCHEMA_STRING_MAP] = "mapping of strings",
	};
	return names[type];
}

const char *schema_format_name(enum schema_format format)
{
	static const char *const names[] = {
		[FMT_NONE] = "",
		[FMT_KIND] = "kind",
		[FMT_CLUSTER_NAME] = "cluster name",
		[FMT_NAME] = "name",
		[FMT_VPC_ID] = "VPC id",
		[FMT_SUBNET_ID] = "subnet id",
		[FMT_SG_ID] = "security group id",
		[FMT_EFS_ID] = "EFS id",
		[FMT_AMI_ID] = "AMI id",
		[FMT_AZ] = "availability zone",
		[FMT_INSTANCE_TYPE] = "instance type",
		[FMT_KEYPAIR] = "key pair name",
		[FMT_DEVICE_NAME] = "device name",
		[FMT_ABS_PATH] = "absolute path",
		[FMT_SUB] = "string with ${...} substitutions",
		[FMT_FILE] = "file path",
		[FMT_EMAIL] = "e-mail address",
		[FMT_SNS_TOPIC_ARN] = "SNS topic ARN",
		[FMT_TAG] = "tag",
		[FMT_ENVIRONMENT] = "environment name",
		[FMT_AMI_UPDATES] = "auto, weekly or off",
	};
	return names[format];
}

static void each_key(const struct schema_object *obj, struct strbuf *path,
		     void (*fn)(void *, const struct schema_key *, const char *, const char *), void *ctx)
{
	size_t i, len = path->len;

	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_key *key = &obj->keys[i];
		const char *type = schema_type_name(key->type);

		if (key->flags & SCHEMA_DERIVED)
			continue;
		if (key->type == SCHEMA_STRING && key->format != FMT_NONE)
			type = schema_format_name(key->format);
		strbuf_addstr(path, key->name);
		fn(ctx, key, path->buf, type);
		if (key->object && key->type != SCHEMA_STRING_MAP) {
			strbuf_addstr(path, key->type == SCHEMA_OBJECT_LIST ? "[]." : ".");
			each_key(key->object, path, fn, ctx);
		}
		strbuf_setlen(path, len);
	}
}

void schema_each_key(const struct schema_object *obj,
		     void (*fn)(void *ctx, const struct schema_key *key, const char *path, const char *type),
		     void *ctx)
{
	struct strbuf path = STRBUF_INIT;
	each_key(obj, &path, fn, ctx);
	strbuf_release(&path);
}
