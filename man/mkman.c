/*
 * mkman.c - writes man/ecsgen.1 from man/ecsgen.1.in and the schema table,
 * so the man page's key tables never disagree with the checker.
 *
 * Usage: mkman VERSION < ecsgen.1.in > ecsgen.1
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "schema.h"
#include "strbuf.h"

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
	if ((key->type == SCHEMA_STRING_LIST || key->type == SCHEMA_OBJECT_LIST) && key->min <= key->max)
		strbuf_addf(out, ", at most %lld", key->max);
	strbuf_addstr(out, ") ");
	roff(out, key->description);
	strbuf_addch(out, '\n');
}

int main(int argc, char **argv)
{
	struct strbuf keys = STRBUF_INIT;
	char line[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: mkman VERSION < ecsgen.1.in > ecsgen.1\n");
		return 2;
	}
	schema_each_key(&schema_root, add_key, &keys);
	while (fgets(line, sizeof line, stdin)) {
		char *at = strstr(line, "@VERSION@");
		if (!strcmp(line, "@KEYS@\n")) {
			fputs(keys.buf, stdout);
		} else if (at) {
			fwrite(line, 1, (size_t)(at - line), stdout);
			fputs(argv[1], stdout);
			fputs(at + strlen("@VERSION@"), stdout);
		} else {
			fputs(line, stdout);
		}
	}
	strbuf_release(&keys);
	return ferror(stdout) || fclose(stdout) ? 1 : 0;
}
