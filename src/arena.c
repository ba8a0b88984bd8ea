/* arena.c - bump allocator in growing blocks, freed all at once. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "xalloc.h"

enum { ARENA_ALIGN = 16, ARENA_MIN_BLOCK = 64 * 1024 };

struct block {
	struct block *prev;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct block *top;
	size_t total;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *arena)
{
	struct block *b, *prev;
	if (!arena)
		return;
	for (b = arena->top; b; b = prev) {
		prev = b->prev;
		free(b);
	}
	free(arena);
}

void *arena_alloc_raw(struct arena *arena, size_t size)
{
	struct block *b = arena->top;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need < size || need > SIZE_MAX - sizeof *b)
		xalloc_die(size); /* no block can hold it: out of memory, exit 2 */
	if (!b || b->size - b->used < need) {
		size_t bsize = need > ARENA_MIN_BLOCK ? need : ARENA_MIN_BLOCK;
		b = xmalloc(sizeof *b + bsize);
		b->size = bsize;
		b->used = 0;
		b->prev = arena->top;
		arena->top = b;
	}
	p = b->data + b->used;
	b->used += need;
	arena->total += need;
	return p;
}

void *arena_alloc(struct arena *arena, size_t size)
{
	return memset(arena_alloc_raw(arena, size), 0, size);
}

void *arena_array(struct arena *arena, size_t count, size_t elem_size)
{
	if (elem_size && count > SIZE_MAX / elem_size)
		xalloc_die(SIZE_MAX);
	return arena_alloc(arena, count * elem_size);
}

char *arena_strndup(struct arena *arena, const char *s, size_t len)
{
	char *p = arena_alloc_raw(arena, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *arena, const char *s)
{
	return arena_strndup(arena, s, strlen(s));
}

char *arena_printf(struct arena *arena, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;
	char *p;

	/* Formatted once when it fits the stack buffer, as most names do; twice otherwise. */
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_die(sizeof small); /* only EOVERFLOW: a result over INT_MAX bytes */
	if ((size_t)n < sizeof small)
		return arena_strndup(arena, small, (size_t)n);
	p = arena_alloc_raw(arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *arena)
{
	return arena->total;
}
