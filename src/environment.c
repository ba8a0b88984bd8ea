/* environment.c - one environment's syntax tree (see environment.h). */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "environment.h"
#include "overlay.h"
#include "syntax.h"

static struct node *lookup(const struct node *map, const char *key)
{
	size_t i;

	if (!map || map->kind != NODE_MAPPING)
		return NULL;
	for (i = 0; i < map->npairs; i++)
		if (!strcmp(map->pairs[i].key->text, key))
			return map->pairs[i].value;
	return NULL;
}

static struct node *scalar(struct arena *arena, const char *text, struct loc loc)
{
	struct node *n = arena_alloc(arena, sizeof *n);

	memset(n, 0, sizeof *n);
	n->kind = NODE_SCALAR;
	n->loc = loc;
	n->text = text;
	n->len = strlen(text);
	n->style = SCALAR_PLAIN;
	return n;
}

static struct node *mapping1(struct arena *arena, const char *key, struct node *value, struct loc loc)
{
	struct node *n = arena_alloc(arena, sizeof *n);

	memset(n, 0, sizeof *n);
	n->kind = NODE_MAPPING;
	n->loc = loc;
	n->pairs = arena_array(arena, 1, sizeof *n->pairs);
	n->pairs[0].key = scalar(arena, key, loc);
	n->pairs[0].value = value;
	n->npairs = 1;
	return n;
}

/* base's root without its 'environments' pair (an environment is one cluster). */
static struct node *without_environments(struct arena *arena, struct node *base)
{
	struct node *out;
	size_t i, n = 0;

	if (!lookup(base, "environments"))
		return base;
	out = arena_alloc(arena, sizeof *out);
	*out = *base;
	out->pairs = arena_array(arena, base->npairs, sizeof *out->pairs);
	for (i = 0; i < base->npairs; i++)
		if (strcmp(base->pairs[i].key->text, "environments"))
			out->pairs[n++] = base->pairs[i];
	out->npairs = n;
	return out;
}

struct node *environment_tree(struct arena *arena, struct node *base, struct node *over,
			      const char *name, struct loc where)
{
	struct node *tree = overlay_merge(arena, without_environments(arena, base), over);
	const struct node *base_name = lookup(lookup(base, "cluster"), "name");
	const struct node *cluster = lookup(tree, "cluster");

	/*
	 * The default, only where it cannot hide an error: over a cluster
	 * mapping without a name, from a name infra.yml wrote as a string.
	 */
	if (lookup(lookup(over, "cluster"), "name") || !base_name || base_name->kind != NODE_SCALAR ||
	    !cluster || cluster->kind != NODE_MAPPING)
		return tree;
	return overlay_merge(arena, tree,
			     mapping1(arena, "cluster",
				      mapping1(arena, "name",
					       scalar(arena, arena_printf(arena, "%s-%s", base_name->text, name), where),
					       where),
				      where));
}
