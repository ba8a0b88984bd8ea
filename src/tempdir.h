/*
 * tempdir.h - the temporary folder of the commit in progress (the job of
 * git's tempfile.c): whatever happens to the process short of kill -9, it
 * does not outlive the commit.
 *
 *	tempdir_register(parentfd, ".out.ecsgen-tmp.Ab12Cd");
 *	... build it, swap it in ...
 *	tempdir_discard();        removes what is registered now
 *
 * A registered folder is removed at exit() and on SIGHUP, SIGINT and
 * SIGTERM (the signal is then re-raised with the caller's own disposition;
 * an ignored signal stays ignored).  The removal allocates nothing and
 * uses no stdio, so it is safe in a signal handler, and never follows a
 * symbolic link.  One folder is registered at a time.
 */
#ifndef ECSGEN_TEMPDIR_H
#define ECSGEN_TEMPDIR_H

#include <signal.h>

/* Register parentfd/name for removal at exit and on the signals above. */
void tempdir_register(int parentfd, const char *name);

/* The registered folder's name (under parentfd). */
const char *tempdir_name(void);

/* The registered folder is now called name (a rename moved another tree there). */
void tempdir_rename(const char *name);

/*
 * Remove the registered folder now and unregister it.  The signals wait
 * until the removal is done: a SIGTERM in the middle would otherwise find
 * nothing pending and leave a half-removed folder for the next sweep.
 */
void tempdir_discard(void);

/* Block the signals above, saving the mask in old (sigprocmask restores it). */
void tempdir_hold_signals(sigset_t *old);

/* Remove name under dirfd, recursively if it is a folder.  0, or -1 with errno. */
int tempdir_remove_tree(int dirfd, const char *name);

#ifdef ECSGEN_FAULT_INJECTION
/* Raise the signal named INT, HUP, KILL or (anything else) TERM: tests only. */
void tempdir_raise_named(const char *name);
#endif

#endif
