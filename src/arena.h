/*
 * arena.h - one arena per compilation.
 *
 * The syntax tree, the IR and every string they hold come from one arena
 * owned by the driver and released at once with arena_free().  Nothing
 * allocated here is ever freed on its own: for arena objects the answer to
 * "who frees this?" is "nobody".  arena_alloc() and arena_array() memory
 * comes back zeroed; a string is its bytes and a NUL, at any address (not
 * aligned: strings are packed from the other end of a block).
 */
#ifndef ECSGEN_ARENA_H
#define ECSGEN_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *arena);

/* Zeroed memory aligned for any type; never NULL (see xalloc.h). */
void *arena_alloc(struct arena *arena, size_t size);
void *arena_array(struct arena *arena, size_t count, size_t elem_size);
/*
 * The same, not zeroed: for a caller that writes every byte before it
 * reads one (a glibc memset of more than a few KiB is `rep stosb`, which
 * callgrind counts a byte at a time).
 */
void *arena_alloc_raw(struct arena *arena, size_t size);
char *arena_strndup(struct arena *arena, const char *s, size_t len);
char *arena_strdup(struct arena *arena, const char *s);
char *arena_printf(struct arena *arena, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for tests and the benchmark). */
size_t arena_used(const struct arena *arena);

#endif
