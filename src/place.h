/*
 * place.h - puts a few new files into a folder that may hold others
 * (ecsgen init); writer.h is the other writer, which replaces a whole
 * output folder.
 *
 *	struct place_file files[] = { { "infra.yml", text, len, 0644 }, ... };
 *	struct strbuf err = STRBUF_INIT;
 *	r = place_files("repo", files, n, false, &err);
 *	    0   every file is in place
 *	    1   nothing written: some already exist (err names them); pass
 *	        force to replace them
 *	   -1   nothing written (see below): err holds one line
 *
 * Each file is whole or absent, never short: all of them are first written
 * and synced in a temporary folder inside dir (".ecsgen-init.XXXXXX",
 * removed at exit and on SIGINT, SIGTERM, SIGHUP through tempdir.h, and
 * swept by the next call after a kill -9), then renamed into dir one by
 * one, each with RENAME_NOREPLACE unless force, so a file that appears
 * meanwhile is never clobbered.  The set is not atomic: there is no one
 * step that renames several files.  When a rename fails, the files this
 * call already placed are taken back (new ones only: with force, a file it
 * replaced stays replaced, whole); a kill -9 between two renames leaves the
 * files placed so far, and calling again with force completes the set.
 * dir is created (one level, 0777 minus the umask) when missing; the files
 * and dir are fsync()ed before 0 is returned.
 */
#ifndef ECSGEN_PLACE_H
#define ECSGEN_PLACE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct place_file {
	const char *name;  /* a plain name in dir: no '/' */
	const char *data;
	size_t len;
	unsigned mode;     /* masked by the umask */
};

int place_files(const char *dir, const struct place_file *files, size_t n, bool force,
		struct strbuf *err);

#endif
