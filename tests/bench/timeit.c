/*
 * timeit.c - tests/bench: the median whole-process wall time of a command.
 *
 *	timeit RUNS COMMAND [ARGS...]
 *
 * Runs COMMAND RUNS times (fork, exec, wait; its output to /dev/null) and
 * prints "WALL_US CPU_US STATUS": the median wall time in microseconds,
 * from just before fork to just after wait; the median CPU time (user +
 * system, from wait4's rusage), which a loaded machine disturbs far less;
 * and the exit status of the last run.
 * A shell loop around date(1) would time date's own fork and exec too,
 * which is more than ecsgen's whole run; this adds one fork.
 *
 * TIMEIT_BEFORE, when set, is a shell command run before each run and not
 * timed: the bench uses it to make out/ stale, so that every compile it
 * times rewrites the tree.
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int by_value(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	long *times, *cpu;
	int runs, i, status = 0;

	if (argc < 3 || (runs = atoi(argv[1])) < 1) {
		fprintf(stderr, "usage: timeit RUNS COMMAND [ARGS...]\n");
		return 2;
	}
	times = calloc((size_t)runs, sizeof *times);
	cpu = calloc((size_t)runs, sizeof *cpu);
	if (!times || !cpu)
		return 2;
	for (i = 0; i < runs; i++) {
		const char *before = getenv("TIMEIT_BEFORE");
		struct rusage ru;
		long t0;
		pid_t pid;

		if (before && *before && system(before) != 0) {
			fprintf(stderr, "timeit: TIMEIT_BEFORE failed: %s\n", before);
			return 2;
		}
		t0 = now_us();
		pid = fork();
		if (pid < 0) {
			perror("timeit: fork");
			return 2;
		}
		if (!pid) {
			int null = open("/dev/null", O_WRONLY);
			if (null >= 0) {
				dup2(null, 1);
				dup2(null, 2);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("timeit: wait4");
			return 2;
		}
		times[i] = now_us() - t0;
		cpu[i] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000L + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	}
	qsort(times, (size_t)runs, sizeof *times, by_value);
	qsort(cpu, (size_t)runs, sizeof *cpu, by_value);
	printf("%ld %ld %d\n", times[runs / 2], cpu[runs / 2],
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	free(times);
	free(cpu);
	return 0;
}
