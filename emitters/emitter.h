/*
 * emitter.h - the back-end interface: one output kind, one emitter.
 *
 * Each emitter file defines one `const struct emitter` and emitters/registry.c
 * lists them; adding an output kind is one file plus one row there.  An
 * emitter reads the IR (never the YAML tree), renders its files in memory and
 * adds them to ctx->out; it never touches the disk.  On bad input it appends
 * a located diagnostic (diag_error) and returns -1; the driver then writes
 * nothing.  json-c objects an emitter builds are its own: it puts them once.
 */
#ifndef ECSGEN_EMITTER_H
#define ECSGEN_EMITTER_H

#include <stddef.h>

struct arena;
struct diag_list;
struct ir;
struct out_tree;
struct tpl_set;

struct emit_context {
	const struct ir *ir;
	struct arena *arena;        /* the compilation's arena */
	struct diag_list *diags;
	struct tpl_set *templates;  /* compiled templates (tpl.h) */
	struct out_tree *out;
};

struct emitter {
	const char *name;           /* for messages: "cloudformation-cluster" */
	int (*emit)(struct emit_context *ctx);
};

extern const struct emitter *const emitter_registry[];
extern const size_t emitter_registry_count;

#endif
