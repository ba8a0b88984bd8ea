/*
 * arena.c - bump allocator in blocks, freed all at once.
 *
 * A block is 2 MiB, aligned to 2 MiB, and asks the kernel for a huge page
 * (MADV_HUGEPAGE, where Linux offers transparent huge pages on request):
 * then its first touch is one page fault, not 512.  A compile touches
 * about 700 KiB of arena, and on a virtual machine whose every fresh 4 KiB
 * page costs 5 to 20 us (tests/bench/bench.sh measures it) those faults
 * were a third of the wall time.  Where huge pages are off, the block is
 * ordinary memory and only the pages touched are resident.
 *
 * Objects are laid out from the start of a block, 16-byte aligned;
 * strings, which need no alignment, from its end down.  Rounding every
 * string up to 16 bytes cost a third of the syntax tree: a fleet written
 * on one line holds eleven strings of 7 bytes on average.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arena.h"
#include "xalloc.h"

enum { ARENA_ALIGN = 16, ARENA_BLOCK = 2 * 1024 * 1024 };

struct block {
	struct block *prev;
	size_t size;
	size_t used; /* objects: data[0, used) */
	size_t end;  /* strings: data[end, size) */
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

static struct block *new_block(size_t size)
{
	struct block *b = xmalloc_aligned(ARENA_BLOCK, sizeof *b + size);

#ifdef MADV_HUGEPAGE
	(void)madvise(b, sizeof *b + size, MADV_HUGEPAGE); /* a hint: refused is fine */
#endif
	b->size = size;
	b->used = 0;
	b->end = size;
	return b;
}

/*
 * A block for a request the top block has no room for.  A request of more
 * than a quarter block gets a block of its own, linked under the top one,
 * so the top block's free space is not abandoned: with huge pages that
 * space is resident whether used or not.  Returns the block; the caller
 * takes its bytes from it.
 */
static struct block *block_for(struct arena *arena, size_t need)
{
	struct block *b;

	if (need > ARENA_BLOCK / 4) {
		b = new_block(need);
		b->prev = arena->top ? arena->top->prev : NULL;
		if (arena->top)
			arena->top->prev = b;
		else
			arena->top = b;
		return b;
	}
	b = new_block(ARENA_BLOCK - sizeof *b);
	b->prev = arena->top;
	arena->top = b;
	return b;
}

void *arena_alloc_raw(struct arena *arena, size_t size)
{
	struct block *b = arena->top;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need < size || need > SIZE_MAX - ARENA_BLOCK)
		xalloc_die(size); /* no block can hold it: out of memory, exit 2 */
	arena->total += need;
	if (!b || b->end - b->used < need)
		b = block_for(arena, need);
	p = b->data + b->used;
	b->used += need;
	return p;
}

/* size bytes for a string, at any address: from the top of the block down. */
static char *alloc_text(struct arena *arena, size_t size)
{
	struct block *b = arena->top;

	if (size > SIZE_MAX - ARENA_BLOCK)
		xalloc_die(size);
	arena->total += size;
	if (!b || b->end - b->used < size)
		b = block_for(arena, size);
	b->end -= size;
	return (char *)b->data + b->end;
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
	char *p = alloc_text(arena, len + 1);

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
	p = alloc_text(arena, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *arena)
{
	return arena->total;
}
