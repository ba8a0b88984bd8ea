/*
 * cfn_stacks.h - the CloudFormation templates ecsgen writes and the stacks
 * they become, for the readers of generated templates (the README row,
 * --preview): which stack a file is, whether there is one per version, and
 * the spend ceiling of a spot fleet.
 *
 *	const struct cfn_stack *s = cfn_stack_of_path("cloudformation/compute.json");
 *	name = cfn_stack_name(arena, ir, s);    "c-compute-<VERSION>"
 *
 * Everything returned lives in the arena or is static: nobody frees it.
 */
#ifndef ECSGEN_CFN_STACKS_H
#define ECSGEN_CFN_STACKS_H

#include <stdbool.h>
#include <stddef.h>

#include "names.h"

struct arena;
struct cfn_value;
struct ir;
struct ir_spot_fleet;
struct json_object;

struct cfn_stack {
	const char *path;      /* in out/: "cloudformation/cluster.json" */
	const char *id;        /* [a-z]+: a Mermaid node id, a short name */
	enum name_id name;     /* its stack name (names.h) */
	bool per_version;      /* compute: one stack per version, name + VERSION */
};

extern const struct cfn_stack cfn_stacks[];
extern const size_t cfn_stacks_count;

/* The row of a template path, or NULL when path is no stack's template. */
const struct cfn_stack *cfn_stack_of_path(const char *path);
/* The stack's name; a per-version stack's ends in "<VERSION>". */
const char *cfn_stack_name(struct arena *arena, const struct ir *ir, const struct cfn_stack *s);

/* A template's bytes as JSON (the caller puts it), or NULL when they are not JSON. */
struct json_object *cfn_parse(const char *data, size_t len);
/*
 * The export name of an output, with "${AWS::StackName}" filled by stack:
 * NULL when the output exports nothing or its name is not a plain string
 * or an Fn::Sub of ${AWS::StackName} and text.
 */
const char *cfn_export_name(struct arena *arena, struct json_object *output, const char *stack);
/* The same for an output of a template this compilation built (cfn_template_of). */
const char *cfn_value_export_name(struct arena *arena, const struct cfn_value *output, const char *stack);

/*
 * A spot fleet's spend ceiling per version, in micro-dollars per hour.
 * EC2 may overshoot the target by less than one instance, so a fleet can
 * reach max_weight + the largest bid weight - 1 units; each unit costs at
 * most the highest per-unit bid (price ÷ weight, rounded down to the
 * micro-dollar as the template's SpotPrice is).
 */
struct cfn_spend {
	long long units;        /* max_weight + largest weight - 1 */
	long long unit_micros;  /* the highest per-unit bid */
	long long micros;       /* units * unit_micros: per hour, per version */
};

struct cfn_spend cfn_spend_of(long long max_weight, long long largest_weight, long long unit_micros);
struct cfn_spend cfn_spend_of_fleet(const struct ir_spot_fleet *fleet);
/* "$0.425/h": micros per hour as dollars. */
const char *cfn_spend_text(struct arena *arena, long long micros);

#endif
