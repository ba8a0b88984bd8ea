/* cfn.c - CloudFormation values built of cfn_value.c's: intrinsics, tags, IAM, buckets (see cfn.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "cfn.h"
#include "cfn_int.h"
#include "escape.h"
#include "ir.h"
#include "strbuf.h"

/* {name: value} */
static struct cfn_value *fn(const char *name, struct cfn_value *value)
{
	struct cfn_value *o = cfn_obj();
	cfn_set(o, name, value);
	return o;
}

struct cfn_value *cfn_ref(const char *name)
{
	return fn("Ref", cfn_str(name));
}

struct cfn_value *cfn_getatt(const char *resource, const char *attribute)
{
	return fn("Fn::GetAtt", cfn_array(cfn_str(resource), cfn_str(attribute), NULL));
}

struct cfn_value *cfn_sub(const char *text)
{
	return fn("Fn::Sub", cfn_str(text));
}

struct cfn_value *cfn_if(const char *condition, struct cfn_value *then, struct cfn_value *otherwise)
{
	return fn("Fn::If", cfn_array(cfn_str(condition), then, otherwise, NULL));
}

struct cfn_value *cfn_novalue(void)
{
	return cfn_ref("AWS::NoValue");
}

struct cfn_value *cfn_import(const char *export_name)
{
	return fn("Fn::ImportValue", cfn_str(export_name));
}

struct cfn_value *cfn_base64(struct cfn_value *value)
{
	return fn("Fn::Base64", value);
}

struct cfn_value *cfn_join(const char *sep, struct cfn_value *list)
{
	return fn("Fn::Join", cfn_array(cfn_str(sep), list, NULL));
}

struct cfn_value *cfn_split(const char *sep, struct cfn_value *value)
{
	return fn("Fn::Split", cfn_array(cfn_str(sep), value, NULL));
}

struct cfn_value *cfn_select(int index, struct cfn_value *list)
{
	return fn("Fn::Select", cfn_array(cfn_int(index), list, NULL));
}

struct cfn_value *cfn_equals(struct cfn_value *a, struct cfn_value *b)
{
	return fn("Fn::Equals", cfn_array(a, b, NULL));
}

struct cfn_value *cfn_not(struct cfn_value *value)
{
	return fn("Fn::Not", cfn_array(value, NULL));
}

void cfn_sub_literal(struct strbuf *sb, const char *text)
{
	escape_cfnsub(sb, text, strlen(text), NULL);
}

struct cfn_value *cfn_ir_string(const struct ir_string *s)
{
	return s->has_sub ? cfn_sub(s->value) : cfn_str(s->value);
}

struct cfn_value *cfn_arn(const char *service, const char *rest_fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	struct cfn_value *value;
	va_list ap;

	strbuf_addstr(&sb, "arn:${AWS::Partition}:");
	strbuf_addstr(&sb, service);
	strbuf_addstr(&sb, ":${AWS::Region}:${AWS::AccountId}:");
	va_start(ap, rest_fmt);
	strbuf_vaddf(&sb, rest_fmt, ap);
	va_end(ap);
	value = cfn_sub(sb.buf);
	strbuf_release(&sb);
	return value;
}

void cfn_tag(struct cfn_value *tags, const char *key, struct cfn_value *value)
{
	struct cfn_value *tag = cfn_push(tags, cfn_obj());
	cfn_set_str(tag, "Key", key);
	cfn_set(tag, "Value", value);
}

/*
 * The one place tags are made: every resource, launch template
 * TagSpecification, fleet and group takes its tags from here, so the
 * cost-allocation tags (cluster.tags) reach everything that takes tags.
 * The checker keeps them off ecsgen's own keys and within AWS's 50.
 */
struct cfn_value *cfn_cluster_tags(const struct ir *ir)
{
	const struct ir_string_map *user = &ir->cluster.tags;
	struct cfn_value *tags = cfn_array(NULL);
	size_t i;

	cfn_tag(tags, NAME_TAG_CLUSTER, cfn_str(ir->cluster.name.value));
	for (i = 0; i < user->n; i++)
		cfn_tag(tags, user->items[i].key.value, cfn_str(user->items[i].value.value));
	return tags;
}

