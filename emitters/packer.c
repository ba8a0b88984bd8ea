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
#include "packer.h"
#include "tpl.h"

int packer_vars(struct emit_context *ctx, struct tpl_vars *vars)
{
	(void)ctx;
	tpl_vars_string(vars, "ami.name_pattern", PACKER_SOURCE_NAME_PATTERN);
	return 0;
}
