/* check.c - unit tests of the schema check and lowering: the table drives defaults, types and derived fields (src/check*.c, src/lower.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "ir.h"
#include "lower.h"
#include "schema.h"
#include "source.h"
#include "syntax.h"
#include "yaml_load.h"

static struct arena *arena;
static struct diag_list diags;

static void setup(void)
{
	arena = arena_new();
	diag_list_init(&diags, arena);
}

static void teardown(void)
{
	diag_list_release(&diags);
	arena_free(arena);
}

TestSuite(check, .init = setup, .fini = teardown);

static const char *messages(void)
{
	char *all = arena_strdup(arena, "");
	size_t i;
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		all = arena_printf(arena, "%s%s\n", all, diags.items[i].message);
	return all;
}

/* Parse, check and apply the rules; lower when there was no error. */
static struct ir *compile(const char *text)
{
	struct source *src = source_from_memory(arena, "t.yml", text, strlen(text));
	struct node *root = yaml_load(arena, src, &diags);
	struct ir *ir;

	cr_assert_not_null(root, "%s", messages());
	ir = check_tree(arena, root, ".", NULL, &diags);
	check_rules(ir, &diags);
	if (!diags.nerrors)
		lower_ir(arena, ir);
	return ir;
}

#define MINIMAL_CLUSTER "cluster:\n  name: demo\n"
#define MINIMAL_NODES \
	"ec2_instances:\n  spot_fleets:\n    - name: main-fleet\n      min_weight: 0\n      max_weight: 4\n" \
	"      bids:\n        - instance_type: t3.small\n          price: 0.0100\n" \
	"        - instance_type: t3a.small\n          price: 0.0100\n"
#define MINIMAL MINIMAL_CLUSTER MINIMAL_NODES

Test(check, defaults_are_filled_from_the_table)
{
	struct ir *ir = compile(MINIMAL);
	const struct ir_spot_fleet *f;

	cr_assert_eq(diags.n, 0, "%s", messages());
	cr_assert(ir->ec2_instances.autoscaling.value, "autoscaling defaults to true");
	cr_assert_not(ir->ec2_instances.autoscaling.present);
	cr_assert_not(ir->cluster.container_insights.value);
	cr_assert_not(ir->cluster.vpc.present);
	cr_assert_null(ir->cluster.vpc.value);
	cr_assert_eq(ir->ec2_instances.spot_fleets.n, 1);
	f = &ir->ec2_instances.spot_fleets.items[0];
	cr_assert_eq(f->timeout.seconds, 120);
	cr_assert_str_eq(f->timeout.text, "2m");
	cr_assert_eq(f->desired_weight.value, 1);
	cr_assert_eq(f->task_threshold_out.value, 3);
	cr_assert_eq(f->task_threshold_in.value, 10);
	cr_assert_eq(f->bids.items[0].weight.value, 1);
	cr_assert_eq(f->bids.items[0].price.micros, 10000);
	cr_assert_str_eq(f->bids.items[0].price.text, "0.01", "prices print in canonical form");
}

Test(check, derived_fields)
{
	struct ir *ir = compile(MINIMAL);
	cr_assert_eq(diags.nerrors, 0, "%s", messages());
	cr_assert_str_eq(ir->ec2_instances.spot_fleets.items[0].logical_id.value, "MainFleet");
	cr_assert_eq(ir->variants.n, 1);
	cr_assert_str_eq(ir->variants.items[0].value, "x86_64");
	cr_assert_str_eq(ir->ec2_instances.spot_fleets.items[0].variant.value, "x86_64");
	cr_assert_null(ir->ec2_instances.user_data_text.value);
}

Test(check, asg_sizes_default_to_desired)
{
	struct ir *ir = compile("cluster:\n  name: demo\nec2_instances:\n  auto_scaling_groups:\n"
				"    - name: web\n      instance_type: m6g.large\n      desired_instances: 3\n"
				"    - name: db_1\n      instance_type: r6g.large\n      min_size: 0\n      max_size: 2\n"
				"      timeout: 90s\n");
	const struct ir_asg *web, *db;

	cr_assert_eq(diags.n, 0, "%s", messages());
	web = &ir->ec2_instances.auto_scaling_groups.items[0];
	db = &ir->ec2_instances.auto_scaling_groups.items[1];
	cr_assert_eq(web->min_size.value, 3);
	cr_assert_eq(web->max_size.value, 3);
	cr_assert_not(web->min_size.present);
	cr_assert_eq(db->desired_instances.value, 1);
	cr_assert_eq(db->min_size.value, 0);
	cr_assert_eq(db->timeout.seconds, 90);
	cr_assert_str_eq(db->logical_id.value, "Db1");
	cr_assert_eq(ir->variants.n, 1);
	cr_assert_str_eq(ir->variants.items[0].value, "arm64");
	cr_assert(ir->has_variant[VARIANT_ARM64] && !ir->has_variant[VARIANT_X86_64]);
}

