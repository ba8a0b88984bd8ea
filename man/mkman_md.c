/*
 * mkman_md.c - the README's generated blocks in Markdown: the table of
 * outputs (emitters/registry.c) and the infra.yml reference (src/schema.c),
 * and the rewrite of README.md between their markers (`make docs`).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emitter.h"
#include "mkman.h"
#include "xalloc.h"

/*
 * Escape for a cell of a GFM table: `code spans` are kept (a | in one is
 * still \|, as GFM splits cells first), and outside them every character
 * Markdown or HTML could take as syntax is backslash-escaped; a line break
 * becomes a space.
 */
static void md_cell(struct strbuf *out, const char *s)
{
	int code = 0;

	for (; *s; s++) {
		if (*s == '`') {
			code = !code;
			strbuf_addch(out, '`');
		} else if (*s == '|') {
			strbuf_addstr(out, "\\|");
		} else if (*s == '\n' || *s == '\r') {
			strbuf_addch(out, ' ');
		} else if (!code && strchr("\\*_[]<>&#!~", *s)) {
			strbuf_addch(out, '\\');
			strbuf_addch(out, *s);
		} else {
			strbuf_addch(out, *s);
		}
	}
	if (code) /* an unclosed span would swallow the rest of the row */
		strbuf_addch(out, '`');
}

/* Inside a `code span` only | needs escaping (GFM splits cells first). */
static void md_code(struct strbuf *out, const char *s)
{
	strbuf_addch(out, '`');
	for (; *s; s++) {
		if (*s == '|')
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s == '`' || *s == '\n' ? ' ' : *s);
	}
	strbuf_addch(out, '`');
}

static void add_output(void *ctx, const char *path, const char *description, int member)
{
	struct strbuf *out = ctx;

	strbuf_addstr(out, member ? "| &nbsp;&nbsp;" : "| ");
	md_code(out, path);
	strbuf_addstr(out, " | ");
	md_cell(out, description);
	strbuf_addstr(out, " |\n");
}

void md_outputs(struct strbuf *out)
{
	strbuf_addstr(out, "| file | what |\n|---|---|\n");
	docs_each_output(add_output, out);
}

static void add_section(void *ctx, const struct schema_object *obj, const struct schema_key *parent)
{
	struct strbuf *out = ctx, cell = STRBUF_INIT;
	size_t i;

	strbuf_addstr(out, "\n#### ");
	if (obj->path && *obj->path)
		md_code(out, obj->path);
	else
		md_cell(out, "The top level");
	strbuf_addstr(out, "\n\n");
	if (parent) {
		md_cell(out, parent->description);
		strbuf_addstr(out, ".\n\n");
	}
	strbuf_addstr(out, "| key | type | required | default | description |\n|---|---|---|---|---|\n");
	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_key *key = &obj->keys[i];

		if (!docs_key_shown(key))
			continue;
		strbuf_addstr(out, "| ");
		md_code(out, key->name);
		strbuf_addstr(out, " | ");
		strbuf_reset(&cell);
		docs_key_type(&cell, key);
		md_cell(out, cell.buf);
		strbuf_addstr(out, key->flags & SCHEMA_REQUIRED ? " | yes | " : " | no | ");
		strbuf_reset(&cell);
		docs_key_default(&cell, key);
		md_cell(out, cell.buf);
		strbuf_addstr(out, " | ");
		md_cell(out, key->description);
		if (key->flags & SCHEMA_IGNORED)
			strbuf_addstr(out, " (a warning)");
		strbuf_addstr(out, " |\n");
	}
	strbuf_release(&cell);
}

void md_reference(struct strbuf *out)
{
	docs_each_section(add_section, out);
}

/* The generated blocks: the line that opens each, the line that closes it. */
static const struct block {
	const char *begin, *end;
	void (*make)(struct strbuf *);
} blocks[] = {
	{ "<!-- outputs: generated", "<!-- outputs end -->", md_outputs },
	{ "<!-- BEGIN infra.yml reference", "<!-- END infra.yml reference -->", md_reference },
};

static char *slurp(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		fclose(f);
		strbuf_release(&sb);
		return NULL;
	}
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

/* Replace what lies between the lines that start with b->begin and b->end. */
static int replace_block(struct strbuf *out, const char *text, const struct block *b, const char *path)
{
	const char *open = text, *body, *close;
	struct strbuf made = STRBUF_INIT;

	while ((open = strstr(open, b->begin)) && open != text && open[-1] != '\n')
		open++;
	if (!open || !(body = strchr(open, '\n'))) {
		fprintf(stderr, "mkman: %s: no line starting '%s'\n", path, b->begin);
		return 1;
	}
	body++;
	close = body;
	while ((close = strstr(close, b->end)) && close[-1] != '\n')
		close++;
	if (!close) {
		fprintf(stderr, "mkman: %s: no line '%s' after '%s'\n", path, b->end, b->begin);
		return 1;
	}
	b->make(&made);
	strbuf_add(out, text, (size_t)(body - text));
	strbuf_addstr(out, made.buf);
	strbuf_addstr(out, close);
	strbuf_release(&made);
	return 0;
}

int md_update(const char *path)
{
	char *text = slurp(path), *tmp;
	struct strbuf out = STRBUF_INIT;
	size_t i;
	FILE *f;
	int bad = 0;

	if (!text) {
		fprintf(stderr, "mkman: cannot read %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof blocks / sizeof blocks[0] && !bad; i++) {
		strbuf_reset(&out);
		bad = replace_block(&out, text, &blocks[i], path);
		free(text);
		text = xstrdup(out.buf);
	}
	strbuf_release(&out);
	if (bad) {
		free(text);
		return 1;
	}
	tmp = xmalloc(strlen(path) + 5);
	sprintf(tmp, "%s.new", path);
	f = fopen(tmp, "wb");
	if (f && fputs(text, f) == EOF) {
		fclose(f);
		f = NULL;
	}
	if (!f || fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "mkman: cannot write %s: %s\n", path, strerror(errno));
		remove(tmp);
		bad = 1;
	}
	free(tmp);
	free(text);
	return bad;
}
