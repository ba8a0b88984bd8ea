/* cfn.c - json-c builders for CloudFormation values: intrinsics, tags, IAM (see cfn.h). */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "cfn.h"
#include "escape.h"
#include "ir.h"
#include "strbuf.h"
#include "xalloc.h"

/*
 * json-c allocates with malloc and answers NULL or -1 when that fails: every
 * json-c call of the emitters goes through these, which make that the one
 * out-of-memory exit (xalloc.h), never a null in a template.
 */
static struct json_object *made(struct json_object *o)
{
	if (!o)
		xalloc_die(sizeof(void *));
	return o;
}

struct json_object *cfn_str(const char *s)
{
	return made(json_object_new_string(s));
}

struct json_object *cfn_str_len(const char *s, size_t len)
{
	if (len > INT_MAX)
		xalloc_die(len);
	return made(json_object_new_string_len(s, (int)len));
}

struct json_object *cfn_int(long long n)
{
	return made(json_object_new_int64(n));
}

struct json_object *cfn_bool(bool b)
{
	return made(json_object_new_boolean(b));
}

struct json_object *cfn_obj(void)
{
	return made(json_object_new_object());
}

struct json_object *cfn_array(struct json_object *first, ...)
{
	struct json_object *array = made(json_object_new_array());
	struct json_object *item;
	va_list ap;

	va_start(ap, first);
	for (item = first; item; item = va_arg(ap, struct json_object *))
		cfn_push(array, item);
	va_end(ap);
	return array;
}

struct json_object *cfn_strings(const char *const *list)
{
	struct json_object *array = cfn_array(NULL);
	for (; *list; list++)
		cfn_push(array, cfn_str(*list));
	return array;
}

struct json_object *cfn_set(struct json_object *obj, const char *key, struct json_object *value)
{
	if (json_object_object_add(obj, key, value) < 0)
		xalloc_die(strlen(key));
	return value;
}

void cfn_set_str(struct json_object *obj, const char *key, const char *s)
{
	cfn_set(obj, key, cfn_str(s));
}

void cfn_set_int(struct json_object *obj, const char *key, long long n)
{
	cfn_set(obj, key, cfn_int(n));
}

struct json_object *cfn_push(struct json_object *array, struct json_object *value)
{
	if (json_object_array_add(array, value) < 0)
		xalloc_die(sizeof(void *));
	return value;
}

/* {name: value} */
static struct json_object *fn(const char *name, struct json_object *value)
{
	struct json_object *o = cfn_obj();
	cfn_set(o, name, value);
	return o;
}

struct json_object *cfn_ref(const char *name)
{
	return fn("Ref", cfn_str(name));
}

struct json_object *cfn_getatt(const char *resource, const char *attribute)
{
	return fn("Fn::GetAtt", cfn_array(cfn_str(resource), cfn_str(attribute), NULL));
}

struct json_object *cfn_sub(const char *text)
{
	return fn("Fn::Sub", cfn_str(text));
}

struct json_object *cfn_if(const char *condition, struct json_object *then, struct json_object *otherwise)
{
	return fn("Fn::If", cfn_array(cfn_str(condition), then, otherwise, NULL));
}

struct json_object *cfn_novalue(void)
{
	return cfn_ref("AWS::NoValue");
}

struct json_object *cfn_import(const char *export_name)
{
	return fn("Fn::ImportValue", cfn_str(export_name));
}

struct json_object *cfn_base64(struct json_object *value)
{
	return fn("Fn::Base64", value);
}

struct json_object *cfn_join(const char *sep, struct json_object *list)
{
	return fn("Fn::Join", cfn_array(cfn_str(sep), list, NULL));
}

struct json_object *cfn_split(const char *sep, struct json_object *value)
{
	return fn("Fn::Split", cfn_array(cfn_str(sep), value, NULL));
}

struct json_object *cfn_select(int index, struct json_object *list)
{
	return fn("Fn::Select", cfn_array(cfn_int(index), list, NULL));
}

struct json_object *cfn_equals(struct json_object *a, struct json_object *b)
{
	return fn("Fn::Equals", cfn_array(a, b, NULL));
}

