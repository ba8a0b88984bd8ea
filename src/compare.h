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

struct out_tree;
struct strbuf;

enum { COMPARE_MAX_DIFF_LINES = 10 };

int compare_tree(const struct out_tree *tree, const char *dir, struct strbuf *report,
		 struct strbuf *err);

#endif
