/*
 * overlay.h - an environment's overlay file laid over infra.yml's syntax
 * tree (issue 19, 'environments'): mapping keys merge recursively, lists
 * and scalars replace.
 *
 *	struct node *tree = overlay_merge(arena, infra_root, prod_root);
 *
 * The result shares the nodes of both trees; only the mappings present in
 * both are new.  Every node keeps its own location, so a diagnostic on the
 * merged tree names the file that set the value: 'prod.yml:3:9' for a value
 * the overlay set, 'infra.yml:12:7' for one it kept.  A merged mapping lists
 * base's keys in base's order (each replaced or merged where the overlay
 * sets it), then the overlay's new keys in its order.  Either tree may be
 * NULL (the other is returned).  New nodes live in the arena: nobody frees
 * them.  The trees' keys are unique (yaml_load.h), so the merge is a
 * lookup per key: O((n + m) log n) for mappings of n and m keys.
 */
#ifndef ECSGEN_OVERLAY_H
#define ECSGEN_OVERLAY_H

struct arena;
struct node;

struct node *overlay_merge(struct arena *arena, struct node *base, struct node *over);

#endif
