/* diag.c - collecting, sorting and printing diagnostics (see diag.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "strbuf.h"
#include "bug.h"
#include "xalloc.h"

const struct diag_code_info diag_codes[DIAG__COUNT] = {
#define X(id, sev, name, desc) [DIAG_##id] = { name, DIAG_##sev, desc },
	DIAG_CODES(X)
#undef X
};

int diag_code_find(const char *name)
{
	int i;
	for (i = 0; i < DIAG__COUNT; i++)
		if (!strcmp(diag_codes[i].name, name))
			return i;
	return -1;
}

void diag_list_init(struct diag_list *list, struct arena *arena)
{
	memset(list, 0, sizeof *list);
	list->arena = arena;
}

void diag_set_policy(struct diag_list *list, enum diag_code code, enum diag_policy policy)
{
	if (diag_codes[code].severity != DIAG_WARNING)
		BUG("policy for error code '%s'", diag_codes[code].name);
	list->policy[code] = (unsigned char)policy;
}

void diag_list_release(struct diag_list *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->alloc = 0;
}

static struct diag *append(struct diag_list *list, enum diag_code code, enum diag_severity sev,
			   struct loc loc, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	bool promoted = false;
	struct diag *d;

	if (diag_codes[code].severity != sev)
		BUG("diagnostic '%s' reported with the wrong severity", diag_codes[code].name);
	list->dropped = false;
	if (sev == DIAG_WARNING) {
		if (list->policy[code] == DIAG_POLICY_OFF) {
			list->dropped = true;
			return NULL;
		}
		if (list->policy[code] == DIAG_POLICY_ERROR || list->all_errors) {
			sev = DIAG_ERROR;
			promoted = true;
		}
	}
	xgrow((void **)&list->items, &list->alloc, list->n + 1, sizeof *list->items);
	d = &list->items[list->n];
	strbuf_vaddf(&sb, fmt, ap);
	d->code = code;
	d->severity = sev;
	d->promoted = promoted;
	d->loc = loc;
	d->message = arena_strndup(list->arena, sb.buf, sb.len);
	d->hint = NULL;
	d->order = list->n++;
	strbuf_release(&sb);
	if (sev == DIAG_ERROR)
		list->nerrors++;
	else
		list->nwarnings++;
	return d;
}

int diag_verror(struct diag_list *list, enum diag_code code, struct loc loc, const char *fmt,
		va_list ap)
{
	append(list, code, DIAG_ERROR, loc, fmt, ap);
	return -1;
}

int diag_error(struct diag_list *list, enum diag_code code, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(list, code, DIAG_ERROR, loc, fmt, ap);
	va_end(ap);
	return -1;
}

void diag_warning(struct diag_list *list, enum diag_code code, struct loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	append(list, code, DIAG_WARNING, loc, fmt, ap);
	va_end(ap);
}

void diag_hint(struct diag_list *list, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!list->n || list->dropped)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	list->items[list->n - 1].hint = arena_strndup(list->arena, sb.buf, sb.len);
	strbuf_release(&sb);
}

static int compare(const void *pa, const void *pb)
{
	const struct diag *a = pa, *b = pb;
	int c;

	/* Diagnostics without a place come first, then by file, then offset. */
	if (!a->loc.src != !b->loc.src)
		return a->loc.src ? 1 : -1;
	if (a->loc.src && b->loc.src && a->loc.src != b->loc.src) {
		c = strcmp(a->loc.src->name, b->loc.src->name);
		if (c)
			return c;
	}
	if (a->loc.offset != b->loc.offset)
		return a->loc.offset < b->loc.offset ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

void diag_sort(struct diag_list *list)
{
	if (list->n > 1)
		qsort(list->items, list->n, sizeof *list->items, compare);
}

/* Number of characters (not bytes) in text[0..len). */
static size_t char_count(const char *text, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static void format_excerpt(struct strbuf *out, const struct diag *d)
{
	struct source *src = (struct source *)d->loc.src;
	struct position pos = source_locate(src, d->loc.offset);
	size_t line_len, i, col_bytes, span_end, underline;
	const char *line = source_line(src, d->loc.offset, &line_len);
	int gutter;
	char num[32];

	gutter = snprintf(num, sizeof num, "%u", pos.line);
	if (gutter < 4)
		gutter = 4;
	strbuf_addf(out, " %*u | ", gutter, pos.line);
	/* Show control characters as spaces so the caret line matches. */
	for (i = 0; i < line_len; i++) {
		unsigned char c = (unsigned char)line[i];
		strbuf_addch(out, c == '\t' ? '\t' : (c < 0x20 || c == 0x7f) ? ' ' : c);
	}
	strbuf_addf(out, "\n %*s | ", gutter, "");
	col_bytes = d->loc.offset - (size_t)(line - src->text);
	for (i = 0; i < col_bytes && i < line_len; i++) {
		if (line[i] == '\t')
			strbuf_addch(out, '\t');
		else if (((unsigned char)line[i] & 0xC0) != 0x80)
			strbuf_addch(out, ' ');
	}
	strbuf_addch(out, '^');
	/* Underline the rest of the span, but not past the end of the line. */
	span_end = col_bytes + d->loc.length;
	if (span_end > line_len)
		span_end = line_len;
	underline = span_end > col_bytes ? char_count(line + col_bytes, span_end - col_bytes) : 0;
	underline = underline ? underline - 1 : 0;
	strbuf_addchars(out, '~', underline);
	strbuf_addch(out, '\n');
}

/* " [unknown-key]", " [-Wsmall-root-volume]", " [-Werror=small-root-volume]" */
static void add_code(struct strbuf *out, const struct diag *d)
{
	const char *name = diag_codes[d->code].name;

	if (d->promoted)
		strbuf_addf(out, " [-Werror=%s]", name);
	else if (d->severity == DIAG_WARNING)
		strbuf_addf(out, " [-W%s]", name);
	else
		strbuf_addf(out, " [%s]", name);
}

void diag_format(struct strbuf *out, const struct diag *d)
{
	const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";

	if (d->loc.src) {
		struct position pos = source_locate((struct source *)d->loc.src, d->loc.offset);
		strbuf_addf(out, "%s:%u:%u: %s: %s", d->loc.src->name, pos.line,
			    pos.column, sev, d->message);
		add_code(out, d);
		strbuf_addch(out, '\n');
		format_excerpt(out, d);
	} else {
		strbuf_addf(out, "ecsgen: %s: %s", sev, d->message);
		add_code(out, d);
		strbuf_addch(out, '\n');
	}
	if (d->hint)
		strbuf_addf(out, "hint: %s\n", d->hint);
}

void diag_print(struct diag_list *list, FILE *out, bool quiet)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	diag_sort(list);
	for (i = 0; i < list->n; i++) {
		if (quiet && list->items[i].severity != DIAG_ERROR)
			continue;
		diag_format(&sb, &list->items[i]);
	}
	fwrite(sb.buf, 1, sb.len, out);
	fflush(out);
	strbuf_release(&sb);
}

void diag_list_codes(struct strbuf *out)
{
	int i;

	strbuf_addstr(out, "Diagnostics (-Wno-NAME turns a warning off, -Werror=NAME makes it an error):\n");
	for (i = 0; i < DIAG__COUNT; i++)
		strbuf_addf(out, "  %-20s %-8s %s\n", diag_codes[i].name,
			    diag_codes[i].severity == DIAG_ERROR ? "error" : "warning",
			    diag_codes[i].description);
}