Test(check, duplicate_bids_merge_at_the_higher_price)
{
	struct ir *ir = compile("cluster:\n  name: demo\nec2_instances:\n  spot_fleets:\n"
				"    - name: main\n      min_weight: 0\n      max_weight: 4\n      bids:\n"
				"        - instance_type: t3.medium\n          price: 0.014\n"
				"        - instance_type: t3.small\n          price: 0.01\n"
				"        - instance_type: t3.medium\n          price: 0.015\n");
	const struct ir_spot_fleet *f = &ir->ec2_instances.spot_fleets.items[0];

	cr_assert_eq(diags.nerrors, 0, "%s", messages());
	cr_assert_eq(diags.nwarnings, 1);
	cr_assert_eq(f->bids.n, 2);
	cr_assert_str_eq(f->bids.items[0].instance_type.value, "t3.medium");
	cr_assert_str_eq(f->bids.items[0].price.text, "0.015");
	cr_assert_str_eq(f->bids.items[1].instance_type.value, "t3.small");
}

Test(check, yaml11_booleans_and_numbers_as_strings)
{
	struct ir *ir = compile("cluster:\n  name: demo\n  container_insights: True\n"
				"ec2_instances:\n  autoscaling: no\n  spot_fleets:\n    - name: main\n"
				"      min_weight: '0'\n      max_weight: \"16\"\n      timeout: 2m\n"
				"      bids:\n        - instance_type: t3.small\n          price: '0.01'\n"
				"          weight: 2\n        - instance_type: t3a.small\n          price: '0.01'\n");
	cr_assert_eq(diags.n, 0, "%s", messages());
	cr_assert(ir->cluster.container_insights.value);
	cr_assert_not(ir->ec2_instances.autoscaling.value);
	cr_assert(ir->ec2_instances.autoscaling.present);
	cr_assert_eq(ir->ec2_instances.spot_fleets.items[0].max_weight.value, 16);
	cr_assert_eq(ir->ec2_instances.spot_fleets.items[0].timeout.seconds, 120);
	cr_assert_eq(ir->ec2_instances.spot_fleets.items[0].bids.items[0].weight.value, 2);
}

Test(check, every_error_is_found_and_located)
{
	struct ir *ir = compile("cluster:\n  name: 9demo\n  colour: x\nec2_instances:\n  autoscaling: 'true'\n"
				"  spot_fleets:\n    - name: main\n      min_weight: 0\n      max_wieght: 4\n"
				"      bids:\n        - instance_type: t3.small\n          price: 0\n");
	cr_assert_not_null(ir, "a draft IR comes back even with errors");
	cr_assert_str_eq(messages(),
			 "cluster name '9demo' must start with a letter\n"
			 "unknown key 'colour' in 'cluster'\n"
			 "'autoscaling' must be true or false, not the string 'true'\n"
			 "unknown key 'max_wieght' in 'ec2_instances.spot_fleets[]'\n"
			 "'price' must be more than 0\n");
	cr_assert_eq(diags.nerrors, 5);
}

Test(check, hints)
{
	compile("cluster:\n  name: demo\n  security_group_ingress: [sg-dab3aca]\nec2_instances:\n  spot_fleets:\n"
		"    - name: main\n      min_weight: 0\n      max_wieght: 4\n      bids: []\n");
	diag_sort(&diags);
	cr_assert_eq(diags.nerrors, 3, "%s", messages());
	cr_assert_str_eq(diags.items[0].message,
			 "'sg-dab3aca' is not a valid security group id: it has 7 hex digits, not 8 or 17");
	cr_assert_str_eq(diags.items[0].hint,
			 "security group ids are 'sg-' and 8 or 17 lower-case hex digits, e.g. 'sg-093c234a'");
	cr_assert_str_eq(diags.items[1].hint, "did you mean 'max_weight'?");
	cr_assert_str_eq(diags.items[2].message, "spot fleet 'main' has no bids");
}

Test(check, missing_required_keys)
{
	compile("cluster:\n  vpc: vpc-0a1b2c3d\n  subnets: [subnet-0a1b2c3d]\n");
	/* Both point at line 1: discovery order breaks the tie. */
	cr_assert_str_eq(messages(), "missing required key 'name' in 'cluster'\nmissing required key 'ec2_instances'\n");
}

