/*
 * emitter.h - the back-end interface: the outputs are rows of one table.
 *
 * emitters/registry.c lists every file ecsgen writes, in the order they are
 * made, one row each: its path in out/, its mode, and either the template
 * that renders it (a template row, with an optional function that adds the
 * variables it needs) or the C function that builds it (a CloudFormation
 * row).  Adding an output is one template and one row, or one emitter file
 * and one row.  The man page's and the README's lists of outputs come from
 * these rows (man/mkman).
 *
 * A row reads the IR (never the YAML tree) and may read what earlier rows
 * put in ctx->out (out_tree_find); it adds its files to ctx->out and never
 * touches the disk.  On bad output (a template that fails, a limit) it
 * appends a located diagnostic and returns -1; the driver then writes
 * nothing.  The CloudFormation values a function builds live in the
 * compilation's arena (cfn.h): nobody frees them.
 */
#ifndef ECSGEN_EMITTER_H
#define ECSGEN_EMITTER_H

#include <stddef.h>

struct arena;
struct diag_list;
struct ir;
struct out_tree;
struct tpl_set;
struct tpl_vars;

/*
 * With 'environments' (issue 19) the table runs once per environment, into
 * out/<e>/, for the rows of one cluster, and once more into out/ for the
 * pipeline's rows, with infra.yml's own IR and every environment's.
 * Without, it runs once, into out/, for every row but EMIT_TOP's.
 */
enum emit_scope {
	EMIT_CLUSTER,  /* one cluster's: out/, or out/<e>/ for each environment */
	EMIT_PIPELINE, /* the pipeline's: out/ alone */
	EMIT_SHARED,   /* both: out/ and each out/<e>/ (the scripts) */
	EMIT_TOP,      /* only with environments: out/ */
};

enum emit_pass {
	EMIT_PASS_ALL,        /* no environments: every row but EMIT_TOP's */
	EMIT_PASS_CLUSTER,    /* one environment: EMIT_CLUSTER and EMIT_SHARED */
	EMIT_PASS_PIPELINE,   /* the environments' out/: EMIT_PIPELINE, EMIT_SHARED, EMIT_TOP */
};

/* One environment, for the pipeline's pass: its name and its cluster's IR. */
struct emit_environment {
	const char *name;
	const struct ir *ir;
};

struct emit_context {
	const struct ir *ir;        /* the cluster's; in the pipeline's pass infra.yml's */
	struct arena *arena;        /* the compilation's arena */
	struct diag_list *diags;
	struct tpl_set *templates;  /* compiled templates (tpl.h) */
	struct out_tree *out;
	enum emit_pass pass;
	const char *environment;    /* EMIT_PASS_CLUSTER: the environment's name; else NULL */
	/*
	 * The deploy stages in order: each environment, or (no environments)
	 * the one cluster, named NULL.  Set in every pass.
	 */
	const struct emit_environment *stages;
	size_t nstages;
};

struct emitter {
	/*
	 * The file in out/.  A template row whose path ends in "*.sh" renders
	 * every template of that folder named NAME.sh.tpl into NAME.sh.
	 */
	const char *path;
	unsigned mode;
	const char *template;       /* a template row's template; NULL for a C row */
	/* A template row's own variables (NULL: none beyond the IR). */
	int (*vars)(struct emit_context *ctx, struct tpl_vars *vars);
	/* A C row: builds the file at row->path. */
	int (*build)(struct emit_context *ctx, const struct emitter *row);
	const char *description;    /* one line for the man page and the README */
	enum emit_scope scope;      /* which passes make it (EMIT_CLUSTER when left out) */
};

extern const struct emitter emitter_registry[];
extern const size_t emitter_registry_count;

/* Run every row of ctx->pass in order into ctx->out; -1 when one failed (diagnosed). */
int emitters_run(struct emit_context *ctx);

/*
 * Whether an environment named name would share a folder or file of out/
 * with a row of the pipeline's pass (compared without case): that row's
 * path (such as "cloudformation/pipeline.json"), whose first part is the name; or NULL.
 */
const char *emitters_top_level_name(const char *name);

/* The rows' functions, defined by the emitter files. */
int cfn_assets_build(struct emit_context *ctx, const struct emitter *row);
int cfn_cluster_build(struct emit_context *ctx, const struct emitter *row);
int cfn_health_build(struct emit_context *ctx, const struct emitter *row);
int cfn_compute_build(struct emit_context *ctx, const struct emitter *row);
int cfn_pipeline_build(struct emit_context *ctx, const struct emitter *row);
int packer_vars(struct emit_context *ctx, struct tpl_vars *vars);
int makefile_vars(struct emit_context *ctx, struct tpl_vars *vars);
int makefile_top_vars(struct emit_context *ctx, struct tpl_vars *vars);
int buildspec_vars(struct emit_context *ctx, struct tpl_vars *vars);
int readme_vars(struct emit_context *ctx, struct tpl_vars *vars);

#endif