struct cfn_value *cfn_policy_document(struct cfn_value *statements)
{
	struct cfn_value *doc = cfn_obj();
	cfn_set_str(doc, "Version", "2012-10-17");
	cfn_set(doc, "Statement", statements);
	return doc;
}

struct cfn_value *cfn_assume_role(const char *service)
{
	struct cfn_value *statement = cfn_obj();
	cfn_set_str(statement, "Effect", "Allow");
	cfn_set(statement, "Principal", fn("Service", cfn_str(service)));
	cfn_set_str(statement, "Action", "sts:AssumeRole");
	return cfn_policy_document(cfn_array(statement, NULL));
}

struct cfn_value *cfn_allow(const char *const *actions, struct cfn_value *resources)
{
	struct cfn_value *statement = cfn_obj();

	cfn_set_str(statement, "Effect", "Allow");
	/* One action or resource is written alone, as IAM allows: shorter to read. */
	if (actions[0] && !actions[1])
		cfn_set_str(statement, "Action", actions[0]);
	else
		cfn_set(statement, "Action", cfn_strings(actions));
	if (cfn_kind_of(resources) == CFN_ARRAY && cfn_count(resources) == 1)
		resources = cfn_members(resources)->value;
	cfn_set(statement, "Resource", resources);
	return statement;
}

struct cfn_value *cfn_condition_on(struct cfn_value *statement, const char *op,
				     const char *key, struct cfn_value *value)
{
	struct cfn_value *cond, *test;

	if (!(cond = cfn_get(statement, "Condition")))
		cond = cfn_set(statement, "Condition", cfn_obj());
	if (!(test = cfn_get(cond, op)))
		test = cfn_set(cond, op, cfn_obj());
	cfn_set(test, key, value);
	return statement;
}

struct cfn_value *cfn_inline_policy(const char *name, struct cfn_value *statements)
{
	struct cfn_value *policy = cfn_obj();
	cfn_set_str(policy, "PolicyName", name);
	cfn_set(policy, "PolicyDocument", cfn_policy_document(statements));
	return policy;
}

const char *cfn_id(struct arena *arena, const char *prefix, const char *logical_id, const char *suffix)
{
	size_t a = strlen(prefix), b = strlen(logical_id), c = strlen(suffix);
	char *id = arena_alloc_raw(arena, a + b + c + 1);

	/* Three copies, not arena_printf's formatting: a compile makes an id for most resources. */
	memcpy(id, prefix, a);
	memcpy(id + a, logical_id, b);
	memcpy(id + a + b, suffix, c + 1);
	return id;
}

const char *cfn_price(struct arena *arena, long long micros)
{
	char digits[CFN_DECIMAL_MAX + 8];
	size_t len, i;

	if (micros < 0) {
		len = (size_t)snprintf(digits, sizeof digits, "%lld.%06lld", micros / 1000000, micros % 1000000);
	} else { /* "%lld.%06lld" without snprintf, 30 times dearer: a compile prices every bid */
		long long frac = micros % 1000000;
		len = cfn_decimal(digits, micros / 1000000);
		digits[len++] = '.';
		for (i = 6; i > 0; i--, frac /= 10)
			digits[len + i - 1] = (char)('0' + frac % 10);
		len += 6;
		digits[len] = '\0';
	}
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
	struct cfn_value *props, *rule, *sse, *block, *deny, *principal;
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

struct cfn_value *cfn_assets_arn(struct arena *arena, const struct ir *ir, bool objects)
{
	const char *name = arena_printf(arena, "%s:Bucket", IR_NAME(ir, STACK_ASSETS));

	return cfn_join("", cfn_array(cfn_sub("arn:${AWS::Partition}:s3:::"), cfn_import(name),
				      cfn_str(objects ? "/" CFN_ASSETS_TEMPLATES "*" : ""), NULL));
}

struct cfn_value *cfn_deleted_with_stack(struct cfn_value *resource)
{
	cfn_set_str(resource, "DeletionPolicy", "Delete");
	cfn_set_str(resource, "UpdateReplacePolicy", "Delete");
	return resource;
}
