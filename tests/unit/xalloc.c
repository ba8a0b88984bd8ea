/* xalloc.c - unit tests of the allocation wrappers and their fault seam (src/xalloc.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

Test(xalloc, wrappers_return_usable_memory)
{
	char *p = xmalloc(0);
	char *z = xcalloc(10, 4);
	size_t i;

	free(p);
	for (i = 0; i < 40; i++)
		cr_assert_eq(z[i], 0);
	z = xrealloc(z, 4000);
	z[3999] = 1;
	free(z);
	p = xstrdup("dup");
	cr_assert_str_eq(p, "dup");
	free(p);
	p = xstrndup("abcdef", 3);
	cr_assert_str_eq(p, "abc");
	free(p);
	p = xmalloc_aligned(1 << 21, 100);
	cr_assert_eq((unsigned long)p % (1 << 21), 0, "aligned to 2 MiB");
	p[99] = 1;
	free(p);
}

Test(xalloc, xgrow_doubles_and_keeps_items)
{
	int *items = NULL;
	size_t alloc = 0, n;

	for (n = 0; n < 1000; n++) {
		xgrow((void **)&items, &alloc, n + 1, sizeof *items);
		cr_assert_geq(alloc, n + 1);
		items[n] = (int)n;
	}
	for (n = 0; n < 1000; n++)
		cr_assert_eq(items[n], (int)n);
	cr_assert_eq(alloc, 1024);
	xgrow((void **)&items, &alloc, 10, sizeof *items);
	cr_assert_eq(alloc, 1024, "never shrinks");
	free(items);
}

#ifdef ECSGEN_FAULT_INJECTION
/* ECSGEN_FAIL_ALLOC=N: the Nth allocation exits 2, the ones before work. */
Test(xalloc, fault_seam_fails_the_nth_allocation, .exit_code = 2)
{
	char *p;
	cr_assert(!setenv("ECSGEN_FAIL_ALLOC", "3", 1));
	free(xmalloc(1));
	free(xstrdup("second"));
	p = xmalloc(1); /* third: exits */
	free(p);
	cr_assert_fail("the third allocation returned");
}

Test(xalloc, fault_seam_covers_calloc_and_realloc, .exit_code = 2)
{
	cr_assert(!setenv("ECSGEN_FAIL_ALLOC", "2", 1));
	free(xcalloc(1, 1));
	free(xrealloc(NULL, 10));
	cr_assert_fail("the second allocation returned");
}

/* The arena's blocks come from xmalloc_aligned: the seam must reach them too. */
Test(xalloc, fault_seam_covers_aligned, .exit_code = 2)
{
	cr_assert(!setenv("ECSGEN_FAIL_ALLOC", "1", 1));
	free(xmalloc_aligned(4096, 10));
	cr_assert_fail("the first allocation returned");
}
#endif
