/*
 * tpl.h - ecsgen's template language: compiled once, type-checked against
 * the IR schema, rendered straight from the IR.
 *
 * Every file under templates/ is embedded in the binary at build time.  A
 * file named *.tpl is a template, compiled when the set is loaded; any other
 * file (the Python under templates/functions) is a raw asset, handed out as bytes by
 * tpl_asset().  Names are paths relative to templates/ ("Makefile.tpl",
 * "scripts/compute.sh.tpl"); diagnostics call a template "templates/NAME".
 *
 * SYNTAX
 *	text                      copied as it is, byte for byte
 *	{{ expr }}                interpolation
 *	{{ expr | f | g(arg) }}   interpolation through filters, left to right
 *	{{#if expr}} .. {{else}} .. {{/if}}
 *	{{#each list as x}} .. {{/each}}
 *	                          inside: x, and for the innermost loop
 *	                          @index (0-based), @first, @last
 *	{{! comment }}            no output; cannot contain "}}"
 *	{{#raw}}..{{/raw}}        verbatim: {{#raw}}{{timestamp}}{{/raw}}
 *	{{ "{{" }}                a string literal is output as it is
 *	{{% context sh }}         the output language (see CONTEXTS)
 *	{{% param stack.name: string }}
 *	                          a variable the emitter passes (tpl_vars_*):
 *	                          string, int, bool, strings (a list of
 *	                          strings) or a schema object path such as
 *	                          ec2_instances.spot_fleets[] (one item)
 *
 * Expressions: a path (cluster.name, fleet.bids, stack.name), "string" (with
 * \" \\ \n \t), an integer, @index/@first/@last, `not`/`!`, `and`, `or`,
 * `==`, `!=`, parentheses.  Paths start at a loop variable, a declared
 * param, or the IR root; every key is a key of infra.yml (schema.h) or a
 * derived one (logical_id, arch, user_data_text).  Values: strings, integers
 * (a duration is its seconds), booleans, prices (their canonical text),
 * lists.  A string infra.yml left out (and without a default) is "".
 * Conditions: a bool, a non-empty string, a non-zero integer, a non-empty
 * list.
 *
 * Filters: json yaml hcl (a quoted literal of that language; a list of
 * strings becomes a list), sh (one shell word; a list: words), make (the
 * right-hand side of a Make assignment), recipe (a piece of a Make recipe
 * line: sh|recipe), cfnsub (escape "${" for Fn::Sub), markdown (inline
 * CommonMark text; a list: comma-separated), upper, lower,
 * default("x") (when the value is empty), verbatim (the author vouches
 * for the bytes: user_data_text).  See escape.h for each escaper.
 *
 * Whitespace: a line holding only a block tag ({{#if}}, {{else}}, {{/if}},
 * {{#each}}, {{/each}}), a comment, a pragma or a raw tag disappears,
 * newline included (Mustache's "standalone" rule).  {{~ trims every blank
 * and newline before the tag, ~}} every one after it.
 *
 * CONTEXTS: {{% context NAME }} or the file name decides: *.sh.tpl sh,
 * Makefile.tpl and *.mk.tpl make, *.json.tpl json, *.yml.tpl and *.yaml.tpl
 * yaml, *.hcl.tpl hcl, *.md.tpl markdown; anything else is text.  In a context other than
 * text, a string interpolation must end with that context's filter (yaml
 * also takes json; in make, a line starting with a tab is a recipe and
 * takes recipe, any other takes make), or verbatim; cfnsub after the
 * context's filter keeps it (x | sh | cfnsub).  Integers, booleans,
 * prices and string literals need no filter.  Breaking this, an unknown
 * path or filter, or a type error is a compile error located in the
 * template.
 *
 * CALLING SEQUENCE
 *	set = tpl_set_load(arena, diags, override_dir, &io_error);   once per run
 *	vars = tpl_vars_new(arena); tpl_vars_string(vars, "stack.name", n);
 *	tpl_render(set, "Makefile.tpl", ir, vars, &sb, diags);
 *
 * Ownership: the set, its templates and tpl_vars live in the arena given
 * (nobody frees them); rendered bytes are appended to the caller's strbuf.
 * Errors are diagnostics in diags (return NULL or -1); a render error (a
 * value a filter cannot represent, a missing param) points at the value in
 * infra.yml when it came from there, else at the template.
 */
#ifndef ECSGEN_TPL_H
#define ECSGEN_TPL_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct diag_list;
struct ir;
struct schema_object;
struct source;
struct strbuf;
struct tpl;
struct tpl_set;
struct tpl_vars;

/*
 * Compile every embedded template (or its namesake in override_dir, when
 * that folder has one; override_dir may be NULL).  Returns NULL after
 * appending diagnostics when any template fails to compile or a file in
 * override_dir names no embedded template.  *io_error (when not NULL) is
 * set when override_dir could not be read: a missing folder, an unreadable
 * file, a symbolic link to a folder (never followed: two links to '.'
 * would make the walk endless), anything but a regular file or a folder
 * (a FIFO would block the read), or a tree deeper than TPL_DIR_MAX_DEPTH.
 */
struct tpl_set *tpl_set_load(struct arena *arena, struct diag_list *diags,
			     const char *override_dir, bool *io_error);

/* Render template name (a BUG if the set has none) for ir; 0 or -1. */
int tpl_render(struct tpl_set *set, const char *name, const struct ir *ir,
	       const struct tpl_vars *extra, struct strbuf *out,
	       struct diag_list *diags);

/* The bytes of an embedded asset (or its override), NULL if none. */
const char *tpl_asset(struct tpl_set *set, const char *name, size_t *len);

/* The names of the set's templates and assets, sorted; for --dump and tests. */
size_t tpl_set_names(const struct tpl_set *set, const char *const **names);

/* Variables an emitter passes to a template that declared them (% param). */
struct tpl_vars *tpl_vars_new(struct arena *arena);
void tpl_vars_string(struct tpl_vars *vars, const char *name, const char *value);
void tpl_vars_int(struct tpl_vars *vars, const char *name, long long value);
void tpl_vars_bool(struct tpl_vars *vars, const char *name, bool value);
void tpl_vars_strings(struct tpl_vars *vars, const char *name,
		      const char *const *items, size_t n);
/* object points at an IR struct described by the schema object at path. */
void tpl_vars_object(struct tpl_vars *vars, const char *name,
		     const char *schema_path, const void *object);

/*
 * The engine below the set, for tests and tools: compile one source against
 * a root schema (&schema_root for real templates; root IR pointers passed to
 * tpl_render_one must match it).  NULL after diagnostics.
 */
struct tpl *tpl_compile(struct arena *arena, struct diag_list *diags,
			struct source *src, const struct schema_object *root);
int tpl_render_one(const struct tpl *tpl, const void *root,
		   const struct tpl_vars *extra, struct strbuf *out,
		   struct diag_list *diags);

#endif
