/*
 * makefile.c - out/Makefile: the deploy lifecycle as thin sequences of aws
 * CLI calls (templates/Makefile.tpl), with the logic in out/scripts/.
 */
#include "config.h"

#include <stdbool.h>

#include "emitter.h"
#include "ir.h"
#include "outtree.h"
#include "packer.h"
#include "strbuf.h"
#include "tpl.h"

/*
 * Whether a new version starts with nodes.  A cluster that scales from zero
 * (every desired size 0) has none to run the smoke test on, so the Makefile
 * tells the smoke test to expect none, and the test says so and steps aside.
 */
static bool starts_with_nodes(const struct ir *ir)
{
	size_t i;

	for (i = 0; i < ir->ec2_instances.spot_fleets.n; i++)
		if (ir->ec2_instances.spot_fleets.items[i].desired_weight.value > 0)
			return true;
	for (i = 0; i < ir->ec2_instances.auto_scaling_groups.n; i++)
		if (ir->ec2_instances.auto_scaling_groups.items[i].desired_instances.value > 0)
			return true;
	return false;
}

static int emit(struct emit_context *ctx)
{
	struct tpl_vars *vars = tpl_vars_new(ctx->arena);
	struct strbuf sb = STRBUF_INIT;
	int status = 0;

	tpl_vars_string(vars, "ami.name_pattern", PACKER_SOURCE_NAME_PATTERN);
	tpl_vars_int(vars, "smoke.instances", starts_with_nodes(ctx->ir) ? 1 : 0);
	if (tpl_render(ctx->templates, "Makefile.tpl", ctx->ir, vars, &sb, ctx->diags) < 0)
		status = -1;
	else
		out_tree_add(ctx->out, "Makefile", &sb, 0644);
	strbuf_release(&sb);
	return status;
}

const struct emitter makefile_emitter = { "makefile", emit };
