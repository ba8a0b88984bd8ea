/* compare.c - unit tests of --check's comparison (src/compare.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "helpers.h"
#include "outtree.h"
#include "sample.h"
#include "strbuf.h"
#include "writer.h"

TestSuite(compare, .init = enter_scratch, .fini = leave_scratch);

/* Write the sample tree of flavour "disk" into out/ with the writer. */
static void commit_out(void)
{
	struct out_tree tree;
	struct strbuf err = STRBUF_INIT;
	sample_tree(&tree, "disk");
	cr_assert_eq(writer_commit(&tree, "out", 0, &err), 0, "%s", err.buf);
	out_tree_release(&tree);
	strbuf_release(&err);
}

/* Compare the "disk" sample (plus extra files) with dir; check the result. */
static void expect(struct out_tree *tree, const char *dir, int want, const char *want_report)
{
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	char *before = snapshot(".");
	char *after;
	int r = compare_tree(tree, dir, &report, &err);

	cr_assert_eq(r, want, "compare_tree: %d, want %d (%s)\n%s", r, want, err.buf, report.buf);
	cr_assert_str_eq(report.buf, want_report);
	after = snapshot(".");
	cr_assert_str_eq(after, before, "compare_tree wrote something");
	free(before);
	free(after);
	strbuf_release(&report);
	strbuf_release(&err);
}

Test(compare, identical)
{
	struct out_tree tree;
	commit_out();
	sample_tree(&tree, "disk");
	expect(&tree, "out", 0, "");
	expect(&tree, "out/", 0, "");
	out_tree_release(&tree);
}

Test(compare, modes_do_not_count)
{
	struct out_tree tree;
	commit_out();
	cr_assert(!chmod("out/scripts/run.sh", 0644));
	cr_assert(!chmod("out/a.txt", 0600));
	sample_tree(&tree, "disk");
	expect(&tree, "out", 0, "");
	out_tree_release(&tree);
}

Test(compare, one_changed_line)
{
	struct out_tree tree;
	commit_out();
	put_file("out/scripts/run.sh", "#!/bin/sh\necho edited\n");
	sample_tree(&tree, "disk");
	expect(&tree, "out", 1,
	       "changed: out/scripts/run.sh\n"
	       "  @@ -2,1 +2,1 @@\n"
	       "  -echo edited\n"
	       "  +echo disk\n");
	out_tree_release(&tree);
}

Test(compare, missing_extra_and_changed_sorted_by_path)
{
	struct out_tree tree;
	commit_out();
	cr_assert(!unlink("out/deep/y.txt"));
	put_file("out/b-extra.txt", "not generated\n");
	put_file("out/deep/er/z.txt", "not generated\n");
	put_folder("out/empty-folder");
	put_file("out/a.txt", "hello from disk\nand more\n");
	sample_tree(&tree, "disk");
	expect(&tree, "out", 1,
	       "changed: out/a.txt\n"
	       "  @@ -2,1 +1,0 @@\n"
	       "  -and more\n"
	       "extra: out/b-extra.txt\n"
	       "extra: out/deep/er/z.txt\n"
	       "missing: out/deep/y.txt\n"
	       "extra: out/empty-folder/\n");
	out_tree_release(&tree);
}

Test(compare, added_lines)
{
	struct out_tree tree;
	commit_out();
	put_file("out/deep/y.txt", "");
	sample_tree(&tree, "disk");
	expect(&tree, "out", 1,
	       "changed: out/deep/y.txt\n"
	       "  @@ -0,0 +1,1 @@\n"
	       "  +y\n");
	out_tree_release(&tree);
}

Test(compare, missing_dir_means_every_file_missing)
{
	struct out_tree tree;
	sample_tree(&tree, "disk");
	expect(&tree, "out", 1,
	       "missing: out/a.txt\n"
	       "missing: out/deep/er/x.json\n"
	       "missing: out/deep/y.txt\n"
	       "missing: out/empty.txt\n"
	       "missing: out/scripts/run.sh\n");
	out_tree_release(&tree);
}

Test(compare, empty_tree_and_empty_dir)
{
	struct out_tree tree;
	out_tree_init(&tree);
	expect(&tree, "out", 0, "");
	put_folder("out");
	expect(&tree, "out", 0, "");
	put_file("out/x", "x\n");
	expect(&tree, "out", 1, "extra: out/x\n");
}

Test(compare, dir_that_is_a_file_is_an_error)
{
	struct out_tree tree;
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	put_file("out", "a file\n");
	sample_tree(&tree, "disk");
	cr_assert_eq(compare_tree(&tree, "out", &report, &err), -1);
	cr_assert_str_eq(err.buf, "'out' exists and is not a folder");
	out_tree_release(&tree);
	strbuf_release(&report);
	strbuf_release(&err);
}

