/*
 * mkman.c - writes the man pages from their .in files and the tables (the
 * schema, the diagnostics, the outputs), so no page disagrees with the
 * checker or the emitters; with --update-readme, rewrites README.md's
 * generated blocks the same way (mkman_md.c).
 *
 * Usage: mkman VERSION < ecsgen.1.in > ecsgen.1     (and infra.yml.5.in)
 *        mkman --outputs-markdown | --reference-markdown
 *        mkman --update-readme README.md
 *
 * In a .in file these lines are replaced: @KEYS@ (every key, one tagged
 * paragraph each), @REFERENCE@ (the same, one subsection per object, with
 * required and default), @DIAGNOSTICS@, @OUTPUTS@; @VERSION@ anywhere.
 * Generated text lines are folded to at most 80 bytes (mandoc -T lint).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emitter.h"
#include "mkman.h"
#include "xalloc.h"

enum { WIDTH = 79 };

/* Escape for roff: backslashes and dashes; `backticks` mark bold when md. */
static void roff_escape(struct strbuf *out, const char *s, bool md)
{
	bool bold = false;

	for (; *s; s++) {
		if (*s == '\\')
			strbuf_addstr(out, "\\e");
		else if (*s == '-')
			strbuf_addstr(out, "\\-");
		else if (*s == '\n')
			strbuf_addch(out, ' ');
		else if (md && *s == '`') {
			strbuf_addstr(out, bold ? "\\fR" : "\\fB");
			bold = !bold;
		} else
			strbuf_addch(out, *s);
	}
	if (bold)
		strbuf_addstr(out, "\\fR");
}

/* Append text as filled lines of at most WIDTH bytes, broken at spaces. */
static void roff_text(struct strbuf *out, const char *s, bool md)
{
	struct strbuf esc = STRBUF_INIT;
	const char *p, *end;

	roff_escape(&esc, s, md);
	for (p = esc.buf; *p == ' '; p++)
		;
	while (*p) {
		const char *cut = NULL, *q;
		size_t len = strlen(p);

		if (len <= WIDTH) {
			end = p + len;
		} else {
			for (q = p; q < p + WIDTH + 1 && *q; q++)
				if (*q == ' ')
					cut = q;
			if (!cut) /* one word longer than a line: keep it whole */
				cut = strchr(p + WIDTH, ' ');
			end = cut ? cut : p + len;
		}
		if (*p == '.' || *p == '\'')
			strbuf_addstr(out, "\\&");
		strbuf_add(out, p, (size_t)(end - p));
		strbuf_addch(out, '\n');
		for (p = end; *p == ' '; p++)
			;
	}
	strbuf_release(&esc);
}

/* A tagged paragraph: .TP, the bold tag, then the text. */
static void roff_tagged(struct strbuf *out, const char *tag, const char *text, bool md)
{
	strbuf_addstr(out, ".TP\n.B ");
	roff_escape(out, tag, false);
	strbuf_addch(out, '\n');
	roff_text(out, text, md);
}

static void add_key(void *ctx, const struct schema_key *key, const char *path, const char *type)
{
	struct strbuf *out = ctx, text = STRBUF_INIT;

	(void)type;
	strbuf_addch(&text, '(');
	docs_key_type(&text, key);
	if (key->flags & SCHEMA_REQUIRED)
		strbuf_addstr(&text, ", required");
	if (key->default_value) {
		strbuf_addstr(&text, ", default ");
		docs_key_default(&text, key);
	}
	strbuf_addf(&text, ") %s", key->description);
	roff_tagged(out, path, text.buf, true);
	strbuf_release(&text);
}

/* One subsection per object: its keys, each with type, required, default. */
static void add_section(void *ctx, const struct schema_object *obj, const struct schema_key *parent)
{
	struct strbuf *out = ctx, text = STRBUF_INIT;
	size_t i;

	strbuf_addstr(out, ".SS ");
	roff_escape(out, docs_section_title(obj), false);
	strbuf_addch(out, '\n');
	if (parent) {
		strbuf_addf(&text, "%s.", parent->description);
		roff_text(out, text.buf, true);
	}
	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_key *key = &obj->keys[i];

		if (!docs_key_shown(key))
			continue;
		strbuf_reset(&text);
		docs_key_type(&text, key);
		strbuf_addstr(&text, key->flags & SCHEMA_REQUIRED ? "; required" : "; optional");
		if (key->default_value) {
			strbuf_addstr(&text, "; default ");
			docs_key_default(&text, key);
		}
		strbuf_addf(&text, ".  %s", key->description);
		if (key->flags & SCHEMA_IGNORED)
			strbuf_addstr(&text, " (a warning)");
		strbuf_addch(&text, '.');
		roff_tagged(out, key->name, text.buf, true);
	}
	strbuf_release(&text);
}

/* The table of outputs (emitters/registry.c), one tagged paragraph a file. */
static void add_output(void *ctx, const char *path, const char *description, int member)
{
	(void)member;
	roff_tagged(ctx, path, description, true);
}

static void add_outputs(struct strbuf *out)
{
	docs_each_output(add_output, out);
}

/* The diagnostics table (diag_codes.h), one tagged paragraph a row. */
static void add_codes(struct strbuf *out)
{
	struct strbuf text = STRBUF_INIT;
	int i;

	for (i = 0; i < DIAG__COUNT; i++) {
		strbuf_reset(&text);
		strbuf_addf(&text, "(%s) %s", diag_codes[i].severity == DIAG_ERROR ? "error" : "warning",
			    diag_codes[i].description);
		roff_tagged(out, diag_codes[i].name, text.buf, false);
	}
	strbuf_release(&text);
}

static int print_markdown(void (*make)(struct strbuf *))
{
	struct strbuf out = STRBUF_INIT;

	make(&out);
	fputs(out.buf, stdout);
	strbuf_release(&out);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct strbuf keys = STRBUF_INIT, ref = STRBUF_INIT, codes = STRBUF_INIT, outputs = STRBUF_INIT;
	char line[4096];

	if (argc == 2 && !strcmp(argv[1], "--outputs-markdown"))
		return print_markdown(md_outputs);
	if (argc == 2 && !strcmp(argv[1], "--reference-markdown"))
		return print_markdown(md_reference);
	if (argc == 3 && !strcmp(argv[1], "--update-readme"))
		return md_update(argv[2]);
	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mkman VERSION < PAGE.in > PAGE\n"
				"       mkman --outputs-markdown | --reference-markdown\n"
				"       mkman --update-readme README.md\n");
		return 2;
	}
	schema_each_key(&schema_root, add_key, &keys);
	docs_each_section(add_section, &ref);
	add_codes(&codes);
	add_outputs(&outputs);
	while (fgets(line, sizeof line, stdin)) {
		char *at = strstr(line, "@VERSION@");
		if (!strcmp(line, "@KEYS@\n")) {
			fputs(keys.buf, stdout);
		} else if (!strcmp(line, "@REFERENCE@\n")) {
			fputs(ref.buf, stdout);
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
	strbuf_release(&ref);
	strbuf_release(&codes);
	strbuf_release(&outputs);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
