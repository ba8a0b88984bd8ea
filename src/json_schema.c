/*
 * json_schema.c - writes the JSON Schema (draft-07) of infra.yml from the
 * schema table (see json_schema.h).
 *
 * One schema per key, from its type, flags, format, default, bounds and
 * description.  Keys the checker computes (SCHEMA_DERIVED) are not user
 * keys: they are left out, and additionalProperties false rejects them as
 * the checker does.  Ignored keys (SCHEMA_IGNORED) stay, marked deprecated,
 * as the checker warns about them.  Types are what a YAML parser makes of
 * the value; the checker reads every scalar as text, so where the text of a
 * number or a boolean can be valid (a key pair named 2024), the schema takes
 * those too.  A number the checker takes from a quoted string ("30") is a
 * string to an editor, and the schema says it should be written unquoted.
 * tests/schema.test proves the schema and the checker agree.
 */
#include "config.h"

#include <json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "json_schema.h"
#include "names.h"
#include "schema.h"
#include "strbuf.h"

/*
 * Each format as a pattern (ECMA-262, which editors use; Python's re reads
 * them the same way), anchored; the C functions in check_format.c are the
 * rule, this is its transcription.  Formats a pattern cannot state whole
 * (FMT_SUB's ${...} syntax, FMT_FILE's existence) state what they can.
 */
static const struct {
	const char *pattern;
	int max_length;  /* 0: none */
	bool scalar;     /* the text of a YAML number or boolean can be valid */
} formats[] = {
	[FMT_NONE] = { NULL, 0, true },
	[FMT_KIND] = { NULL, 0, false }, /* a const, below */
	[FMT_CLUSTER_NAME] = { NULL, 0, false }, /* from names.h, below */
	[FMT_NAME] = { "^[A-Za-z0-9_-]*[A-Za-z0-9][A-Za-z0-9_-]*$", 64, true },
	[FMT_VPC_ID] = { "^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", 0, false },
	[FMT_SUBNET_ID] = { "^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", 0, false },
	[FMT_SG_ID] = { "^sg-([0-9a-f]{8}|[0-9a-f]{17})$", 0, false },
	[FMT_EFS_ID] = { "^fs-([0-9a-f]{8}|[0-9a-f]{17})$", 0, false },
	[FMT_AMI_ID] = { "^ami-([0-9a-f]{8}|[0-9a-f]{17})$", 0, false },
	[FMT_AZ] = { "^[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*-[a-z0-9]*[0-9][a-z]$", 0, false },
	[FMT_INSTANCE_TYPE] = { "^[a-z][a-z-]*[0-9][a-z0-9-]*\\.[a-z0-9-]+$", 0, false },
	[FMT_KEYPAIR] = { "^[ -~]+$", 255, true },
	[FMT_DEVICE_NAME] = { "^/dev/(xvd|sd)[a-z][a-z]?[0-9]?[0-9]?$", 0, false },
	[FMT_ABS_PATH] = { "^(/(?!\\.\\.?(/|$))[A-Za-z0-9._-]+)+$", 255, false },
	[FMT_SUB] = { "^[^\\u0000-\\u001f\\u007f]*$", 0, true },
	[FMT_FILE] = { NULL, 0, true },
	[FMT_EMAIL] = { "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
			"(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$", 254, false },
	[FMT_SNS_TOPIC_ARN] = { "^arn:(aws|aws-cn|aws-us-gov):sns:[a-z][a-z0-9]*(-[a-z0-9]+)+-[a-z0-9]*[0-9]:"
				"[0-9]{12}:[A-Za-z0-9_-]{1,256}$", 0, false },
	[FMT_TAG] = { "^(?![aA][wW][sS]:)[A-Za-z0-9 +=._:/@-]*$", IR_TAG_VALUE_MAX, true }, /* a value; keys below */
	[FMT_ENVIRONMENT] = { "^[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?$", 64, true },
	[FMT_AMI_UPDATES] = { "^(auto|weekly|off)$", 0, false },
};
/* One row per format of schema.h (the last one there is FMT_AMI_UPDATES). */
_Static_assert(sizeof formats / sizeof formats[0] == FMT_AMI_UPDATES + 1,
	       "json_schema.c: a format of schema.h has no pattern row");

