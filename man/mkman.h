/*
 * mkman.h - what the files of man/mkman share: how a schema key reads in the
 * docs, and the Markdown writers of the README's generated blocks.
 *
 * Every function appends to a strbuf the caller owns and releases.
 */
#ifndef ECSGEN_MKMAN_H
#define ECSGEN_MKMAN_H

#include "schema.h"
#include "strbuf.h"

/*
 * Call fn once for every object of the table that infra.yml may hold, depth
 * first in table order: the root (parent NULL), then cluster, cluster.amis,
 * ec2_instances, ...  parent is the key whose value the object is.
 */
void docs_each_section(void (*fn)(void *ctx, const struct schema_object *obj, const struct schema_key *parent),
		       void *ctx);
/* Whether key is one infra.yml may hold (derived keys are not). */
int docs_key_shown(const struct schema_key *key);
/* The object's title: its path, or "top level" for the root. */
const char *docs_section_title(const struct schema_object *obj);
/* The key's type as a reader sees it: "integer, 0 to 10000", "list of strings (subnet id), at most 15". */
void docs_key_type(struct strbuf *out, const struct schema_key *key);
/* The key's default as text ("" when none); a default taken from a sibling reads "same as `key`". */
void docs_key_default(struct strbuf *out, const struct schema_key *key);

/*
 * Call fn for every generated file the docs list, in registry order: each
 * row (member 0), and after a pattern row each file it makes (member 1),
 * described by its template's header.
 */
void docs_each_output(void (*fn)(void *ctx, const char *path, const char *description, int member), void *ctx);

/* README blocks: the table of outputs, the infra.yml reference. */
void md_outputs(struct strbuf *out);
void md_reference(struct strbuf *out);
/*
 * Rewrite the generated blocks of the Markdown file at path in place
 * (written beside it and renamed over it).  Returns 0, or 1 with a message
 * on stderr when a marker is missing or the file cannot be read or written.
 */
int md_update(const char *path);

#endif
