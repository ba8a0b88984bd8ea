/*
 * writer.h - the only code that writes the output folder, atomically.
 *
 *	struct strbuf err = STRBUF_INIT;
 *	if (writer_commit(&tree, "out", 0, &err) < 0)
 *		die("%s", err.buf);   -> "ecsgen: error: ...", exit 2
 *
 * writer_commit() builds the whole tree in a temporary folder beside DIR
 * (same parent, named ".DIR.ecsgen-tmp.XXXXXX"), checks every write, then
 * swaps it with DIR in one step (renameat2 RENAME_EXCHANGE), so there is
 * never a moment without a complete DIR.  The old tree, now under the
 * temporary name, is removed.  When DIR does not exist yet, one rename
 * puts the new tree in place.
 *
 * When DIR already holds exactly that tree (the same bytes; every file's
 * mode as below, every folder's WRITER_DIR_MODE minus the umask; all owned
 * by us; nothing else in it: compare_tree_exact()), nothing is written:
 * an unchanged compile keeps every inode and mtime, so make sees nothing
 * to redo, and reads the tree instead of writing and removing it.  Any
 * difference, even of one mode bit, is a rewrite, swapped in whole; in it
 * each file DIR holds exactly (bytes, mode, owner) is hard-linked into the
 * new tree instead of written, so it keeps its inode and mtime, and only
 * what changed is new.  A link is checked to be the inode compared, still
 * unmodified; otherwise, or when linking fails, the file is written.
 *
 * Atomicity and durability are two promises.  The swap is atomic against
 * anything that can happen to this process (an error, a signal, kill -9):
 * every reader sees the whole old DIR or the whole new one.  By default
 * nothing is synced to disk, as compilers and code generators do: after a
 * power loss or an operating-system crash shortly after a run, DIR may come
 * back as the old tree or, on file systems that order metadata before data,
 * with some new files empty or short; running ecsgen again regenerates it.
 * With WRITER_DURABLE, before the swap one syncfs() writes the new tree's
 * files and folders to disk, and after it one fsync() of the parent makes
 * the swap itself durable: once writer_commit() returns, DIR survives a
 * power loss.  syncfs() flushes the whole file system DIR is on, so its
 * cost is whatever else is dirty there too.  An unchanged DIR is synced
 * the same way (syncfs() of it, fsync() of the parent): it may be an
 * earlier run's, not yet on disk.
 *
 * On any error DIR is left exactly as it was, the temporary folder is
 * removed, -1 is returned and err holds one line (no "ecsgen: error: "
 * prefix, no newline).  While a commit runs, its temporary folder is
 * removed at exit() and on SIGINT, SIGTERM and SIGHUP (the signal is then
 * re-raised).  Commits into one parent folder are serialized with flock().
 *
 * kill -9 skips those handlers, so every commit first sweeps the leftovers
 * of an interrupted run beside DIR (writer_sweep()): folders named exactly
 * ".DIR.ecsgen-tmp.XXXXXX" are removed, and ".DIR.ecsgen-old.XXXXXX" (an old
 * tree moved aside by the two-rename fallback, used only where the file
 * system cannot exchange) is renamed back to DIR when DIR is missing, else
 * removed.  Nothing else beside DIR is touched; only folders we own count.
 *
 * DIR is refused (error, nothing written) when it
 *   - exists and is not a folder;
 *   - belongs to another user (unless we are root): the old tree would be
 *     left under our temporary name, where we may not remove it;
 *   - is a symbolic link: replacing it would either swap the link for a
 *     real folder or write wherever it points; pass the target itself;
 *   - is "/", "." or "..", ends in "..", or is the current working folder
 *     or one of its ancestors (swapping it away would pull the floor out
 *     from under the caller, and the old tree would then be deleted).
 *
 * File modes are the out_file's mode masked by the umask; its folders are
 * WRITER_DIR_MODE masked by the umask; the new DIR takes the old DIR's
 * permissions, or WRITER_DIR_MODE minus the umask for a first commit.  The
 * umask takes permissions away (077: a private tree), never adds any: no
 * umask makes a folder writable by others (tests/stability.test).
 *
 * With --enable-fault-injection (ECSGEN_FAULT_INJECTION), tests can set
 *   ECSGEN_FAIL_WRITE=N          the Nth file write (or link) fails with ENOSPC;
 *   ECSGEN_FAIL_WRITE_SIGNAL=SIG ... or raises SIG (INT, TERM, HUP, KILL)
 *                                instead, to simulate an interruption;
 *   ECSGEN_NO_EXCHANGE=1         use the two-rename fallback.
 */
#ifndef ECSGEN_WRITER_H
#define ECSGEN_WRITER_H

/* The folders of a tree, as its 0755 scripts: the owner alone writes. */
#define WRITER_DIR_MODE 0755

struct out_tree;
struct strbuf;

enum writer_flags {
	WRITER_DURABLE = 1 << 0, /* on disk before writer_commit() returns (see above) */
};

/* Write tree into dir atomically.  0 on success; -1 with err set. */
int writer_commit(const struct out_tree *tree, const char *dir, enum writer_flags flags,
		  struct strbuf *err);

/*
 * Remove (or restore, see above) the leftovers of interrupted commits beside
 * dir.  writer_commit() calls it first; it is exported for tests.  0, or -1
 * with err set when the parent folder cannot be read or a lost DIR cannot be
 * restored.
 */
int writer_sweep(const char *dir, struct strbuf *err);

#endif
