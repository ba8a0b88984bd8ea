/* outtree.c - the in-memory tree of generated files (see outtree.h). */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bug.h"
#include "outtree.h"
#include "strbuf.h"
#include "xalloc.h"

void out_tree_init(struct out_tree *tree)
{
	memset(tree, 0, sizeof *tree);
}

void out_tree_release(struct out_tree *tree)
{
	size_t i;
	for (i = 0; i < tree->n; i++) {
		free(tree->files[i].path);
		free(tree->files[i].data);
	}
	free(tree->files);
	out_tree_init(tree);
}

const struct out_file *out_tree_find(const struct out_tree *tree, const char *path)
{
	size_t i;
	for (i = 0; i < tree->n; i++)
		if (!strcmp(tree->files[i].path, path))
			return &tree->files[i];
	return NULL;
}

static struct out_file *add_slot(struct out_tree *tree, const char *path, unsigned mode)
{
	struct out_file *f;
	if (out_tree_find(tree, path)) {
		BUG("output '%s' emitted twice", path);
	}
	xgrow((void **)&tree->files, &tree->alloc, tree->n + 1, sizeof *tree->files);
	f = &tree->files[tree->n++];
	f->path = xstrdup(path);
	f->mode = mode;
	return f;
}

void out_tree_add(struct out_tree *tree, const char *path, struct strbuf *sb, unsigned mode)
{
	struct out_file *f = add_slot(tree, path, mode);
	f->data = strbuf_detach(sb, &f->len);
}

void out_tree_add_copy(struct out_tree *tree, const char *path, const char *data,
		       size_t len, unsigned mode)
{
	struct out_file *f = add_slot(tree, path, mode);
	f->data = xstrndup(data, len);
	f->len = len;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct out_file *)a)->path, ((const struct out_file *)b)->path);
}

void out_tree_sort(struct out_tree *tree)
{
	if (tree->n > 1)
		qsort(tree->files, tree->n, sizeof *tree->files, by_path);
}
