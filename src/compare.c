/* compare.c - compares the in-memory out_tree with a folder for --check (see compare.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "outtree.h"
#include "strbuf.h"
#include "xalloc.h"

enum {
	MAX_DEPTH = 64,
	MAX_SHOWN_LINE = 160,          /* bytes of a line shown in a hunk */
	MAX_DIFFED_FILE = 16 << 20,    /* larger files are compared, not diffed */
};

enum entry_kind { ENTRY_FILE, ENTRY_FOLDER, ENTRY_OTHER };

/* Something found in DIR, path relative to it. */
struct entry {
	char *path;
	enum entry_kind kind;
	mode_t mode;  /* permission bits */
	uid_t uid;
};

struct walk {
	struct entry *entries;
	size_t n, alloc;
	struct strbuf *err;
	const struct compare_exact *exact; /* NULL: contents only */
	int folder_differs;                /* a folder's mode or owner is not exact's */
};


static void add_entry(struct walk *w, const char *path, enum entry_kind kind, const struct stat *st)
{
	xgrow((void **)&w->entries, &w->alloc, w->n + 1, sizeof *w->entries);
	w->entries[w->n].path = xstrdup(path);
	w->entries[w->n].kind = kind;
	w->entries[w->n].mode = st ? st->st_mode & 07777 : 0;
	w->entries[w->n].uid = st ? st->st_uid : 0;
	w->n++;
}

