/* diag.c - collecting, sorting and printing diagnostics (see diag.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bug.h"
#include "diag.h"
#include "strbuf.h"
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

void diag_set_policy(struct diag_list *list, enum diag_code code, enum diag_policy policy)
{
	if (diag_codes[code].severity != DIAG_WARNING)
		BUG("policy for error code '%s'", diag_codes[code].name);
	list->policy[code] = (unsigned char)policy;
}

void diag_list_init(struct diag_list *list, struct arena *arena)
{
	memset(list, 0, sizeof *list);
	list->arena = arena;
	list->max_errors = DIAG_MAX_ERRORS_DEFAULT;
	list->last = (size_t)-1;
}

void diag_list_release(struct diag_list *list)
{
	free(list->items);
	list->items = NULL;
	list->n = list->alloc = 0;
}

static int compare(const void *pa, const void *pb);

/* An alias quoted in a note: '*name', cut to this many bytes. */
enum { MAX_ALIAS_QUOTE = 64 };

/*
 * The slot for a new diagnostic, or NULL when it is dropped: past the cap,
 * the new one replaces the last kept one of its severity if it sorts before
 * it, so what is kept is always the first max_errors as printed.
 */
static struct diag *slot_for(struct diag_list *list, enum diag_severity sev,
			     struct loc loc, size_t order)
{
	/* The new one is already counted in nerrors or nwarnings. */
	unsigned kept = sev == DIAG_ERROR ? list->nerrors - 1 - list->dropped_errors
					  : list->nwarnings - 1 - list->dropped_warnings;
	struct diag probe, *worst = NULL;
	size_t i;

	if (!list->max_errors || kept < list->max_errors) {
		xgrow((void **)&list->items, &list->alloc, list->n + 1, sizeof *list->items);
		list->last = list->n;
		return &list->items[list->n++];
	}
	if (sev == DIAG_ERROR)
		list->dropped_errors++;
	else
		list->dropped_warnings++;
	probe.loc = loc;
	probe.order = order;
	for (i = 0; i < list->n; i++)
		if (list->items[i].severity == sev && (!worst || compare(&list->items[i], worst) > 0))
			worst = &list->items[i];
	if (!worst || compare(&probe, worst) > 0) {
		list->last = (size_t)-1;
		return NULL;
	}
	list->last = (size_t)(worst - list->items);
	return worst;
}

/* Whether a kept diagnostic already says this (list->unique). */
static bool is_repeat(const struct diag_list *list, enum diag_code code, struct loc loc, const char *message)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct diag *d = &list->items[i];
		if (d->code == code && d->loc.src == loc.src && d->loc.offset == loc.offset &&
		    d->loc.length == loc.length && !strcmp(d->message, message))
			return true;
	}
	return false;
}

static struct diag *append(struct diag_list *list, enum diag_code code, enum diag_severity sev,
			   struct loc loc, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	size_t order = (size_t)list->nerrors + list->nwarnings;
	bool promoted = false;
	struct loc note_loc = loc_none();
	const char *note = NULL;
	struct diag *d;

	if (diag_codes[code].severity != sev)
		BUG("diagnostic '%s' reported with the wrong severity", diag_codes[code].name);
	if (sev == DIAG_WARNING) {
		if (list->policy[code] == DIAG_POLICY_OFF) {
			list->last = (size_t)-1; /* its hint goes too */
			return NULL;
		}
		if (list->policy[code] == DIAG_POLICY_ERROR || list->all_errors) {
			sev = DIAG_ERROR;
			promoted = true;
		}
	}
	if (loc.src && loc.src->base) {
		const struct source *file = loc.src->base;
		struct loc alias = loc.src->alias;
		note_loc = loc_make(file, loc.offset, loc.length);
		loc = alias;
		if (alias.length > MAX_ALIAS_QUOTE) {
			alias.length = MAX_ALIAS_QUOTE;
			while (alias.length && ((unsigned char)file->text[alias.offset + alias.length] & 0xC0) == 0x80)
				alias.length--;
		}
		note = arena_printf(list->arena, "'%.*s' repeats the value written here",
				     (int)alias.length, file->text + alias.offset);
	}
	strbuf_vaddf(&sb, fmt, ap);
	if (list->unique && is_repeat(list, code, loc, sb.buf)) {
		strbuf_release(&sb);
		list->last = (size_t)-1; /* its hint goes too */
		return NULL;
	}
	if (sev == DIAG_ERROR)
		list->nerrors++;
	else
		list->nwarnings++;
	d = slot_for(list, sev, loc, order);
	if (!d) {
		strbuf_release(&sb);
		return NULL;
	}
	d->code = code;
	d->severity = sev;
	d->promoted = promoted;
	d->loc = loc;
	d->message = arena_strndup(list->arena, sb.buf, sb.len);
	d->hint = NULL;
	d->note_loc = note_loc;
	d->note = note;
	d->order = order;
	strbuf_release(&sb);
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

	if (list->last >= list->n)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	list->items[list->last].hint = arena_strndup(list->arena, sb.buf, sb.len);
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
	list->last = (size_t)-1;
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

/* Byte index of the character numbered chars in text[0..len). */
static size_t char_index(const char *text, size_t len, size_t chars)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80 && !chars--)
			break;
	return i;
}

