/* arena.c - unit tests of the compilation arena (src/arena.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"

Test(arena, memory_is_zeroed_and_aligned)
{
	struct arena *a = arena_new();
	size_t sizes[] = { 1, 3, 16, 17, 100, 4095 };
	size_t i, k;

	for (i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		unsigned char *p = arena_alloc(a, sizes[i]);
		cr_assert_eq((uintptr_t)p % 16, 0, "size %zu: misaligned", sizes[i]);
		for (k = 0; k < sizes[i]; k++)
			cr_assert_eq(p[k], 0);
		memset(p, 0xff, sizes[i]);
	}
	arena_free(a);
}

Test(arena, allocations_do_not_overlap_across_blocks)
{
	struct arena *a = arena_new();
	enum { N = 50000 }; /* 5 MB: three 2 MiB blocks */
	static unsigned char *p[N];
	size_t i, k;

	for (i = 0; i < N; i++) {
		p[i] = arena_alloc(a, 100);
		memset(p[i], (int)(i & 0xff), 100);
	}
	for (i = 0; i < N; i++)
		for (k = 0; k < 100; k++)
			cr_assert_eq(p[i][k], i & 0xff, "allocation %zu was overwritten", i);
	cr_assert_geq(arena_used(a), (size_t)N * 100);
	arena_free(a);
}

Test(arena, allocation_larger_than_a_block)
{
	struct arena *a = arena_new();
	size_t size = 5u << 20;
	unsigned char *small = arena_alloc(a, 10);
	unsigned char *big = arena_alloc(a, size);
	unsigned char *after = arena_alloc(a, 10);

	memset(big, 1, size);
	cr_assert_eq(small[0], 0);
	cr_assert_eq(after[0], 0);
	cr_assert_eq(big[size - 1], 1);
	arena_free(a);
}

/*
 * A large request gets its own block and the small ones go on filling the
 * block they were in: with huge pages an abandoned tail is resident all
 * the same (a 10,000-fleet run grew by 3.7 MB of them).
 */
Test(arena, large_request_keeps_the_current_block)
{
	struct arena *a = arena_new();
	unsigned char *last = NULL, *big, *after;
	size_t i;

	for (i = 0; i < 1536; i++) /* 1.5 MiB of a 2 MiB block */
		last = arena_alloc_raw(a, 1024);
	big = arena_alloc_raw(a, 1u << 20); /* does not fit what is left */
	after = arena_alloc_raw(a, 10);
	cr_assert_not_null(big);
	cr_assert_eq(after, last + 1024, "the small allocation after a large one moved to a new block");
	arena_free(a);
}

Test(arena, used_counts_rounded_sizes)
{
	struct arena *a = arena_new();
	cr_assert_eq(arena_used(a), 0);
	arena_alloc(a, 1);
	cr_assert_eq(arena_used(a), 16);
	arena_alloc(a, 16);
	cr_assert_eq(arena_used(a), 32);
	arena_free(a);
}

/* Strings take their bytes and the NUL, unrounded; objects stay aligned beside them. */
Test(arena, strings_are_packed)
{
	struct arena *a = arena_new();
	char *s = arena_strdup(a, "f1234");
	char *t = arena_strndup(a, "t3.small", 8);
	void *o = arena_alloc(a, 1);

	cr_assert_eq(arena_used(a), 6 + 9 + 16);
	cr_assert_eq(s - t, 9, "the second string is not right below the first");
	cr_assert_eq((uintptr_t)o % 16, 0);
	cr_assert_str_eq(s, "f1234");
	cr_assert_str_eq(t, "t3.small");
	arena_free(a);
}

/* Objects from the bottom and strings from the top of a block never meet, over many blocks. */
Test(arena, strings_and_objects_do_not_overlap)
{
	struct arena *a = arena_new();
	enum { N = 60000 }; /* about 5 MB: three blocks */
	static unsigned char *obj[N];
	static char *str[N];
	char text[16];
	size_t i, k;

	for (i = 0; i < N; i++) {
		obj[i] = arena_alloc(a, 48);
		memset(obj[i], (int)(i & 0xff), 48);
		snprintf(text, sizeof text, "s%zu", i);
		str[i] = arena_strndup(a, text, strlen(text));
	}
	for (i = 0; i < N; i++) {
		snprintf(text, sizeof text, "s%zu", i);
		cr_assert_str_eq(str[i], text, "string %zu was overwritten", i);
		for (k = 0; k < 48; k++)
			cr_assert_eq(obj[i][k], i & 0xff, "object %zu was overwritten", i);
	}
	arena_free(a);
}

Test(arena, strings)
{
	struct arena *a = arena_new();
	char *s = arena_strdup(a, "hello");
	char *n = arena_strndup(a, "hello world", 5);
	char *f = arena_printf(a, "%s-%d-%s", "cluster", 42, "compute");
	int *v = arena_array(a, 10, sizeof *v);

	cr_assert_str_eq(s, "hello");
	cr_assert_str_eq(n, "hello");
	cr_assert_str_eq(f, "cluster-42-compute");
	cr_assert_str_eq(arena_strdup(a, ""), "");
	cr_assert_eq(v[9], 0);
	arena_free(a);
}

Test(arena, free_null_is_harmless)
{
	arena_free(NULL);
}

/* A count whose size wraps is out of memory (exit 2), never a short block. */
Test(arena, huge_array_exits_2, .exit_code = 2)
{
	struct arena *a = arena_new();
	arena_array(a, SIZE_MAX / 8 + 1, 16);
	arena_free(a);
}

Test(arena, huge_alloc_exits_2, .exit_code = 2)
{
	struct arena *a = arena_new();
	arena_alloc(a, SIZE_MAX - 8);
	arena_free(a);
}
