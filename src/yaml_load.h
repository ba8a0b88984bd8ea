/*
 * yaml_load.h - the front end's first stage: libyaml's events to the
 * located syntax tree of syntax.h.
 */
#ifndef ECSGEN_YAML_LOAD_H
#define ECSGEN_YAML_LOAD_H

struct arena;
struct diag_list;
struct node;
struct source;

/*
 * Parse src into a tree whose root is a mapping.  On any error, appends
 * located diagnostics and returns NULL: invalid UTF-8, tabs in indentation,
 * YAML syntax errors, aliases, tags, several documents, nesting deeper than
 * SYNTAX_MAX_DEPTH (syntax.h), an empty file, a root that is not a mapping.  A
 * duplicate key is reported and the second one dropped, and the tree is
 * still returned, so checking goes on to find the file's other errors.
 */
struct node *yaml_load(struct arena *arena, struct source *src, struct diag_list *diags);

#endif
