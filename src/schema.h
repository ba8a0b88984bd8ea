/*
 * schema.h - the one table that describes every key of infra.yml.
 *
 * Each object (root, cluster, ec2_instances, a spot fleet, ...) is a list of
 * keys: name, type, flags, format, default, bounds, where its value goes in
 * the IR (offsetof) and a one-line description.  check.c validates and
 * fills the IR from it; ir_dump.c prints the IR from it; the JSON Schema, the
 * man page tables, --help and the template type checker are generated from it.
 * Adding a key is one row here plus one field in ir.h.
 *
 * Keys flagged SCHEMA_DERIVED are not accepted from infra.yml: lower.c
 * computes them, and they appear in --dump-ir and in the template view.
 */
#ifndef ECSGEN_SCHEMA_H
#define ECSGEN_SCHEMA_H

#include <stddef.h>

enum schema_type {
	SCHEMA_STRING,
	SCHEMA_INT,
	SCHEMA_BOOL,
	SCHEMA_PRICE,       /* decimal USD, > 0, at most 6 decimals */
	SCHEMA_DURATION,    /* "90s", "3m", "1h" or a number of seconds */
	SCHEMA_STRING_LIST,
	SCHEMA_OBJECT,      /* a nested mapping, stored inline */
	SCHEMA_OBJECT_LIST, /* a sequence of mappings */
	SCHEMA_STRING_MAP,  /* a mapping of free-form string keys to strings (struct ir_string_map) */
};

enum schema_flags {
	SCHEMA_REQUIRED = 1 << 0,
	SCHEMA_IGNORED = 1 << 1,         /* accepted with a warning, not used */
	SCHEMA_DERIVED = 1 << 2,         /* computed by lower.c, not read */
	SCHEMA_DEFAULT_FROM_KEY = 1 << 3, /* default_value names a sibling key */
	SCHEMA_UNIQUE_NAME = 1 << 4,     /* list of objects whose 'name' must be unique */
};

enum schema_format {
	FMT_NONE,
	FMT_KIND,          /* the constant aws-ecs-cluster-deployer */
	FMT_CLUSTER_NAME,
	FMT_NAME,          /* a list item's name: usable in a logical id */
	FMT_VPC_ID,
	FMT_SUBNET_ID,
	FMT_SG_ID,
	FMT_EFS_ID,
	FMT_AMI_ID,
	FMT_AZ,
	FMT_INSTANCE_TYPE,
	FMT_KEYPAIR,
	FMT_DEVICE_NAME,
	FMT_ABS_PATH,      /* an absolute plain path, no shell or Make metacharacters */
	FMT_SUB,           /* may hold ${AWS::...} substitutions */
	FMT_FILE,          /* a file relative to infra.yml */
	FMT_EMAIL,         /* an e-mail address SNS can subscribe */
	FMT_SNS_TOPIC_ARN, /* arn:<partition>:sns:<region>:<account>:<standard topic> */
	FMT_TAG,           /* a map's keys and values are AWS tag keys and values */
	FMT_ENVIRONMENT,   /* an environment's name: a letter, then letters, digits, hyphens */
	FMT_AMI_UPDATES,   /* auto, weekly or off (cluster.ami_updates) */
	/* A new format goes last, with its pattern in json_schema.c (asserted there). */
};

struct schema_object;

struct schema_key {
	const char *name;
	enum schema_type type;
	unsigned flags;
	enum schema_format format;
	const char *default_value; /* as text; NULL when none */
	long long min, max;        /* bounds for SCHEMA_INT; a list's or a map's most items is max (min > max: none) */
	size_t offset;             /* of the field in the owning IR struct */
	/*
	 * SCHEMA_OBJECT, SCHEMA_OBJECT_LIST; for SCHEMA_STRING_MAP the pair
	 * object (key, value) that templates and the IR walk it as a list of.
	 */
	const struct schema_object *object;
	const char *description;
};

struct schema_object {
	const char *path;          /* "ec2_instances.spot_fleets[]": for docs and messages */
	size_t size;               /* of the IR struct; list items are that big */
	size_t loc_offset;         /* of its struct loc */
	const struct schema_key *keys;
	size_t nkeys;
	/*
	 * Keys starting with this (and longer) are the user's own, ignored by
	 * the checker: the root's "x-" holds standalone YAML anchors, as Docker
	 * Compose's extension fields do.  NULL: none.
	 */
	const char *extension_prefix;
};

/* The root's extension prefix: `x-fleet: &fleet {...}` anchors a value for aliases below. */
#define SCHEMA_EXTENSION_PREFIX "x-"

extern const struct schema_object schema_root;

/*
 * Call fn for every key infra.yml may hold (derived keys skipped), depth
 * first in table order, with its dotted path ("ec2_instances.spot_fleets[].name")
 * and the type name a reader should see (the format's name for a string
 * with a format).
 */
void schema_each_key(const struct schema_object *obj,
		     void (*fn)(void *ctx, const struct schema_key *key, const char *path, const char *type),
		     void *ctx);

const struct schema_key *schema_find_key(const struct schema_object *obj, const char *name);
/* The object at a path such as "ec2_instances.spot_fleets[]" under obj; NULL when none (or obj is NULL). */
const struct schema_object *schema_find_object(const struct schema_object *obj, const char *path);
const char *schema_type_name(enum schema_type type);
const char *schema_format_name(enum schema_format format);

#endif
