/*
 * environment.h - one environment's syntax tree (issue 19, 'environments'):
 * infra.yml with the environment's overlay file laid over it (overlay.h),
 * without infra.yml's own 'environments' list, and with cluster.name
 * defaulted to '<infra.yml's cluster.name>-<environment>' when the overlay
 * does not set it.
 *
 *	tree = environment_tree(arena, infra_root, prod_root, "prod", where);
 *
 * over may be NULL (no prod.yml: the environment is infra.yml as it is).
 * The defaulted name is located at where, the environment's item in
 * infra.yml's list, so a derived name that is too long is reported there.
 * Nothing is checked here: check_tree() checks the result like any
 * infra.yml.  The new nodes live in the arena.
 */
#ifndef ECSGEN_ENVIRONMENT_H
#define ECSGEN_ENVIRONMENT_H

#include "source.h"

struct arena;
struct node;

struct node *environment_tree(struct arena *arena, struct node *base, struct node *over,
			      const char *name, struct loc where);

#endif