struct json_object *cfn_not(struct json_object *value)
{
	return fn("Fn::Not", cfn_array(value, NULL));
}

void cfn_sub_literal(struct strbuf *sb, const char *text)
{
	escape_cfnsub(sb, text, strlen(text), NULL);
}

struct json_object *cfn_ir_string(const struct ir_string *s)
{
	return s->has_sub ? cfn_sub(s->value) : cfn_str(s->value);
}

struct json_object *cfn_arn(const char *service, const char *rest_fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_object *value;
	va_list ap;

	strbuf_addf(&sb, "arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:", service);
	va_start(ap, rest_fmt);
	strbuf_vaddf(&sb, rest_fmt, ap);
	va_end(ap);
	value = cfn_sub(sb.buf);
	strbuf_release(&sb);
	return value;
}

void cfn_tag(struct json_object *tags, const char *key, struct json_object *value)
{
	struct json_object *tag = cfn_push(tags, cfn_obj());
	cfn_set_str(tag, "Key", key);
	cfn_set(tag, "Value", value);
}

struct json_object *cfn_cluster_tags(const struct ir *ir)
{
	struct json_object *tags = cfn_array(NULL);
	cfn_tag(tags, NAME_TAG_CLUSTER, cfn_str(ir->cluster.name.value));
	return tags;
}

struct json_object *cfn_policy_document(struct json_object *statements)
{
	struct json_object *doc = cfn_obj();
	cfn_set_str(doc, "Version", "2012-10-17");
	cfn_set(doc, "Statement", statements);
	return doc;
}

struct json_object *cfn_assume_role(const char *service)
{
	struct json_object *statement = cfn_obj();
	cfn_set_str(statement, "Effect", "Allow");
	cfn_set(statement, "Principal", fn("Service", cfn_str(service)));
	cfn_set_str(statement, "Action", "sts:AssumeRole");
	return cfn_policy_document(cfn_array(statement, NULL));
}

struct json_object *cfn_allow(const char *const *actions, struct json_object *resources)
{
	struct json_object *statement = cfn_obj();

	cfn_set_str(statement, "Effect", "Allow");
	/* One action or resource is written alone, as IAM allows: shorter to read. */
	if (actions[0] && !actions[1])
		cfn_set_str(statement, "Action", actions[0]);
	else
		cfn_set(statement, "Action", cfn_strings(actions));
	if (json_object_is_type(resources, json_type_array) && json_object_array_length(resources) == 1) {
		struct json_object *only = json_object_get(json_object_array_get_idx(resources, 0));
		json_object_put(resources);
		resources = only;
	}
	cfn_set(statement, "Resource", resources);
	return statement;
}

struct json_object *cfn_condition_on(struct json_object *statement, const char *op,
				     const char *key, struct json_object *value)
{
	struct json_object *cond, *test;

	if (!json_object_object_get_ex(statement, "Condition", &cond))
		cond = cfn_set(statement, "Condition", cfn_obj());
	if (!json_object_object_get_ex(cond, op, &test))
		test = cfn_set(cond, op, cfn_obj());
	cfn_set(test, key, value);
	return statement;
}

struct json_object *cfn_inline_policy(const char *name, struct json_object *statements)
{
	struct json_object *policy = cfn_obj();
	cfn_set_str(policy, "PolicyName", name);
	cfn_set(policy, "PolicyDocument", cfn_policy_document(statements));
	return policy;
}

const char *cfn_id(struct arena *arena, const char *prefix, const char *logical_id, const char *suffix)
{
	return arena_printf(arena, "%s%s%s", prefix, logical_id, suffix);
}

const char *cfn_price(struct arena *arena, long long micros)
{
	char digits[32];
	size_t len;

	len = (size_t)snprintf(digits, sizeof digits, "%lld.%06lld", micros / 1000000, micros % 1000000);
	while (len > 0 && digits[len - 1] == '0')
		digits[--len] = '\0';
	if (len > 0 && digits[len - 1] == '.')
		digits[--len] = '\0';
	return arena_strdup(arena, digits);
}

