/*
 * readme.c - the variables of out/README.md's row (registry.c): what each
 * stack holds, read back from the CloudFormation templates the rows before
 * it built (the trees they printed, so the README describes exactly the
 * bytes next to it), the
 * Mermaid diagram of how the stacks meet, and the spot fleets' spend
 * ceilings (templates/README.md.tpl lays them out).
 *
 * Every string that reaches Markdown goes through escape_markdown; the
 * diagram holds only names of [A-Za-z0-9_-] (mermaid_name) and fixed words.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bug.h"
#include "cfn.h"
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
	const struct cfn_value *tpl;  /* the template (cfn_template_of) */
	struct strbuf imports;     /* every Fn::ImportValue of its resources, NUL after each */
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

static const struct cfn_value *section(const struct cfn_value *t, const char *key)
{
	const struct cfn_value *v = cfn_get(t, key);
	return v && cfn_kind_of(v) == CFN_OBJECT ? v : NULL;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The resource types of a template, sorted, each with its count: "| type | n |" rows. */
static void resource_rows(struct strbuf *sb, struct arena *arena, const struct cfn_value *resources)
{
	size_t n = cfn_count(resources), i = 0, j;
	const char **types = arena_array(arena, n ? n : 1, sizeof *types);
	const struct cfn_member *m;

	for (m = cfn_members(resources); m; m = m->next) {
		const char *type = cfn_string(cfn_get(m->value, "Type"));
		types[i++] = type ? type : "?";
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

static void name_list(struct strbuf *sb, const char *label, const struct cfn_value *obj)
{
	const struct cfn_member *m;
	bool first = true;

	strbuf_addf(sb, "%s: ", label);
	for (m = cfn_members(obj); m; m = m->next) {
		if (!first)
			strbuf_addstr(sb, ", ");
		md(sb, m->key);
		first = false;
	}
	strbuf_addstr(sb, first ? "none.\n" : ".\n");
}

static void export_list(struct strbuf *sb, struct arena *arena, const struct stack *s)
{
	const struct cfn_value *outputs = section(s->tpl, "Outputs");
	const struct cfn_member *m;
	bool first = true;

	strbuf_addstr(sb, "Exports: ");
	for (m = cfn_members(outputs); m; m = m->next) {
		const char *name = cfn_value_export_name(arena, m->value, s->name);
		if (!name)
			continue;
		if (!first)
			strbuf_addstr(sb, ", ");
		md(sb, name);
		first = false;
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
	resource_rows(&sb, arena, section(s->tpl, "Resources"));
	strbuf_addch(&sb, '\n');
	name_list(&sb, "Parameters", section(s->tpl, "Parameters"));
	strbuf_addch(&sb, '\n');
	export_list(&sb, arena, s);
	block = arena_strdup(arena, sb.buf);
	strbuf_release(&sb);
	return block;
}

/* Every Fn::ImportValue name under v that is a plain string (the emitters write no other), into out. */
static void imports(const struct cfn_value *v, struct strbuf *out)
{
	static const char key[] = "Fn::ImportValue";
	const struct cfn_member *m;

	for (m = cfn_members(v); m; m = m->next) {
		if (m->key && m->key_len == sizeof key - 1 && !memcmp(m->key, key, sizeof key - 1) &&
		    cfn_string(m->value)) {
			strbuf_addstr(out, cfn_string(m->value));
			strbuf_addch(out, '\0');
		} else {
			imports(m->value, out);
		}
	}
}

/* The diagram's edges from a to b: the exports b imports, the outputs make passes it as parameters. */
static void edges(struct strbuf *sb, const struct stack *a, const struct stack *b)
{
	const struct cfn_value *outputs = section(a->tpl, "Outputs"), *params = section(b->tpl, "Parameters");
	struct strbuf label = STRBUF_INIT;
	size_t n = strlen(a->name), at;

	for (at = 0; at < b->imports.len; at += strlen(b->imports.buf + at) + 1) {
		const char *name = b->imports.buf + at;
		if (!strncmp(name, a->name, n) && name[n] == ':' && !strstr(label.buf, name + n + 1)) {
			strbuf_addch(&label, ' ');
			strbuf_addstr(&label, mermaid_name(name + n + 1));
		}
	}
	if (label.len)
		strbuf_addf(sb, "  %s -->|\"imports%s\"| %s\n", a->row->id, label.buf, b->row->id);
	strbuf_reset(&label);
	/* A per-version stack's outputs are the scaler's facts: make passes them to nobody. */
	if (outputs && params && !a->row->per_version) {
		const struct cfn_member *m;
		for (m = cfn_members(params); m; m = m->next) {
			if (cfn_get(outputs, m->key)) {
				strbuf_addch(&label, ' ');
				strbuf_addstr(&label, mermaid_name(m->key));
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
				edges(&sb, &stacks[i], &stacks[j]);
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
		stacks[n].tpl = cfn_template_of(f->path);
		if (!stacks[n].tpl)
			BUG("%s is no template of this compilation", f->path);
		strbuf_init(&stacks[n].imports);
		imports(section(stacks[n].tpl, "Resources"), &stacks[n].imports);
		n++;
	}
	for (i = 0; i < n; i++)
		blocks[i] = stack_block(ctx->arena, &stacks[i], row_description(stacks[i].row->path));
	tpl_vars_strings(vars, "readme.stacks", blocks, n);
	tpl_vars_string(vars, "readme.diagram", diagram(ctx->arena, ctx->ir, stacks, n));
	spend(ctx, vars);
	for (i = 0; i < n; i++)
		strbuf_release(&stacks[i].imports);
	return 0;
}
