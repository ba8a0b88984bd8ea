/*
 * ir.h - the typed intermediate representation of one infra.yml.
 *
 * Built by check.c (from the syntax tree, driven by the schema table) and
 * completed by lower.c (defaults that name other keys, derived names, the
 * architecture, merged bids, the user_data text).  The driver hands it to
 * the emitters only when the diagnostics list holds no error, so an emitter
 * may rely on every rule in schema.c and check_rules.c.
 *
 * Every field keeps the location of the YAML node it came from, so a late
 * check (a CloudFormation limit, say) still points at the source.  A field
 * that infra.yml left out has `present == false` and its default value.
 * Everything lives in the compilation arena: nobody frees any of it.
 *
 * Field names match the infra.yml keys; schema.c maps one onto the other
 * with offsetof, so renaming a field here means renaming the key there.
 */
#ifndef ECSGEN_IR_H
#define ECSGEN_IR_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"
#include "source.h"
#include "variant.h"

struct ir_string {
	const char *value; /* NULL when absent and without default */
	struct loc loc;
	bool present;
	bool has_sub;      /* holds ${...} substitutions (Fn::Sub syntax) */
};

struct ir_int {
	long long value;
	struct loc loc;
	bool present;
};

struct ir_bool {
	bool value;
	struct loc loc;
	bool present;
};

/* A price in USD per hour, exact: micros = price * 1e6 (6 decimals at most). */
struct ir_price {
	long long micros;
	const char *text; /* canonical decimal, e.g. "0.015" */
	struct loc loc;
	bool present;
};

/* The longest duration infra.yml may give (60m); the checker enforces it. */
#define IR_DURATION_MAX_SECONDS 3600

struct ir_duration {
	long long seconds;
	const char *text; /* as written, e.g. "3m" */
	struct loc loc;
	bool present;
};

/* The device infra.yml names the root volume by, whatever the image calls it. */
#define IR_ROOT_DEVICE "/dev/xvda"
/* The root snapshot of the ECS-optimized Amazon Linux 2023 image, in GiB. */
#define IR_ECS_IMAGE_ROOT_GIB 30
/*
 * EC2's notice before it interrupts a spot instance: 2 minutes.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html
 */
#define IR_SPOT_NOTICE_SECONDS 120
/* Security groups infra.yml may add: 5 per network interface, less the node group and the DB badge. */
#define IR_USER_SECURITY_GROUPS_MAX 3

#define IR_LIST(T) struct { T *items; size_t n; struct loc loc; bool present; }

struct ir_strings {
	struct ir_string *items;
	size_t n;
	struct loc loc;
	bool present;
};

/*
 * A mapping of strings to strings (SCHEMA_STRING_MAP), in source order:
 * each pair keeps the location of its key and of its value.  Same layout
 * as IR_LIST(struct ir_string_pair), so templates walk it as a list.
 */
struct ir_string_pair {
	struct loc loc; /* the key's */
	struct ir_string key;
	struct ir_string value;
};

struct ir_string_map {
	struct ir_string_pair *items;
	size_t n;
	struct loc loc;
	bool present;
};

/*
 * Tags (cluster.tags), on AWS's rules: at most IR_TAGS_MAX on a resource,
 * the ones ecsgen sets itself included (IR_TAGS_OWN_MAX at most, on a node:
 * NAME_TAG_CLUSTER, NAME_TAG_VERSION and IR_TAG_NAME).  Keys starting with
 * IR_TAG_RESERVED_PREFIX are ecsgen's.
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 */
#define IR_TAGS_MAX 50
#define IR_TAGS_OWN_MAX 3
#define IR_TAG_NAME "Name"
#define IR_TAG_RESERVED_PREFIX "ecsgen:"
#define IR_TAG_KEY_MAX 127 /* EC2's; most services take 128 */
#define IR_TAG_VALUE_MAX 256

struct ir_bid {
	struct loc loc;
	struct ir_string instance_type;
	struct ir_price price;
	struct ir_int weight;
};