Test(check, schema_table_is_consistent)
{
	/* Every object's keys: a description, known flags, bounds only on integers. */
	const struct schema_object *stack[16];
	size_t top = 0, i;

	stack[top++] = &schema_root;
	while (top) {
		const struct schema_object *obj = stack[--top];
		for (i = 0; i < obj->nkeys; i++) {
			const struct schema_key *k = &obj->keys[i];
			cr_assert(k->description && *k->description, "%s.%s has no description", obj->path, k->name);
			cr_assert_eq(schema_find_key(obj, k->name), k, "%s.%s is not unique", obj->path, k->name);
			/* Bounds: an integer's range, or a list's most items (issue 11). */
			if (k->min <= k->max)
				cr_assert(k->type == SCHEMA_INT || k->type == SCHEMA_STRING_LIST ||
					  k->type == SCHEMA_OBJECT_LIST || k->type == SCHEMA_STRING_MAP,
					  "%s.%s has bounds but is no integer or list", obj->path, k->name);
			if (k->type == SCHEMA_STRING_LIST || k->type == SCHEMA_OBJECT_LIST || k->type == SCHEMA_STRING_MAP)
				cr_assert(k->min <= k->max && k->min == 0 && k->max > 0,
					  "%s.%s is a list without a maximum", obj->path, k->name);
			if (k->object) {
				cr_assert(top < 16);
				stack[top++] = k->object;
			}
		}
	}
}

/* Issue 13: where the alarms go.  What SNS and CloudWatch take is accepted; the bad corpus holds the rest. */
Test(check, alarm_email_and_topic_arn_formats)
{
	static const char *const good_email[] = {
		"ops@example.com", "first.last+ecs@mail.example.co.uk", "o'hara@x-y.example", NULL,
	};
	static const char *const bad_email[] = {
		"ops", "@example.com", "ops@", "ops@localhost", "ops@example..com", "ops@-example.com",
		"ops@example.com-", "a@b@example.com", "ops team@example.com", "ops@exämple.com", NULL,
	};
	static const char *const good_arn[] = {
		"arn:aws:sns:us-west-2:123456789012:ops-alarms", "arn:aws-cn:sns:cn-north-1:123456789012:a_b",
		"arn:aws-us-gov:sns:us-gov-west-1:123456789012:x", NULL,
	};
	static const char *const bad_arn[] = {
		"ops-alarms", "arn:aws:sqs:us-west-2:123456789012:q", "arn:aws:sns:us-west-2:123456789012:",
		"arn:aws:sns:us-west-2:1234567890:t", "arn:aws:sns:US-WEST-2:123456789012:t",
		"arn:azure:sns:us-west-2:123456789012:t", "arn:aws:sns:us-west-2:123456789012:t.fifo",
		"arn:aws:sns:us-west-2:123456789012:t:extra", NULL,
	};
	size_t i;

	for (i = 0; good_email[i]; i++) {
		struct ir *ir = compile(arena_printf(arena, MINIMAL_CLUSTER "  alarm_email: \"%s\"\n" MINIMAL_NODES, good_email[i]));
		cr_assert_eq(diags.nerrors, 0, "%s: %s", good_email[i], messages());
		cr_assert_str_eq(ir->cluster.alarm_email.value, good_email[i]);
	}
	for (i = 0; good_arn[i]; i++) {
		struct ir *ir = compile(arena_printf(arena, MINIMAL_CLUSTER "  alarm_topic_arn: \"%s\"\n" MINIMAL_NODES, good_arn[i]));
		cr_assert_eq(diags.nerrors, 0, "%s: %s", good_arn[i], messages());
		cr_assert_str_eq(ir->cluster.alarm_topic_arn.value, good_arn[i]);
	}
	for (i = 0; bad_email[i]; i++) {
		size_t before = diags.nerrors;
		compile(arena_printf(arena, MINIMAL_CLUSTER "  alarm_email: \"%s\"\n" MINIMAL_NODES, bad_email[i]));
		cr_assert_eq(diags.nerrors, before + 1, "%s is accepted: %s", bad_email[i], messages());
	}
	for (i = 0; bad_arn[i]; i++) {
		size_t before = diags.nerrors;
		compile(arena_printf(arena, MINIMAL_CLUSTER "  alarm_topic_arn: \"%s\"\n" MINIMAL_NODES, bad_arn[i]));
		cr_assert_eq(diags.nerrors, before + 1, "%s is accepted: %s", bad_arn[i], messages());
	}
}

Test(check, alarm_email_and_topic_arn_exclude_each_other)
{
	compile(MINIMAL_CLUSTER "  alarm_email: ops@example.com\n"
		"  alarm_topic_arn: arn:aws:sns:us-west-2:123456789012:ops-alarms\n" MINIMAL_NODES);
	cr_assert_eq(diags.nerrors, 1, "%s", messages());
	cr_assert(strstr(messages(), "'alarm_email' and 'alarm_topic_arn' cannot both be given"), "%s", messages());
}
