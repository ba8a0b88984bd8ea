/* dupes.c - repeated keys by sorting (see dupes.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dupes.h"

static int by_key_then_index(const void *pa, const void *pb)
{
	const struct dupe_key *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	if (c)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

void dupes_find(struct dupe_key *keys, size_t n,
		void (*found)(void *ctx, size_t later, size_t first), void *ctx)
{
	size_t i, run = 0;

	if (n < 2)
		return;
	qsort(keys, n, sizeof *keys, by_key_then_index);
	for (i = 1; i < n; i++) {
		if (strcmp(keys[i].key, keys[run].key)) {
			run = i;
			continue;
		}
		found(ctx, keys[i].index, keys[run].index);
	}
}
