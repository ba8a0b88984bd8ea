/*
 * names.h - the one table of the names the generated pieces meet at: stack
 * names, VERSION's rule, tag keys, the metric namespace, the scaler's state
 * parameter, the lifecycle hook, log retention.  The C code, the templates
 * (through the IR's `names`), the Makefile (which exports them), the scripts
 * (which read them from the environment) and the functions (environment
 * variables) all take them from here; tests/names.test fails on a stack-name
 * literal anywhere else in the product sources.
 *
 *	X(ID, KIND, VALUE, DESCRIPTION)
 *
 * KIND is STR or INT.  A value may hold "%s" for the cluster's name: such a
 * row is a pattern, and names_derive() fills it for one cluster.
 */
#ifndef ECSGEN_NAMES_H
#define ECSGEN_NAMES_H

#define NAMES(X) \
	X(STACK_ASSETS, STR, "%s-assets", "the assets stack: the bucket every other template deploys from") \
	X(STACK_CLUSTER, STR, "%s-cluster", "the cluster stack") \
	X(STACK_HEALTH, STR, "%s-health", "the health-check stack") \
	X(STACK_PIPELINE, STR, "%s-pipeline", "the pipeline stack") \
	X(STACK_COMPUTE_PREFIX, STR, "%s-compute-", "compute stacks: this, then VERSION") \
	X(ROLE_PATH, STR, "/ecsgen/%s/", "the IAM path of every role ecsgen creates") \
	X(ROLE_BOUNDARY, STR, "%s-role-boundary", "the permissions boundary of every role the deploy creates (pipeline stack)") \
	X(LOG_GROUP_PREFIX, STR, "/ecsgen/%s/", "every log group's name starts so") \
	X(PARAMETER_PREFIX, STR, "/ecsgen/%s/", "every SSM parameter of the cluster starts so") \
	X(COMPUTE_INFIX, STR, "-compute-", "what a cluster name may not contain") \
	X(VERSION_MAX, INT, 40, "VERSION's longest length (a git sha fits)") \
	X(VERSION_FIRST_CHARS, STR, "A-Za-z0-9", "the characters VERSION may start with") \
	X(VERSION_CHARS, STR, "A-Za-z0-9-", "the characters VERSION may hold") \
	X(STACK_NAME_MAX, INT, 128, "CloudFormation's longest stack name") \
	X(TAG_CLUSTER, STR, "ecsgen:cluster", "tag key: the cluster a resource belongs to") \
	X(TAG_VERSION, STR, "ecsgen:version", "tag key: the version a resource belongs to") \
	X(METRIC_NAMESPACE, STR, "ecsgen/%s", "the capacity metric's CloudWatch namespace") \
	X(STATE_PARAMETER, STR, "/ecsgen/%s/scaler-state", "the scaler's SSM state parameter") \
	X(LOCK_TABLE, STR, "%s-lock", "the cluster's DynamoDB lock table (the scaler's lease)") \
	X(ALARM_TOPIC, STR, "%s-alarms", "the SNS topic the cluster's alarms notify (unless infra.yml names one)") \
	X(ALARM_PREFIX, STR, "%s-", "every alarm's name starts so") \
	X(WEBHOOK_SECRET, STR, "ecsgen/%s/webhook", "the pipeline webhook's secret") \
	X(HOOK_NAME, STR, "ecsgen-drain", "the auto scaling termination lifecycle hook") \
	X(LOG_RETENTION_DAYS, INT, 14, "how long every log group keeps its events") \
	X(USER_DATA_DELIMITER, STR, "ECSGEN_USER_DATA", "the here-document line that ends user_data") \
	X(ORIGINAL_COMPUTE_PREFIX, STR, "%s-asg-", "the original tool's compute stacks: this, then its version (make migrate)") \
	X(ORIGINAL_STACK_HEALTH, STR, "%s-cluster-health-task", "the original tool's health-task stack (make migrate)") \
	X(ORIGINAL_STACK_PIPELINE, STR, "%s-cluster-codepipeline", "the original tool's pipeline stack (make migrate)")

/* NAME_STACK_CLUSTER, ...: the values themselves, for C. */
#define NAMES_X(id, kind, value, desc) NAMES_##kind(id, value)
#define NAMES_INT(id, value) NAME_##id = value,
#define NAMES_STR(id, value)
enum { NAMES(NAMES_X) };
#undef NAMES_INT
#undef NAMES_STR
#define NAMES_INT(id, value)
#define NAMES_STR(id, value) extern const char NAME_##id[];
NAMES(NAMES_X)
#undef NAMES_INT
#undef NAMES_STR

#include <stddef.h>

/* NAMEID_STACK_CLUSTER, ...: a row's index in names_derive()'s array. */
#define NAMES_ID(id, kind, value, desc) NAMEID_##id,
enum name_id { NAMES(NAMES_ID) NAMEID__COUNT };
#undef NAMES_ID

struct arena;

/*
 * One row as the Makefile and the functions see it: NAME ("STACK_CLUSTER"),
 * its value for the cluster (patterns filled), its description.
 */
struct name_value {
	const char *id;
	const char *value;
	const char *description;
};

/* Every row for one cluster, indexed by enum name_id (NAMEID__COUNT rows); from the arena. */
const struct name_value *names_derive(struct arena *arena, const char *cluster);

/* One pattern row filled for a cluster: names_for(arena, NAME_STACK_CLUSTER, "c"). */
const char *names_for(struct arena *arena, const char *pattern, const char *cluster);

#endif