/* A C1 control (U+0080..U+009F) is the two bytes C2 80..C2 9F in UTF-8. */
static bool is_c1(const char *s, size_t len)
{
	return len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] >= 0x80 &&
	       (unsigned char)s[1] <= 0x9F;
}

/*
 * Text quoted from the input, with every control character written as an
 * escape: an infra.yml must not retitle, clear or recolour the terminal of
 * whoever reads its diagnostics.
 */
void diag_escape(struct strbuf *out, const char *s)
{
	size_t len = strlen(s), i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			strbuf_addstr(out, "\\t");
		else if (c == '\n')
			strbuf_addstr(out, "\\n");
		else if (c == '\r')
			strbuf_addstr(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			strbuf_addf(out, "\\x%02X", c);
		else if (is_c1(s + i, len - i))
			strbuf_addf(out, "\\u%04X", (unsigned char)s[++i]);
		else
			strbuf_addch(out, (char)c);
	}
}

/*
 * The source line and a caret under the place.  A line longer than
 * DIAG_EXCERPT_COLUMNS characters shows only that many around the caret,
 * with "..." where it is cut, so one error costs the same on any line.
 */
/* GCC's colours (GCC_COLORS' defaults): SGR sequences, and the reset. */
#define SGR_LOCUS "\033[01m"
#define SGR_ERROR "\033[01;31m"
#define SGR_WARNING "\033[01;35m"
#define SGR_CARET "\033[01;32m"
#define SGR_HINT "\033[01;36m"
#define SGR_NOTE "\033[01;36m"
#define SGR_RESET "\033[m"