Test(compare, not_a_regular_file)
{
	struct out_tree tree;
	commit_out();
	cr_assert(!unlink("out/a.txt"));
	cr_assert(!symlink("deep/y.txt", "out/a.txt"));
	cr_assert(!symlink("a.txt", "out/link"));
	cr_assert(!unlink("out/empty.txt"));
	put_folder("out/empty.txt");
	sample_tree(&tree, "disk");
	expect(&tree, "out", 1,
	       "changed: out/a.txt (not a regular file)\n"
	       "changed: out/empty.txt (not a regular file)\n"
	       "extra: out/link\n");
	out_tree_release(&tree);
}

Test(compare, file_where_a_folder_should_be)
{
	struct out_tree tree;
	commit_out();
	cr_assert(!unlink("out/scripts/run.sh"));
	cr_assert(!rmdir("out/scripts"));
	put_file("out/scripts", "a file\n");
	sample_tree(&tree, "disk");
	expect(&tree, "out", 1,
	       "extra: out/scripts\n"
	       "missing: out/scripts/run.sh\n");
	out_tree_release(&tree);
}

Test(compare, long_diffs_are_bounded)
{
	struct out_tree tree;
	struct strbuf disk = STRBUF_INIT, mem = STRBUF_INIT;
	int i;

	put_folder("out");
	for (i = 1; i <= 40; i++) {
		strbuf_addf(&disk, i == 1 || i == 40 ? "same\n" : "disk %d\n", i);
		strbuf_addf(&mem, i == 1 || i == 40 ? "same\n" : "mem %d\n", i);
	}
	put_file("out/f", disk.buf);
	out_tree_init(&tree);
	out_tree_add(&tree, "f", &mem, 0644);
	expect(&tree, "out", 1,
	       "changed: out/f\n"
	       "  @@ -2,38 +2,38 @@\n"
	       "  -disk 2\n  -disk 3\n  -disk 4\n  -disk 5\n  -disk 6\n"
	       "  +mem 2\n  +mem 3\n  +mem 4\n  +mem 5\n  +mem 6\n"
	       "  ... 66 more lines differ\n");
	out_tree_release(&tree);
	strbuf_release(&disk);
}

Test(compare, short_side_gives_room_to_the_other)
{
	struct out_tree tree;
	struct strbuf mem = STRBUF_INIT;
	int i;

	put_file("out/f", "one\n");
	for (i = 1; i <= 12; i++)
		strbuf_addf(&mem, "line %d\n", i);
	out_tree_init(&tree);
	out_tree_add(&tree, "f", &mem, 0644);
	expect(&tree, "out", 1,
	       "changed: out/f\n"
	       "  @@ -1,1 +1,12 @@\n"
	       "  -one\n"
	       "  +line 1\n  +line 2\n  +line 3\n  +line 4\n  +line 5\n"
	       "  +line 6\n  +line 7\n  +line 8\n  +line 9\n"
	       "  ... 3 more lines differ\n");
	out_tree_release(&tree);
}

Test(compare, missing_final_newline_long_lines_and_control_characters)
{
	struct out_tree tree;
	struct strbuf mem = STRBUF_INIT, want = STRBUF_INIT;

	put_file("out/f", "keep\nno newline");
	out_tree_init(&tree);
	out_tree_add_copy(&tree, "f", "keep\nno newline\n", 16, 0644);
	expect(&tree, "out", 1,
	       "changed: out/f\n"
	       "  @@ -2,1 +2,1 @@\n"
	       "  -no newline\n"
	       "  \\ no newline at end of file\n"
	       "  +no newline\n");
	out_tree_release(&tree);

	put_file("out/f", "tab\there\r\n");
	strbuf_addchars(&mem, 'x', 200);
	strbuf_addch(&mem, '\n');
	out_tree_init(&tree);
	out_tree_add(&tree, "f", &mem, 0644);
	strbuf_addstr(&want, "changed: out/f\n  @@ -1,1 +1,1 @@\n  -tab\there?\n  +");
	strbuf_addchars(&want, 'x', 160);
	strbuf_addstr(&want, "...\n");
	expect(&tree, "out", 1, want.buf);
	out_tree_release(&tree);
	strbuf_release(&want);
}

Test(compare, binary)
{
	struct out_tree tree;
	put_file("out/bin", "text\n");
	out_tree_init(&tree);
	out_tree_add_copy(&tree, "bin", "a\0b", 3, 0644);
	expect(&tree, "out", 1, "changed: out/bin (binary)\n");
	out_tree_release(&tree);
}

