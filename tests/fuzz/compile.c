/*
 * compile.c - libFuzzer target: the whole compile in memory.
 *
 * Bytes -> syntax tree -> schema check -> cross-field rules -> lowering ->
 * every emitter into an in-memory tree -> every diagnostic formatted.
 * Nothing is written; user_data resolves against a folder that does not
 * exist, so no host file is read.  Run by tests/fuzz.test and `make fuzz`.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "emitter.h"
#include "ir.h"
#include "lower.h"
#include "outtree.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"
#include "yaml_load.h"
#include "tpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_new();
	struct diag_list diags;
	struct out_tree out;
	struct strbuf sb = STRBUF_INIT;
	struct source *src;
	struct node *root;
	size_t i;

	diag_list_init(&diags, arena);
	out_tree_init(&out);
	src = source_from_memory(arena, "infra.yml", (const char *)data, size);
	root = yaml_load(arena, src, &diags);
	if (root) {
		struct ir *ir = check_tree(arena, root, "/nonexistent/ecsgen-fuzz", NULL, &diags);
		check_rules(ir, &diags);
		if (!diags.nerrors) {
			struct emit_context ctx = { .ir = ir, .arena = arena, .diags = &diags, .out = &out };
			lower_ir(arena, ir);
			ctx.templates = tpl_set_load(arena, &diags, NULL, NULL);
			if (ctx.templates)
				emitters_run(&ctx);
			out_tree_sort(&out);
		}
	}
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		diag_format(&sb, &diags.items[i]);
	strbuf_release(&sb);
	out_tree_release(&out);
	diag_list_release(&diags);
	arena_free(arena);
	return 0;
}
