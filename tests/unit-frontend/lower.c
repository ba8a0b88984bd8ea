/* lower.c - unit tests of lower_logical_id and lower_arch_of (src/lower.c). */
#include "config.h"

#include <criterion/criterion.h>

#include "arena.h"
#include "lower.h"

static struct arena *arena;

static void setup(void)
{
	arena = arena_new();
}

static void teardown(void)
{
	arena_free(arena);
}

TestSuite(lower, .init = setup, .fini = teardown);

Test(lower, logical_id)
{
	cr_assert_str_eq(lower_logical_id(arena, "main"), "Main");
	cr_assert_str_eq(lower_logical_id(arena, "main-a"), "MainA");
	cr_assert_str_eq(lower_logical_id(arena, "main_a"), "MainA", "main-a and main_a collide: check_rules reports it");
	cr_assert_str_eq(lower_logical_id(arena, "kloudcover-mount"), "KloudcoverMount");
	cr_assert_str_eq(lower_logical_id(arena, "db1-x2"), "Db1X2");
	cr_assert_str_eq(lower_logical_id(arena, "web--API"), "WebAPI");
	cr_assert_str_eq(lower_logical_id(arena, "-_-"), "");
}

static void arch(const char *type, const char *want)
{
	cr_expect_str_eq(lower_arch_of(type), want, "%s", type);
}

Test(lower, graviton_families_are_arm64)
{
	arch("m6g.large", "arm64");
	arch("m6gd.xlarge", "arm64");
	arch("c6gn.16xlarge", "arm64");
	arch("x2gd.medium", "arm64");
	arch("im4gn.large", "arm64");
	arch("is4gen.xlarge", "arm64");
	arch("a1.medium", "arm64");
	arch("a1.metal", "arm64");
	arch("g5g.xlarge", "arm64");
	arch("t4g.micro", "arm64");
	arch("c7gn.large", "arm64");
	arch("hpc7g.4xlarge", "arm64");
	arch("r8g.large", "arm64");
}

Test(lower, other_families_are_x86_64)
{
	arch("t3.micro", "x86_64");
	arch("t3a.small", "x86_64");
	arch("t2.medium", "x86_64");
	arch("g4dn.xlarge", "x86_64");
	arch("g4ad.xlarge", "x86_64");
	arch("g5.xlarge", "x86_64");
	arch("m7i-flex.large", "x86_64");
	arch("m5.large", "x86_64");
	arch("c5n.large", "x86_64");
	arch("p4d.24xlarge", "x86_64");
	arch("inf2.xlarge", "x86_64");
	arch("u-6tb1.metal", "x86_64");
	arch("z1d.large", "x86_64");
}
