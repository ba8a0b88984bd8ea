/*
 * syntax.h - the located syntax tree of infra.yml.
 *
 * yaml_load.c turns libyaml's events into this tree; check.c reads it.  Every
 * node keeps its location (the token's first byte and length in the source)
 * and, for scalars, the style it was written in, because "true" and true are
 * different answers to "is this a boolean?".  Nodes live in the compilation
 * arena: nobody frees them.
 */
#ifndef ECSGEN_SYNTAX_H
#define ECSGEN_SYNTAX_H

#include <stddef.h>

#include "source.h"

struct arena;
struct diag_list;

enum node_kind {
	NODE_SCALAR,
	NODE_SEQUENCE,
	NODE_MAPPING,
};

enum scalar_style {
	SCALAR_PLAIN,
	SCALAR_SINGLE_QUOTED,
	SCALAR_DOUBLE_QUOTED,
	SCALAR_LITERAL,  /* | block */
	SCALAR_FOLDED,   /* > block */
};

struct node;

struct node_pair {
	struct node *key;   /* always a scalar */
	struct node *value;
};

/*
 * 32 bytes: a fleet written on one line is 14 nodes, and 10,000 fleets fit
 * the input cap.  Only the members of the node's kind mean anything (they
 * share storage): read text and len of a scalar, items and nitems of a
 * sequence, pairs and npairs of a mapping, after looking at kind.  A count
 * fits 32 bits, as a struct loc's offset does: an input is at most 1 MiB.
 */
struct node {
	struct loc loc;
	union {
		const char *text;          /* NODE_SCALAR: NUL-terminated (no NUL inside: checked) */
		struct node **items;       /* NODE_SEQUENCE */
		struct node_pair *pairs;   /* NODE_MAPPING, in source order; keys are unique (checked) */
	};
	union {
		uint32_t len;
		uint32_t nitems;
		uint32_t npairs;
	};
	unsigned char kind;   /* enum node_kind */
	unsigned char style;  /* enum scalar_style, NODE_SCALAR */
};

/* Deepest nesting of mappings and sequences accepted. */
enum { SYNTAX_MAX_DEPTH = 32 };

/* "a string", "a list", "a mapping": for messages. */
const char *node_kind_name(const struct node *node);

/*
 * The location of the value's characters [index, index+len) inside a scalar
 * written on one line (plain or quoted, escapes included), so a diagnostic
 * can point inside a string.  Falls back to the whole scalar otherwise.
 */
struct loc scalar_char_loc(struct loc scalar, size_t index, size_t len);

/*
 * The same for many places in one scalar, in increasing order: the walk
 * resumes from the previous place, so N places in a long string cost its
 * length once, not N times.  Start from a zeroed cursor.
 */
struct scalar_cursor {
	size_t value_pos, raw_pos;
};
struct loc scalar_char_loc_next(struct loc scalar, struct scalar_cursor *cur,
				size_t index, size_t len);

#endif
