/*
 * preview_int.h - what the two halves of --preview share: preview.c compares
 * the templates and classes each change, preview_report.c writes the text
 * and Markdown reports.  Other files use preview.h.
 *
 * Everything hangs off one struct preview, filled by preview_run() from the
 * arena given (nobody frees it) and released with preview_release(), which
 * puts the json-c templates every name in it points into.
 */
#ifndef ECSGEN_PREVIEW_INT_H
#define ECSGEN_PREVIEW_INT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct cfn_stack;
struct ir;
struct json_object;
struct out_tree;
struct strbuf;

enum preview_kind {
	PREVIEW_UNCHANGED,
	PREVIEW_REPLACED,
	PREVIEW_REMOVED,
	PREVIEW_IN_PLACE,
	PREVIEW_ADDED,
	PREVIEW_KIND__COUNT
};

enum preview_class {
	PREVIEW_SAFE,
	PREVIEW_INTERRUPTS,
	PREVIEW_BLOCKED,
	PREVIEW_NEXT_VERSION
};

struct preview_resource {
	const char *id, *type;
	struct json_object *base, *now; /* the resource objects; either may be NULL */
	enum preview_kind kind;
	const char *why;
	bool feeds_export; /* replaced, and a changed export's value names it */
};

struct preview_export {
	const char *name;
	enum preview_kind kind;  /* PREVIEW_REMOVED, PREVIEW_IN_PLACE (value changes) or PREVIEW_ADDED */
	const char *why;
};

struct preview_stack {
	const struct cfn_stack *row;
	const char *name;
	struct json_object *base, *now;  /* templates; base NULL for a new stack */
	struct preview_resource *resources;
	size_t nresources;
	struct preview_export *exports;
	size_t nexports;
	const char **changed_params;
	size_t nchanged_params;
};

struct preview {
	struct arena *arena;
	const struct ir *ir;
	struct preview_stack *stacks;
	size_t nstacks;
	long long base_micros, now_micros;   /* spot spend ceiling per version */
	size_t counts[PREVIEW_KIND__COUNT];
	size_t blocked, interrupts, next_version;
};

/* Compare tree with the base out/ (missing_ok: a base that does not exist is empty); 0, or -1 with err. */
int preview_run(struct preview *pv, const struct out_tree *tree, const char *base, bool missing_ok,
		struct strbuf *err);
void preview_release(struct preview *pv);
enum preview_class preview_class_of(const struct preview_stack *s, const struct preview_resource *r);

/* The reports (preview_report.c). */
void preview_summary_line(const struct preview *pv, struct strbuf *sb);
void preview_report_text(const struct preview *pv, struct strbuf *sb);
void preview_report_markdown(const struct preview *pv, struct strbuf *sb);

#endif
