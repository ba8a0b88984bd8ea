/* tpl_set.c - the run's set of templates and assets: the embedded files, each possibly overridden from --template-dir. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "bug.h"
#include "diag.h"
#include "schema.h"
#include "source.h"
#include "strbuf.h"
#include "suggest.h"
#include "tpl.h"
#include "tpl_int.h"

/* Templates and overrides are small; anything bigger is a mistake.  The
 * embedded tree is two folders deep: a deeper override tree is a mistake. */
enum { TPL_MAX_BYTES = 4 << 20, TPL_DIR_MAX_DEPTH = 8 };

struct tpl_entry {
	const char *name;
	const char *data;   /* an asset's bytes (NUL-terminated) */
	size_t len;
	struct tpl *tpl;    /* a template, compiled */
};

struct tpl_set {
	struct arena *arena;
	bool io_error;
	struct tpl_entry *entries; /* sorted by name, as embedded.c lists them */
	const char **names;
	size_t n;
};

static bool is_template(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && !strcmp(name + n - 4, ".tpl");
}

static struct tpl_entry *find(const struct tpl_set *set, const char *name)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, set->entries[mid].name);
		if (!c)
			return &set->entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static void io_error(struct tpl_set *set, struct diag_list *diags, const char *fmt, const char *path,
		     const char *why)
{
	diag_error(diags, DIAG_TEMPLATE, loc_none(), fmt, path, why);
	set->io_error = true;
}

/*
 * Every file under dir/rel must name an embedded file: a typo would be
 * ignored otherwise.  lstat, not stat: a symbolic link to a file is read
 * (as an override), one to a folder is refused, never walked.
 */
static void check_overrides(struct tpl_set *set, struct diag_list *diags, const char *dir,
			    const char *rel, int depth)
{
	char *path = arena_printf(set->arena, "%s%s%s", dir, *rel ? "/" : "", rel);
	struct dirent *de;
	DIR *d;

	if (depth > TPL_DIR_MAX_DEPTH) {
		io_error(set, diags, "template folder '%s' is nested deeper than %s levels", path, "8");
		return;
	}
	d = opendir(path);
	if (!d) {
		io_error(set, diags, "cannot read template folder '%s': %s", path, strerror(errno));
		return;
	}
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		char *sub, *full;
		struct stat st;

		if (name[0] == '.')
			continue;
		sub = arena_printf(set->arena, "%s%s%s", rel, *rel ? "/" : "", name);
		full = arena_printf(set->arena, "%s/%s", dir, sub);
		if (lstat(full, &st))
			continue;
		if (S_ISLNK(st.st_mode) && !stat(full, &st) && S_ISDIR(st.st_mode)) {
			io_error(set, diags, "'%s' is a symbolic link to a folder%s", full,
				 ": ecsgen does not follow those in --template-dir");
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			check_overrides(set, diags, dir, sub, depth + 1);
		} else if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			io_error(set, diags, "'%s' is not a regular file%s", full, "");
		} else if (!find(set, sub)) {
			const char *best = suggest_closest(sub, set->names, set->n);
			diag_error(diags, DIAG_TEMPLATE, loc_none(), "'%s/%s' overrides no template or asset", dir, sub);
			if (best)
				diag_hint(diags, "did you mean '%s'?", best);
		}
	}
	closedir(d);
}

struct tpl_set *tpl_set_load(struct arena *arena, struct diag_list *diags, const char *override_dir,
			     bool *io_failed)
{
	struct tpl_set *set = arena_alloc(arena, sizeof *set);
	unsigned before = diags->nerrors;
	size_t i;

	set->arena = arena;
	set->n = tpl_embedded_count;
	set->entries = arena_array(arena, set->n + 1, sizeof *set->entries);
	set->names = arena_array(arena, set->n + 1, sizeof *set->names);
	for (i = 0; i < set->n; i++) {
		struct tpl_entry *e = &set->entries[i];
		e->name = tpl_embedded_files[i].name;
		e->data = (const char *)tpl_embedded_files[i].data;
		e->len = tpl_embedded_files[i].len;
		set->names[i] = e->name;
	}
	if (override_dir)
		check_overrides(set, diags, override_dir, "", 0);
	for (i = 0; i < set->n; i++) {
		struct tpl_entry *e = &set->entries[i];
		char *display = arena_printf(arena, "templates/%s", e->name);
		struct source *src = NULL;

		if (override_dir && !set->io_error) {
			char *path = arena_printf(arena, "%s/%s", override_dir, e->name);
			struct stat st;
			/* Only a regular file: opening a FIFO would block for ever. */
			if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
				io_error(set, diags, "'%s' is not a regular file%s", path, "");
				continue;
			}
			src = source_read_file(arena, path, path, TPL_MAX_BYTES);
			if (!src && errno != ENOENT) {
				io_error(set, diags, "cannot read '%s': %s", path, strerror(errno));
				continue;
			}
		}
		if (!src)
			src = source_from_static(arena, display, e->data, e->len);
		e->data = src->text;
		e->len = src->len;
		if (is_template(e->name))
			e->tpl = tpl_compile(arena, diags, src, &schema_root);
	}
	if (io_failed)
		*io_failed = set->io_error;
	return diags->nerrors == before ? set : NULL;
}

static struct tpl_entry *must_find(const struct tpl_set *set, const char *name, bool want_tpl)
{
	struct tpl_entry *e = find(set, name);

	if (!e || (want_tpl && !e->tpl)) {
		BUG("no %s named '%s'", want_tpl ? "template" : "asset", name);
	}
	return e;
}

int tpl_render(struct tpl_set *set, const char *name, const struct ir *ir,
	       const struct tpl_vars *extra, struct strbuf *out, struct diag_list *diags)
{
	return tpl_render_one(must_find(set, name, true)->tpl, ir, extra, out, diags);
}

const char *tpl_asset(struct tpl_set *set, const char *name, size_t *len)
{
	struct tpl_entry *e = find(set, name);

	if (!e)
		return NULL;
	if (len)
		*len = e->len;
	return e->data;
}

size_t tpl_set_names(const struct tpl_set *set, const char *const **names)
{
	*names = set->names;
	return set->n;
}
