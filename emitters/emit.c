/*
 * emit.c - runs the table of outputs (registry.c): a C row calls its
 * function, a template row renders its template, or each template of its
 * folder, with the variables its function adds.
 */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "outtree.h"
#include "strbuf.h"
#include "tpl.h"

static int render(struct emit_context *ctx, const struct emitter *row, const char *template,
		  const char *path, struct tpl_vars *vars)
{
	struct strbuf sb = STRBUF_INIT;
	int status = 0;

	if (tpl_render(ctx->templates, template, ctx->ir, vars, &sb, ctx->diags) < 0)
		status = -1;
	else
		out_tree_add(ctx->out, path, &sb, row->mode);
	strbuf_release(&sb);
	return status;
}

static bool has_suffix(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	return len > n && !strcmp(s + len - n, suffix);
}

/* A row whose template is FOLDER/STAR.sh.tpl: every FOLDER/NAME.sh.tpl to FOLDER/NAME.sh. */
static int render_folder(struct emit_context *ctx, const struct emitter *row, struct tpl_vars *vars)
{
	const char *star = strchr(row->template, '*');
	size_t prefix = (size_t)(star - row->template);
	const char *suffix = star + 1;
	const char *const *names;
	size_t n = tpl_set_names(ctx->templates, &names), i;
	int status = 0;

	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		if (strncmp(names[i], row->template, prefix) || !has_suffix(names[i], len, suffix))
			continue;
		if (render(ctx, row, names[i],
			   arena_printf(ctx->arena, "%.*s", (int)(len - strlen(".tpl")), names[i]), vars) < 0)
			status = -1;
	}
	return status;
}

static int run(struct emit_context *ctx, const struct emitter *row)
{
	struct tpl_vars *vars = NULL;

	if (row->build)
		return row->build(ctx, row);
	if (row->vars) {
		vars = tpl_vars_new(ctx->arena);
		if (row->vars(ctx, vars) < 0)
			return -1;
	}
	if (strchr(row->template, '*'))
		return render_folder(ctx, row, vars);
	return render(ctx, row, row->template, row->path, vars);
}

static bool in_pass(enum emit_pass pass, enum emit_scope scope)
{
	switch (pass) {
	case EMIT_PASS_ALL: return scope != EMIT_TOP;
	case EMIT_PASS_CLUSTER: return scope == EMIT_CLUSTER || scope == EMIT_SHARED;
	case EMIT_PASS_PIPELINE: return scope != EMIT_CLUSTER;
	}
	return false;
}

int emitters_run(struct emit_context *ctx)
{
	int status = 0;
	size_t i;

	/* The CloudFormation rows' values, and the README row that reads them back. */
	cfn_values_begin(ctx->arena);
	for (i = 0; i < emitter_registry_count; i++)
		if (in_pass(ctx->pass, emitter_registry[i].scope) && run(ctx, &emitter_registry[i]) < 0)
			status = -1;
	cfn_values_end();
	return status;
}
