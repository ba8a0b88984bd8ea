/* preview_report.c - --preview's reports: text for a terminal, Markdown for a pull request comment (see preview.h). */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "cfn_stacks.h"
#include "escape.h"
#include "preview_int.h"
#include "strbuf.h"

static const char *const kind_names[PREVIEW_KIND__COUNT] = {
	[PREVIEW_UNCHANGED] = "unchanged", [PREVIEW_REPLACED] = "replaced", [PREVIEW_REMOVED] = "removed",
	[PREVIEW_IN_PLACE] = "changed in place", [PREVIEW_ADDED] = "added",
};

static const char *const class_names[] = {
	[PREVIEW_SAFE] = "safe", [PREVIEW_INTERRUPTS] = "interrupts running nodes", [PREVIEW_BLOCKED] = "may be blocked",
	[PREVIEW_NEXT_VERSION] = "safe: next version only",
};

static const char *signed_spend(struct arena *arena, long long micros)
{
	if (!micros)
		return "none";
	return micros < 0 ? arena_printf(arena, "-%s", cfn_spend_text(arena, -micros))
			  : arena_printf(arena, "+%s", cfn_spend_text(arena, micros));
}

void preview_summary_line(const struct preview *pv, struct strbuf *sb)
{
	strbuf_addf(sb, "impact: %zu replaced, %zu changed in place, %zu added, %zu removed; "
		    "%zu may be blocked, %zu interrupt running nodes, %zu for the next version only; "
		    "spot ceiling %s",
		    pv->counts[PREVIEW_REPLACED], pv->counts[PREVIEW_IN_PLACE], pv->counts[PREVIEW_ADDED], pv->counts[PREVIEW_REMOVED],
		    pv->blocked, pv->interrupts, pv->next_version, cfn_spend_text(pv->arena, pv->base_micros));
	if (pv->now_micros != pv->base_micros)
		strbuf_addf(sb, " -> %s (%s)", cfn_spend_text(pv->arena, pv->now_micros),
			    signed_spend(pv->arena, pv->now_micros - pv->base_micros));
	strbuf_addstr(sb, " per version\n");
}

static size_t changes_of(const struct preview_stack *s)
{
	size_t i, n = s->nexports;

	for (i = 0; i < s->nresources; i++)
		n += s->resources[i].kind != PREVIEW_UNCHANGED;
	return n;
}

static const char *stack_note(const struct preview_stack *s)
{
	if (!s->base)
		return "a new stack";
	if (!s->now)
		return "the stack goes";
	if (s->row->per_version)
		return "blue/green: the next version's stack only; running versions keep theirs";
	return NULL;
}

void preview_report_text(const struct preview *pv, struct strbuf *sb)
{
	size_t i, j;

	for (i = 0; i < pv->nstacks; i++) {
		const struct preview_stack *s = &pv->stacks[i];
		const char *note = stack_note(s);

		strbuf_addf(sb, "stack %s (%s)%s%s:%s\n", s->name, s->row->path, note ? ", " : "", note ? note : "",
			    changes_of(s) ? "" : " nothing to do");
		for (j = 0; j < s->nresources; j++) {
			const struct preview_resource *r = &s->resources[j];
			if (r->kind == PREVIEW_UNCHANGED)
				continue;
			strbuf_addf(sb, "  %-16s %s (%s)", kind_names[r->kind], r->id, r->type);
			if (r->why)
				strbuf_addf(sb, ": %s", r->why);
			strbuf_addf(sb, " [%s]\n", class_names[preview_class_of(s, r)]);
		}
		for (j = 0; j < s->nexports; j++)
			strbuf_addf(sb, "  %-16s export %s: %s [%s: a stack that imports it stops the update]\n",
				    s->exports[j].kind == PREVIEW_REMOVED ? "removed" : "changed", s->exports[j].name,
				    s->exports[j].why, class_names[PREVIEW_BLOCKED]);
	}
	if (pv->now_micros == pv->base_micros)
		strbuf_addf(sb, "spot spend ceiling: %s per version, unchanged; %s during a deploy\n",
			    cfn_spend_text(pv->arena, pv->now_micros), cfn_spend_text(pv->arena, 2 * pv->now_micros));
	else
		strbuf_addf(sb, "spot spend ceiling: %s per version before, %s after (%s); "
			    "%s during a deploy, with the old and the new version running\n",
			    cfn_spend_text(pv->arena, pv->base_micros), cfn_spend_text(pv->arena, pv->now_micros),
			    signed_spend(pv->arena, pv->now_micros - pv->base_micros),
			    cfn_spend_text(pv->arena, pv->base_micros + pv->now_micros));
	preview_summary_line(pv, sb);
}

