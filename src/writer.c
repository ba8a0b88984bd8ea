/* writer.c - writes an out_tree into its folder atomically (see writer.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "compare.h"
#include "outtree.h"
#include "strbuf.h"
#include "tempdir.h"
#include "writer.h"
#include "xalloc.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

#define TMP_TAG ".ecsgen-tmp."
#define OLD_TAG ".ecsgen-old."
enum { SUFFIX_LEN = 6 };

/* DIR split into the folder that holds it and its own name. */
struct target {
	char *display; /* DIR as given, trailing slashes dropped: for messages */
	char *parent;  /* the folder holding DIR: "." when DIR has no '/' */
	char *base;    /* DIR's last component */
	int parentfd;
};


/* ---- fault injection seams (tests only) ---- */

#ifdef ECSGEN_FAULT_INJECTION
/* True when the write of this file must fail (ECSGEN_FAIL_WRITE=N). */
static int fault_write(void)
{
	static long countdown = -2;
	const char *sig;

	if (countdown == -2) {
		const char *env = getenv("ECSGEN_FAIL_WRITE");
		countdown = env ? atol(env) : -1;
	}
	if (countdown < 0 || --countdown != 0)
		return 0;
	sig = getenv("ECSGEN_FAIL_WRITE_SIGNAL");
	if (sig)
		tempdir_raise_named(sig);
	return 1;
}

static int fault_no_exchange(void)
{
	const char *env = getenv("ECSGEN_NO_EXCHANGE");
	return env && *env && strcmp(env, "0");
}
#else
static int fault_write(void) { return 0; }
static int fault_no_exchange(void) { return 0; }
#endif

/* ---- DIR and its parent ---- */

static void target_release(struct target *t)
{
	if (t->parentfd >= 0)
		close(t->parentfd); /* also drops the flock */
	free(t->display);
	free(t->parent);
	free(t->base);
	memset(t, 0, sizeof *t);
	t->parentfd = -1;
}

/* Split dir, open and lock its parent. */
static int target_open(struct target *t, const char *dir, struct strbuf *err)
{
	size_t len = strlen(dir);
	const char *slash;

	memset(t, 0, sizeof *t);
	t->parentfd = -1;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	t->display = xstrndup(dir, len);
	slash = strrchr(t->display, '/');
	if (!slash) {
		t->parent = xstrdup(".");
		t->base = xstrdup(t->display);
	} else {
		t->parent = slash == t->display ? xstrdup("/")
			: xstrndup(t->display, (size_t)(slash - t->display));
		t->base = xstrdup(slash + 1);
	}
	if (!*t->base || !strcmp(t->base, ".") || !strcmp(t->base, ".."))
		return strbuf_error(err, "refusing to replace '%s' with the output: name a folder of its own",
			     *dir ? dir : "(empty name)");
	t->parentfd = open(t->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t->parentfd < 0)
		return strbuf_error(err, "cannot open folder '%s' to write '%s': %s",
			     t->parent, t->display, strerror(errno));
	/* Serialize commits: a concurrent run must not sweep our temporary folder. */
	while (flock(t->parentfd, LOCK_EX) < 0 && errno == EINTR)
		;
	return 0;
}

static int same_or_ancestor(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	return !strncmp(dir, path, n) && (path[n] == '\0' || path[n] == '/' || n == 1);
}

