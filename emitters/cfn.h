/*
 * cfn.h - what the CloudFormation emitters (cfn_*.c) share: builders of
 * JSON values for intrinsic functions, tags and IAM policies, and the
 * template container that checks CloudFormation's limits and prints the
 * bytes.
 *
 * Ownership: values live in the compilation's arena, opened for them by
 * cfn_values_begin() (emitters_run() does it around the rows); nobody
 * frees one.  A builder or adder that takes a value makes it part of the
 * new one, so nested calls read as the JSON they build:
 *
 *	cfn_set(props, "VpcId", cfn_ref("VpcId"));
 *	cfn_set(props, "GroupId", cfn_getatt("NodeSecurityGroup", "GroupId"));
 *
 * An object prints its keys in insertion order, so a template's key order
 * is the order of the calls that built it: stable across runs.  Setting a
 * key that is there already replaces its value and keeps its place (as
 * json-c's json_object_object_add did).  Strings from infra.yml reach JSON
 * only through the printer (which escapes them); text placed in an Fn::Sub
 * goes through cfn_sub_literal() first.
 *
 * A template is built with cfn_template_init(), filled with cfn_param(),
 * cfn_condition(), cfn_resource() and cfn_output(), and finished with
 * cfn_template_emit(), which checks the limits, prints and adds the file to
 * the output tree; it releases the template in every case.
 */
#ifndef ECSGEN_CFN_H
#define ECSGEN_CFN_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

struct arena;
struct cfn_template;
struct cfn_value;
struct emit_context;
struct emitter;
struct ir;
struct ir_string;
struct strbuf;

/* The ECS dynamic host-port range: node group ingress and user data agree. */
#define CFN_HOST_PORT_FIRST 32768
#define CFN_HOST_PORT_LAST 60999

/* Subnet slots of a spot fleet when the subnets are known only at deploy. */
#define CFN_SUBNET_SLOTS 6

/*
 * CloudFormation's limits for one template passed by URL (--template-url):
 * every template but the assets stack's is uploaded to the assets bucket.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
#define CFN_MAX_RESOURCES 500
#define CFN_MAX_PARAMETERS 200
#define CFN_MAX_OUTPUTS 200
#define CFN_MAX_BODY 1000000
/* The assets stack itself goes inline (--template-body, 51,200 bytes): there is no bucket yet. */

/* Where the deploy scripts put templates in that bucket: templates/<sha256>.json. */
#define CFN_ASSETS_TEMPLATES "templates/"

/* --- values --------------------------------------------------------------- */

/*
 * The values of one compilation come from arena from cfn_values_begin()
 * until cfn_values_end(); a builder called outside is a BUG.
 */
void cfn_values_begin(struct arena *arena);
void cfn_values_end(void);

/* Scalars before containers: kind < CFN_ARRAY is a scalar. */
enum cfn_kind { CFN_STRING, CFN_NULL, CFN_BOOL, CFN_INT, CFN_ARRAY, CFN_OBJECT };


struct cfn_value *cfn_str(const char *s);
struct cfn_value *cfn_str_len(const char *s, size_t len);
struct cfn_value *cfn_int(long long n);
struct cfn_value *cfn_bool(bool b);
struct cfn_value *cfn_obj(void);
/* A JSON array of the arguments up to the first NULL. */
struct cfn_value *cfn_array(struct cfn_value *first, ...);
/* An array of plain strings from a NULL-terminated list. */
struct cfn_value *cfn_strings(const char *const *list);

/* obj[key] = value (value's reference moves into obj); returns value. */
struct cfn_value *cfn_set(struct cfn_value *obj, const char *key, struct cfn_value *value);
void cfn_set_str(struct cfn_value *obj, const char *key, const char *s);
void cfn_set_int(struct cfn_value *obj, const char *key, long long n);
/* Append to an array; returns value.  A NULL value is JSON's null, in both. */
struct cfn_value *cfn_push(struct cfn_value *array, struct cfn_value *value);
/* Append to an array unless an equal value (cfn_equal) is there already. */
void cfn_push_unique(struct cfn_value *array, struct cfn_value *value);
struct cfn_value *cfn_null(void);
/* A string of v's JSON without spaces: CodePipeline's EnvironmentVariables. */
struct cfn_value *cfn_plain(const struct cfn_value *v);

/* --- reading values back ------------------------------------------------- */

/* A container's members in order: an array's have no key (NULL). */
struct cfn_member {
	struct cfn_member *next;
	const char *key;
	size_t key_len, key_width;   /* key_width: its bytes as JSON (the printer's) */
	struct cfn_value *value;
};

