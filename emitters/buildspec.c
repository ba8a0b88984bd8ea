/*
 * buildspec.c - the variables of the buildspecs' rows (registry.c): with
 * environments, buildspec.yml deploys the stage's ENVIRONMENT (its CodeBuild
 * project sets it) and buildspec-ami.yml bakes each environment's image in
 * the stages' order, exporting AMI_<Env> for that stage's deploy
 * (cfn_pipeline.c reads #{BakeVariables.AMI_<Env>}).
 */
#include "config.h"

#include <stdbool.h>

#include "arena.h"
#include "emitter.h"
#include "ir.h"
#include "lower.h"
#include "tpl.h"

int buildspec_vars(struct emit_context *ctx, struct tpl_vars *vars)
{
	bool environments = ctx->pass == EMIT_PASS_PIPELINE;
	size_t n = environments ? ctx->nstages : 0, k = 0, i;
	const char **exported = arena_array(ctx->arena, n + 1, sizeof *exported);
	const char **commands = arena_array(ctx->arena, 3 * n + 1, sizeof *commands);

	for (i = 0; i < n; i++) {
		const char *e = ctx->stages[i].name;
		const char *var = arena_printf(ctx->arena, "AMI_%s", lower_logical_id(ctx->arena, e));

		if (ctx->stages[i].ir->pinned_any)
			continue; /* its images are pinned: the deploy takes those */
		exported[k++] = var;
		/* Names are letters, digits and hyphens (check_env.c): plain shell words. */
		commands[3 * (k - 1)] = arena_printf(ctx->arena, "make -f out/Makefile ami ENVIRONMENT=%s", e);
		commands[3 * (k - 1) + 1] = arena_printf(ctx->arena, "%s=$(cat \".ecsgen/%s/ami-$AWS_DEFAULT_REGION\")", var, e);
		commands[3 * (k - 1) + 2] = arena_printf(ctx->arena, "echo \"baked image of %s: %s=$%s\"", e, var, var);
	}
	tpl_vars_bool(vars, "environments", environments);
	tpl_vars_strings(vars, "bake.exported", exported, k);
	tpl_vars_strings(vars, "bake.commands", commands, 3 * k);
	return 0;
}
