/*
 * diag.h - diagnostics: collected in a list, sorted, printed once.
 *
 * Every stage appends to the driver's struct diag_list and goes on, so one
 * run reports every error of a file.  The driver sorts the list by (file,
 * offset, order of discovery) and prints it once; the error count alone
 * decides exit status 1.  Tests read the list instead of stderr.
 *
 * Message style (git, GCC): lower-case first word, no full stop, quote the
 * subject with '...', say what is wrong first.  A hint goes on its own line.
 *
 *	infra.yml:12:7: error: unknown key 'max_wieght'
 *	   12 |       max_wieght: 16
 *	      |       ^~~~~~~~~~
 *	hint: did you mean 'max_weight'?
 *
 * Strings are copied into the list's arena; the items array is freed by
 * diag_list_release().
 *
 * Bounded on hostile input: the list keeps at most max_errors errors and as
 * many warnings (the first by place, as printed), counting the others, so a
 * file with 8,000 mistakes costs no more memory or output than one with 50.
 * Printing shows at most DIAG_EXCERPT_COLUMNS characters of a source line
 * around the caret and escapes control characters in messages, so a value
 * quoted from infra.yml cannot drive the terminal.
 */
#ifndef ECSGEN_DIAG_H
#define ECSGEN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "source.h"

struct arena;
struct strbuf;

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag {
	enum diag_severity severity;
	struct loc loc;
	const char *message;
	const char *hint; /* NULL when none */
	size_t order;     /* discovery order: ties in the sort keep it */
};

enum {
	DIAG_MAX_ERRORS_DEFAULT = 50, /* --max-errors; 0 keeps every one */
	DIAG_EXCERPT_COLUMNS = 160,
};

struct diag_list {
	struct arena *arena;
	struct diag *items;
	size_t n, alloc;
	unsigned nerrors, nwarnings;   /* every one reported, kept or not */
	unsigned max_errors;           /* DIAG_MAX_ERRORS_DEFAULT after init */
	unsigned dropped_errors, dropped_warnings;
	size_t last;                   /* items[] index of the last one, or (size_t)-1 if dropped */
};

void diag_list_init(struct diag_list *list, struct arena *arena);
void diag_list_release(struct diag_list *list);

/* Append an error; returns -1 so that `return diag_error(...)` reads well. */
int diag_error(struct diag_list *list, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int diag_verror(struct diag_list *list, struct loc loc, const char *fmt, va_list ap);
void diag_warning(struct diag_list *list, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Attach a hint to the diagnostic appended last. */
void diag_hint(struct diag_list *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void diag_sort(struct diag_list *list);

/* One diagnostic as printed: header, source line, caret, hint. */
void diag_format(struct strbuf *out, const struct diag *d);
/* Sort, then print every diagnostic kept (warnings too unless quiet) and
 * how many more there were. */
void diag_print(struct diag_list *list, FILE *out, bool quiet);

#endif
