/* overlay.c - an environment's overlay merged over infra.yml's syntax tree (see overlay.h). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "overlay.h"
#include "syntax.h"
#include "xalloc.h"

static int by_key(const void *a, const void *b)
{
	const struct node_pair *const *pa = a, *const *pb = b;
	return strcmp((*pa)->key->text, (*pb)->key->text);
}

static struct node *merge_mappings(struct arena *arena, struct node *base, struct node *over)
{
	struct node *out = arena_alloc(arena, sizeof *out);
	struct node_pair **sorted, probe_pair, *probe = &probe_pair, **hit;
	bool *used;
	size_t i, n = 0;

	*out = *base;
	out->pairs = arena_array(arena, base->npairs + over->npairs, sizeof *out->pairs);
	for (i = 0; i < base->npairs; i++)
		out->pairs[n++] = base->pairs[i];
	/* The base's pairs by key, to find each of the overlay's. */
	sorted = xmalloc((base->npairs + 1) * sizeof *sorted);
	used = xcalloc(over->npairs + 1, sizeof *used);
	for (i = 0; i < base->npairs; i++)
		sorted[i] = &out->pairs[i];
	qsort(sorted, base->npairs, sizeof *sorted, by_key);
	for (i = 0; i < over->npairs; i++) {
		probe_pair.key = over->pairs[i].key;
		hit = bsearch(&probe, sorted, base->npairs, sizeof *sorted, by_key);
		if (!hit)
			continue;
		used[i] = true;
		/* The key stays where infra.yml wrote it; the value is the overlay's. */
		(*hit)->value = overlay_merge(arena, (*hit)->value, over->pairs[i].value);
	}
	for (i = 0; i < over->npairs; i++)
		if (!used[i])
			out->pairs[n++] = over->pairs[i];
	out->npairs = n;
	free(sorted);
	free(used);
	return out;
}

struct node *overlay_merge(struct arena *arena, struct node *base, struct node *over)
{
	if (!base)
		return over;
	if (!over)
		return base;
	if (base->kind == NODE_MAPPING && over->kind == NODE_MAPPING)
		return merge_mappings(arena, base, over);
	return over;
}
