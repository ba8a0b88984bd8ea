/*
 * mkman_outputs.c - the generated files as the docs list them: each row of
 * emitters/registry.c, and under a pattern row (scripts/NAME.sh) each file it
 * makes, described by the first sentence of its template's header comment.
 */
#include "config.h"

#include <string.h>

#include "emitter.h"
#include "mkman.h"
#include "tpl_int.h"

/*
 * The first sentence of a script template's header: the text after
 * "# NAME - " on the second line, joined over the comment lines that follow,
 * up to the first full stop that ends a sentence.  "" when there is none.
 */
static void header_sentence(struct strbuf *out, const struct tpl_embedded *file)
{
	const char *p = (const char *)file->data, *end = p + file->len, *dash;
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	if (!nl || nl + 2 >= end || nl[1] != '#' || nl[2] != ' ')
		return;
	p = nl + 3;
	nl = memchr(p, '\n', (size_t)(end - p));
	/* The name may hold hyphens: the separator is " - ". */
	for (dash = p; dash + 3 <= (nl ? nl : end) && memcmp(dash, " - ", 3); dash++)
		;
	if (dash + 3 > (nl ? nl : end))
		return;
	p = dash + 3;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;

		if (!eol)
			eol = end;
		for (q = p; q < eol; q++) {
			if (*q == '.' && (q + 1 == eol || q[1] == ' ')) {
				strbuf_add(out, p, (size_t)(q - p));
				return;
			}
		}
		strbuf_add(out, p, (size_t)(eol - p));
		/* The next line goes on only as more comment text. */
		if (eol + 2 >= end || eol[1] != '#' || eol[2] != ' ')
			return;
		strbuf_addch(out, ' ');
		p = eol + 3;
	}
}

/* Whether a template row is a pattern (scripts/NAME.sh.tpl for each NAME); *len: its folder's length. */
static int pattern_folder(const struct emitter *row, size_t *len)
{
	const char *star;

	if (!row->template || !(star = strchr(row->template, '*')))
		return 0;
	*len = (size_t)(star - row->template);
	return 1;
}

void docs_each_output(void (*fn)(void *ctx, const char *path, const char *description, int member), void *ctx)
{
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	size_t i, j, folder;

	for (i = 0; i < emitter_registry_count; i++) {
		const struct emitter *row = &emitter_registry[i];
		const char *suffix;

		fn(ctx, row->path, row->description, 0);
		if (!pattern_folder(row, &folder))
			continue;
		suffix = strchr(row->template, '*') + 1;
		for (j = 0; j < tpl_embedded_count; j++) {
			const struct tpl_embedded *file = &tpl_embedded_files[j];
			size_t n = strlen(file->name), slen = strlen(suffix);

			if (strncmp(file->name, row->template, folder) || strchr(file->name + folder, '/') ||
			    n < folder + slen || strcmp(file->name + n - slen, suffix))
				continue;
			/* scripts/ami.sh.tpl -> scripts/ami.sh: the row's path with the stem for its star. */
			strbuf_reset(&path);
			strbuf_add(&path, row->path, (size_t)(strchr(row->path, '*') - row->path));
			strbuf_add(&path, file->name + folder, n - folder - slen);
			strbuf_addstr(&path, strchr(row->path, '*') + 1);
			strbuf_reset(&text);
			header_sentence(&text, file);
			fn(ctx, path.buf, text.buf, 1);
		}
	}
	strbuf_release(&path);
	strbuf_release(&text);
}