static void md(struct strbuf *sb, const char *s)
{
	/* Every string here is a template's own or ecsgen's: valid UTF-8. */
	escape_markdown(sb, s, strlen(s), NULL);
}

static void md_row(struct strbuf *sb, const char *const cells[], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, "| ");
		md(sb, cells[i] ? cells[i] : "");
		strbuf_addch(sb, ' ');
	}
	strbuf_addstr(sb, "|\n");
}

void preview_report_markdown(const struct preview *pv, struct strbuf *sb)
{
	size_t i, j;

	strbuf_addstr(sb, "### ecsgen preview\n\n");
	strbuf_addf(sb, "%s\n\n", pv->blocked ? "**Something may be blocked:** see the exports below." : "Nothing may be blocked.");
	for (i = 0; i < pv->nstacks; i++) {
		const struct preview_stack *s = &pv->stacks[i];
		const char *note = stack_note(s);

		strbuf_addstr(sb, "#### ");
		md(sb, s->name);
		strbuf_addstr(sb, "\n\n");
		if (note) {
			md(sb, note);
			strbuf_addstr(sb, ".\n\n");
		}
		if (!changes_of(s)) {
			strbuf_addstr(sb, "Nothing to do.\n\n");
			continue;
		}
		strbuf_addstr(sb, "| change | resource | type | why | class |\n|---|---|---|---|---|\n");
		for (j = 0; j < s->nresources; j++) {
			const struct preview_resource *r = &s->resources[j];
			const char *cells[5];
			if (r->kind == PREVIEW_UNCHANGED)
				continue;
			cells[0] = kind_names[r->kind];
			cells[1] = r->id;
			cells[2] = r->type;
			cells[3] = r->why;
			cells[4] = class_names[preview_class_of(s, r)];
			md_row(sb, cells, 5);
		}
		for (j = 0; j < s->nexports; j++) {
			const char *cells[5];
			cells[0] = s->exports[j].kind == PREVIEW_REMOVED ? "removed" : "changed";
			cells[1] = arena_printf(pv->arena, "export %s", s->exports[j].name);
			cells[2] = "output";
			cells[3] = arena_printf(pv->arena, "%s; a stack that imports it stops the update", s->exports[j].why);
			cells[4] = class_names[PREVIEW_BLOCKED];
			md_row(sb, cells, 5);
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "| spot spend ceiling | per version | during a deploy |\n|---|---:|---:|\n");
	strbuf_addstr(sb, "| before | ");
	md(sb, cfn_spend_text(pv->arena, pv->base_micros));
	strbuf_addstr(sb, " | ");
	md(sb, cfn_spend_text(pv->arena, 2 * pv->base_micros));
	strbuf_addstr(sb, " |\n| after | ");
	md(sb, cfn_spend_text(pv->arena, pv->now_micros));
	strbuf_addstr(sb, " | ");
	md(sb, cfn_spend_text(pv->arena, pv->base_micros + pv->now_micros));
	strbuf_addstr(sb, " (old and new) |\n| change | ");
	md(sb, signed_spend(pv->arena, pv->now_micros - pv->base_micros));
	strbuf_addstr(sb, " | |\n\n");
	{
		struct strbuf line = STRBUF_INIT;
		preview_summary_line(pv, &line);
		strbuf_setlen(&line, line.len - 1);
		md(sb, line.buf);
		strbuf_addch(sb, '\n');
		strbuf_release(&line);
	}
}
