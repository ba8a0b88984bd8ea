/* tempdir.c - the commit's temporary folder, removed at exit and on signals (see tempdir.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tempdir.h"

enum { MAX_DEPTH = 32 };

/* ---- fault injection seam (tests only) ---- */

#ifdef ECSGEN_FAULT_INJECTION
void tempdir_raise_named(const char *name)
{
	if (!strcmp(name, "INT"))
		raise(SIGINT);
	else if (!strcmp(name, "HUP"))
		raise(SIGHUP);
	else if (!strcmp(name, "KILL"))
		raise(SIGKILL);
	else
		raise(SIGTERM);
}

/* ECSGEN_REMOVE_SIGNAL=TERM: the signal arrives once a discard's removal has begun. */
static volatile sig_atomic_t discarding;
static void fault_in_removal(void)
{
	const char *sig;
	if (!discarding)
		return;
	discarding = 0;
	sig = getenv("ECSGEN_REMOVE_SIGNAL");
	if (sig)
		tempdir_raise_named(sig);
}
#else
static void fault_in_removal(void) { }
#endif

/* ---- removing a tree without malloc or stdio (safe in a signal handler) ---- */

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int remove_at(int dirfd, const char *name, int depth);

static int is_dot_or_dotdot(const char *name)
{
	return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* Remove everything inside the open folder fd; passes repeat until empty. */
static int empty_folder(int fd, int depth)
{
	_Alignas(8) char buf[1024];
	int removed;

	do {
		removed = 0;
		if (lseek(fd, 0, SEEK_SET) < 0)
			return -1;
		for (;;) {
			long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
			long off;
			if (n < 0)
				return -1;
			if (n == 0)
				break;
			for (off = 0; off < n;) {
				struct linux_dirent64 *d = (struct linux_dirent64 *)(void *)(buf + off);
				off += d->d_reclen;
				if (is_dot_or_dotdot(d->d_name))
					continue;
				if (remove_at(fd, d->d_name, depth + 1) < 0)
					return -1;
				removed = 1;
				fault_in_removal();
			}
		}
	} while (removed);
	return 0;
}

/* Remove name under dirfd, recursively if it is a folder; never follows links. */
static int remove_at(int dirfd, const char *name, int depth)
{
	int fd, saved;

	if (!unlinkat(dirfd, name, 0) || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth >= MAX_DEPTH) {
		errno = ELOOP;
		return -1;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (empty_folder(fd, depth) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* ---- the temporary folder of the commit in progress: removed at exit and on signals ---- */

static const int cleanup_signals[] = { SIGHUP, SIGINT, SIGTERM };
enum { NSIGNALS = sizeof cleanup_signals / sizeof cleanup_signals[0] };

static struct {
	volatile sig_atomic_t active;
	int parentfd;
	char name[NAME_MAX + 1];
	struct sigaction saved[NSIGNALS];
	int installed[NSIGNALS];
} pending;

static void remove_pending(void)
{
	if (pending.active) {
		pending.active = 0;
		remove_at(pending.parentfd, pending.name, 0);
	}
}

static void restore_handlers(void)
{
	size_t i;
	for (i = 0; i < NSIGNALS; i++)
		if (pending.installed[i]) {
			sigaction(cleanup_signals[i], &pending.saved[i], NULL);
			pending.installed[i] = 0;
		}
}

static void on_signal(int sig)
{
	int saved = errno;
	remove_pending();
	restore_handlers();
	errno = saved;
	raise(sig); /* with the caller's own disposition, now restored */
}

void tempdir_register(int parentfd, const char *name)
{
	static int atexit_done;
	struct sigaction sa;
	size_t i;

	if (!atexit_done) {
		atexit(remove_pending);
		atexit_done = 1;
	}
	pending.parentfd = parentfd;
	snprintf(pending.name, sizeof pending.name, "%s", name);
	pending.active = 1;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++) {
		struct sigaction old;
		if (sigaction(cleanup_signals[i], NULL, &old) < 0 || old.sa_handler == SIG_IGN)
			continue; /* nohup: an ignored signal stays ignored */
		if (sigaction(cleanup_signals[i], &sa, &pending.saved[i]) == 0)
			pending.installed[i] = 1;
	}
}

void tempdir_hold_signals(sigset_t *old)
{
	sigset_t set;
	size_t i;
	sigemptyset(&set);
	for (i = 0; i < NSIGNALS; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

const char *tempdir_name(void)
{
	return pending.name;
}

void tempdir_rename(const char *name)
{
	snprintf(pending.name, sizeof pending.name, "%s", name);
}

void tempdir_discard(void)
{
	sigset_t saved_mask;

	tempdir_hold_signals(&saved_mask);
#ifdef ECSGEN_FAULT_INJECTION
	discarding = 1;
#endif
	remove_pending();
	pending.active = 0;
	restore_handlers();
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

int tempdir_remove_tree(int dirfd, const char *name)
{
	return remove_at(dirfd, name, 0);
}
