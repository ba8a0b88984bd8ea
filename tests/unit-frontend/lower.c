/* lower.c - unit tests of lower_logical_id (src/lower.c) and the instance family table (src/variant.c). */
#include "config.h"

#include <criterion/criterion.h>

#include "arena.h"
#include "lower.h"
#include "variant.h"

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

static void variant(const char *type, const char *want)
{
	const char *why = NULL, *hint = NULL;
	int v = variant_of_type(type, &why, &hint);

	cr_expect_geq(v, 0, "%s is refused: %s", type, why ? why : "");
	if (v >= 0)
		cr_expect_str_eq(variant_table[v].name, want, "%s", type);
}

static void refused(const char *type)
{
	const char *why = NULL, *hint = NULL;

	cr_expect_eq(variant_of_type(type, &why, &hint), -1, "%s", type);
	cr_expect(why && hint, "%s: a reason and a hint", type);
}

Test(lower, graviton_families_are_arm64)
{
	variant("m6g.large", "arm64");
	variant("m6gd.xlarge", "arm64");
	variant("c6gn.16xlarge", "arm64");
	variant("x2gd.medium", "arm64");
	variant("im4gn.large", "arm64");
	variant("is4gen.xlarge", "arm64");
	variant("a1.medium", "arm64");
	variant("a1.metal", "arm64");
	variant("t4g.micro", "arm64");
	variant("c7gn.large", "arm64");
	variant("hpc7g.4xlarge", "arm64");
	variant("r8g.large", "arm64");
	variant("mac2-m2pro.metal", "arm64");
	/* Not in the table: AWS's naming convention marks Graviton with a 'g'. */
	variant("c9g.large", "arm64");
}

Test(lower, other_families_are_x86_64)
{
	variant("t3.micro", "x86_64");
	variant("t3a.small", "x86_64");
	variant("t2.medium", "x86_64");
	variant("m7i-flex.large", "x86_64");
	variant("m5.large", "x86_64");
	variant("c5n.large", "x86_64");
	variant("u-6tb1.metal", "x86_64");
	variant("z1d.large", "x86_64");
	variant("mac1.metal", "x86_64");
}

/* A table, not a prefix: g4dn is NVIDIA, g4ad AMD, g5g arm64 (all start with "g"). */
Test(lower, nvidia_families_are_gpu)
{
	variant("g4dn.xlarge", "gpu");
	variant("g5.xlarge", "gpu");
	variant("g5.48xlarge", "gpu");
	variant("g6e.2xlarge", "gpu");
	variant("gr6.4xlarge", "gpu");
	variant("p3.2xlarge", "gpu");
	variant("p3dn.24xlarge", "gpu");
	variant("p4d.24xlarge", "gpu");
	variant("p5.48xlarge", "gpu");
}

Test(lower, families_no_variant_drives_are_refused)
{
	refused("g4ad.xlarge");
	refused("g5g.xlarge");
	refused("inf1.xlarge");
	refused("inf2.xlarge");
	refused("trn1.2xlarge");
	refused("trn1n.32xlarge");
	refused("trn2.48xlarge");
	refused("dl1.24xlarge");
	refused("p2.xlarge");
}

Test(lower, ssm_parameters)
{
	/* https://docs.aws.amazon.com/AmazonECS/latest/developerguide/retrieve-ecs-optimized_AMI.html */
	cr_expect_str_eq(variant_table[VARIANT_X86_64].ssm,
			 "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id");
	cr_expect_str_eq(variant_table[VARIANT_ARM64].ssm,
			 "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id");
	cr_expect_str_eq(variant_table[VARIANT_GPU].ssm,
			 "/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id");
	cr_expect(variant_table[VARIANT_GPU].gpu && !variant_table[VARIANT_GPU].bake);
}
