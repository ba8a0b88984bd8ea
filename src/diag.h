/*
 * diag.h - diagnostics: collected in a list, sorted, printed once.
 *
 * Every stage appends to the driver's struct diag_list and goes on, so one
 * run reports every error of a file.  The driver sorts the list by (file,
 * offset, order of discovery) and prints it once; the error count alone
 * decides exit status 1.  Tests read the list instead of stderr.
 *
 * A location in an alias's view of the file (source.h) is reported at the
 * alias, with a note at the text the alias repeats:
 *
 *	infra.yml:20:9: error: 'max_weight' must be between 0 and 10000, not 20000 [range]
 *	   20 |     <<: *fleet
 *	      |         ^~~~~~
 *	infra.yml:9:17: note: '*fleet' repeats the value written here
 *	    9 |     max_weight: 20000
 *	      |                 ^~~~~
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

#include "diag_codes.h"
#include "source.h"

struct arena;
struct strbuf;

enum diag_severity {
	DIAG_ERROR,
	DIAG_WARNING,
};

/* DIAG_UNKNOWN_KEY, ...: one per row of diag_codes.h. */
enum diag_code {
#define X(id, sev, name, desc) DIAG_##id,
	DIAG_CODES(X)
#undef X
	DIAG__COUNT
};

struct diag_code_info {
	const char *name;            /* "unknown-key": the -W name and SARIF rule id */
	enum diag_severity severity; /* the default */
	const char *description;
};

extern const struct diag_code_info diag_codes[DIAG__COUNT];

/* Look a code up by its name; -1 when there is none. */
int diag_code_find(const char *name);

/* What -W options made of a warning. */
enum diag_policy {
	DIAG_POLICY_DEFAULT,
	DIAG_POLICY_OFF,   /* -Wno-NAME: not reported */
	DIAG_POLICY_ERROR, /* -Werror=NAME or -Werror: reported as an error */
};

struct diag {
	enum diag_code code;
	enum diag_severity severity;
	bool promoted;    /* a warning made an error by -Werror */
	struct loc loc;
	const char *message;
	const char *hint; /* NULL when none */
	/*
	 * A place that explains the diagnostic, printed after it: for one
	 * reported on a value an alias repeats, loc is the alias and the note
	 * is at the value's text in the anchor.  note NULL when none.
	 */
	struct loc note_loc;
	const char *note;
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
	unsigned char policy[DIAG__COUNT]; /* enum diag_policy, for warnings */
	bool all_errors;                   /* -Werror */
	bool color;                        /* diag_print: GCC's colours (--color) */
	/*
	 * A diagnostic the same as one kept (code, place, message) is not
	 * kept or counted again: set when several trees share nodes
	 * (environments over one infra.yml).
	 */
	bool unique;
};

void diag_list_init(struct diag_list *list, struct arena *arena);
/* Apply -W options before anything is reported. */
void diag_set_policy(struct diag_list *list, enum diag_code code, enum diag_policy policy);
void diag_list_release(struct diag_list *list);

/*
 * Append a diagnostic of the given code (an ERROR row for diag_error, a
 * WARNING row for diag_warning).  diag_error returns -1 so that
 * `return diag_error(...)` reads well.
 */
int diag_error(struct diag_list *list, enum diag_code code, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int diag_verror(struct diag_list *list, enum diag_code code, struct loc loc, const char *fmt,
		va_list ap);
void diag_warning(struct diag_list *list, enum diag_code code, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Attach a hint to the diagnostic appended last. */
void diag_hint(struct diag_list *list, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void diag_sort(struct diag_list *list);

/* One diagnostic as printed: header, source line, caret, hint. */
void diag_format(struct strbuf *out, const struct diag *d);
/* Sort, then print every diagnostic kept (warnings too unless quiet) and
 * how many more there were. */
void diag_print(struct diag_list *list, FILE *out, bool quiet);
/* s as the text format quotes it: control characters as \xNN, \t, \n, \r, \u0080-\u009F. */
void diag_escape(struct strbuf *out, const char *s);

/* --diagnostics-format: the text above, or for tools (diag_report.c). */
enum diag_format {
	DIAG_FORMAT_TEXT,
	DIAG_FORMAT_JSON,  /* {"diagnostics": [{code, severity, message, file, line, column, end_column, hint, note}], ...} */
	DIAG_FORMAT_SARIF, /* SARIF 2.1.0, one rule per diagnostic code */
	DIAG_FORMAT_JUNIT, /* JUnit XML, one test case per diagnostic */
};

/* "json" -> DIAG_FORMAT_JSON; -1 when unknown. */
int diag_format_find(const char *name);
/* Sort, then print the list in the format; the cap (max_errors) applies to each. */
void diag_report(struct diag_list *list, FILE *out, enum diag_format format, bool quiet);

/* The table, for --list-warnings: name, default severity, description. */
void diag_list_codes(struct strbuf *out);

#endif
