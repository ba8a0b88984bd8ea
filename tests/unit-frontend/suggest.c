/* suggest.c - unit tests of did-you-mean by edit distance (src/suggest.c). */
#include "config.h"

#include <criterion/criterion.h>

#include "suggest.h"

static const char *const fleet_keys[] = {
	"name", "timeout", "desired_weight", "min_weight", "max_weight",
	"task_threshold_out", "task_threshold_in", "bids",
};
#define NFLEET (sizeof fleet_keys / sizeof fleet_keys[0])

static const char *const root_keys[] = { "kind", "ecs_deployer_version", "cluster", "ec2_instances" };
#define NROOT (sizeof root_keys / sizeof root_keys[0])

Test(suggest, distance)
{
	cr_assert_eq(suggest_distance("", ""), 0);
	cr_assert_eq(suggest_distance("", "abc"), 3);
	cr_assert_eq(suggest_distance("abc", ""), 3);
	cr_assert_eq(suggest_distance("kitten", "sitting"), 3);
	cr_assert_eq(suggest_distance("ab", "ba"), 1, "a swap of neighbours is one edit");
	cr_assert_eq(suggest_distance("max_wieght", "max_weight"), 1);
	cr_assert_eq(suggest_distance("NAME", "name"), 0, "case does not count");
}

Test(suggest, typos_find_their_key)
{
	cr_assert_str_eq(suggest_closest("max_wieght", fleet_keys, NFLEET), "max_weight");
	cr_assert_str_eq(suggest_closest("min_wieght", fleet_keys, NFLEET), "min_weight");
	cr_assert_str_eq(suggest_closest("Timeout", fleet_keys, NFLEET), "timeout");
	cr_assert_str_eq(suggest_closest("bid", fleet_keys, NFLEET), "bids");
	cr_assert_str_eq(suggest_closest("task_treshold_in", fleet_keys, NFLEET), "task_threshold_in");
	cr_assert_str_eq(suggest_closest("clustr", root_keys, NROOT), "cluster");
	cr_assert_str_eq(suggest_closest("ec2_instance", root_keys, NROOT), "ec2_instances");
}

Test(suggest, unrelated_words_find_nothing)
{
	cr_assert_null(suggest_closest("colour", fleet_keys, NFLEET));
	cr_assert_null(suggest_closest("environments", root_keys, NROOT));
	cr_assert_null(suggest_closest("x", root_keys, NROOT));
	cr_assert_null(suggest_closest("anything", NULL, 0));
}

Test(suggest, ties_go_to_the_first_candidate)
{
	static const char *const keys[] = { "ab", "ac" };
	cr_assert_str_eq(suggest_closest("aa", keys, 2), "ab");
}
