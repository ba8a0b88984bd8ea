/*
 * dupes.h - finding repeated keys in O(n log n), so no check grows with the
 * square of a list's length.
 *
 *	struct dupe_key keys[n];   { key, index } per item, in any order
 *	dupes_find(keys, n, found, ctx);
 *
 * found(ctx, later, first) is called once for every item whose key an
 * earlier item (by index) already has; first is the earliest such item.
 * keys is reordered.
 */
#ifndef ECSGEN_DUPES_H
#define ECSGEN_DUPES_H

#include <stddef.h>

struct dupe_key {
	const char *key;
	size_t index;
};

void dupes_find(struct dupe_key *keys, size_t n,
		void (*found)(void *ctx, size_t later, size_t first), void *ctx);

#endif
