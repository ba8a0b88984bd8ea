/*
 * cfn-oom.c - an allocation that fails while the templates are built is
 * out of memory (exit 2), never a `null` in a template with exit 0.
 *
 * The templates' values come from the compilation's arena (cfn_value.c),
 * whose blocks, like every buffer, come from xmalloc and xrealloc; this
 * program is linked with --wrap for both, so that the Nth call fails as
 * they do when the C library's allocator returns NULL, in any build (the
 * configure-time fault injection is not needed).
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "driver.h"
#include "cfn.h"
#include "xalloc.h"

/*
 * An allocation failure ends the run at once (xalloc_die: exit 2) with the
 * compile's objects still held, some of them only in registers by then; a
 * leak check at that exit reports whichever the failure happened to cut
 * off, so it is turned off for the failing runs (the run that succeeds
 * keeps it: there every object must be freed).
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define HAVE_LSAN 1
#endif
#elif defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

static long countdown = -1, calls, calls_before_emit = -1;

static int fail_now(void)
{
	calls++;
	return countdown > 0 && --countdown == 0;
}

/*
 * xalloc's functions as the C library's allocator failing under them: the
 * arena's blocks, the buffers, everything the compile allocates.
 */
void *__real_xmalloc(size_t size);
void *__wrap_xmalloc(size_t size);
void *__wrap_xmalloc(size_t size)
{
	if (fail_now())
		xalloc_die(size);
	return __real_xmalloc(size);
}

void *__real_xrealloc(void *p, size_t size);
void *__wrap_xrealloc(void *p, size_t size);
void *__wrap_xrealloc(void *p, size_t size)
{
	if (fail_now())
		xalloc_die(size);
	return __real_xrealloc(p, size);
}

/* Where the emit starts, in allocations: the CloudFormation rows open their values. */
void __real_cfn_values_begin(struct arena *arena);
void __wrap_cfn_values_begin(struct arena *arena);
void __wrap_cfn_values_begin(struct arena *arena)
{
	calls_before_emit = calls;
	__real_cfn_values_begin(arena);
}

static void compile_failing_at(long n)
{
	const char *top = getenv("top_srcdir");
	char file[4096];
	char *argv[] = { "ecsgen", "-q", "--validate", file, NULL };

	snprintf(file, sizeof file, "%s/examples/full/infra.yml", top ? top : ".");
	countdown = n;
#ifdef HAVE_LSAN
	if (n > 0)
		__lsan_disable();
#endif
	exit(driver_main(4, argv));
}

/*
 * examples/full makes about LAST_CALL such calls, the emit's from about
 * EMIT_CALL on (no_failure_compiles holds both): a failure before the
 * emit, and failures spread over it.
 */
#define EMIT_CALL 150
#define LAST_CALL 300
Test(cfn_oom, first_allocation, .exit_code = 2) { compile_failing_at(1); }
Test(cfn_oom, early_emit_allocation, .exit_code = 2) { compile_failing_at(EMIT_CALL + 10); }
Test(cfn_oom, middle_emit_allocation, .exit_code = 2) { compile_failing_at((EMIT_CALL + LAST_CALL) / 2); }
Test(cfn_oom, late_emit_allocation, .exit_code = 2) { compile_failing_at(LAST_CALL - 10); }

/* Without a failure the compile succeeds; the calls are where the tests above expect them. */
Test(cfn_oom, no_failure_compiles)
{
	const char *top = getenv("top_srcdir");
	char file[4096];
	char *argv[] = { "ecsgen", "-q", "--validate", file, NULL };

	snprintf(file, sizeof file, "%s/examples/full/infra.yml", top ? top : ".");
	countdown = -1;
	cr_assert_eq(driver_main(4, argv), 0);
	cr_assert_geq(calls, LAST_CALL, "%ld allocations: the tests above fail none past them", calls);
	cr_assert(calls_before_emit >= 0 && calls_before_emit <= EMIT_CALL,
		  "the emit starts after %ld allocations: the tests above miss it", calls_before_emit);
}