void cfn_private_bucket(struct cfn_template *t, const char *id, const struct ir *ir, const char *rule_id,
			int expire_days, int noncurrent_days)
{
	static const char *const everything[] = { "s3:*", NULL };
	struct json_object *props, *rule, *sse, *block, *deny, *principal;
	struct strbuf arn = STRBUF_INIT, objects = STRBUF_INIT, policy = STRBUF_INIT;

	props = cfn_props(cfn_resource(t, id, "AWS::S3::Bucket"));
	sse = cfn_obj();
	cfn_set(cfn_set(sse, "ServerSideEncryptionByDefault", cfn_obj()), "SSEAlgorithm", cfn_str("AES256"));
	cfn_set(cfn_set(props, "BucketEncryption", cfn_obj()), "ServerSideEncryptionConfiguration",
		cfn_array(sse, NULL));
	cfn_set_str(cfn_set(props, "VersioningConfiguration", cfn_obj()), "Status", "Enabled");
	block = cfn_set(props, "PublicAccessBlockConfiguration", cfn_obj());
	cfn_set(block, "BlockPublicAcls", cfn_bool(true));
	cfn_set(block, "BlockPublicPolicy", cfn_bool(true));
	cfn_set(block, "IgnorePublicAcls", cfn_bool(true));
	cfn_set(block, "RestrictPublicBuckets", cfn_bool(true));
	rule = cfn_obj();
	cfn_set_str(rule, "ObjectOwnership", "BucketOwnerEnforced");
	cfn_set(cfn_set(props, "OwnershipControls", cfn_obj()), "Rules", cfn_array(rule, NULL));
	rule = cfn_obj();
	cfn_set_str(rule, "Id", rule_id);
	cfn_set_str(rule, "Status", "Enabled");
	if (expire_days)
		cfn_set_int(rule, "ExpirationInDays", expire_days);
	cfn_set_int(cfn_set(rule, "NoncurrentVersionExpiration", cfn_obj()), "NoncurrentDays", noncurrent_days);
	cfn_set_int(cfn_set(rule, "AbortIncompleteMultipartUpload", cfn_obj()), "DaysAfterInitiation", 7);
	cfn_set(cfn_set(props, "LifecycleConfiguration", cfn_obj()), "Rules", cfn_array(rule, NULL));
	cfn_set(props, "Tags", cfn_cluster_tags(ir));

	strbuf_addf(&policy, "%sPolicy", id);
	props = cfn_props(cfn_resource(t, policy.buf, "AWS::S3::BucketPolicy"));
	cfn_set(props, "Bucket", cfn_ref(id));
	/* A Deny: it grants nothing, and covers every S3 action on purpose. */
	strbuf_addf(&arn, "arn:${AWS::Partition}:s3:::${%s}", id);
	strbuf_addf(&objects, "%s/*", arn.buf);
	deny = cfn_allow(everything, cfn_array(cfn_sub(arn.buf), cfn_sub(objects.buf), NULL));
	cfn_set_str(deny, "Effect", "Deny");
	principal = cfn_obj();
	cfn_set_str(principal, "AWS", "*");
	cfn_set(deny, "Principal", principal);
	cfn_condition_on(deny, "Bool", "aws:SecureTransport", cfn_str("false"));
	cfn_set(props, "PolicyDocument", cfn_policy_document(cfn_array(deny, NULL)));
	strbuf_release(&arn);
	strbuf_release(&objects);
	strbuf_release(&policy);
}

struct json_object *cfn_assets_arn(struct arena *arena, const struct ir *ir, bool objects)
{
	const char *name = arena_printf(arena, "%s:Bucket", IR_NAME(ir, STACK_ASSETS));

	return cfn_join("", cfn_array(cfn_sub("arn:${AWS::Partition}:s3:::"), cfn_import(name),
				      cfn_str(objects ? "/" CFN_ASSETS_TEMPLATES "*" : ""), NULL));
}

struct json_object *cfn_deleted_with_stack(struct json_object *resource)
{
	cfn_set_str(resource, "DeletionPolicy", "Delete");
	cfn_set_str(resource, "UpdateReplacePolicy", "Delete");
	return resource;
}
