/*
 * mkman.c - writes man/ecsgen.1 from man/ecsgen.1.in and the schema table,
 * the diagnostics table and the table of outputs, so the man page never
 * disagrees with the checker or the emitters.  --outputs-markdown prints the
 * outputs as the README's table.
 *
 * Usage: mkman VERSION < ecsgen.1.in > ecsgen.1
 *        mkman --outputs-markdown
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emitter.h"
#include "schema.h"
#include "strbuf.h"
#include "xalloc.h"

/* Escape for roff: backslashes, and a leading dot or quote. */
static void roff(struct strbuf *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		strbuf_addstr(out, "\\&");
	for (; *s; s++) {
		if (*s == '\\')
			strbuf_addstr(out, "\\e");
		else if (*s == '-')
			strbuf_addstr(out, "\\-");
		else
			strbuf_addch(out, *s);
	}
}

static void add_key(void *ctx, const struct schema_key *key, const char *path, const char *type)
{
	struct strbuf *out = ctx;

	strbuf_addstr(out, ".TP\n.B ");
	roff(out, path);
	strbuf_addstr(out, "\n(");
	roff(out, type);
	if (key->flags & SCHEMA_REQUIRED)
		strbuf_addstr(out, ", required");
	if (key->default_value) {
		strbuf_addstr(out, ", default ");
		roff(out, key->default_value);
	}
	if ((key->type == SCHEMA_STRING_LIST || key->type == SCHEMA_OBJECT_LIST ||
	     key->type == SCHEMA_STRING_MAP) && key->min <= key->max)
		strbuf_addf(out, ", at most %lld", key->max);
	strbuf_addstr(out, ") ");
	roff(out, key->description);
	strbuf_addch(out, '\n');
}

/* roff() of a description that marks code with `backticks`: bold. */
static void roff_md(struct strbuf *out, const char *s)
{
	bool bold = false;
	const char *tick;

	while ((tick = strchr(s, '`'))) {
		char *part = xstrndup(s, (size_t)(tick - s));
		roff(out, part);
		free(part);
		strbuf_addstr(out, bold ? "\\fR" : "\\fB");
		bold = !bold;
		s = tick + 1;
	}
	roff(out, s);
	if (bold)
		strbuf_addstr(out, "\\fR");
}

/* The table of outputs (emitters/registry.c), one tagged paragraph a row. */
static void add_outputs(struct strbuf *out)
{
	size_t i;

	for (i = 0; i < emitter_registry_count; i++) {
		strbuf_addstr(out, ".TP\n.B ");
		roff(out, emitter_registry[i].path);
		strbuf_addch(out, '\n');
		roff_md(out, emitter_registry[i].description);
		strbuf_addch(out, '\n');
	}
}

/* The same table in Markdown, for the README (tests/docs.test compares). */
static int outputs_markdown(void)
{
	size_t i;

	printf("| file | what |\n|---|---|\n");
	for (i = 0; i < emitter_registry_count; i++)
		printf("| `%s` | %s |\n", emitter_registry[i].path, emitter_registry[i].description);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}

/* The diagnostics table (diag_codes.h), one tagged paragraph a row. */
static void add_codes(struct strbuf *out)
{
	int i;

	for (i = 0; i < DIAG__COUNT; i++) {
		strbuf_addstr(out, ".TP\n.B ");
		roff(out, diag_codes[i].name);
		strbuf_addstr(out, diag_codes[i].severity == DIAG_ERROR ? "\n(error) " : "\n(warning) ");
		roff(out, diag_codes[i].description);
		strbuf_addch(out, '\n');
	}
}

int main(int argc, char **argv)
{
	struct strbuf keys = STRBUF_INIT, codes = STRBUF_INIT, outputs = STRBUF_INIT;
	char line[4096];

	if (argc == 2 && !strcmp(argv[1], "--outputs-markdown"))
		return outputs_markdown();
	if (argc != 2) {
		fprintf(stderr, "usage: mkman VERSION < ecsgen.1.in > ecsgen.1\n"
				"       mkman --outputs-markdown\n");
		return 2;
	}
	schema_each_key(&schema_root, add_key, &keys);
	add_codes(&codes);
	add_outputs(&outputs);
	while (fgets(line, sizeof line, stdin)) {
		char *at = strstr(line, "@VERSION@");
		if (!strcmp(line, "@KEYS@\n")) {
			fputs(keys.buf, stdout);
		} else if (!strcmp(line, "@DIAGNOSTICS@\n")) {
			fputs(codes.buf, stdout);
		} else if (!strcmp(line, "@OUTPUTS@\n")) {
			fputs(outputs.buf, stdout);
		} else if (at) {
			fwrite(line, 1, (size_t)(at - line), stdout);
			fputs(argv[1], stdout);
			fputs(at + strlen("@VERSION@"), stdout);
		} else {
			fputs(line, stdout);
		}
	}
	strbuf_release(&keys);
	strbuf_release(&codes);
	strbuf_release(&outputs);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