static void format_excerpt(struct strbuf *out, struct loc loc, bool color)
{
	const struct source *src = loc.src;
	struct position pos = source_locate(src, loc.offset);
	size_t line_len, i, col_bytes, span_end, underline, first = 0, last;
	const char *line = source_line(src, loc.offset, &line_len);
	const char *lead = "", *trail = "";
	size_t nchars = char_count(line, line_len);
	int gutter;
	char num[32];

	col_bytes = loc.offset - (size_t)(line - src->text);
	if (col_bytes > line_len)
		col_bytes = line_len;
	last = line_len;
	if (nchars > DIAG_EXCERPT_COLUMNS) {
		size_t caret = char_count(line, col_bytes), start = 0;
		if (caret > DIAG_EXCERPT_COLUMNS / 2)
			start = caret - DIAG_EXCERPT_COLUMNS / 2;
		if (start > nchars - DIAG_EXCERPT_COLUMNS)
			start = nchars - DIAG_EXCERPT_COLUMNS;
		first = char_index(line, line_len, start);
		last = first + char_index(line + first, line_len - first, DIAG_EXCERPT_COLUMNS);
		lead = first ? "..." : "";
		trail = last < line_len ? "..." : "";
	}

	gutter = snprintf(num, sizeof num, "%u", pos.line);
	if (gutter < 4)
		gutter = 4;
	strbuf_addf(out, " %*u | %s", gutter, pos.line, lead);
	/* Show control characters as spaces so the caret line matches. */
	for (i = first; i < last; i++) {
		unsigned char c = (unsigned char)line[i];
		if (is_c1(line + i, last - i)) {
			strbuf_addch(out, ' ');
			i++;
			continue;
		}
		strbuf_addch(out, c == '\t' ? '\t' : (c < 0x20 || c == 0x7f) ? ' ' : (char)c);
	}
	strbuf_addf(out, "%s\n %*s | %s", trail, gutter, "", *lead ? "   " : "");
	for (i = first; i < col_bytes; i++) {
		if (line[i] == '\t')
			strbuf_addch(out, '\t');
		else if (((unsigned char)line[i] & 0xC0) != 0x80)
			strbuf_addch(out, ' ');
	}
	if (color)
		strbuf_addstr(out, SGR_CARET);
	strbuf_addch(out, '^');
	/* Underline the rest of the span, but not past the end of what is shown. */
	span_end = col_bytes + loc.length;
	if (span_end > last)
		span_end = last;
	underline = span_end > col_bytes ? char_count(line + col_bytes, span_end - col_bytes) : 0;
	underline = underline ? underline - 1 : 0;
	strbuf_addchars(out, '~', underline);
	if (color)
		strbuf_addstr(out, SGR_RESET);
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

/* One diagnostic, with GCC's colours when color is set. */
static void format_one(struct strbuf *out, const struct diag *d, bool color)
{
	const char *sev = d->severity == DIAG_ERROR ? "error" : "warning";
	const char *on = !color ? "" : d->severity == DIAG_ERROR ? SGR_ERROR : SGR_WARNING;
	const char *off = color ? SGR_RESET : "";

	if (d->loc.src) {
		struct position pos = source_locate(d->loc.src, d->loc.offset);
		strbuf_addstr(out, color ? SGR_LOCUS : "");
		diag_escape(out, d->loc.src->name);
		strbuf_addf(out, ":%u:%u:%s %s%s:%s ", pos.line, pos.column, off, on, sev, off);
		diag_escape(out, d->message);
		add_code(out, d);
		strbuf_addch(out, '\n');
		format_excerpt(out, d->loc, color);
	} else {
		strbuf_addf(out, "ecsgen: %s%s:%s ", on, sev, off);
		diag_escape(out, d->message);
		add_code(out, d);
		strbuf_addch(out, '\n');
	}
	if (d->hint) {
		strbuf_addf(out, "%shint:%s ", color ? SGR_HINT : "", off);
		diag_escape(out, d->hint);
		strbuf_addch(out, '\n');
	}
	if (d->note) {
		struct position pos = source_locate(d->note_loc.src, d->note_loc.offset);
		strbuf_addstr(out, color ? SGR_LOCUS : "");
		diag_escape(out, d->note_loc.src->name);
		strbuf_addf(out, ":%u:%u:%s %snote:%s ", pos.line, pos.column, off,
			    color ? SGR_NOTE : "", off);
		diag_escape(out, d->note);
		strbuf_addch(out, '\n');
		format_excerpt(out, d->note_loc, color);
	}
}

void diag_format(struct strbuf *out, const struct diag *d)
{
	format_one(out, d, false);
}

void diag_print(struct diag_list *list, FILE *out, bool quiet)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	diag_sort(list);
	/* One at a time: the memory is one diagnostic's, whatever the count. */
	for (i = 0; i < list->n; i++) {
		if (quiet && list->items[i].severity != DIAG_ERROR)
			continue;
		strbuf_reset(&sb);
		format_one(&sb, &list->items[i], list->color);
		fwrite(sb.buf, 1, sb.len, out);
	}
	if (list->dropped_errors)
		fprintf(out, "ecsgen: %u more error%s not shown (--max-errors=%u)\n",
			list->dropped_errors, list->dropped_errors == 1 ? "" : "s", list->max_errors);
	if (list->dropped_warnings && !quiet)
		fprintf(out, "ecsgen: %u more warning%s not shown (--max-errors=%u)\n",
			list->dropped_warnings, list->dropped_warnings == 1 ? "" : "s", list->max_errors);
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
