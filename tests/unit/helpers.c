/* helpers.c - scratch folders and folder snapshots for the unit tests (see helpers.h). */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "outtree.h"
#include "strbuf.h"
#include "xalloc.h"

static char scratch[4096];

void enter_scratch(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(scratch, sizeof scratch, "%s/ecsgen-unit.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert(mkdtemp(scratch), "mkdtemp: %s", strerror(errno));
	cr_assert(!chdir(scratch));
	umask(022);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700);
	return remove(path) ? -1 : 0;
}

void leave_scratch(void)
{
	if (!*scratch)
		return;
	if (chdir("/") == 0)
		nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *scratch_path(void)
{
	return scratch;
}

static void make_parents(const char *path)
{
	char *copy = xstrdup(path), *p;
	for (p = strchr(copy + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		cr_assert(!mkdir(copy, 0755) || errno == EEXIST, "mkdir %s: %s", copy,
			  strerror(errno));
		*p = '/';
	}
	free(copy);
}

void put_file(const char *path, const char *text)
{
	FILE *f;
	make_parents(path);
	f = fopen(path, "w");
	cr_assert(f, "fopen %s: %s", path, strerror(errno));
	fputs(text, f);
	cr_assert(!fclose(f));
}

void put_folder(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s/", path);
	make_parents(sb.buf);
	strbuf_release(&sb);
}

char *slurp(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, len);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir (without . and ..); *n set. */
static char **names(const char *dir, size_t *n)
{
	char **v = NULL;
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*n = 0;
	cr_assert(d, "opendir %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		xgrow((void **)&v, &alloc, *n + 1, sizeof *v);
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof *v, by_name);
	return v;
}

char *list_names(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n, i;
	char **v = names(dir, &n);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s\n", v[i]);
		free(v[i]);
	}
	free(v);
	return strbuf_detach(&sb, NULL);
}

static void snap(struct strbuf *sb, const char *path)
{
	struct stat st;
	cr_assert(!lstat(path, &st), "lstat %s: %s", path, strerror(errno));
	strbuf_addf(sb, "%s ino=%llu mode=%o mtime=%lld.%09ld", path,
		    (unsigned long long)st.st_ino, (unsigned)st.st_mode,
		    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	if (S_ISREG(st.st_mode)) {
		size_t len;
		char *data = slurp(path, &len);
		strbuf_addf(sb, " size=%zu\n", len);
		strbuf_add(sb, data, len);
		strbuf_addch(sb, '\n');
		free(data);
	} else if (S_ISLNK(st.st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof target - 1);
		cr_assert(n >= 0);
		target[n] = '\0';
		strbuf_addf(sb, " -> %s\n", target);
	} else if (S_ISDIR(st.st_mode)) {
		size_t n, i;
		char **v = names(path, &n);
		strbuf_addstr(sb, " dir\n");
		for (i = 0; i < n; i++) {
			struct strbuf sub = STRBUF_INIT;
			strbuf_addf(&sub, "%s/%s", path, v[i]);
			snap(sb, sub.buf);
			strbuf_release(&sub);
			free(v[i]);
		}
		free(v);
	} else {
		strbuf_addstr(sb, " other\n");
	}
}

char *snapshot(const char *dir)
{
	struct strbuf sb = STRBUF_INIT;
	snap(&sb, dir);
	return strbuf_detach(&sb, NULL);
}
