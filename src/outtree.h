/*
 * outtree.h - the generated files, in memory, before anything touches disk.
 *
 * Emitters add files (path relative to the output folder, bytes, mode) to one
 * struct out_tree.  Only writer.c turns it into a folder (atomically) and only
 * compare.c compares it with one; emitters never see the disk.  Every path
 * and every byte is in an arena: the compilation's, given to
 * out_tree_init_in() (freed with it), or one of the tree's own, made on the
 * first add after out_tree_init() (freed by out_tree_release()).
 */
#ifndef ECSGEN_OUTTREE_H
#define ECSGEN_OUTTREE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct out_file {
	char *path;  /* relative, '/'-separated, no "." or ".." parts */
	char *data;
	size_t len;
	unsigned mode; /* 0644 or 0755 */
};

struct arena;

struct out_tree {
	struct out_file *files;
	size_t n, alloc;
	struct arena *bytes; /* every path and every byte; NULL while empty and not borrowed */
	bool borrowed;       /* bytes is the arena out_tree_init_in() was given */
};

void out_tree_init(struct out_tree *tree);
/* The same, the bytes and paths in arena, which must outlive the tree. */
void out_tree_init_in(struct out_tree *tree, struct arena *arena);
void out_tree_release(struct out_tree *tree);

/* Copy the bytes of sb and release it (it is left empty).  A path added twice is a BUG. */
void out_tree_add(struct out_tree *tree, const char *path, struct strbuf *sb, unsigned mode);
/* Copy len bytes of data. */
void out_tree_add_copy(struct out_tree *tree, const char *path, const char *data,
		       size_t len, unsigned mode);
const struct out_file *out_tree_find(const struct out_tree *tree, const char *path);
/* Sort by path (byte order), so every listing is stable. */
void out_tree_sort(struct out_tree *tree);

#endif
