/*
 * check_env.c - the rules of 'environments' (issue 19): the list's names,
 * an overlay file's own keys, and the environments' clusters kept apart.
 * check.h declares what the driver calls; check_int.h what check_rules.c does.
 */
#include "config.h"

#include <strings.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "dupes.h"
#include "emitter.h"
#include "ir.h"
#include "lower.h"
#include "syntax.h"

struct env_dupes {
	struct diag_list *diags;
	const struct ir_string *names; /* by index */
};

static void report_environment(void *ctx, size_t later, size_t first)
{
	struct env_dupes *c = ctx;
	const struct ir_string *a = &c->names[later], *b = &c->names[first];

	if (!strcmp(a->value, b->value)) {
		diag_error(c->diags, DIAG_DUPLICATE_NAME, a->loc, "environment '%s' is listed twice", a->value);
		diag_hint(c->diags, "it is already listed at line %u; each environment is one stage of the pipeline",
			  source_line_number(b->loc.src, b->loc.offset));
		return;
	}
	diag_error(c->diags, DIAG_DUPLICATE_NAME, a->loc, "environment '%s' collides with '%s'", a->value, b->value);
	diag_hint(c->diags, "both become the pipeline's '%s' (its stage, roles and image variable); rename one",
		  lower_logical_id(c->diags->arena, a->value));
}

void check_environment_list(const struct ir *ir, struct diag_list *diags)
{
	const struct ir_strings *envs = &ir->environments;
	struct dupe_key *keys = arena_array(diags->arena, envs->n + 1, sizeof *keys);
	struct env_dupes ctx = { diags, envs->items };
	size_t i, n = 0;

	for (i = 0; i < envs->n; i++) {
		const struct ir_string *e = &envs->items[i];
		const char *taken;
		if (!e->present)
			continue;
		/* Its folder of out/ sits beside the pipeline's files (any case: a case-blind disk). */
		if ((taken = emitters_top_level_name(e->value))) {
			int len = (int)strcspn(taken, "/");
			diag_error(diags, DIAG_CONFLICT, e->loc, "environment '%s' would share out/%.*s with the pipeline's files",
				   e->value, len, taken);
			diag_hint(diags, "each environment compiles into out/<name>/, and out/%.*s is the pipeline's; rename it",
				  len, taken);
			continue;
		}
		/* As the pipeline's logical ids spell it: staging and Staging are one. */
		keys[n].key = lower_logical_id(diags->arena, e->value);
		keys[n++].index = i;
	}
	dupes_find(keys, n, report_environment, &ctx);
}

void check_overlay(const struct node *root, const char *name, struct diag_list *diags)
{
	size_t i;

	if (root->kind != NODE_MAPPING)
		return;
	for (i = 0; i < root->npairs; i++) {
		if (strcmp(root->pairs[i].key->text, "environments"))
			continue;
		diag_error(diags, DIAG_CONFLICT, root->pairs[i].key->loc,
			   "an environment's file cannot list 'environments'");
		diag_hint(diags, "only infra.yml lists the environments; this file holds what '%s' changes", name);
	}
}

struct cluster_dupes {
	struct diag_list *diags;
	const struct ir *const *envs;
	const char *const *names;
};

static void report_cluster(void *ctx, size_t later, size_t first)
{
	struct cluster_dupes *c = ctx;
	const struct ir_string *a = &c->envs[later]->cluster.name, *b = &c->envs[first]->cluster.name;

	diag_error(c->diags, DIAG_DUPLICATE_NAME, a->loc, "environments '%s' and '%s' would both deploy cluster '%s'",
		   c->names[first], c->names[later], a->value);
	diag_hint(c->diags, "'%s' gets its name at %s:%u; give each environment its own cluster.name",
		  c->names[first], b->loc.src ? b->loc.src->name : "?", source_line_number(b->loc.src, b->loc.offset));
}

void check_environments_apart(const struct ir *const *envs, const char *const *names, size_t n,
			      struct diag_list *diags)
{
	struct dupe_key *keys = arena_array(diags->arena, n + 1, sizeof *keys);
	struct cluster_dupes ctx = { diags, envs, names };
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		if (!envs[i] || !envs[i]->cluster.name.present)
			continue;
		keys[k].key = envs[i]->cluster.name.value;
		keys[k++].index = i;
	}
	dupes_find(keys, k, report_cluster, &ctx);
}
