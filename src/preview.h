/*
 * preview.h - --preview: what deploying the in-memory out_tree would do to
 * stacks deployed from a base out/ (main's, say), offline.
 *
 *	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
 *	int r = preview_tree(arena, ir, &tree, "base/out", PREVIEW_TEXT, &report, &err);
 *	r < 0:  I/O trouble or a base that is no ecsgen output; err holds one line  -> exit 2
 *	r == 1: report printed; something may be blocked                          -> exit 3
 *	r == 0: report printed; nothing may be blocked                            -> exit 0
 *
 * Per stack (emitters/cfn_stacks.c), each resource is added, removed,
 * changed in place or replaced: replaced when a create-only property
 * changes (emitters/cfn_create_only.c), directly or through a Ref, GetAtt
 * or Fn::Sub of a resource that is replaced, of a parameter whose
 * definition changed, or of a launch template's new version.  Each change
 * is classed safe, interrupts running nodes (a fleet, group, ECS cluster or
 * instance profile of a running version goes or is replaced), or may be
 * blocked (an exported value changes or goes: offline, any import of it
 * counts).  The compute template is blue/green: it affects the next
 * version's stack only, never a running one, and the report says so.  The
 * report ends with the spot spend ceiling before and after (per version,
 * and during a deploy when the old and the new version run) and one line
 * of impact (preview_summary's).  PREVIEW_MARKDOWN gives the same as a pull
 * request comment.  Nothing is written to disk.
 *
 * The caller owns report, line and err (strbuf_release()); everything else
 * comes from arena.
 */
#ifndef ECSGEN_PREVIEW_H
#define ECSGEN_PREVIEW_H

struct arena;
struct ir;
struct out_tree;
struct strbuf;

enum preview_format {
	PREVIEW_TEXT,
	PREVIEW_MARKDOWN,
};

int preview_tree(struct arena *arena, const struct ir *ir, const struct out_tree *tree,
		 const char *base, enum preview_format format, struct strbuf *report,
		 struct strbuf *err);

/*
 * The report's last line alone, for --check: "impact: 1 replaced, 2 changed
 * in place, ...; spot ceiling ...".  Returns as preview_tree does.
 */
int preview_summary(struct arena *arena, const struct ir *ir, const struct out_tree *tree,
		    const char *base, struct strbuf *line, struct strbuf *err);

#endif