/* The YAML 1.1 words check.c's parse_bool takes besides true and false, which YAML 1.2 reads as strings. */
static const char *const bool_words[] = {
	"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
};

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *str(const char *s)
{
	return json_object_new_string(s);
}

static struct json_object *type_of(const char *type)
{
	struct json_object *o = json_object_new_object();
	add(o, "type", str(type));
	return o;
}

/* 1..hi in decimal without leading zeros, as alternatives: 1..3600 -> [1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|3600 */
static void add_range(struct strbuf *sb, long long hi)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%lld", hi), i;

	if (n == 2)
		strbuf_addstr(sb, "[1-9]|");
	else if (n > 2)
		strbuf_addf(sb, "[1-9][0-9]{0,%d}|", n - 2);
	for (i = 0; i < n; i++) {
		char lo = i ? '0' : '1', top = (char)(digits[i] - 1);
		if (top < lo)
			continue;
		strbuf_add(sb, digits, (size_t)i);
		strbuf_addf(sb, lo == top ? "%c" : "[%c-%c]", lo, top);
		if (n - i - 1)
			strbuf_addf(sb, "[0-9]{%d}", n - i - 1);
		strbuf_addch(sb, '|');
	}
	strbuf_add(sb, digits, (size_t)n);
}

/* "90s", "3m", "1h" or seconds, 1s to IR_DURATION_MAX_SECONDS, leading zeros allowed (check.c's parse_duration). */
static struct json_object *duration_schema(void)
{
	struct json_object *o = json_object_new_object(), *any = json_object_new_array();
	struct json_object *secs = type_of("integer"), *text = type_of("string");
	struct strbuf sb = STRBUF_INIT;

	add(secs, "minimum", json_object_new_int64(1));
	add(secs, "maximum", json_object_new_int64(IR_DURATION_MAX_SECONDS));
	strbuf_addstr(&sb, "^0*((");
	add_range(&sb, IR_DURATION_MAX_SECONDS);
	strbuf_addstr(&sb, ")s?|(");
	add_range(&sb, IR_DURATION_MAX_SECONDS / 60);
	strbuf_addch(&sb, ')');
	if (IR_DURATION_MAX_SECONDS >= 3600) {
		strbuf_addstr(&sb, "m|(");
		add_range(&sb, IR_DURATION_MAX_SECONDS / 3600);
		strbuf_addstr(&sb, ")h)$");
	} else {
		strbuf_addstr(&sb, "m)$");
	}
	add(text, "pattern", str(sb.buf));
	strbuf_release(&sb);
	json_object_array_add(any, secs);
	json_object_array_add(any, text);
	add(o, "anyOf", any);
	return o;
}

/* More than 0, at most 6 decimals (check.c's parse_price): 0.000001 is the least. */
static struct json_object *price_schema(void)
{
	struct json_object *o = json_object_new_object(), *any = json_object_new_array();
	struct json_object *num = type_of("number"), *text = type_of("string");

	add(num, "minimum", json_object_new_double_s(0.000001, "0.000001"));
	add(text, "pattern", str("^(?=[0-9.]*[1-9])([0-9]+(\\.[0-9]{1,6})?|\\.[0-9]{1,6})$"));
	json_object_array_add(any, num);
	json_object_array_add(any, text);
	add(o, "anyOf", any);
	return o;
}

static struct json_object *bool_schema(void)
{
	struct json_object *o = json_object_new_object(), *any = json_object_new_array();
	struct json_object *words = json_object_new_object(), *list = json_object_new_array();
	size_t i;

	for (i = 0; i < sizeof bool_words / sizeof bool_words[0]; i++)
		json_object_array_add(list, str(bool_words[i]));
	add(words, "enum", list);
	json_object_array_add(any, type_of("boolean"));
	json_object_array_add(any, words);
	add(o, "anyOf", any);
	return o;
}