enum cfn_kind cfn_kind_of(const struct cfn_value *v);
/* A container's first member and count; NULL and 0 for a scalar or NULL. */
const struct cfn_member *cfn_members(const struct cfn_value *v);
size_t cfn_count(const struct cfn_value *v);
/* obj[key], or NULL when obj is NULL, not an object or has no such key. */
struct cfn_value *cfn_get(const struct cfn_value *obj, const char *key);
/* A string's bytes (NUL-terminated), or NULL when v is NULL or no string. */
const char *cfn_string(const struct cfn_value *v);
/* Deep equality; an object's keys in any order (as json_object_equal). */
bool cfn_equal(const struct cfn_value *a, const struct cfn_value *b);

/* --- intrinsic functions ------------------------------------------------- */

struct cfn_value *cfn_ref(const char *name);
struct cfn_value *cfn_getatt(const char *resource, const char *attribute);
/* {"Fn::Sub": text}: text is already in Fn::Sub syntax. */
struct cfn_value *cfn_sub(const char *text);
struct cfn_value *cfn_if(const char *condition, struct cfn_value *then, struct cfn_value *otherwise);
struct cfn_value *cfn_novalue(void);
struct cfn_value *cfn_import(const char *export_name);
struct cfn_value *cfn_base64(struct cfn_value *value);
struct cfn_value *cfn_join(const char *sep, struct cfn_value *list);
struct cfn_value *cfn_split(const char *sep, struct cfn_value *value);
struct cfn_value *cfn_select(int index, struct cfn_value *list);
struct cfn_value *cfn_equals(struct cfn_value *a, struct cfn_value *b);
struct cfn_value *cfn_not(struct cfn_value *value);

/* Literal text for an Fn::Sub string: every "${" becomes "${!". */
void cfn_sub_literal(struct strbuf *sb, const char *text);
/* A value from infra.yml: a plain string, or Fn::Sub when it has ${...}. */
struct cfn_value *cfn_ir_string(const struct ir_string *s);

