/*
 * scripts.c - out/scripts/: the helper scripts the Makefile and the
 * buildspecs run, one per templates/scripts/NAME.sh.tpl.
 *
 * They are POSIX sh, mostly static and configured by arguments and the
 * environment the Makefile passes, and always run as `sh NAME.sh` (a
 * CodePipeline source zip drops executable bits).  Every template in that
 * folder becomes a script, so adding one needs no change here.
 */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "emitter.h"
#include "outtree.h"
#include "strbuf.h"
#include "tpl.h"

#define PREFIX "scripts/"
#define SUFFIX ".sh.tpl"

static int emit(struct emit_context *ctx)
{
	const char *const *names;
	size_t n = tpl_set_names(ctx->templates, &names), i;
	int status = 0;

	for (i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		struct strbuf sb = STRBUF_INIT;
		const char *path;

		if (strncmp(names[i], PREFIX, strlen(PREFIX)) != 0 || len <= strlen(SUFFIX) ||
		    strcmp(names[i] + len - strlen(SUFFIX), SUFFIX) != 0)
			continue;
		/* scripts/NAME.sh.tpl -> scripts/NAME.sh */
		path = arena_printf(ctx->arena, "%.*s", (int)(len - strlen(".tpl")), names[i]);
		if (tpl_render(ctx->templates, names[i], ctx->ir, NULL, &sb, ctx->diags) < 0)
			status = -1;
		else
			out_tree_add(ctx->out, path, &sb, 0755);
		strbuf_release(&sb);
	}
	return status;
}

const struct emitter scripts_emitter = { "scripts", emit };
