/*
 * buildspec.c - out/buildspec.yml (the pipeline's deploy step) and
 * out/buildspec-ami.yml (its image-bake step), for CodeBuild.
 *
 * The pipeline stack names both files and passes VERSION, AMI and
 * ECSGEN_SOURCE_URL (templates/CONTRACT.md); the steps themselves are
 * `make deploy` and `make ami`, so the pipeline does what a user does.
 */
#include "config.h"

#include "emitter.h"
#include "outtree.h"
#include "strbuf.h"
#include "tpl.h"

static const struct {
	const char *template, *path;
} files[] = {
	{ "buildspec.yml.tpl", "buildspec.yml" },
	{ "buildspec-ami.yml.tpl", "buildspec-ami.yml" },
};

static int emit(struct emit_context *ctx)
{
	int status = 0;
	size_t i;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct strbuf sb = STRBUF_INIT;
		if (tpl_render(ctx->templates, files[i].template, ctx->ir, NULL, &sb, ctx->diags) < 0)
			status = -1;
		else
			out_tree_add(ctx->out, files[i].path, &sb, 0644);
		strbuf_release(&sb);
	}
	return status;
}

const struct emitter buildspec_emitter = { "buildspec", emit };