/* Stack-relative helpers: "arn:${AWS::Partition}:<service>:${AWS::Region}:${AWS::AccountId}:<rest>". */
struct cfn_value *cfn_arn(const char *service, const char *rest_fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* --- tags ------------------------------------------------------------------ */

/* Append {"Key": key, "Value": value} to tags. */
void cfn_tag(struct cfn_value *tags, const char *key, struct cfn_value *value);
/*
 * The tags every resource of a cluster carries: ecsgen:cluster=<name>, then
 * infra.yml's cluster.tags in their order.  Every emitter tags through it.
 */
struct cfn_value *cfn_cluster_tags(const struct ir *ir);

/* --- IAM ------------------------------------------------------------------- */

/* {"Version": "2012-10-17", "Statement": [...]} with one sts:AssumeRole statement. */
struct cfn_value *cfn_assume_role(const char *service);
/*
 * One Allow statement.  actions: NULL-terminated, every one explicit (no
 * wildcards: tests/cfn/static_checks.py refuses them).  resources: a JSON
 * array (or a single value, wrapped here).
 */
struct cfn_value *cfn_allow(const char *const *actions, struct cfn_value *resources);
/* Add a Condition {op: {key: value}} to a statement; returns the statement. */
struct cfn_value *cfn_condition_on(struct cfn_value *statement, const char *op,
				     const char *key, struct cfn_value *value);
/* A policy document from an array of statements. */
struct cfn_value *cfn_policy_document(struct cfn_value *statements);
/* {"PolicyName": name, "PolicyDocument": document(statements)} */
struct cfn_value *cfn_inline_policy(const char *name, struct cfn_value *statements);

/* --- S3 -------------------------------------------------------------------- */

/*
 * A private bucket `id` with its policy `<id>Policy`: public access blocked,
 * SSE-S3, versioned, TLS only, objects owned by the bucket owner, tagged
 * with the cluster.  Its lifecycle rule `rule_id` expires current objects
 * after expire_days (0: never) and old versions after noncurrent_days.
 */
void cfn_private_bucket(struct cfn_template *t, const char *id, const struct ir *ir, const char *rule_id,
			int expire_days, int noncurrent_days);

/*
 * The ARN of the uploaded templates (or, with objects false, of the bucket)
 * in the cluster's assets bucket, by Fn::ImportValue of its export.
 */
struct cfn_value *cfn_assets_arn(struct arena *arena, const struct ir *ir, bool objects);

/* --- the template -------------------------------------------------------- */

struct cfn_template {
	const char *path;            /* in the output tree: "cloudformation/cluster.json" */
	const char *description;
	struct cfn_value *parameters, *conditions, *resources, *outputs;
};

void cfn_template_init(struct cfn_template *t, const char *path, const char *description);
void cfn_template_release(struct cfn_template *t);

/* A new parameter; returns it so the caller adds Default, AllowedValues, ... */
struct cfn_value *cfn_param(struct cfn_template *t, const char *name, const char *type,
			      const char *description);
void cfn_condition(struct cfn_template *t, const char *name, struct cfn_value *expr);
/*
 * A new resource {"Type": type}; the caller adds Condition, DependsOn,
 * policies, then calls cfn_props() for its Properties.  A logical id used
 * twice is a BUG: emitters check names from infra.yml first.
 */
struct cfn_value *cfn_resource(struct cfn_template *t, const char *logical_id, const char *type);
struct cfn_value *cfn_props(struct cfn_value *resource);
/* An output; export_name (Fn::Sub syntax) may be NULL.  Returns the output. */
struct cfn_value *cfn_output(struct cfn_template *t, const char *name, const char *description,
			       struct cfn_value *value, const char *export_name);

/*
 * Check CloudFormation's limits (a located error at loc naming the limit,
 * the template and the count), print the template (pretty, two-space
 * indent, a final newline) and add it to ctx->out.  Releases t.
 * Returns 0, or -1 after a diagnostic.
 */
int cfn_template_emit(struct emit_context *ctx, struct cfn_template *t, struct loc loc);
/*
 * The whole template emitted at path in this compilation, as printed
 * (AWSTemplateFormatVersion, Description, Parameters, ...), or NULL when
 * none was: the README row reads the templates back through this.
 */
const struct cfn_value *cfn_template_of(const char *path);


/* --- shared pieces --------------------------------------------------------- */

/* "<Prefix><LogicalId><Suffix>" in the arena. */
const char *cfn_id(struct arena *arena, const char *prefix, const char *logical_id, const char *suffix);

/*
 * The lifecycle functions of the cluster stack (cfn_functions.c): each with
 * its role, log group, rule and permission, the source inline.  Returns 0,
 * or -1 after a diagnostic.
 */
int cfn_add_functions(struct emit_context *ctx, struct cfn_template *t);
/*
 * cluster.ami_updates: auto, in the pipeline stack (cfn_functions.c): a
 * function subscribed to AWS's ECS-optimized AMI update topic that starts
 * the pipeline.  Returns 0, or -1 after a diagnostic.
 */
int cfn_add_ami_update_trigger(struct emit_context *ctx, struct cfn_template *t);
/* The IAM path of the pipeline stack's roles, out of the deploy role's reach (cfn_pipeline.c). */
const char *cfn_pipeline_role_path(struct arena *arena, const struct ir *ir);
/*
 * DeletionPolicy and UpdateReplacePolicy Delete, said out loud (cfn-lint
 * I3011): log groups and secrets go with their stack, as make destroy
 * means.  Returns resource.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
 */
struct cfn_value *cfn_deleted_with_stack(struct cfn_value *resource);
/*
 * The ARN of the permissions boundary every role of the cluster stack
 * carries: a managed policy of the pipeline stack (cfn_pipeline.c).
 */
struct cfn_value *cfn_role_boundary(struct arena *arena, const struct ir *ir);
/*
 * The ARNs of those functions and their qualifiers (rules false), or of
 * their rules: the names the cluster stack gives them.
 */
struct cfn_value *cfn_function_arns(struct arena *arena, const struct ir *ir, bool rules);

/*
 * The cluster stack's alarms (cfn_alarms.c): the topic they go to (unless
 * infra.yml names one: cluster.alarm_topic_arn), its key, policy and e-mail
 * subscription, and the alarms on the scaler's lifecycle metrics.
 */
void cfn_add_alarms(struct cfn_template *t, struct arena *arena, const struct ir *ir);
/* The alarm on a lifecycle function's errors: <function_id>ErrorsAlarm, for <function_id>Function. */
void cfn_function_alarm(struct cfn_template *t, struct arena *arena, const struct ir *ir,
			const char *function_id, const char *slug);
/* What the alarms notify: the generated AlarmTopic, or cluster.alarm_topic_arn. */
struct cfn_value *cfn_alarm_topic(const struct ir *ir);

/* "0.00375": micros as a decimal string without trailing zeros. */
const char *cfn_price(struct arena *arena, long long micros);

#endif