/* A cluster name: a letter, then letters, digits and '-'; never the compute infix; room for the compute stack's name. */
static struct json_object *cluster_name_schema(void)
{
	struct json_object *o = type_of("string");
	struct strbuf sb = STRBUF_INIT;
	size_t infix = strlen(NAME_COMPUTE_INFIX);

	strbuf_addf(&sb, "^(?!.*%s)(?!.*%.*s$)[A-Za-z][A-Za-z0-9-]*$", NAME_COMPUTE_INFIX,
		    (int)infix - 1, NAME_COMPUTE_INFIX);
	add(o, "pattern", str(sb.buf));
	add(o, "maxLength", json_object_new_int64(NAME_STACK_NAME_MAX - (long long)infix - NAME_VERSION_MAX));
	strbuf_release(&sb);
	return o;
}

static struct json_object *string_schema(enum schema_format format)
{
	struct json_object *o;

	if (format == FMT_KIND) {
		o = json_object_new_object();
		add(o, "const", str("aws-ecs-cluster-deployer"));
		return o;
	}
	if (format == FMT_CLUSTER_NAME)
		return cluster_name_schema();
	if (format == FMT_AMI_UPDATES) {
		/* YAML 1.1 (PyYAML, as ecsgen reads booleans) reads a bare off as false; editors read "off". */
		struct json_object *any = json_object_new_array(), *words = json_object_new_object();
		struct json_object *list = json_object_new_array(), *no = json_object_new_object();
		json_object_array_add(list, str("auto"));
		json_object_array_add(list, str("weekly"));
		json_object_array_add(list, str("off"));
		add(words, "enum", list);
		add(no, "const", json_object_new_boolean(0));
		json_object_array_add(any, words);
		json_object_array_add(any, no);
		o = json_object_new_object();
		add(o, "anyOf", any);
		return o;
	}
	o = json_object_new_object();
	if (formats[format].scalar) {
		struct json_object *types = json_object_new_array();
		json_object_array_add(types, str("string"));
		json_object_array_add(types, str("number"));
		json_object_array_add(types, str("boolean"));
		add(o, "type", types);
	} else {
		add(o, "type", str("string"));
	}
	if (formats[format].pattern)
		add(o, "pattern", str(formats[format].pattern));
	if (formats[format].max_length)
		add(o, "maxLength", json_object_new_int64(formats[format].max_length));
	return o;
}

static struct json_object *object_schema(const struct schema_object *obj);

/*
 * A mapping of strings: free-form keys (propertyNames), each value a
 * string of the format (additionalProperties).  For tags, a key is 1 to
 * IR_TAG_KEY_MAX tag characters, not aws: in any case, and none ecsgen sets
 * (check_format.c's check_map_pair).
 */
static struct json_object *map_schema(const struct schema_key *key)
{
	struct json_object *o = type_of("object");

	if (key->format == FMT_TAG) {
		struct json_object *names = type_of("string");
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "^(?![aA][wW][sS]:)(?!%s)(?!(%s|%s|%s)$)[A-Za-z0-9 +=._:/@-]+$", IR_TAG_RESERVED_PREFIX,
			    NAME_TAG_CLUSTER, NAME_TAG_VERSION, IR_TAG_NAME);
		add(names, "pattern", str(sb.buf));
		add(names, "maxLength", json_object_new_int64(IR_TAG_KEY_MAX));
		strbuf_release(&sb);
		add(o, "propertyNames", names);
	}
	add(o, "additionalProperties", string_schema(key->format));
	/* An empty mapping is an error, as an empty list: the checker says to remove the key. */
	add(o, "minProperties", json_object_new_int64(1));
	if (key->min <= key->max)
		add(o, "maxProperties", json_object_new_int64(key->max));
	return o;
}

static struct json_object *value_schema(const struct schema_key *key)
{
	struct json_object *o = NULL;

