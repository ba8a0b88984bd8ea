/* outtree.c - unit tests of the in-memory output tree (src/outtree.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "outtree.h"
#include "strbuf.h"

Test(outtree, add_takes_the_buffer)
{
	struct out_tree tree;
	struct strbuf sb = STRBUF_INIT;
	const struct out_file *f;

	out_tree_init(&tree);
	strbuf_addstr(&sb, "content\n");
	out_tree_add(&tree, "dir/file.txt", &sb, 0755);
	cr_assert_eq(sb.len, 0, "the buffer is left empty");
	cr_assert_str_eq(sb.buf, "");
	f = out_tree_find(&tree, "dir/file.txt");
	cr_assert_not_null(f);
	cr_assert_eq(f->len, 8);
	cr_assert_eq(memcmp(f->data, "content\n", 8), 0);
	cr_assert_eq(f->mode, 0755);
	cr_assert_null(out_tree_find(&tree, "dir"));
	cr_assert_null(out_tree_find(&tree, "file.txt"));
	out_tree_release(&tree);
	cr_assert_eq(tree.n, 0);
}

Test(outtree, add_copy_keeps_binary_bytes)
{
	struct out_tree tree;
	const struct out_file *f;

	out_tree_init(&tree);
	out_tree_add_copy(&tree, "bin", "a\0b", 3, 0644);
	out_tree_add_copy(&tree, "empty", "", 0, 0644);
	f = out_tree_find(&tree, "bin");
	cr_assert_eq(f->len, 3);
	cr_assert_eq(memcmp(f->data, "a\0b", 3), 0);
	f = out_tree_find(&tree, "empty");
	cr_assert_eq(f->len, 0);
	cr_assert_str_eq(f->data, "");
	out_tree_release(&tree);
}

Test(outtree, sort_is_bytewise)
{
	static const char *in[] = { "b", "a/z", "a.txt", "A", "a/b", "a-b" };
	static const char *want[] = { "A", "a-b", "a.txt", "a/b", "a/z", "b" };
	struct out_tree tree;
	size_t i;

	out_tree_init(&tree);
	for (i = 0; i < 6; i++)
		out_tree_add_copy(&tree, in[i], in[i], strlen(in[i]), 0644);
	out_tree_sort(&tree);
	cr_assert_eq(tree.n, 6);
	for (i = 0; i < 6; i++) {
		cr_assert_str_eq(tree.files[i].path, want[i]);
		cr_assert_eq(memcmp(tree.files[i].data, want[i], tree.files[i].len), 0);
	}
	out_tree_release(&tree);
}

Test(outtree, many_files)
{
	struct out_tree tree;
	struct strbuf path = STRBUF_INIT;
	int i;

	out_tree_init(&tree);
	for (i = 0; i < 500; i++) {
		strbuf_reset(&path);
		strbuf_addf(&path, "f%03d", 499 - i);
		out_tree_add_copy(&tree, path.buf, path.buf, path.len, 0644);
	}
	out_tree_sort(&tree);
	cr_assert_str_eq(tree.files[0].path, "f000");
	cr_assert_str_eq(tree.files[499].path, "f499");
	cr_assert_not_null(out_tree_find(&tree, "f250"));
	out_tree_release(&tree);
	strbuf_release(&path);
}

/* Emitting one path twice is a broken invariant: BUG and abort. */
Test(outtree, same_path_twice_aborts, .signal = SIGABRT)
{
	struct out_tree tree;
	out_tree_init(&tree);
	out_tree_add_copy(&tree, "x", "1", 1, 0644);
	out_tree_add_copy(&tree, "x", "2", 1, 0644);
}
