/*
 * readme.c - the variables of out/README.md's row (registry.c): what each
 * stack holds, read back from the CloudFormation templates the rows before
 * it built (so the README describes exactly the bytes next to it), the
 * Mermaid diagram of how the stacks meet, and the spot fleets' spend
 * ceilings (templates/README.md.tpl lays them out).
 *
 * Every string that reaches Markdown goes through escape_markdown; the
 * diagram holds only names of [A-Za-z0-9_-] (mermaid_name) and fixed words.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "bug.h"
#include "cfn_stacks.h"
#include "emitter.h"
#include "escape.h"
#include "ir.h"
#include "outtree.h"
#include "strbuf.h"
#include "tpl.h"

struct stack {
	const struct cfn_stack *row;
	const char *name;          /* its stack name */
	struct json_object *json;  /* the template, parsed (put at the end) */
};

/* Markdown text for an arbitrary string: escaped, or a BUG when not UTF-8 (ours always is). */
static void md(struct strbuf *sb, const char *s)
{
	struct escape_error err;

	if (escape_markdown(sb, s, strlen(s), &err) < 0)
		BUG("a generated name is not UTF-8: %s", err.reason);
}

/* A name for a Mermaid label: [A-Za-z0-9_-] only (infra.yml's name rules make it so). */
static const char *mermaid_name(const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			BUG("'%s' cannot be a Mermaid name", s);
	return s;
}

static struct json_object *section(struct json_object *t, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(t, key, &v) && json_object_is_type(v, json_type_object) ? v : NULL;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The resource types of a template, sorted, each with its count: "| type | n |" rows. */
static void resource_rows(struct strbuf *sb, struct arena *arena, struct json_object *resources)
{
	size_t n = resources ? (size_t)json_object_object_length(resources) : 0, i = 0, j;
	const char **types = arena_array(arena, n ? n : 1, sizeof *types);

	if (resources) {
		json_object_object_foreach(resources, id, res) {
			struct json_object *type;
			(void)id;
			types[i++] = json_object_object_get_ex(res, "Type", &type) ? json_object_get_string(type) : "?";
		}
	}
	qsort(types, n, sizeof *types, by_string);
	strbuf_addstr(sb, "| resource type | count |\n|---|---:|\n");
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && !strcmp(types[j], types[i]); j++)
			;
		strbuf_addstr(sb, "| ");
		md(sb, types[i]);
		strbuf_addf(sb, " | %zu |\n", j - i);
	}
}

static void name_list(struct strbuf *sb, const char *label, struct json_object *obj)
{
	bool first = true;

	strbuf_addf(sb, "%s: ", label);
	if (obj) {
		json_object_object_foreach(obj, key, value) {
			(void)value;
			if (!first)
				strbuf_addstr(sb, ", ");
			md(sb, key);
			first = false;
		}
	}
	strbuf_addstr(sb, first ? "none.\n" : ".\n");
}

static void export_list(struct strbuf *sb, struct arena *arena, const struct stack *s)
{
	struct json_object *outputs = section(s->json, "Outputs");
	bool first = true;

	strbuf_addstr(sb, "Exports: ");
	if (outputs) {
		json_object_object_foreach(outputs, key, output) {
			const char *name = cfn_export_name(arena, output, s->name);
			(void)key;
			if (!name)
				continue;
			if (!first)
				strbuf_addstr(sb, ", ");
			md(sb, name);
			first = false;
		}
	}
	strbuf_addstr(sb, first ? "none.\n" : ".\n");
}

static const char *stack_block(struct arena *arena, const struct stack *s, const char *description)
{
	struct strbuf sb = STRBUF_INIT;
	const char *block;

	strbuf_addstr(&sb, "### ");
	md(&sb, s->name);
	strbuf_addstr(&sb, "\n\n");
	md(&sb, s->row->path);
	strbuf_addstr(&sb, ": ");
	strbuf_addstr(&sb, description); /* the row's own Markdown (registry.c), not infra.yml's */
	strbuf_addstr(&sb, ".\n\n");
	resource_rows(&sb, arena, section(s->json, "Resources"));
	strbuf_addch(&sb, '\n');
	name_list(&sb, "Parameters", section(s->json, "Parameters"));
	strbuf_addch(&sb, '\n');
	export_list(&sb, arena, s);
	block = arena_strdup(arena, sb.buf);
	strbuf_release(&sb);
	return block;
}

/* Every Fn::ImportValue name under v that is a plain string (the emitters write no other). */
static void imports(struct json_object *v, void (*fn)(void *, const char *), void *data)
{
	size_t i;

	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++)
			imports(json_object_array_get_idx(v, i), fn, data);
		return;
	}
	if (!json_object_is_type(v, json_type_object))
		return;
	json_object_object_foreach(v, key, value) {
		if (!strcmp(key, "Fn::ImportValue") && json_object_is_type(value, json_type_string))
			fn(data, json_object_get_string(value));
		else
			imports(value, fn, data);
	}
}

struct import_edge {
	struct arena *arena;
	const struct stack *from;
	struct strbuf *label;
};

static void import_of(void *data, const char *name)
{
	struct import_edge *e = data;
	size_t n = strlen(e->from->name);

	if (!strncmp(name, e->from->name, n) && name[n] == ':' && !strstr(e->label->buf, name + n + 1)) {
		strbuf_addch(e->label, ' ');
		strbuf_addstr(e->label, mermaid_name(name + n + 1));
	}
}