Test(compare, after_a_commit_the_same_tree_is_identical)
{
	struct out_tree tree;
	struct strbuf err = STRBUF_INIT;
	sample_tree(&tree, "round trip");
	out_tree_add_copy(&tree, "bin/data", "\0\1\2", 3, 0644);
	cr_assert_eq(writer_commit(&tree, "out", 0, &err), 0, "%s", err.buf);
	expect(&tree, "out", 0, "");
	out_tree_release(&tree);
	strbuf_release(&err);
}

/* ---- compare_tree_exact(): the writer's "nothing to write" ---- */

static int exact_at(const struct out_tree *tree, const char *dir, mode_t mask, uid_t uid)
{
	struct compare_exact exact = { mask, WRITER_DIR_MODE & ~mask, uid, NULL };
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	cr_assert_geq(fd, 0, "open %s", dir);
	r = compare_tree_exact(tree, fd, &exact);
	close(fd);
	return r;
}

Test(compare, exact_same_tree_modes_and_owner)
{
	struct out_tree tree;
	mode_t mask = umask(022);

	commit_out();
	sample_tree(&tree, "disk");
	cr_assert_eq(exact_at(&tree, "out", 022, geteuid()), 0);
	cr_assert_eq(exact_at(&tree, "out", 077, geteuid()), 1, "the modes another umask would give");
	cr_assert_eq(exact_at(&tree, "out", 022, geteuid() + 1), 1, "another owner");
	out_tree_release(&tree);
	umask(mask);
}

Test(compare, exact_sees_each_mode_bit)
{
	struct out_tree tree;
	mode_t mask = umask(022);

	commit_out();
	sample_tree(&tree, "disk");
	cr_assert(!chmod("out/scripts/run.sh", 0754));
	cr_assert_eq(exact_at(&tree, "out", 022, geteuid()), 1, "a file's mode");
	cr_assert(!chmod("out/scripts/run.sh", 0755));
	cr_assert_eq(exact_at(&tree, "out", 022, geteuid()), 0);
	cr_assert(!chmod("out/deep/er", 0750));
	cr_assert_eq(exact_at(&tree, "out", 022, geteuid()), 1, "a folder's mode");
	out_tree_release(&tree);
	umask(mask);
}

Test(compare, exact_sees_contents_and_extras)
{
	struct out_tree tree, other;
	mode_t mask = umask(022);

	commit_out();
	sample_tree(&tree, "disk");
	sample_tree(&other, "else");
	cr_assert_eq(exact_at(&other, "out", 022, geteuid()), 1, "other bytes");
	put_file("out/extra.txt", "x");
	cr_assert_eq(exact_at(&tree, "out", 022, geteuid()), 1, "an extra file");
	out_tree_release(&tree);
	out_tree_release(&other);
	umask(mask);
}

/* kept[i] for the file of tree at path, or NULL when the tree has none. */
static const struct compare_kept *kept_of(const struct out_tree *tree, const struct compare_kept *kept,
					  const char *path)
{
	size_t i;
	for (i = 0; i < tree->n; i++)
		if (!strcmp(tree->files[i].path, path))
			return &kept[i];
	return NULL;
}

/* With kept, every file is looked at, and each one found exactly is named with its inode. */
Test(compare, exact_keeps_each_file_found_exactly)
{
	struct out_tree tree;
	struct compare_kept kept[5];
	struct compare_exact exact = { 022, WRITER_DIR_MODE & ~022, 0, kept };
	const char *same[] = { "deep/y.txt", "empty.txt" };
	const char *differ[] = { "a.txt", "scripts/run.sh", "deep/er/x.json" };
	mode_t mask = umask(022);
	struct stat st;
	size_t i;
	int fd;

	commit_out();
	sample_tree(&tree, "else"); /* a.txt, run.sh and x.json differ from "disk" */
	cr_assert_eq(tree.n, 5);
	cr_assert(!chmod("out/empty.txt", 0600)); /* same bytes, another mode */
	exact.uid = geteuid();
	memset(kept, 0, sizeof kept);
	fd = open("out", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(fd, 0);
	cr_assert_eq(compare_tree_exact(&tree, fd, &exact), 1);
	close(fd);
	cr_assert(!stat("out/deep/y.txt", &st));
	cr_assert(kept_of(&tree, kept, same[0])->same, "%s: same bytes, mode and owner", same[0]);
	cr_assert_eq(kept_of(&tree, kept, same[0])->ino, st.st_ino);
	cr_assert_eq(kept_of(&tree, kept, same[0])->mtime.tv_nsec, st.st_mtim.tv_nsec);
	cr_assert(!kept_of(&tree, kept, same[1])->same, "%s: its mode differs", same[1]);
	for (i = 0; i < sizeof differ / sizeof *differ; i++)
		cr_assert(!kept_of(&tree, kept, differ[i])->same, "%s: its bytes differ", differ[i]);
	out_tree_release(&tree);
	umask(mask);
}
