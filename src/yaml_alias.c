/* yaml_alias.c - YAML anchors, aliases and merge keys, expanded within a budget (see yaml_load_int.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "dupes.h"
#include "syntax.h"
#include "xalloc.h"
#include "yaml_load_int.h"

struct anchor {
	const char *name;
	struct node *node; /* NULL while the anchored node is still being read */
};

struct alias_use {
	struct loc loc;
	size_t copied; /* the table's total after this alias */
};

/* FNV-1a: anchors are looked up once per alias, so no alias costs a scan. */
static size_t hash(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

static size_t *slot_of(struct alias_table *t, const char *name)
{
	size_t i = hash(name) & (t->nslots - 1);

	while (t->slots[i] && strcmp(t->anchors[t->slots[i] - 1].name, name))
		i = (i + 1) & (t->nslots - 1);
	return &t->slots[i];
}

static struct anchor *find(struct alias_table *t, const char *name)
{
	size_t *slot;

	if (!t->nslots)
		return NULL;
	slot = slot_of(t, name);
	return *slot ? &t->anchors[*slot - 1] : NULL;
}

static void rehash(struct alias_table *t)
{
	size_t i;

	free(t->slots);
	t->nslots = t->nslots ? t->nslots * 2 : 64;
	t->slots = xcalloc(t->nslots, sizeof *t->slots);
	for (i = 0; i < t->nanchors; i++)
		*slot_of(t, t->anchors[i].name) = i + 1;
}

void alias_open(struct alias_table *t, struct arena *arena, const char *name)
{
	struct anchor *a = find(t, name);

	/* A name anchored again names the new node from here on (YAML 1.2, 3.2.2.2). */
	if (a) {
		a->node = NULL;
		return;
	}
	if (2 * (t->nanchors + 1) > t->nslots)
		rehash(t);
	xgrow((void **)&t->anchors, &t->alloc, t->nanchors + 1, sizeof *t->anchors);
	t->anchors[t->nanchors].name = arena_strdup(arena, name);
	t->anchors[t->nanchors].node = NULL;
	t->nanchors++;
	*slot_of(t, name) = t->nanchors;
}

void alias_close(struct alias_table *t, const char *name, struct node *node)
{
	struct anchor *a = find(t, name);
	if (a)
		a->node = node;
}

struct copier {
	struct alias_table *t;
	struct arena *arena;
	struct diag_list *diags;
	const struct source *view;
	struct loc alias;
	const char *name;
};

static struct node *copy(struct copier *c, const struct node *n, int depth)
{
	struct node *out;
	size_t i;

	if (depth > SYNTAX_MAX_DEPTH) {
		diag_error(c->diags, DIAG_YAML, c->alias, "nesting deeper than %d levels", SYNTAX_MAX_DEPTH);
		diag_hint(c->diags, "'*%s' repeats a value nested too deep to fit here", c->name);
		return NULL;
	}
	if (++c->t->copied > ALIAS_MAX_NODES) {
		diag_error(c->diags, DIAG_ALIAS, c->alias, "aliases repeat more than %d nodes", ALIAS_MAX_NODES);
		diag_hint(c->diags, "'*%s' crossed the limit: write the values out, or repeat smaller ones", c->name);
		return NULL;
	}
	out = arena_alloc(c->arena, sizeof *out);
	*out = *n;
	out->loc.src = c->view;
	if (n->kind == NODE_SEQUENCE && n->nitems) {
		out->items = arena_array(c->arena, n->nitems, sizeof *out->items);
		for (i = 0; i < n->nitems; i++)
			if (!(out->items[i] = copy(c, n->items[i], depth + 1)))
				return NULL;
	}
	if (n->kind == NODE_MAPPING && n->npairs) {
		out->pairs = arena_array(c->arena, n->npairs, sizeof *out->pairs);
		for (i = 0; i < n->npairs; i++) {
			if (!(out->pairs[i].key = copy(c, n->pairs[i].key, depth + 1)) ||
			    !(out->pairs[i].value = copy(c, n->pairs[i].value, depth + 1)))
				return NULL;
		}
	}
	return out;
}

struct node *alias_expand(struct alias_table *t, struct arena *arena, struct diag_list *diags,
			  const char *name, struct loc loc, int depth)
{
	struct anchor *a = find(t, name);
	struct copier c = { t, arena, diags, NULL, loc, name };
	struct node *out;

	if (!a) {
		diag_error(diags, DIAG_ALIAS, loc, "alias '*%s' has no anchor before it", name);
		diag_hint(diags, "write '&%s' on the value to repeat, above its first '*%s'", name, name);
		return NULL;
	}
	if (!a->node) {
		diag_error(diags, DIAG_ALIAS, loc, "alias '*%s' is inside the value anchored as '&%s'", name, name);
		diag_hint(diags, "a value cannot hold a copy of itself");
		return NULL;
	}
	c.view = source_alias_view(arena, a->node->loc.src, loc);
	out = copy(&c, a->node, depth);
	if (!out)
		return NULL;
	xgrow((void **)&t->uses, &t->uses_alloc, t->nuses + 1, sizeof *t->uses);
	t->uses[t->nuses].loc = loc;
	t->uses[t->nuses].copied = t->copied;
	t->nuses++;
	return out;
}

bool alias_check_budget(struct alias_table *t, struct diag_list *diags, size_t source_nodes)
{
	size_t limit = source_nodes * ALIAS_MAX_RATIO, i;

	if (t->copied <= limit)
		return true;
	for (i = 0; i < t->nuses && t->uses[i].copied <= limit; i++)
		;
	diag_error(diags, DIAG_ALIAS, t->uses[i].loc,
		   "aliases repeat %zu nodes, more than %d times the %zu nodes written",
		   t->copied, ALIAS_MAX_RATIO, source_nodes);
	diag_hint(diags, "aliases may repeat up to %zu nodes here: write the values out, or repeat smaller ones", limit);
	return false;
}

void alias_table_release(struct alias_table *t)
{
	free(t->anchors);
	free(t->slots);
	free(t->uses);
	memset(t, 0, sizeof *t);
}

static bool is_merge_key(const struct node *key)
{
	return key->style == SCALAR_PLAIN && !strcmp(key->text, "<<");
}

/*
 * What the '<<' with this value merges: the one mapping (*value itself,
 * through the one-item list one), or a list of mappings.  NULL after a
 * located error.
 */
static struct node *const *merge_sources(struct diag_list *diags, struct node *const *value, size_t *nmaps)
{
	const struct node *v = *value;
	size_t i;

	if (v->kind == NODE_MAPPING) {
		*nmaps = 1;
		return value;
	}
	if (v->kind != NODE_SEQUENCE) {
		diag_error(diags, DIAG_ALIAS, v->loc, "the merge key '<<' takes a mapping or a list of mappings, not %s",
			   node_kind_name(v));
		diag_hint(diags, "write '<<: *name' with '&name' on a mapping, or '<<: [*a, *b]'");
		return NULL;
	}
	for (i = 0; i < v->nitems; i++) {
		if (v->items[i]->kind != NODE_MAPPING) {
			diag_error(diags, DIAG_ALIAS, v->items[i]->loc,
				   "each item of a merge key '<<' must be a mapping, not %s",
				   node_kind_name(v->items[i]));
			diag_hint(diags, "write '<<: [*a, *b]' with anchors on mappings");
			return NULL;
		}
	}
	*nmaps = v->nitems;
	return v->items;
}

static void drop_later(void *ctx, size_t later, size_t first)
{
	bool *dropped = ctx;
	(void)first;
	dropped[later] = true;
}

/*
 * Candidates in order of precedence: the keys written (unique already:
 * at most one is '<<'), then each merged mapping's pairs in turn.  A key
 * is kept from its first candidate; the result lists the written pairs in
 * order, with the merged ones kept in place of the '<<'.  Sorting finds
 * the repeats (dupes.h), so a wide merge costs n log n, not n squared.
 */
bool merge_keys(struct arena *arena, struct diag_list *diags, struct node_pair **pairs, size_t *n)
{
	struct node_pair *in = *pairs, *cand, *out;
	struct node *const *maps;
	struct dupe_key *keys;
	bool *dropped;
	size_t i, m, ncand, nmaps, kept = 0, merge_at = (size_t)-1;

	for (i = 0; i < *n; i++)
		if (is_merge_key(in[i].key))
			merge_at = i;
	if (merge_at == (size_t)-1)
		return true;
	maps = merge_sources(diags, &in[merge_at].value, &nmaps);
	if (!maps)
		return false;

	ncand = *n - 1;
	for (m = 0; m < nmaps; m++)
		ncand += maps[m]->npairs;
	cand = xmalloc((ncand + 1) * sizeof *cand);
	keys = xmalloc((ncand + 1) * sizeof *keys);
	dropped = xcalloc(ncand + 1, sizeof *dropped);
	ncand = 0;
	for (i = 0; i < *n; i++)
		if (i != merge_at)
			cand[ncand++] = in[i];
	for (m = 0; m < nmaps; m++)
		for (i = 0; i < maps[m]->npairs; i++)
			cand[ncand++] = maps[m]->pairs[i];
	for (i = 0; i < ncand; i++) {
		keys[i].key = cand[i].key->text;
		keys[i].index = i;
	}
	dupes_find(keys, ncand, drop_later, dropped);

	out = arena_array(arena, ncand, sizeof *out);
	for (i = 0; i < merge_at; i++)
		out[kept++] = cand[i];
	for (m = *n - 1; m < ncand; m++)
		if (!dropped[m])
			out[kept++] = cand[m];
	for (i = merge_at; i < *n - 1; i++)
		out[kept++] = cand[i];
	free(keys);
	free(dropped);
	free(cand);
	*pairs = out;
	*n = kept;
	return true;
}
