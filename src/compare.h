/*
 * compare.h - --check: compare the in-memory out_tree with a folder on disk.
 *
 *	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
 *	int r = compare_tree(&tree, "out", &report, &err);
 *	r < 0:  I/O trouble, err holds one line          -> exit 2
 *	r == 1: report lists every difference            -> print it, exit 1
 *	r == 0: identical, report is empty               -> exit 0
 *
 * Only contents count, not modes (a CodePipeline source zip drops them).
 * Every file counts: nothing in DIR is ignored.  The report has one line per
 * difference, sorted by path, with the path as DIR/PATH:
 *
 *	changed: out/Makefile
 *	  @@ -12,2 +12,2 @@
 *	  -what is on disk
 *	  +what ecsgen would write
 *	  ... 3 more lines differ
 *	missing: out/buildspec.yml
 *	extra: out/notes.txt
 *
 * A changed text file gets a short hunk: the common leading and trailing
 * lines are dropped and at most COMPARE_MAX_DIFF_LINES of the rest are shown
 * (long lines cut).  A file with a NUL byte on either side is "(binary)".
 * Anything in DIR that is not a regular file or a folder (a symlink, a fifo)
 * is "changed" where a file is expected and "extra" elsewhere; an empty
 * folder ecsgen would not create is "extra: out/dir/".  A missing DIR is not
 * an error: every file is then missing.  DIR existing but not being a folder
 * is an error.  Nothing is written to disk.
 *
 * The caller owns report and err (strbuf_release()): report is appended to,
 * err is replaced by the message.
 */
#ifndef ECSGEN_COMPARE_H
#define ECSGEN_COMPARE_H

#include <sys/types.h>
#include <time.h>

struct out_tree;
struct strbuf;

enum { COMPARE_MAX_DIFF_LINES = 10 };

int compare_tree(const struct out_tree *tree, const char *dir, struct strbuf *report,
		 struct strbuf *err);

/*
 * For the writer: does the folder open as dirfd hold exactly what writing
 * tree would make?  The same contents, and also every file's mode equal to
 * its out_file mode without file_mask's bits, every folder's (below dirfd)
 * equal to folder_mode, every file and folder owned by uid.  0 exactly,
 * 1 not, -1 when the folder cannot be read.  Reports nothing.
 *
 * With kept NULL it stops at the first difference.  Otherwise kept has
 * tree->n entries, indexed as tree->files, and every file is looked at:
 * kept[i].same is 1 when file i is on disk exactly as it would be written
 * (a regular file, its bytes, its mode, owned by uid), with the inode and
 * mtime it was found with, for the writer to link it instead of writing it.
 */
struct compare_kept {
	int same;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
};
struct compare_exact {
	mode_t file_mask;
	mode_t folder_mode;
	uid_t uid;
	struct compare_kept *kept;
};
int compare_tree_exact(const struct out_tree *tree, int dirfd, const struct compare_exact *exact);

#endif
