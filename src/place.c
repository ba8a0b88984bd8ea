/* place.c - puts a few new files into a folder, each whole or absent (see place.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "place.h"
#include "strbuf.h"
#include "tempdir.h"
#include "xalloc.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

#define TMP_TAG ".ecsgen-init."
enum { SUFFIX_LEN = 6 };

/* renameat2() within one pair of folders; ENOSYS where the system has none. */
static int rename2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
#ifdef SYS_renameat2
	return (int)syscall(SYS_renameat2, fromfd, from, tofd, to, flags);
#else
	(void)fromfd, (void)from, (void)tofd, (void)to, (void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

/* Move from (under fromfd) to to (under tofd), never over an existing file unless replace. */
static int move(int fromfd, const char *from, int tofd, const char *to, bool replace)
{
	if (replace)
		return renameat(fromfd, from, tofd, to);
	if (!rename2(fromfd, from, tofd, to, RENAME_NOREPLACE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	/* No renameat2 here: a hard link fails with EEXIST just as well. */
	if (linkat(fromfd, from, tofd, to, 0) < 0)
		return -1;
	return unlinkat(fromfd, from, 0);
}

/* Remove leftovers of a run killed with -9: our own folders named exactly TMP_TAG + 6 characters. */
static void sweep(int dirfd)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;
		if (strncmp(e->d_name, TMP_TAG, strlen(TMP_TAG)) || strlen(e->d_name) != strlen(TMP_TAG) + SUFFIX_LEN)
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;
		(void)tempdir_remove_tree(dirfd, e->d_name);
	}
	closedir(d);
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static int write_file(int dirfd, const struct place_file *f)
{
	int fd = openat(dirfd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode);
	int e;

	if (fd < 0)
		return -1;
	if (write_all(fd, f->data, f->len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* dir, opened; created first (one level) when missing. */
static int open_dir(const char *dir, struct strbuf *err)
{
	int fd;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return strbuf_error(err, "cannot create the folder '%s': %s", dir, strerror(errno));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return strbuf_error(err, "cannot open the folder '%s': %s", dir,
				    errno == ENOTDIR ? "not a folder" : strerror(errno));
	return fd;
}

/* 1 when some file exists and may not be replaced (err names them all); -1 on trouble; else 0. */
static int check_targets(int dirfd, const char *dir, const struct place_file *files, size_t n, bool force,
			 struct strbuf *err)
{
	struct strbuf names = STRBUF_INIT;
	size_t i, found = 0;

	for (i = 0; i < n; i++) {
		struct stat st;
		if (fstatat(dirfd, files[i].name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				continue;
			strbuf_release(&names);
			return strbuf_error(err, "cannot look at '%s/%s': %s", dir, files[i].name, strerror(errno));
		}
		if (S_ISDIR(st.st_mode)) {
			strbuf_release(&names);
			return strbuf_error(err, "'%s/%s' is a folder: init writes a file there", dir, files[i].name);
		}
		strbuf_addf(&names, "%s'%s'", found++ ? ", " : "", files[i].name);
	}
	if (found && !force) {
		strbuf_error(err, "'%s' already has %s: nothing written (--force replaces %s)", dir, names.buf,
			     found > 1 ? "them" : "it");
		strbuf_release(&names);
		return 1;
	}
	strbuf_release(&names);
	return 0;
}

int place_files(const char *dir, const struct place_file *files, size_t n, bool force,
		struct strbuf *err)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *tmpname;
	int dirfd, tmpfd = -1, r;
	size_t i, placed = 0;

	dirfd = open_dir(dir, err);
	if (dirfd < 0)
		return -1;
	sweep(dirfd);
	r = check_targets(dirfd, dir, files, n, force, err);
	if (r) {
		close(dirfd);
		return r;
	}
	strbuf_addf(&tmp, "%s/" TMP_TAG "XXXXXX", dir);
	if (!mkdtemp(tmp.buf)) {
		r = strbuf_error(err, "cannot create a temporary folder in '%s': %s", dir, strerror(errno));
		goto out;
	}
	tmpname = strrchr(tmp.buf, '/') + 1;
	tempdir_register(dirfd, tmpname);
	tmpfd = openat(dirfd, tmpname, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (tmpfd < 0) {
		r = strbuf_error(err, "cannot open '%s': %s", tmp.buf, strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (write_file(tmpfd, &files[i]) < 0) {
			r = strbuf_error(err, "cannot write '%s/%s': %s", dir, files[i].name, strerror(errno));
			goto out;
		}
	}
	for (placed = 0; placed < n; placed++) {
		if (move(tmpfd, files[placed].name, dirfd, files[placed].name, force) < 0) {
			r = strbuf_error(err, "cannot put '%s/%s' in place: %s", dir, files[placed].name,
					 errno == EEXIST ? "it appeared meanwhile" : strerror(errno));
			break;
		}
	}
	if (placed < n && !force) {
		/* Take back what this call placed: those files were new. */
		while (placed--)
			(void)move(dirfd, files[placed].name, tmpfd, files[placed].name, false);
	} else if (placed == n && fsync(dirfd) < 0) {
		r = strbuf_error(err, "cannot sync the folder '%s': %s", dir, strerror(errno));
	}
out:
	if (tmpfd >= 0)
		close(tmpfd);
	tempdir_discard();
	close(dirfd);
	strbuf_release(&tmp);
	return r;
}
