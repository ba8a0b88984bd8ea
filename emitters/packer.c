/*
 * packer.c - the variables of out/packer/ami.pkr.hcl's row (registry.c).
 *
 * ami.pkr.hcl holds everything Packer 1.6.6 and current Packer both accept;
 * plugins.pkr.hcl holds only the required_plugins block that current Packer
 * needs for `packer init` and old Packer rejects
 * (../shared/reference/packer.md).  provision.sh is static text.
 */
#include "config.h"

#include "emitter.h"
#include "ir.h"
#include "packer.h"
#include "tpl.h"
#include "variant.h"

/* The architecture `packer build` bakes when not told (make ami tells it, per variant). */
static const char *first_baked_arch(const struct ir *ir)
{
	int v;

	for (v = 0; v < VARIANT_COUNT; v++)
		if (ir->has_variant[v] && variant_table[v].bake)
			return variant_table[v].arch;
	return variant_table[VARIANT_X86_64].arch;
}

int packer_vars(struct emit_context *ctx, struct tpl_vars *vars)
{
	tpl_vars_string(vars, "ami.name_pattern", PACKER_SOURCE_NAME_PATTERN);
	tpl_vars_string(vars, "ami.arch", first_baked_arch(ctx->ir));
	tpl_vars_string(vars, "environment", ctx->environment ? ctx->environment : "");
	return 0;
}
