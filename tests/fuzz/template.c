/*
 * template.c - libFuzzer target: the template engine, compile and render.
 *
 * The bytes are a template (as --template-dir would supply one), compiled
 * against the real schema and, when they compile, rendered with the IR of
 * a valid infra.yml built once (examples/minimal-spot's shape, inline so
 * the target needs no file).  Every param the template declares is bound
 * to a value of its declared type, so rendering runs past the binding.
 * Diagnostics are formatted too.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "ir.h"
#include "lower.h"
#include "schema.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"
#include "yaml_load.h"
#include "tpl.h"
#include "tpl_int.h"

static const char infra[] =
	"cluster:\n  name: tiny\n  vpc: vpc-0a1b2c3d\n"
	"  subnets: [subnet-0a1b2c3d, subnet-1a2b3c4d]\n"
	"ec2_instances:\n  ebs_mounts:\n    - {name: root, device_name: /dev/xvda, size: 30}\n"
	"    - {name: data, device_name: /dev/xvdb, size: 100, mount_path: /data}\n"
	"  spot_fleets:\n    - name: main\n      min_weight: 0\n      max_weight: 4\n"
	"      bids:\n        - {instance_type: t3.small, price: 0.01}\n"
	"        - {instance_type: t3.medium, price: 0.02, weight: 2}\n";

static struct arena *ir_arena;
static struct ir *ir;

static void build_ir(void)
{
	struct diag_list diags;
	struct source *src;
	struct node *root;

	ir_arena = arena_new();
	diag_list_init(&diags, ir_arena);
	src = source_from_memory(ir_arena, "infra.yml", infra, sizeof infra - 1);
	root = yaml_load(ir_arena, src, &diags);
	if (root) {
		ir = check_tree(ir_arena, root, "/nonexistent/ecsgen-fuzz", NULL, &diags);
		check_rules(ir, &diags);
	}
	if (!root || diags.nerrors)
		abort(); /* the fixed input above must stay valid */
	lower_ir(ir_arena, ir);
	diag_list_release(&diags);
}

/* A value of each declared type (objects: the first spot fleet, when that is the type). */
static struct tpl_vars *bind(struct arena *arena, const struct tpl *tpl)
{
	static const char *const items[] = { "a", "b'c", "$(d)" };
	struct tpl_vars *vars = tpl_vars_new(arena);
	size_t i;

	for (i = 0; i < tpl->nparams; i++) {
		const struct tpl_param *p = &tpl->params[i];
		switch (p->type.kind) {
		case TV_STRING: tpl_vars_string(vars, p->name, "fu'zz\"$x"); break;
		case TV_INT: tpl_vars_int(vars, p->name, 3); break;
		case TV_BOOL: tpl_vars_bool(vars, p->name, true); break;
		case TV_STRING_LIST: tpl_vars_strings(vars, p->name, items, 3); break;
		case TV_OBJECT:
			/* Only an object of the declared shape: anything else is an error. */
			if (p->object_path && !strcmp(p->object_path, "ec2_instances.spot_fleets[]"))
				tpl_vars_object(vars, p->name, p->object_path,
						&ir->ec2_instances.spot_fleets.items[0]);
			break;
		case TV_OBJECT_LIST: break;
		}
	}
	return vars;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena;
	struct diag_list diags;
	struct strbuf out = STRBUF_INIT, sb = STRBUF_INIT;
	struct source *src;
	struct tpl *tpl;
	size_t i;

	if (!ir)
		build_ir();
	arena = arena_new();
	diag_list_init(&diags, arena);
	src = source_from_memory(arena, "templates/fuzz.tpl", (const char *)data, size);
	tpl = tpl_compile(arena, &diags, src, &schema_root);
	if (tpl)
		tpl_render_one(tpl, ir, bind(arena, tpl), &out, &diags);
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		diag_format(&sb, &diags.items[i]);
	strbuf_release(&sb);
	strbuf_release(&out);
	diag_list_release(&diags);
	arena_free(arena);
	return 0;
}
