/* subst.c - unit tests of the Fn::Sub checker (src/subst.c, grammar/sub_lex.re). */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"
#include "source.h"
#include "strbuf.h"
#include "subst.h"

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

TestSuite(subst, .init = setup, .fini = teardown);

/*
 * Check the value of "key: <raw>" (raw as written in YAML, value its
 * meaning); returns the diagnostics as printed, has_sub in *has.
 */
static const char *check(const char *raw, const char *value, bool *has, int want)
{
	const char *doc = arena_printf(arena, "key: %s\n", raw);
	struct source *src = source_from_memory(arena, "infra.yml", doc, strlen(doc));
	struct ir_string s = { value, loc_make(src, 5, strlen(raw)), true, false };
	struct strbuf sb = STRBUF_INIT;
	const char *out;
	size_t i;

	cr_expect_eq(subst_check(&s, &diags, has), want, "%s", raw);
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		diag_format(&sb, &diags.items[i]);
	out = arena_strdup(arena, sb.buf);
	strbuf_release(&sb);
	return out;
}

Test(subst, plain_strings_stay_plain)
{
	bool has = true;
	cr_expect_str_eq(check("plain $ text $$ {x}", "plain $ text $$ {x}", &has, 0), "");
	cr_expect_not(has);
	cr_expect_str_eq(check("\"\"", "", &has, 0), "");
	cr_expect_not(has);
}

Test(subst, pseudo_parameters_and_escapes)
{
	bool has = false;
	cr_expect_str_eq(check("arn:aws:iam::${AWS::AccountId}:x/${AWS::Region}${AWS::Partition}${AWS::URLSuffix}${AWS::StackName}",
			       "arn:aws:iam::${AWS::AccountId}:x/${AWS::Region}${AWS::Partition}${AWS::URLSuffix}${AWS::StackName}",
			       &has, 0), "");
	cr_expect(has);
	has = false;
	cr_expect_str_eq(check("${!Literal} and ${!}", "${!Literal} and ${!}", &has, 0), "");
	cr_expect(has, "an escape needs Fn::Sub to come out as ${");
}

Test(subst, unknown_name_points_at_the_dollar_with_a_hint)
{
	bool has;
	cr_expect_str_eq(check("arn:${AWS::Regin}:x", "arn:${AWS::Regin}:x", &has, -1),
		"infra.yml:1:10: error: unknown name 'AWS::Regin' in a substitution [substitution]\n"
		"    1 | key: arn:${AWS::Regin}:x\n"
		"      |          ^~~~~~~~~~~~~\n"
		"hint: did you mean '${AWS::Region}'?\n");
}

Test(subst, quoted_scalars_keep_the_column)
{
	bool has;
	cr_expect_str_eq(check("\"\\t${Foo}\"", "\t${Foo}", &has, -1),
		"infra.yml:1:9: error: unknown name 'Foo' in a substitution [substitution]\n"
		"    1 | key: \"\\t${Foo}\"\n"
		"      |         ^~~~~~\n"
		"hint: infra.yml can use ${AWS::AccountId}, ${AWS::Region}, ${AWS::Partition}, ${AWS::URLSuffix} and ${AWS::StackName}\n");
}

Test(subst, unterminated_empty_and_invalid)
{
	bool has;
	cr_expect_str_eq(check("a${AWS::Region", "a${AWS::Region", &has, -1),
		"infra.yml:1:7: error: unterminated '${': no '}' follows [substitution]\n"
		"    1 | key: a${AWS::Region\n"
		"      |       ^~\n"
		"hint: write '${!' for a literal '${'\n");
	diags.n = 0;
	cr_expect(strstr(check("${}", "${}", &has, -1), "1:6: error: empty substitution '${}'"));
	diags.n = 0;
	cr_expect(strstr(check("${ AWS::Region }", "${ AWS::Region }", &has, -1),
			 "1:6: error: invalid name ' AWS::Region ' in a substitution"));
}