/* Refuse a DIR that is not a folder, is a link, or holds the caller (see writer.h). */
static int check_target(struct target *t, struct stat *st, int *exists, struct strbuf *err)
{
	char *real_parent, cwd[PATH_MAX];
	struct strbuf real = STRBUF_INIT;
	const char *home = getenv("HOME");
	int bad = 0;

	*exists = 0;
	if (fstatat(t->parentfd, t->base, st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return strbuf_error(err, "cannot inspect '%s': %s", t->display, strerror(errno));
	}
	if (S_ISLNK(st->st_mode))
		return strbuf_error(err, "'%s' is a symbolic link; refusing to replace it "
			     "(name the folder it points to instead)", t->display);
	if (!S_ISDIR(st->st_mode))
		return strbuf_error(err, "'%s' exists and is not a folder", t->display);
	/*
	 * Another user's DIR: the swap would put its tree under our temporary
	 * name, where we may not remove it and the sweep (which touches only
	 * our own folders) never would, so refuse before writing anything.
	 * root may remove any tree.
	 */
	if (st->st_uid != geteuid() && geteuid() != 0)
		return strbuf_error(err, "'%s' belongs to another user (uid %lu); ecsgen replaces the whole "
			     "folder, so it must be yours", t->display, (unsigned long)st->st_uid);
	*exists = 1;

	real_parent = realpath(t->parent, NULL);
	if (!real_parent)
		return strbuf_error(err, "cannot resolve '%s': %s", t->parent, strerror(errno));
	strbuf_addstr(&real, real_parent);
	if (real.len > 1)
		strbuf_addch(&real, '/');
	strbuf_addstr(&real, t->base);
	free(real_parent);
	if (getcwd(cwd, sizeof cwd) && same_or_ancestor(real.buf, cwd))
		bad = 1;
	if (home && *home) {
		char *real_home = realpath(home, NULL);
		if (real_home && !strcmp(real_home, real.buf))
			bad = 1;
		free(real_home);
	}
	strbuf_release(&real);
	if (bad)
		return strbuf_error(err, "refusing to replace '%s': it holds the current or home folder",
			     t->display);
	return 0;
}

/* ---- sweeping the leftovers of interrupted runs ---- */

enum leftover { NOT_OURS, LEFTOVER_TMP, LEFTOVER_OLD };

static int is_suffix_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Is name exactly ".BASE.ecsgen-tmp.XXXXXX" or ".BASE.ecsgen-old.XXXXXX"? */
static enum leftover classify(const char *base, const char *name)
{
	size_t blen = strlen(base), tlen = strlen(TMP_TAG), i;
	enum leftover kind;

	if (name[0] != '.' || strncmp(name + 1, base, blen))
		return NOT_OURS;
	name += 1 + blen;
	if (!strncmp(name, TMP_TAG, tlen))
		kind = LEFTOVER_TMP;
	else if (!strncmp(name, OLD_TAG, tlen))
		kind = LEFTOVER_OLD;
	else
		return NOT_OURS;
	name += tlen;
	for (i = 0; i < SUFFIX_LEN; i++)
		if (!is_suffix_char((unsigned char)name[i]))
			return NOT_OURS;
	return name[SUFFIX_LEN] ? NOT_OURS : kind;
}

struct found {
	char *name;
	enum leftover kind;
	struct timespec ctime;
};

static int sweep(struct target *t, struct strbuf *err)
{
	struct found *found = NULL, *newest_old = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	struct stat st;
	int fd, ret = 0;
	DIR *d;

	fd = openat(t->parentfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return strbuf_error(err, "cannot read folder '%s': %s", t->parent, strerror(errno));
	}
	while ((de = readdir(d))) {
		enum leftover kind = classify(t->base, de->d_name);
		if (kind == NOT_OURS)
			continue;
		if (fstatat(t->parentfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		xgrow((void **)&found, &alloc, n + 1, sizeof *found);
		found[n].name = xstrdup(de->d_name);
		found[n].kind = kind;
		found[n].ctime = st.st_ctim;
		n++;
	}
	closedir(d);

	/* A swap cut between its two renames: no DIR, the old tree aside. */
	for (i = 0; i < n; i++)
		if (found[i].kind == LEFTOVER_OLD &&
		    (!newest_old || found[i].ctime.tv_sec > newest_old->ctime.tv_sec ||
		     (found[i].ctime.tv_sec == newest_old->ctime.tv_sec &&
		      found[i].ctime.tv_nsec > newest_old->ctime.tv_nsec)))
			newest_old = &found[i];
	if (newest_old && fstatat(t->parentfd, t->base, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    errno == ENOENT) {
		if (renameat(t->parentfd, newest_old->name, t->parentfd, t->base) < 0)
			ret = strbuf_error(err, "cannot restore '%s' from '%s/%s': %s", t->display,
				    t->parent, newest_old->name, strerror(errno));
		else
			newest_old->kind = NOT_OURS;
	}
	for (i = 0; i < n; i++) {
		if (found[i].kind != NOT_OURS)
			tempdir_remove_tree(t->parentfd, found[i].name); /* else: next time */
		free(found[i].name);
	}
	free(found);
	return ret;
}

int writer_sweep(const char *dir, struct strbuf *err)
{
	struct target t;
	int ret = target_open(&t, dir, err);
	if (!ret)
		ret = sweep(&t, err);
	target_release(&t);
	return ret;
}

/* ---- building the new tree ---- */

static int valid_path(const char *path)
{
	const char *p = path, *end;
	if (!*path || *path == '/')
		return 0;
	for (;;) {
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		if (end == p || (end - p == 1 && p[0] == '.') ||
		    (end - p == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!*end)
			return 1;
		p = end + 1;
	}
}

static int write_all(int fd, const char *data, size_t len)
{
	if (fault_write()) {
		errno = ENOSPC;
		return -1;
	}
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

struct build {
	const struct target *t;
	int tmpfd;
	struct strbuf *err;
	const char *made;  /* the previous file's path: its folders exist */
	size_t made_len;   /* the length of its folder part, 0 for none */
	int dirfd;         /* DIR, to link kept files from; -1 when none */
	const struct compare_kept *kept; /* per file of the tree, or NULL */
};

/*
 * The folders of path, as in mkdir -p.  The tree is sorted, so a file's
 * folders are mostly the previous file's, which exist: no mkdirat for
 * those (on some file systems each costs as much as writing a small file).
 */
static int make_parents(struct build *b, const char *path)
{
	const char *slash;
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t len = (size_t)(slash - path);
		char *folder;
		if (len <= b->made_len && !memcmp(path, b->made, len) &&
		    (len == b->made_len || b->made[len] == '/'))
			continue;
		folder = xstrndup(path, len);
		if (!mkdirat(b->tmpfd, folder, WRITER_DIR_MODE) || errno == EEXIST) {
			free(folder); /* a file there makes the open below fail */
		} else {
			int ret = strbuf_error(b->err, "cannot create folder '%s/%s': %s",
					b->t->display, folder, strerror(errno));
			free(folder);
			return ret;
		}
	}
	slash = strrchr(path, '/');
	b->made = path;
	b->made_len = slash ? (size_t)(slash - path) : 0;
	return 0;
}

static int write_file(struct build *b, const struct out_file *f)
{
	int fd, saved;

	fd = openat(b->tmpfd, f->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    (mode_t)(f->mode & 07777));
	if (fd < 0)
		return strbuf_error(b->err, "cannot create '%s/%s': %s", b->t->display, f->path,
			     strerror(errno));
	if (write_all(fd, f->data, f->len) < 0) {
		saved = errno;
		close(fd);
		return strbuf_error(b->err, "cannot write '%s/%s': %s", b->t->display, f->path,
			     strerror(saved));
	}
	if (close(fd) < 0)
		return strbuf_error(b->err, "cannot write '%s/%s': %s", b->t->display, f->path,
			     strerror(errno));
	return 0;
}

/*
 * A file DIR already holds exactly (compare_tree_exact() found it so) is
 * linked into the new tree instead of written: its inode and mtime are
 * kept, and a link costs a seventh of a create and write here.  The link
 * is checked to be the very inode that was compared, unmodified since; if
 * anything changed, or the link fails (another file system, a link limit),
 * the file is written instead.  0 linked, 1 write it, -1 error.
 */
static int link_kept(struct build *b, const struct out_file *f, const struct compare_kept *k)
{
	struct stat st;

	if (fault_write()) {
		errno = ENOSPC;
		return strbuf_error(b->err, "cannot write '%s/%s': %s", b->t->display, f->path,
			     strerror(errno));
	}
	if (linkat(b->dirfd, f->path, b->tmpfd, f->path, 0) < 0)
		return 1;
	if (fstatat(b->tmpfd, f->path, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	    st.st_dev == k->dev && st.st_ino == k->ino && (size_t)st.st_size == f->len &&
	    st.st_mtim.tv_sec == k->mtime.tv_sec && st.st_mtim.tv_nsec == k->mtime.tv_nsec)
		return 0;
	if (unlinkat(b->tmpfd, f->path, 0) < 0)
		return strbuf_error(b->err, "cannot replace '%s/%s' in the new tree: %s", b->t->display,
			     f->path, strerror(errno));
	return 1;
}

static int build_tree(struct build *b, const struct out_tree *tree, mode_t dir_mode,
		      enum writer_flags flags)
{
	size_t i;

	for (i = 0; i < tree->n; i++) {
		const struct out_file *f = &tree->files[i];
		int r = 1;
		if (!valid_path(f->path))
			return strbuf_error(b->err, "invalid output path '%s'", f->path);
		if (make_parents(b, f->path) < 0)
			return -1;
		if (b->kept && b->kept[i].same && (r = link_kept(b, f, &b->kept[i])) < 0)
			return -1;
		if (r && write_file(b, f) < 0)
			return -1;
	}
	if (fchmod(b->tmpfd, dir_mode) < 0)
		return strbuf_error(b->err, "cannot finish the new '%s': %s", b->t->display,
			     strerror(errno));
	/*
	 * Durability costs one call: syncfs() writes back every file and
	 * folder of the new tree at once (and whatever else is dirty on that
	 * file system), where an fsync per file and folder cost most of a
	 * compile's wall time.  Without WRITER_DURABLE nothing is synced: see
	 * writer.h for what that gives.
	 */
	if ((flags & WRITER_DURABLE) && syncfs(b->tmpfd) < 0)
		return strbuf_error(b->err, "cannot sync the new '%s' to disk: %s", b->t->display,
			     strerror(errno));
	return 0;
}

/* ---- swapping it in ---- */

static int rename2(int dirfd, const char *from, const char *to, unsigned flags)
{
#ifdef SYS_renameat2
	return (int)syscall(SYS_renameat2, dirfd, from, dirfd, to, flags);
#else
	(void)dirfd, (void)from, (void)to, (void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

static int unsupported(int e)
{
	return e == EINVAL || e == ENOSYS || e == ENOTSUP;
}

/*
 * Where the file system cannot exchange: move DIR aside under the old-tree
 * name, move the new tree in, and let the signal handler remove the old
 * one.  Signals wait during the two renames; a kill -9 between them leaves
 * the old tree aside for the next sweep to restore.
 */
static int swap_by_two_renames(struct target *t, const char *tmp, struct strbuf *err)
{
	struct strbuf old = STRBUF_INIT;
	sigset_t saved_mask;
	int ret = 0;

	strbuf_addf(&old, ".%s%s%s", t->base, OLD_TAG, tmp + strlen(tmp) - SUFFIX_LEN);
	tempdir_hold_signals(&saved_mask);
	if (renameat(t->parentfd, t->base, t->parentfd, old.buf) < 0) {
		ret = strbuf_error(err, "cannot move '%s' aside: %s", t->display, strerror(errno));
	} else if (renameat(t->parentfd, tmp, t->parentfd, t->base) < 0) {
		ret = strbuf_error(err, "cannot replace '%s': %s", t->display, strerror(errno));
		renameat(t->parentfd, old.buf, t->parentfd, t->base);
	} else {
		/* The old tree is what is left to remove. */
		tempdir_rename(old.buf);
	}
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	strbuf_release(&old);
	return ret;
}

static int swap_in(struct target *t, const char *tmp, int exists, struct strbuf *err)
{
	if (exists) {
		if (!fault_no_exchange() && !rename2(t->parentfd, tmp, t->base, RENAME_EXCHANGE))
			return 0;
		if (!fault_no_exchange() && !unsupported(errno))
			return strbuf_error(err, "cannot replace '%s': %s", t->display, strerror(errno));
		return swap_by_two_renames(t, tmp, err);
	}
	if (!rename2(t->parentfd, tmp, t->base, RENAME_NOREPLACE))
		return 0;
	if (unsupported(errno) && !renameat(t->parentfd, tmp, t->parentfd, t->base))
		return 0;
	return strbuf_error(err, "cannot create '%s': %s", t->display, strerror(errno));
}

/*
 * Does DIR, open as dirfd, hold exactly what build_tree() would write (see
 * writer.h)?  Then nothing is written.  Otherwise kept says which of its
 * files build_tree() may link instead of writing.  An unreadable DIR is
 * not an error here: the rewrite that follows reports whatever is wrong.
 */
static int unchanged(int dirfd, const struct out_tree *tree, mode_t mask, struct compare_kept *kept)
{
	struct compare_exact exact = { mask, WRITER_DIR_MODE & ~mask, geteuid(), kept };

	return dirfd >= 0 && compare_tree_exact(tree, dirfd, &exact) == 0;
}

/* With WRITER_DURABLE an unchanged DIR is synced all the same: it may be an earlier run's, still in memory. */
static int sync_unchanged(const struct target *t, struct strbuf *err)
{
	int fd = openat(t->parentfd, t->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 || syncfs(fd) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return strbuf_error(err, "cannot sync '%s' to disk: %s", t->display, strerror(e));
	}
	close(fd);
	(void)fsync(t->parentfd);
	return 0;
}

int writer_commit(const struct out_tree *tree, const char *dir, enum writer_flags flags,
		  struct strbuf *err)
{
	struct build b = { .tmpfd = -1, .dirfd = -1 };
	struct compare_kept *kept = NULL;
	struct target t;
	struct stat st;
	struct strbuf tmp = STRBUF_INIT;
	mode_t dir_mode, mask;
	int exists, ret = -1;
	if (target_open(&t, dir, err) < 0 || sweep(&t, err) < 0 ||
	    check_target(&t, &st, &exists, err) < 0)
		goto out;
	mask = umask(0);
	umask(mask);
	dir_mode = exists ? st.st_mode & 07777 : WRITER_DIR_MODE & ~mask;
	if (exists) {
		b.dirfd = openat(t.parentfd, t.base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		kept = xcalloc(tree->n ? tree->n : 1, sizeof *kept);
		b.kept = kept;
		if (unchanged(b.dirfd, tree, mask, kept)) {
			ret = flags & WRITER_DURABLE ? sync_unchanged(&t, err) : 0;
			goto out;
		}
	}

	strbuf_addf(&tmp, "%s/.%s%sXXXXXX", t.parent, t.base, TMP_TAG);
	if (!mkdtemp(tmp.buf)) {
		strbuf_error(err, "cannot create a temporary folder beside '%s': %s", t.display,
		      strerror(errno));
		goto out;
	}
	tempdir_register(t.parentfd, strrchr(tmp.buf, '/') + 1);

	b.t = &t;
	b.err = err;
	b.tmpfd = openat(t.parentfd, tempdir_name(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (b.tmpfd < 0) {
		strbuf_error(err, "cannot open '%s': %s", tmp.buf, strerror(errno));
		goto out_remove;
	}
	if (build_tree(&b, tree, dir_mode, flags) < 0 || swap_in(&t, tempdir_name(), exists, err) < 0)
		goto out_remove;
	/*
	 * The swap is done and cannot be taken back cleanly, so a failure to
	 * sync the parent only weakens durability: it is not reported.
	 */
	if (flags & WRITER_DURABLE)
		(void)fsync(t.parentfd);
	ret = 0;
out_remove:
	tempdir_discard(); /* the new tree on failure, the old one on success */
	if (b.tmpfd >= 0)
		close(b.tmpfd);
out:
	if (b.dirfd >= 0)
		close(b.dirfd);
	free(kept);
	strbuf_release(&tmp);
	target_release(&t);
	return ret;
}