/* The diagram's edges from a to b: the exports b imports, the outputs make passes it as parameters. */
static void edges(struct strbuf *sb, struct arena *arena, const struct stack *a, const struct stack *b)
{
	struct json_object *outputs = section(a->json, "Outputs"), *params = section(b->json, "Parameters");
	struct strbuf label = STRBUF_INIT;
	struct import_edge e = { arena, a, &label };
	struct json_object *unused;

	imports(section(b->json, "Resources"), import_of, &e);
	if (label.len)
		strbuf_addf(sb, "  %s -->|\"imports%s\"| %s\n", a->row->id, label.buf, b->row->id);
	strbuf_reset(&label);
	/* A per-version stack's outputs are the scaler's facts: make passes them to nobody. */
	if (outputs && params && !a->row->per_version) {
		json_object_object_foreach(params, name, value) {
			(void)value;
			if (json_object_object_get_ex(outputs, name, &unused)) {
				strbuf_addch(&label, ' ');
				strbuf_addstr(&label, mermaid_name(name));
			}
		}
	}
	if (label.len)
		strbuf_addf(sb, "  %s -.->|\"make passes%s\"| %s\n", a->row->id, label.buf, b->row->id);
	strbuf_release(&label);
}

static const char *diagram(struct arena *arena, const struct ir *ir, const struct stack *stacks, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	const char *text;
	size_t i, j;

	strbuf_addstr(&sb, "flowchart LR\n");
	for (i = 0; i < n; i++) {
		const struct cfn_stack *row = stacks[i].row;
		const char *name = ir->names[row->name].value;
		if (row->per_version)
			strbuf_addf(&sb, "  %s[[\"%sVERSION, one per version\"]]\n", row->id, mermaid_name(name));
		else
			strbuf_addf(&sb, "  %s[\"%s\"]\n", row->id, mermaid_name(name));
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (i != j)
				edges(&sb, arena, &stacks[i], &stacks[j]);
	text = arena_strdup(arena, sb.buf);
	strbuf_release(&sb);
	return text;
}

static const char *row_description(const char *path)
{
	size_t i;

	for (i = 0; i < emitter_registry_count; i++)
		if (!strcmp(emitter_registry[i].path, path))
			return emitter_registry[i].description;
	BUG("no output row for %s", path);
}

/* The spend ceiling table's rows, and the totals. */
static void spend(struct emit_context *ctx, struct tpl_vars *vars)
{
	const struct ir_ec2_instances *ec2 = &ctx->ir->ec2_instances;
	const char **fleets = arena_array(ctx->arena, ec2->spot_fleets.n + 1, sizeof *fleets);
	const char **groups = arena_array(ctx->arena, ec2->auto_scaling_groups.n + 1, sizeof *groups);
	long long total = 0;
	size_t i;

	for (i = 0; i < ec2->spot_fleets.n; i++) {
		const struct ir_spot_fleet *f = &ec2->spot_fleets.items[i];
		struct cfn_spend s = cfn_spend_of_fleet(f);
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "| ");
		md(&sb, f->name.value);
		strbuf_addf(&sb, " | %lld | %lld | ", f->max_weight.value, s.units);
		md(&sb, cfn_spend_text(ctx->arena, s.unit_micros));
		strbuf_addstr(&sb, " | ");
		md(&sb, cfn_spend_text(ctx->arena, s.micros));
		strbuf_addstr(&sb, " | ");
		md(&sb, cfn_spend_text(ctx->arena, 2 * s.micros));
		strbuf_addstr(&sb, " |");
		fleets[i] = arena_strdup(ctx->arena, sb.buf);
		strbuf_release(&sb);
		total += s.micros;
	}
	for (i = 0; i < ec2->auto_scaling_groups.n; i++) {
		const struct ir_asg *g = &ec2->auto_scaling_groups.items[i];
		struct strbuf sb = STRBUF_INIT;

		strbuf_addstr(&sb, "| ");
		md(&sb, g->name.value);
		strbuf_addstr(&sb, " | ");
		md(&sb, g->instance_type.value);
		strbuf_addf(&sb, " | %lld | %lld |", g->max_size.value, 2 * g->max_size.value);
		groups[i] = arena_strdup(ctx->arena, sb.buf);
		strbuf_release(&sb);
	}
	tpl_vars_strings(vars, "readme.fleets", fleets, ec2->spot_fleets.n);
	tpl_vars_strings(vars, "readme.groups", groups, ec2->auto_scaling_groups.n);
	tpl_vars_string(vars, "readme.total", cfn_spend_text(ctx->arena, total));
	tpl_vars_string(vars, "readme.total_deploy", cfn_spend_text(ctx->arena, 2 * total));
}

int readme_vars(struct emit_context *ctx, struct tpl_vars *vars)
{
	struct stack *stacks = arena_array(ctx->arena, cfn_stacks_count, sizeof *stacks);
	const char **blocks = arena_array(ctx->arena, cfn_stacks_count, sizeof *blocks);
	size_t n = 0, i;

	for (i = 0; i < cfn_stacks_count; i++) {
		const struct out_file *f = out_tree_find(ctx->out, cfn_stacks[i].path);
		if (!f)
			continue; /* a row before failed, diagnosed */
		stacks[n].row = &cfn_stacks[i];
		stacks[n].name = cfn_stack_name(ctx->arena, ctx->ir, &cfn_stacks[i]);
		stacks[n].json = cfn_parse(f->data, f->len);
		if (!stacks[n].json)
			BUG("%s is not a JSON object", f->path);
		n++;
	}
	for (i = 0; i < n; i++)
		blocks[i] = stack_block(ctx->arena, &stacks[i], row_description(stacks[i].row->path));
	tpl_vars_strings(vars, "readme.stacks", blocks, n);
	tpl_vars_string(vars, "readme.diagram", diagram(ctx->arena, ctx->ir, stacks, n));
	spend(ctx, vars);
	for (i = 0; i < n; i++)
		json_object_put(stacks[i].json);
	return 0;
}
