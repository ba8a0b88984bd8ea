/*
 * makefile.c - out/Makefile: the deploy lifecycle as thin sequences of aws
 * CLI calls (templates/Makefile.tpl), with the logic in out/scripts/.
 */
#include "config.h"

#include "emitter.h"
#include "outtree.h"
#include "packer.h"
#include "strbuf.h"
#include "tpl.h"

static int emit(struct emit_context *ctx)
{
	struct tpl_vars *vars = tpl_vars_new(ctx->arena);
	struct strbuf sb = STRBUF_INIT;
	int status = 0;

	tpl_vars_string(vars, "ami.name_pattern", PACKER_SOURCE_NAME_PATTERN);
	if (tpl_render(ctx->templates, "Makefile.tpl", ctx->ir, vars, &sb, ctx->diags) < 0)
		status = -1;
	else
		out_tree_add(ctx->out, "Makefile", &sb, 0644);
	strbuf_release(&sb);
	return status;
}

const struct emitter makefile_emitter = { "makefile", emit };
