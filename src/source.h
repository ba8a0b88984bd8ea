/*
 * source.h - input texts and compact locations into them.
 *
 * A struct source is one text ecsgen reads: infra.yml, the user_data file it
 * names, or a template.  A struct loc is a byte offset and length into one
 * source; line and column are computed only when a diagnostic is printed,
 * from a line map built once per source on first use (the source's one
 * cache: filled through a pointer, never by casting a const source).
 *
 * Sources live in the compilation arena (nobody frees them).  Columns are
 * 1-based and count UTF-8 characters, not bytes, so a caret lines up under
 * the character a terminal shows.
 */
#ifndef ECSGEN_SOURCE_H
#define ECSGEN_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct loc {
	const struct source *src; /* NULL: no location (a whole-run diagnostic) */
	uint32_t offset;
	uint32_t length;
};

struct source {
	struct arena *arena; /* owns the text and the line map */
	const char *name;  /* as shown in diagnostics: "infra.yml", "templates/Makefile.tpl" */
	const char *text;  /* NUL-terminated; may contain other NULs (checked by the front end) */
	size_t len;
	struct line_map *lines; /* built by the first lookup */
	/*
	 * NULL for a file.  Otherwise this source is base seen through a YAML
	 * alias: the nodes an alias copies from its anchor keep their places in
	 * base's text (the same text, name and line map) but name this source,
	 * so a diagnostic on one is reported at the alias, with a note at the
	 * text (diag.c).  alias is the alias's own place, in base.
	 */
	const struct source *base;
	struct loc alias;
};

struct line_map {
	const size_t *starts; /* where each line begins; NULL until built */
	size_t n;
};


struct position {
	unsigned line;   /* 1-based */
	unsigned column; /* 1-based, in characters */
};

/* A source over text already in memory (copied into the arena). */
struct source *source_from_memory(struct arena *arena, const char *name,
				  const char *text, size_t len);
/* The same over NUL-terminated text that outlives the arena (the embedded templates): not copied. */
struct source *source_from_static(struct arena *arena, const char *name,
				  const char *text, size_t len);

/*
 * Read path ("-" is standard input) into a new source named display_name.
 * Returns NULL and sets errno on an I/O error; max_bytes bounds the size
 * (errno EFBIG past it).
 */
struct source *source_read_file(struct arena *arena, const char *path,
				const char *display_name, size_t max_bytes);

/* base seen through the alias written at alias (see struct source). */
struct source *source_alias_view(struct arena *arena, const struct source *base, struct loc alias);

struct loc loc_make(const struct source *src, size_t offset, size_t length);
struct loc loc_none(void);
bool loc_is_set(struct loc loc);

struct position source_locate(const struct source *src, size_t offset);
/* The 1-based line alone: O(log lines), where a column costs the line's length. */
unsigned source_line_number(const struct source *src, size_t offset);

/* The line map (built now if need be): where each line starts, for the loader. */
const struct line_map *source_lines(const struct source *src);

/* The line holding offset, without its newline. */
const char *source_line(const struct source *src, size_t offset, size_t *len);

#endif
