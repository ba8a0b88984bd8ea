/*
 * packer.c - out/packer/: the node image's Packer files and provisioner.
 *
 * ami.pkr.hcl holds everything Packer 1.6.6 and current Packer both accept;
 * plugins.pkr.hcl holds only the required_plugins block that current Packer
 * needs for `packer init` and old Packer rejects
 * (../shared/reference/packer.md).  provision.sh is static text.
 */
#include "config.h"

#include "emitter.h"
#include "outtree.h"
#include "packer.h"
#include "strbuf.h"
#include "tpl.h"

static const struct {
	const char *template, *path;
} files[] = {
	{ "packer/ami.pkr.hcl.tpl", "packer/ami.pkr.hcl" },
	{ "packer/plugins.pkr.hcl.tpl", "packer/plugins.pkr.hcl" },
	{ "packer/provision.sh.tpl", "packer/provision.sh" },
};

static int emit(struct emit_context *ctx)
{
	struct tpl_vars *vars = tpl_vars_new(ctx->arena);
	int status = 0;
	size_t i;

	tpl_vars_string(vars, "ami.name_pattern", PACKER_SOURCE_NAME_PATTERN);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (tpl_render(ctx->templates, files[i].template, ctx->ir, vars, &sb, ctx->diags) < 0)
			status = -1;
		else
			out_tree_add(ctx->out, files[i].path, &sb, 0644);
		strbuf_release(&sb);
	}
	return status;
}

const struct emitter packer_emitter = { "packer", emit };
