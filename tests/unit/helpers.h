/*
 * helpers.h - scratch folders and folder snapshots for the unit tests.
 *
 * Criterion runs every test in its own process, so a test may chdir into
 * its scratch folder: enter_scratch() (a .init) makes one and goes there,
 * leave_scratch() (a .fini) removes it.  Strings returned here are the
 * caller's to free().
 */
#ifndef ECSGEN_TEST_HELPERS_H
#define ECSGEN_TEST_HELPERS_H

#include <stddef.h>

void enter_scratch(void);
void leave_scratch(void);
const char *scratch_path(void);

/* Create path (and its parent folders) holding text. */
void put_file(const char *path, const char *text);
void put_folder(const char *path);

/*
 * Everything under dir, one line per entry, sorted: type, inode, mode,
 * mtime and the bytes of files.  Equal snapshots: dir was not touched.
 */
char *snapshot(const char *dir);
/* The names in folder dir, sorted, one per line ("" when empty). */
char *list_names(const char *dir);
/* The bytes of a file (NULL when it cannot be read). */
char *slurp(const char *path, size_t *len);

#endif
