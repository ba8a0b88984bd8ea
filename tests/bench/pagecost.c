/*
 * pagecost.c - tests/bench: what a first touch of fresh memory costs here.
 *
 *	pagecost     prints "US_PER_4K_PAGE US_PER_2M_HUGE_PAGE"
 *
 * The median of 9 rounds of: map 2 MiB, touch each 4 KiB page once, unmap;
 * and the same 2 MiB aligned and madvise(MADV_HUGEPAGE)d, touched once
 * (0 when the kernel offers no huge pages on request).  On bare metal a
 * fault is well under a microsecond; in a virtual machine whose host
 * backs guest memory lazily it can be twenty, and then page faults, not
 * instructions, set most of a short run's wall time (src/arena.c).
 */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

enum { ROUNDS = 9, HUGE = 2 << 20, PAGE = 4096 };

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* One round: the microseconds to first-touch HUGE bytes, as 4 KiB pages or one huge page. */
static double round_us(int huge)
{
	size_t len = huge ? 2 * (size_t)HUGE : (size_t)HUGE;
	unsigned char *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *p;
	double t0, t;
	size_t i;

	if (map == MAP_FAILED) {
		perror("pagecost: mmap");
		exit(2);
	}
	p = huge ? (unsigned char *)(((uintptr_t)map + HUGE - 1) & ~(uintptr_t)(HUGE - 1)) : map;
#ifdef MADV_HUGEPAGE
	if (huge && madvise(p, HUGE, MADV_HUGEPAGE) < 0) {
		munmap(map, len);
		return 0;
	}
#else
	if (huge) {
		munmap(map, len);
		return 0;
	}
#endif
	t0 = now_us();
	for (i = 0; i < HUGE; i += PAGE)
		p[i] = 1;
	t = now_us() - t0;
	munmap(map, len);
	return t;
}

int main(void)
{
	double small[ROUNDS], huge[ROUNDS];
	int i;

	for (i = 0; i < ROUNDS; i++) {
		small[i] = round_us(0) / (HUGE / PAGE);
		huge[i] = round_us(1);
	}
	qsort(small, ROUNDS, sizeof *small, by_value);
	qsort(huge, ROUNDS, sizeof *huge, by_value);
	printf("%.2f %.0f\n", small[ROUNDS / 2], huge[ROUNDS / 2]);
	return 0;
}
