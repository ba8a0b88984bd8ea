/*
 * makefile.c - the variables of out/Makefile's row (registry.c): the deploy
 * lifecycle as thin sequences of aws CLI calls (templates/Makefile.tpl),
 * with the logic in out/scripts/.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "emitter.h"
#include "ir.h"
#include "packer.h"
#include "strbuf.h"
#include "tpl.h"
#include "variant.h"

/*
 * Whether a new version starts with nodes of variant v.  A cluster that
 * scales from zero (every desired size 0) has none to run the smoke test
 * on, so the Makefile tells the smoke test to expect none, and the test
 * says so and steps aside; a variant whose fleets and groups all start
 * empty is left out of the smoke test's variants the same way.
 */
static bool starts_with_nodes(const struct ir *ir, enum variant v)
{
	size_t i;

	for (i = 0; i < ir->ec2_instances.spot_fleets.n; i++)
		if (ir->ec2_instances.spot_fleets.items[i].variant_id == v &&
		    ir->ec2_instances.spot_fleets.items[i].desired_weight.value > 0)
			return true;
	for (i = 0; i < ir->ec2_instances.auto_scaling_groups.n; i++)
		if (ir->ec2_instances.auto_scaling_groups.items[i].variant_id == v &&
		    ir->ec2_instances.auto_scaling_groups.items[i].desired_instances.value > 0)
			return true;
	return false;
}

/*
 * The variants a new version starts with nodes of, name:arch:gpu each
 * (gpu yes|no): the smoke test runs once per word, on that variant's nodes.
 */
static const char *smoke_variants(struct emit_context *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	int v;

	for (v = 0; v < VARIANT_COUNT; v++) {
		const struct variant_info *vi = &variant_table[v];
		if (!starts_with_nodes(ctx->ir, v))
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "%s:%s:%s", vi->name, vi->arch, vi->gpu ? "yes" : "no");
	}
	s = arena_strdup(ctx->arena, sb.buf);
	strbuf_release(&sb);
	return s;
}

/* infra.yml's root volume size as text, or "" when it names none. */
static const char *requested_root(struct emit_context *ctx)
{
	const struct ir_ec2_instances *ec2 = &ctx->ir->ec2_instances;
	size_t i;

	for (i = 0; i < ec2->ebs_mounts.n; i++)
		if (!strcmp(ec2->ebs_mounts.items[i].device_name.value, IR_ROOT_DEVICE))
			return arena_printf(ctx->arena, "%lld", ec2->ebs_mounts.items[i].size.value);
	return "";
}

/*
 * The names table (names.h) as Make assignments, "ID := value", one a line:
 * the Makefile exports every one, so the scripts read the stacks' names and
 * VERSION's rule from the environment and never rebuild them.  An ID is
 * [A-Z_] and the separator " := ", so the template's Make escaping of the
 * line escapes exactly the value.
 */
static void name_assignments(struct emit_context *ctx, struct tpl_vars *vars)
{
	const char **lines = arena_array(ctx->arena, NAMEID__COUNT, sizeof *lines);
	size_t i;

	for (i = 0; i < NAMEID__COUNT; i++)
		lines[i] = arena_printf(ctx->arena, "%s := %s", ctx->ir->names[i].id, ctx->ir->names[i].value);
	tpl_vars_strings(vars, "names.assignments", lines, NAMEID__COUNT);
	for (i = 0; i < NAMEID__COUNT; i++)
		lines[i] = ctx->ir->names[i].id;
	tpl_vars_strings(vars, "names.ids", lines, NAMEID__COUNT);
}

/*
 * The variants present, name:arch:suffix:bake:ssm each (deploy-compute.sh
 * and ami.sh read them), and the pinned images: one id for a cluster of
 * one variant, else variant=id words.
 */
static const char *image_variants(struct emit_context *ctx, bool pinned)
{
	const struct ir *ir = ctx->ir;
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	int v;

	for (v = 0; v < VARIANT_COUNT; v++) {
		const struct variant_info *vi = &variant_table[v];
		if (!ir->has_variant[v] || (pinned && !ir->pinned[v]))
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		if (!pinned)
			strbuf_addf(&sb, "%s:%s:%s:%s:%s", vi->name, vi->arch, vi->suffix, vi->bake ? "yes" : "no", vi->ssm);
		else if (ir->variants.n == 1)
			strbuf_addstr(&sb, ir->pinned[v]);
		else
			strbuf_addf(&sb, "%s=%s", vi->name, ir->pinned[v]);
	}
	s = arena_strdup(ctx->arena, sb.buf);
	strbuf_release(&sb);
	return s;
}

int makefile_vars(struct emit_context *ctx, struct tpl_vars *vars)
{
	name_assignments(ctx, vars);
	tpl_vars_string(vars, "image.variants", image_variants(ctx, false));
	tpl_vars_string(vars, "ami.pinned", ctx->ir->pinned_any ? image_variants(ctx, true) : "");
	tpl_vars_string(vars, "root.size", requested_root(ctx));
	tpl_vars_string(vars, "ami.updates", ctx->ir->ami_updates == IR_AMI_UPDATES_OFF ? "" : ctx->ir->cluster.ami_updates.value);
	tpl_vars_string(vars, "ami.name_pattern", PACKER_SOURCE_NAME_PATTERN);
	tpl_vars_string(vars, "smoke.variants", smoke_variants(ctx));
	tpl_vars_int(vars, "smoke.instances", *smoke_variants(ctx) ? 1 : 0);
	tpl_vars_string(vars, "environment", ctx->environment ? ctx->environment : "");
	return 0;
}

/*
 * With environments, out/Makefile: ENVIRONMENTS, the deploy stages' names
 * in order, and each one's cluster; the pipeline's names (infra.yml's) for
 * put-pipeline, which uploads through the first environment's assets bucket.
 */
int makefile_top_vars(struct emit_context *ctx, struct tpl_vars *vars)
{
	const char **clusters = arena_array(ctx->arena, ctx->nstages, sizeof *clusters);
	struct strbuf words = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ctx->nstages; i++) {
		strbuf_addf(&words, "%s%s", i ? " " : "", ctx->stages[i].name);
		clusters[i] = arena_printf(ctx->arena, "%s: %s", ctx->stages[i].name,
					   ctx->stages[i].ir->cluster.name.value);
	}
	tpl_vars_string(vars, "environments.words", arena_strdup(ctx->arena, words.buf));
	strbuf_release(&words);
	tpl_vars_strings(vars, "environments.clusters", clusters, ctx->nstages);
	tpl_vars_string(vars, "pipeline.stack", IR_NAME(ctx->ir, STACK_PIPELINE));
	tpl_vars_string(vars, "first.assets", IR_NAME(ctx->stages[0].ir, STACK_ASSETS));
	tpl_vars_string(vars, "tag.cluster", NAME_TAG_CLUSTER);
	return 0;
}
