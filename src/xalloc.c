/* xalloc.c - allocation wrappers that never return NULL (see xalloc.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void xalloc_die(size_t size)
{
	fprintf(stderr, "ecsgen: fatal: out of memory (allocating %zu bytes)\n", size);
	exit(2);
}

#ifdef ECSGEN_FAULT_INJECTION
/* Counts allocations; fails the one whose number is in ECSGEN_FAIL_ALLOC. */
static int should_fail(void)
{
	static long countdown = -2;
	if (countdown == -2) {
		const char *env = getenv("ECSGEN_FAIL_ALLOC");
		countdown = env ? atol(env) : -1;
	}
	if (countdown < 0)
		return 0;
	return --countdown == 0;
}
#else
static int should_fail(void) { return 0; }
#endif

void *xmalloc(size_t size)
{
	void *p = should_fail() ? NULL : malloc(size ? size : 1);
	if (!p)
		xalloc_die(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xalloc_die(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = should_fail() ? NULL : realloc(ptr, size ? size : 1);
	if (!p)
		xalloc_die(size);
	return p;
}

void *xmalloc_aligned(size_t align, size_t size)
{
	void *p = NULL;

	if (should_fail() || posix_memalign(&p, align, size ? size : 1))
		xalloc_die(size);
	return p;
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void xgrow(void **items, size_t *alloc, size_t want, size_t elem_size)
{
	size_t n = *alloc ? *alloc : 8;
	if (want <= *alloc)
		return;
	while (n < want)
		n *= 2;
	*items = xrealloc(*items, n * elem_size);
	*alloc = n;
}