/* List everything under the open folder fd (named prefix, "" for DIR itself). */
static int walk_folder(struct walk *w, int fd, struct strbuf *prefix, const char *display,
		       int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	size_t keep = prefix->len, count = 0;
	int ret = 0;

	if (!d) {
		close(fd);
		return strbuf_error(w->err, "cannot read '%s/%s': %s", display, prefix->buf,
			     strerror(errno));
	}
	while (!ret && (errno = 0, de = readdir(d))) {
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		count++;
		strbuf_setlen(prefix, keep);
		strbuf_addstr(prefix, de->d_name);
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			ret = strbuf_error(w->err, "cannot inspect '%s/%s': %s", display, prefix->buf,
				    strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			int sub;
			if (w->exact && ((st.st_mode & 07777) != w->exact->folder_mode ||
					 st.st_uid != w->exact->uid))
				w->folder_differs = 1;
			sub = depth < MAX_DEPTH
				? openat(dirfd(d), de->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
				: (errno = ELOOP, -1);
			if (sub < 0) {
				ret = strbuf_error(w->err, "cannot open '%s/%s': %s", display,
					    prefix->buf, strerror(errno));
			} else {
				strbuf_addch(prefix, '/');
				ret = walk_folder(w, sub, prefix, display, depth + 1);
			}
		} else {
			add_entry(w, prefix->buf, S_ISREG(st.st_mode) ? ENTRY_FILE : ENTRY_OTHER, &st);
		}
	}
	if (!ret && errno)
		ret = strbuf_error(w->err, "cannot read '%s/%s': %s", display, prefix->buf,
			    strerror(errno));
	closedir(d);
	strbuf_setlen(prefix, keep);
	/* An empty folder is something ecsgen never writes. */
	if (!ret && !count && keep) {
		strbuf_setlen(prefix, keep - 1);
		add_entry(w, prefix->buf, ENTRY_FOLDER, NULL);
		strbuf_setlen(prefix, keep);
	}
	return ret;
}

static int by_entry_path(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static int by_file_path(const void *a, const void *b)
{
	return strcmp((*(const struct out_file *const *)a)->path,
		      (*(const struct out_file *const *)b)->path);
}

/* ---- a short hunk for a changed text file ---- */

struct lines {
	const char *text;
	size_t len;
	size_t *starts; /* starts[i]..starts[i+1] is line i, newline included */
	size_t n;
};

static void split_lines(struct lines *l, const char *text, size_t len)
{
	size_t i, alloc = 0;
	l->text = text;
	l->len = len;
	l->starts = NULL;
	l->n = 0;
	xgrow((void **)&l->starts, &alloc, 1, sizeof *l->starts);
	l->starts[0] = 0;
	for (i = 0; i < len; i++)
		if (text[i] == '\n' || i + 1 == len) {
			xgrow((void **)&l->starts, &alloc, l->n + 2, sizeof *l->starts);
			l->starts[++l->n] = i + 1;
		}
}

static int same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	size_t alen = a->starts[i + 1] - a->starts[i], blen = b->starts[j + 1] - b->starts[j];
	return alen == blen && !memcmp(a->text + a->starts[i], b->text + b->starts[j], alen);
}

static void add_line(struct strbuf *out, char sign, const struct lines *l, size_t i)
{
	const char *p = l->text + l->starts[i];
	size_t len = l->starts[i + 1] - l->starts[i], k;
	int newline = len && p[len - 1] == '\n';

	if (newline)
		len--;
	strbuf_addstr(out, "  ");
	strbuf_addch(out, sign);
	for (k = 0; k < len && k < MAX_SHOWN_LINE; k++) {
		unsigned char c = (unsigned char)p[k];
		strbuf_addch(out, (c < 0x20 && c != '\t') || c == 0x7f ? '?' : c);
	}
	if (len > MAX_SHOWN_LINE)
		strbuf_addstr(out, "...");
	strbuf_addch(out, '\n');
	if (!newline)
		strbuf_addstr(out, "  \\ no newline at end of file\n");
}

/* Unified convention: a range of no lines starts at the line before. */
static void add_range(struct strbuf *out, char sign, size_t first, size_t count)
{
	strbuf_addf(out, "%c%zu,%zu", sign, count ? first + 1 : first, count);
}

static void add_hunk(struct strbuf *out, const char *disk, size_t disk_len,
		     const char *mem, size_t mem_len)
{
	struct lines a, b;
	size_t head = 0, tail = 0, nminus, nplus, show_minus, show_plus, i;

	split_lines(&a, disk, disk_len);
	split_lines(&b, mem, mem_len);
	while (head < a.n && head < b.n && same_line(&a, head, &b, head))
		head++;
	while (tail < a.n - head && tail < b.n - head &&
	       same_line(&a, a.n - 1 - tail, &b, b.n - 1 - tail))
		tail++;
	nminus = a.n - head - tail;
	nplus = b.n - head - tail;

	/* Show at most COMPARE_MAX_DIFF_LINES: half each, or what one side leaves. */
	show_minus = nminus;
	show_plus = nplus;
	if (nminus + nplus > COMPARE_MAX_DIFF_LINES) {
		size_t half = COMPARE_MAX_DIFF_LINES / 2;
		show_minus = nminus < half ? nminus
			: nplus < half ? COMPARE_MAX_DIFF_LINES - nplus : half;
		show_plus = COMPARE_MAX_DIFF_LINES - show_minus;
	}

	strbuf_addstr(out, "  @@ ");
	add_range(out, '-', head, nminus);
	strbuf_addch(out, ' ');
	add_range(out, '+', head, nplus);
	strbuf_addstr(out, " @@\n");
	for (i = 0; i < show_minus; i++)
		add_line(out, '-', &a, head + i);
	for (i = 0; i < show_plus; i++)
		add_line(out, '+', &b, head + i);
	if (nminus + nplus > show_minus + show_plus)
		strbuf_addf(out, "  ... %zu more lines differ\n",
			    nminus + nplus - show_minus - show_plus);
	free(a.starts);
	free(b.starts);
}

/* ---- comparing one file ---- */

/* Reads fd to its end; size (the file's, from fstat) sizes the buffer once, so it is never copied. */
static int read_fd(int fd, struct strbuf *sb, size_t size)
{
	strbuf_grow(sb, size + 1);
	for (;;) {
		ssize_t n;
		if (sb->alloc - sb->len < 2)
			strbuf_grow(sb, 65536); /* the file grew since fstat */
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		strbuf_setlen(sb, sb->len + (size_t)n);
	}
}

/* 0 same, 1 changed (reported when report is not NULL), -1 error; when same, *found is its fstat. */
static int compare_file(const struct out_file *f, int dirfd, const char *display,
			struct strbuf *report, struct strbuf *err, struct stat *found)
{
	struct strbuf disk = STRBUF_INIT;
	struct stat st;
	int fd, ret = 0;

	fd = openat(dirfd, f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		ret = strbuf_error(err, "cannot read '%s/%s': %s", display, f->path, strerror(errno));
		goto out;
	}
	if ((size_t)st.st_size != f->len && (!report || st.st_size > MAX_DIFFED_FILE)) {
		ret = 1;
		if (!report)
			goto out;
		strbuf_addf(report, "changed: %s/%s (%lld bytes, expected %zu)\n", display,
			    f->path, (long long)st.st_size, f->len);
		goto out;
	}
	if (read_fd(fd, &disk, (size_t)st.st_size) < 0) {
		ret = strbuf_error(err, "cannot read '%s/%s': %s", display, f->path, strerror(errno));
		goto out;
	}
	if (disk.len == f->len && !memcmp(disk.buf, f->data, f->len)) {
		*found = st;
		goto out;
	}
	ret = 1;
	if (!report)
		goto out;
	if (memchr(disk.buf, '\0', disk.len) || memchr(f->data, '\0', f->len)) {
		strbuf_addf(report, "changed: %s/%s (binary)\n", display, f->path);
		goto out;
	}
	strbuf_addf(report, "changed: %s/%s\n", display, f->path);
	add_hunk(report, disk.buf, disk.len, f->data, f->len);
out:
	if (fd >= 0)
		close(fd);
	strbuf_release(&disk);
	return ret;
}

/*
 * Compare tree with the folder open as dirfd (NULL exact: contents only;
 * NULL report: stop at the first difference).  0 same, 1 differ, -1 error.
 */
static int compare_at(const struct out_tree *tree, int dirfd, const char *display,
		      const struct compare_exact *exact, struct strbuf *report, struct strbuf *err)
{
	struct walk w = { NULL, 0, 0, err, exact, 0 };
	struct strbuf prefix = STRBUF_INIT;
	const struct out_file **files;
	size_t i = 0, j = 0, k;
	int differ = 0, ret = 0;

	files = xcalloc(tree->n ? tree->n : 1, sizeof *files);
	for (k = 0; k < tree->n; k++)
		files[k] = &tree->files[k];
	if (tree->n > 1)
		qsort(files, tree->n, sizeof *files, by_file_path);

	if (dirfd >= 0) {
		int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			ret = strbuf_error(err, "cannot read '%s': %s", display, strerror(errno));
			goto out;
		}
		if ((ret = walk_folder(&w, fd, &prefix, display, 0)) < 0)
			goto out;
		if (w.n > 1)
			qsort(w.entries, w.n, sizeof *w.entries, by_entry_path);
	}
	differ = w.folder_differs;

	/* Merge the two sorted lists. */
	while ((report || !differ || (exact && exact->kept)) && (i < tree->n || j < w.n)) {
		int c = i == tree->n ? 1 : j == w.n ? -1 : strcmp(files[i]->path, w.entries[j].path);
		if (c < 0) {
			if (report)
				strbuf_addf(report, "missing: %s/%s\n", display, files[i]->path);
			i++;
			differ = 1;
		} else if (c > 0) {
			if (report)
				strbuf_addf(report, "extra: %s/%s%s\n", display, w.entries[j].path,
					    w.entries[j].kind == ENTRY_FOLDER ? "/" : "");
			j++;
			differ = 1;
		} else if (w.entries[j].kind != ENTRY_FILE) {
			if (report)
				strbuf_addf(report, "changed: %s/%s (not a regular file)\n", display,
					    files[i]->path);
			i++, j++;
			differ = 1;
		} else if (exact && (w.entries[j].mode != (files[i]->mode & ~exact->file_mask & 07777) ||
				     w.entries[j].uid != exact->uid)) {
			i++, j++;
			differ = 1;
		} else {
			struct stat st = { 0 };
			int r = compare_file(files[i], dirfd, display, report, err, &st);
			if (r < 0) {
				ret = -1;
				goto out;
			}
			if (!r && exact && exact->kept) {
				struct compare_kept *keep = &exact->kept[files[i] - tree->files];
				keep->same = 1;
				keep->dev = st.st_dev;
				keep->ino = st.st_ino;
				keep->mtime = st.st_mtim;
			}
			differ |= r;
			i++, j++;
		}
	}
	ret = differ;
out:
	for (k = 0; k < w.n; k++)
		free(w.entries[k].path);
	free(w.entries);
	free(files);
	strbuf_release(&prefix);
	return ret;
}

int compare_tree(const struct out_tree *tree, const char *dir, struct strbuf *report,
		 struct strbuf *err)
{
	size_t len = strlen(dir);
	char *display;
	int dirfd, ret;

	while (len > 1 && dir[len - 1] == '/')
		len--;
	display = xstrndup(dir, len);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 && errno == ENOTDIR)
		ret = strbuf_error(err, "'%s' exists and is not a folder", display);
	else if (dirfd < 0 && errno != ENOENT)
		ret = strbuf_error(err, "cannot open '%s': %s", display, strerror(errno));
	else
		ret = compare_at(tree, dirfd, display, NULL, report, err);
	if (dirfd >= 0)
		close(dirfd);
	free(display);
	return ret;
}

int compare_tree_exact(const struct out_tree *tree, int dirfd, const struct compare_exact *exact)
{
	struct strbuf err = STRBUF_INIT;
	int ret = compare_at(tree, dirfd, "", exact, NULL, &err);

	strbuf_release(&err);
	return ret;
}
