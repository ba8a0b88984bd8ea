/*
 * cfn-oom.c - a json-c allocation that fails is out of memory (exit 2),
 * never a `null` in a template with exit 0.
 *
 * json-c allocates with the C library's malloc, past xalloc's fault
 * injection, so this program is linked with --wrap for each json-c
 * constructor and adder the emitters use: the Nth call (ECSGEN_JSONC_FAIL)
 * fails as json-c does when malloc returns NULL.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "driver.h"

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

static long countdown = -1;

static int fail_now(void)
{
	return countdown > 0 && --countdown == 0;
}

#define WRAP(ret, name, params, args)                      \
	ret __real_##name params;                          \
	ret __wrap_##name params;                          \
	ret __wrap_##name params                           \
	{                                                  \
		return fail_now() ? (ret)0 : __real_##name args; \
	}

WRAP(struct json_object *, json_object_new_object, (void), ())
WRAP(struct json_object *, json_object_new_array, (void), ())
WRAP(struct json_object *, json_object_new_string, (const char *s), (s))
WRAP(struct json_object *, json_object_new_string_len, (const char *s, const int len), (s, len))
WRAP(struct json_object *, json_object_new_int64, (int64_t n), (n))
WRAP(struct json_object *, json_object_new_boolean, (json_bool b), (b))

/* json-c's adders report an allocation failure with -1. */
int __real_json_object_object_add(struct json_object *o, const char *key, struct json_object *v);
int __wrap_json_object_object_add(struct json_object *o, const char *key, struct json_object *v);
int __wrap_json_object_object_add(struct json_object *o, const char *key, struct json_object *v)
{
	if (fail_now()) {
		json_object_put(v);
		return -1;
	}
	return __real_json_object_object_add(o, key, v);
}

int __real_json_object_array_add(struct json_object *a, struct json_object *v);
int __wrap_json_object_array_add(struct json_object *a, struct json_object *v);
int __wrap_json_object_array_add(struct json_object *a, struct json_object *v)
{
	if (fail_now()) {
		json_object_put(v);
		return -1;
	}
	return __real_json_object_array_add(a, v);
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

/* Spread over the whole emit: the first calls, the middle, late ones. */
Test(cfn_oom, first_json_allocation, .exit_code = 2) { compile_failing_at(1); }
Test(cfn_oom, tenth_json_allocation, .exit_code = 2) { compile_failing_at(10); }
Test(cfn_oom, hundredth_json_allocation, .exit_code = 2) { compile_failing_at(100); }
Test(cfn_oom, thousandth_json_allocation, .exit_code = 2) { compile_failing_at(1000); }
/* examples/full makes about 3,800 json-c calls: this one is among the last. */
Test(cfn_oom, late_json_allocation, .exit_code = 2) { compile_failing_at(3500); }

/* Without a failure the compile succeeds: the wrapping itself is harmless. */
Test(cfn_oom, no_failure_compiles, .exit_code = 0) { compile_failing_at(-1); }
