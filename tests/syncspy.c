/*
 * syncspy.c - an LD_PRELOAD library for tests/write-policy.test: logs
 * every sync and rename call a program makes through libc, one name a
 * line, to the file $SYNCSPY_LOG, then makes the call.
 *
 * It stands in for strace: the sanitizer build's LeakSanitizer cannot run
 * under ptrace, so every traced run of it failed.  syscall() is covered too,
 * since the writer calls renameat2 through it where libc has no wrapper.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void note(const char *name)
{
	const char *path = getenv("SYNCSPY_LOG");
	int fd;

	if (!path)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (write(fd, name, strlen(name)) < 0 || write(fd, "\n", 1) < 0)
		(void)0;
	close(fd);
}

#define NEXT(type, name) ((type)dlsym(RTLD_NEXT, name))

int fsync(int fd)
{
	note("fsync");
	return NEXT(int (*)(int), "fsync")(fd);
}

int fdatasync(int fd)
{
	note("fdatasync");
	return NEXT(int (*)(int), "fdatasync")(fd);
}

int syncfs(int fd)
{
	note("syncfs");
	return NEXT(int (*)(int), "syncfs")(fd);
}

void sync(void)
{
	note("sync");
	NEXT(void (*)(void), "sync")();
}

int sync_file_range(int fd, off_t off, off_t n, unsigned int flags)
{
	note("sync_file_range");
	return NEXT(int (*)(int, off_t, off_t, unsigned int), "sync_file_range")(fd, off, n, flags);
}

int msync(void *addr, size_t len, int flags)
{
	note("msync");
	return NEXT(int (*)(void *, size_t, int), "msync")(addr, len, flags);
}

int rename(const char *from, const char *to)
{
	note("rename");
	return NEXT(int (*)(const char *, const char *), "rename")(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	note("renameat");
	return NEXT(int (*)(int, const char *, int, const char *), "renameat")(fromfd, from, tofd, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
	note("renameat2");
	return NEXT(int (*)(int, const char *, int, const char *, unsigned int), "renameat2")(
		fromfd, from, tofd, to, flags);
}

long syscall(long n, ...)
{
	long a[6];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (n) {
	case SYS_fsync: note("fsync"); break;
	case SYS_fdatasync: note("fdatasync"); break;
	case SYS_syncfs: note("syncfs"); break;
	case SYS_sync: note("sync"); break;
	case SYS_sync_file_range: note("sync_file_range"); break;
	case SYS_msync: note("msync"); break;
#ifdef SYS_rename
	case SYS_rename: note("rename"); break;
#endif
	case SYS_renameat: note("renameat"); break;
#ifdef SYS_renameat2
	case SYS_renameat2: note("renameat2"); break;
#endif
	default: break;
	}
	return NEXT(long (*)(long, ...), "syscall")(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}