	switch (key->type) {
	case SCHEMA_STRING:
		o = string_schema(key->format);
		break;
	case SCHEMA_INT:
		o = type_of("integer");
		if (key->min <= key->max) {
			add(o, "minimum", json_object_new_int64(key->min));
			add(o, "maximum", json_object_new_int64(key->max));
		}
		break;
	case SCHEMA_BOOL:
		o = bool_schema();
		break;
	case SCHEMA_PRICE:
		o = price_schema();
		break;
	case SCHEMA_DURATION:
		o = duration_schema();
		break;
	case SCHEMA_STRING_LIST:
		/* An empty list is an error: the checker says to remove the key. */
		o = type_of("array");
		add(o, "items", string_schema(key->format));
		add(o, "minItems", json_object_new_int64(1));
		if (key->min <= key->max)
			add(o, "maxItems", json_object_new_int64(key->max));
		break;
	case SCHEMA_STRING_MAP:
		o = map_schema(key);
		break;
	case SCHEMA_OBJECT:
		o = object_schema(key->object);
		break;
	case SCHEMA_OBJECT_LIST:
		o = type_of("array");
		add(o, "items", object_schema(key->object));
		/* A required list with no item is as missing as no list (check_rules.c: a fleet with no bids). */
		if (key->flags & SCHEMA_REQUIRED)
			add(o, "minItems", json_object_new_int64(1));
		if (key->min <= key->max)
			add(o, "maxItems", json_object_new_int64(key->max));
		break;
	}
	return o;
}

static struct json_object *default_of(const struct schema_key *key)
{
	const char *d = key->default_value;

	switch (key->type) {
	case SCHEMA_INT:
		return json_object_new_int64(strtoll(d, NULL, 10));
	case SCHEMA_BOOL:
		return json_object_new_boolean(!strcmp(d, "true"));
	default:
		return str(d);
	}
}

static struct json_object *key_schema(const struct schema_key *key)
{
	struct json_object *o = value_schema(key);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, key->description);
	if (key->default_value && (key->flags & SCHEMA_DEFAULT_FROM_KEY))
		strbuf_addf(&sb, " (default: the value of %s)", key->default_value);
	add(o, "description", str(sb.buf));
	strbuf_release(&sb);
	if (key->default_value && !(key->flags & SCHEMA_DEFAULT_FROM_KEY))
		add(o, "default", default_of(key));
	if (key->flags & SCHEMA_IGNORED) {
		/* draft 2019-09's keyword, and the one editors strike through; draft-07 validators ignore it. */
		add(o, "deprecated", json_object_new_boolean(1));
		add(o, "deprecationMessage", str("ecsgen ignores this key; you may remove it"));
	}
	return o;
}

static struct json_object *object_schema(const struct schema_object *obj)
{
	struct json_object *o = type_of("object"), *props = json_object_new_object();
	struct json_object *required = json_object_new_array();
	size_t i;

	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_key *key = &obj->keys[i];
		if (key->flags & SCHEMA_DERIVED)
			continue;
		add(props, key->name, key_schema(key));
		if (key->flags & SCHEMA_REQUIRED)
			json_object_array_add(required, str(key->name));
	}
	add(o, "properties", props);
	if (obj->extension_prefix) {
		/* Extension keys (x-fleet: &fleet ...) hold anything: the checker never reads them. */
		struct json_object *ext = json_object_new_object();
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "^%s.", obj->extension_prefix);
		add(ext, sb.buf, json_object_new_object());
		strbuf_release(&sb);
		add(o, "patternProperties", ext);
	}
	if (json_object_array_length(required))
		add(o, "required", required);
	else
		json_object_put(required);
	add(o, "additionalProperties", json_object_new_boolean(0));
	return o;
}

void json_schema_write(struct strbuf *out)
{
	struct json_object *doc = json_object_new_object(), *root = object_schema(&schema_root);

	add(doc, "$schema", str("http://json-schema.org/draft-07/schema#"));
	add(doc, "title", str("ecsgen infra.yml"));
	add(doc, "description", str("An ECS-on-EC2 cluster for ecsgen " PACKAGE_VERSION
				    " (man ecsgen, INFRA.YML); generated by ecsgen --schema"));
	json_object_object_foreach(root, key, value) {
		add(doc, key, json_object_get(value));
	}
	json_object_put(root);
	strbuf_addstr(out, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_addch(out, '\n');
	json_object_put(doc);
}