struct ir_spot_fleet {
	struct loc loc;
	struct ir_string name;
	struct ir_duration timeout;
	struct ir_int desired_weight;
	struct ir_int min_weight;
	struct ir_int max_weight;
	struct ir_int task_threshold_out;
	struct ir_int task_threshold_in;
	IR_LIST(struct ir_bid) bids;
	struct ir_duration on_demand_fallback;       /* on-demand while spot stays short this long */
	struct ir_price on_demand_fallback_max_per_hour; /* OnDemandOptions.MaxTotalPrice */
	struct ir_string logical_id; /* derived: name with letters and digits only */
	struct ir_string variant;    /* derived: the image variant of every bid (variant.h) */
	enum variant variant_id;     /* derived: the same, as the table's index */
};

struct ir_asg {
	struct loc loc;
	struct ir_string name;
	struct ir_string instance_type;
	struct ir_int desired_instances;
	struct ir_int min_size;
	struct ir_int max_size;
	struct ir_duration timeout;
	struct ir_string logical_id; /* derived */
	struct ir_string variant;    /* derived: its instance type's image variant */
	enum variant variant_id;     /* derived */
};

struct ir_efs_mount {
	struct loc loc;
	struct ir_string name;
	struct ir_string efs_id;
	struct ir_string local_path;
	struct ir_string logical_id; /* derived */
};

struct ir_ebs_mount {
	struct loc loc;
	struct ir_string name;
	struct ir_string device_name;
	struct ir_int size;
	struct ir_string mount_path; /* optional: format and mount a non-root volume */
	struct ir_string logical_id; /* derived */
};

/* cluster.amis: one pinned image per variant. */
struct ir_amis {
	struct loc loc; /* set when infra.yml has the mapping */
	struct ir_string x86_64;
	struct ir_string arm64;
	struct ir_string gpu;
};

struct ir_cluster {
	struct loc loc;
	struct ir_string name;
	struct ir_string vpc;
	struct ir_strings availability_zones;
	struct ir_strings subnets;
	struct ir_strings security_groups;
	struct ir_strings security_group_ingress;
	struct ir_string keypair;
	struct ir_string ami;
	struct ir_amis amis;
	struct ir_bool container_insights;
	struct ir_string alarm_email;     /* subscribed to the generated alarm topic */
	struct ir_string alarm_topic_arn; /* an existing topic instead: none is generated */
	struct ir_string_map tags;        /* cost-allocation tags on every resource that takes them */
	struct ir_string ami_updates;     /* auto, weekly or off: what starts the pipeline for a new image */
};

struct ir_ec2_instances {
	struct loc loc;
	struct ir_string instance_profile_arn;
	struct ir_bool autoscaling;
	struct ir_bool imds_for_tasks;   /* tasks may reach IMDS, and act as the node */
	struct ir_string user_data;      /* the path as written in infra.yml */
	IR_LIST(struct ir_efs_mount) efs_mounts;
	IR_LIST(struct ir_ebs_mount) ebs_mounts;
	IR_LIST(struct ir_spot_fleet) spot_fleets;
	IR_LIST(struct ir_asg) auto_scaling_groups;
	struct ir_string user_data_text; /* derived: the file's contents */
};

struct ir {
	struct loc loc;
	struct ir_string kind;
	struct ir_string ecs_deployer_version;
	struct ir_cluster cluster;
	struct ir_ec2_instances ec2_instances;
	struct ir_strings environments; /* deploy stages: infra.yml's alone (driver.c) */
	struct ir_strings variants;   /* derived: the image variants present, in variant_table order */
	/* derived: has_variant[v] when a fleet or group runs variant v */
	bool has_variant[VARIANT_COUNT];
	/* derived: the image pinned for variant v (cluster.ami or cluster.amis), or NULL */
	const char *pinned[VARIANT_COUNT];
	bool pinned_any;              /* derived: infra.yml pins the images: nothing is baked */
	/* derived: cluster.ami_updates as a value (the checker allows it only without pinned images) */
	enum ir_ami_updates { IR_AMI_UPDATES_OFF, IR_AMI_UPDATES_AUTO, IR_AMI_UPDATES_WEEKLY } ami_updates;
	/* derived: this cluster's names (names.h), indexed by enum name_id */
	const struct name_value *names;
};

/* One of the cluster's names as a string: IR_NAME(ir, STACK_CLUSTER). */
#define IR_NAME(ir, id) ((ir)->names[NAMEID_##id].value)

#endif
