/* overlay.c - unit tests of overlay_merge (src/overlay.c): an environment's file over infra.yml (issue 19). */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "overlay.h"
#include "source.h"
#include "syntax.h"
#include "yaml_load.h"

static struct arena *arena;
static struct diag_list diags;

static void setup(void)
{
	arena = arena_new();
	diag_list_init(&diags, arena);
}

static void teardown(void)
{
	diag_list_release(&diags);
	arena_free(arena);
}

TestSuite(overlay, .init = setup, .fini = teardown);

static struct node *parse(const char *name, const char *text)
{
	struct node *root = yaml_load(arena, source_from_memory(arena, name, text, strlen(text)), &diags);
	cr_assert_not_null(root);
	return root;
}

static struct node *get(const struct node *map, const char *key)
{
	size_t i;
	cr_assert_eq(map->kind, NODE_MAPPING);
	for (i = 0; i < map->npairs; i++)
		if (!strcmp(map->pairs[i].key->text, key))
			return map->pairs[i].value;
	cr_assert_fail("no key '%s'", key);
	return NULL;
}

static const char *file_of(const struct node *n)
{
	return n->loc.src->name;
}

static const char base_text[] =
	"cluster:\n"
	"  name: shop\n"
	"  vpc: vpc-0a1b2c3d\n"
	"  subnets: [subnet-1, subnet-2]\n"
	"ec2_instances:\n"
	"  spot_fleets:\n"
	"    - name: main\n"
	"      max_weight: 4\n";

Test(overlay, mappings_merge_and_keep_the_base_order)
{
	struct node *base = parse("infra.yml", base_text);
	struct node *over = parse("prod.yml", "cluster:\n  vpc: vpc-0fedcba9\n  alarm_email: ops@example.com\n");
	struct node *tree = overlay_merge(arena, base, over);
	struct node *cluster = get(tree, "cluster");

	cr_assert_eq(cluster->npairs, 4);
	cr_assert_str_eq(cluster->pairs[0].key->text, "name");
	cr_assert_str_eq(cluster->pairs[1].key->text, "vpc");
	cr_assert_str_eq(cluster->pairs[2].key->text, "subnets");
	cr_assert_str_eq(cluster->pairs[3].key->text, "alarm_email");
	cr_assert_str_eq(get(cluster, "vpc")->text, "vpc-0fedcba9");
	/* Each value is located in the file that set it. */
	cr_assert_str_eq(file_of(get(cluster, "vpc")), "prod.yml");
	cr_assert_str_eq(file_of(get(cluster, "name")), "infra.yml");
	cr_assert_str_eq(file_of(get(cluster, "alarm_email")), "prod.yml");
	cr_assert_str_eq(file_of(get(tree, "ec2_instances")), "infra.yml");
}

Test(overlay, lists_and_scalars_replace)
{
	struct node *base = parse("infra.yml", base_text);
	struct node *over = parse("prod.yml",
				  "cluster:\n  subnets: [subnet-9]\n"
				  "ec2_instances:\n  spot_fleets:\n    - name: big\n      min_weight: 2\n");
	struct node *tree = overlay_merge(arena, base, over);
	struct node *subnets = get(get(tree, "cluster"), "subnets");
	struct node *fleets = get(get(tree, "ec2_instances"), "spot_fleets");

	cr_assert_eq(subnets->nitems, 1);
	cr_assert_str_eq(subnets->items[0]->text, "subnet-9");
	/* A fleet list in the overlay replaces the base's: no item-wise merge. */
	cr_assert_eq(fleets->nitems, 1);
	cr_assert_eq(fleets->items[0]->npairs, 2);
	cr_assert_str_eq(get(fleets->items[0], "name")->text, "big");
}

Test(overlay, a_mapping_over_a_scalar_replaces_it)
{
	struct node *base = parse("infra.yml", "cluster: x\n");
	struct node *over = parse("prod.yml", "cluster:\n  name: y\n");
	struct node *tree = overlay_merge(arena, base, over);

	cr_assert_eq(get(tree, "cluster")->kind, NODE_MAPPING);
	cr_assert_str_eq(file_of(get(tree, "cluster")), "prod.yml");
}

Test(overlay, the_base_is_left_as_it_was)
{
	struct node *base = parse("infra.yml", base_text);
	struct node *over = parse("prod.yml", "cluster:\n  vpc: vpc-0fedcba9\n");

	overlay_merge(arena, base, over);
	cr_assert_str_eq(get(get(base, "cluster"), "vpc")->text, "vpc-0a1b2c3d");
	cr_assert_eq(get(base, "cluster")->npairs, 3);
}

Test(overlay, no_overlay_is_the_base)
{
	struct node *base = parse("infra.yml", base_text);
	cr_assert_eq(overlay_merge(arena, base, NULL), base);
}

Test(overlay, a_wide_mapping_merges_by_lookup)
{
	enum { N = 20000 };
	struct node *base = arena_alloc(arena, sizeof *base), *over = arena_alloc(arena, sizeof *over), *tree;
	size_t i;

	base->kind = over->kind = NODE_MAPPING;
	base->pairs = arena_array(arena, N, sizeof *base->pairs);
	over->pairs = arena_array(arena, N, sizeof *over->pairs);
	for (i = 0; i < N; i++) {
		struct node *k = arena_alloc(arena, sizeof *k), *v = arena_alloc(arena, sizeof *v);
		struct node *k2 = arena_alloc(arena, sizeof *k2), *v2 = arena_alloc(arena, sizeof *v2);
		k->text = arena_printf(arena, "k%zu", i);
		k2->text = arena_printf(arena, "k%zu", i * 2);
		v->text = "base";
		v2->text = "over";
		base->pairs[i] = (struct node_pair){ k, v };
		over->pairs[i] = (struct node_pair){ k2, v2 };
	}
	base->npairs = over->npairs = N;
	tree = overlay_merge(arena, base, over);
	/* Half the overlay's keys are the base's even ones; the other half are new. */
	cr_assert_eq(tree->npairs, N + N / 2);
	cr_assert_str_eq(tree->pairs[0].value->text, "over");
	cr_assert_str_eq(tree->pairs[1].value->text, "base");
}
