/*
 * xalloc.h - the one place where running out of memory is handled.
 *
 * Every allocation in ecsgen goes through these.  On failure they print one
 * line and exit 2 (an I/O-class failure: the input was not at fault).  A
 * build configured with --enable-fault-injection fails the Nth allocation
 * when ECSGEN_FAIL_ALLOC=N is set, so tests can prove that no partial out/
 * survives an allocation failure.
 */
#ifndef ECSGEN_XALLOC_H
#define ECSGEN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
/* size bytes at a multiple of align (a power of two, a multiple of sizeof(void *)); free() frees it. */
void *xmalloc_aligned(size_t align, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/* Report running out of memory for a request of size bytes, and exit 2. */
_Noreturn void xalloc_die(size_t size);

/* Grow *items (of *alloc elements of elem_size) to hold at least want. */
void xgrow(void **items, size_t *alloc, size_t want, size_t elem_size);

#endif
