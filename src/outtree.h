/*
 * outtree.h - the generated files, in memory, before anything touches disk.
 *
 * Emitters add files (path relative to the output folder, bytes, mode) to one
 * struct out_tree.  Only writer.c turns it into a folder (atomically) and only
 * compare.c compares it with one; emitters never see the disk.  The tree owns
 * every path and every byte (freed by out_tree_release()).
 */
#ifndef ECSGEN_OUTTREE_H
#define ECSGEN_OUTTREE_H

#include <stddef.h>

struct strbuf;

struct out_file {
	char *path;  /* relative, '/'-separated, no "." or ".." parts */
	char *data;
	size_t len;
	unsigned mode; /* 0644 or 0755 */
};

struct out_tree {
	struct out_file *files;
	size_t n, alloc;
};

void out_tree_init(struct out_tree *tree);
void out_tree_release(struct out_tree *tree);

/* Take the bytes of sb (it is left empty).  A path added twice is a BUG. */
void out_tree_add(struct out_tree *tree, const char *path, struct strbuf *sb, unsigned mode);
/* Copy len bytes of data. */
void out_tree_add_copy(struct out_tree *tree, const char *path, const char *data,
		       size_t len, unsigned mode);
const struct out_file *out_tree_find(const struct out_tree *tree, const char *path);
/* Sort by path (byte order), so every listing is stable. */
void out_tree_sort(struct out_tree *tree);

#endif
