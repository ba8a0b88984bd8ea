/*
 * yaml_load_int.h - what yaml_load.c shares with its sibling yaml_alias.c:
 * YAML anchors, aliases and merge keys.
 *
 *	struct alias_table t = ALIAS_TABLE_INIT;
 *	alias_open(&t, arena, name);           an anchored node starts
 *	alias_close(&t, name, node);           ... and is complete
 *	copy = alias_expand(&t, ..., name);    an alias: a copy of the node
 *	merge_keys(arena, diags, &pairs, &n);  a mapping's '<<' resolved
 *	alias_check_budget(&t, diags, nodes);  at the end of the stream
 *	alias_table_release(&t);
 *
 * An alias is expanded into a copy whose locations name the file seen
 * through the alias (source_alias_view, source.h), so a diagnostic on a
 * repeated value is reported at the alias with a note at the anchor.
 * Copies are bounded (ALIAS_MAX_NODES, ALIAS_MAX_RATIO): an alias bomb
 * stops at the alias that crosses the budget, after at most
 * ALIAS_MAX_NODES copied nodes.  Copies live in the arena; the table's own
 * memory is freed by alias_table_release.
 */
#ifndef ECSGEN_YAML_LOAD_INT_H
#define ECSGEN_YAML_LOAD_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

struct arena;
struct diag_list;
struct node;
struct node_pair;

enum {
	ALIAS_MAX_NODES = 100000, /* nodes all aliases together may copy */
	ALIAS_MAX_RATIO = 10,     /* ... and at most this many times the file's own */
};

struct alias_table {
	struct anchor *anchors; /* one per name: the latest definition */
	size_t nanchors, alloc;
	size_t *slots; /* hash of names: index + 1 into anchors, 0 when free */
	size_t nslots;
	struct alias_use *uses; /* every alias expanded, with the running total */
	size_t nuses, uses_alloc;
	size_t copied; /* nodes copied so far */
};

#define ALIAS_TABLE_INIT { 0 }

void alias_open(struct alias_table *t, struct arena *arena, const char *name);
void alias_close(struct alias_table *t, const char *name, struct node *node);

/*
 * The value the alias *name written at loc stands for, copied, or NULL
 * after a located error: no anchor of that name before it, an alias inside
 * its own anchor, the copy past ALIAS_MAX_NODES or nested deeper than
 * SYNTAX_MAX_DEPTH (depth is the alias's own).
 */
struct node *alias_expand(struct alias_table *t, struct arena *arena, struct diag_list *diags,
			  const char *name, struct loc loc, int depth);

/*
 * The merge keys of one mapping: *pairs (*n of them, written keys already
 * unique) with each plain '<<' replaced by the pairs of the mapping (or
 * list of mappings, the first winning) it names, less the keys written
 * beside it.  The new array is in the arena.  False after a located error
 * (a '<<' whose value is not a mapping or a list of mappings).
 */
bool merge_keys(struct arena *arena, struct diag_list *diags, struct node_pair **pairs, size_t *n);

/* After the stream: false, with an error at the alias that crossed it,
 * when aliases copied more than ALIAS_MAX_RATIO times source_nodes. */
bool alias_check_budget(struct alias_table *t, struct diag_list *diags, size_t source_nodes);

void alias_table_release(struct alias_table *t);

#endif
