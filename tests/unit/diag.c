/* diag.c - unit tests of diagnostics: sort and format (src/diag.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "source.h"
#include "strbuf.h"

static struct arena *arena;
static struct diag_list list;

static void setup(void)
{
	arena = arena_new();
	diag_list_init(&list, arena);
}

static void teardown(void)
{
	diag_list_release(&list);
	arena_free(arena);
}

TestSuite(diag, .init = setup, .fini = teardown);

static struct source *mem(const char *name, const char *text)
{
	return source_from_memory(arena, name, text, strlen(text));
}

/* Offset of the first occurrence of needle in src. */
static size_t at(const struct source *src, const char *needle)
{
	const char *p = strstr(src->text, needle);
	cr_assert_not_null(p, "'%s' not in the source", needle);
	return (size_t)(p - src->text);
}

/* The last diagnostic, formatted. */
static void expect_last(const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	cr_assert_gt(list.n, 0);
	diag_format(&sb, &list.items[list.n - 1]);
	cr_assert_str_eq(sb.buf, want);
	strbuf_release(&sb);
}

Test(diag, caret_underline_and_hint)
{
	struct source *src = mem("infra.yml", "cluster:\n  max_wieght: 16\n");
	cr_assert_eq(diag_error(&list, DIAG_UNKNOWN_KEY, loc_make(src, at(src, "max_wieght"), 10),
				"unknown key '%s'", "max_wieght"), -1);
	diag_hint(&list, "did you mean '%s'?", "max_weight");
	expect_last("infra.yml:2:3: error: unknown key 'max_wieght' [unknown-key]\n"
		    "    2 |   max_wieght: 16\n"
		    "      |   ^~~~~~~~~~\n"
		    "hint: did you mean 'max_weight'?\n");
	cr_assert_eq(list.nerrors, 1);
	cr_assert_eq(list.nwarnings, 0);
}

Test(diag, warning_without_length)
{
	struct source *src = mem("infra.yml", "a: 1\nb: 2\n");
	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_make(src, at(src, "2"), 0), "suspicious");
	expect_last("infra.yml:2:4: warning: suspicious [-Wsmall-root-volume]\n"
		    "    2 | b: 2\n"
		    "      |    ^\n");
	cr_assert_eq(list.nwarnings, 1);
}

Test(diag, tabs_are_kept_so_the_caret_lines_up)
{
	struct source *src = mem("t.yml", "key:\tvalue\n");
	diag_error(&list, DIAG_FORMAT, loc_make(src, at(src, "value"), 5), "bad");
	expect_last("t.yml:1:6: error: bad [format]\n"
		    "    1 | key:\tvalue\n"
		    "      |     \t^~~~~\n");
}

Test(diag, utf8_columns_and_caret)
{
	struct source *src = mem("t.yml", "name: '\xc3\xbcn\xc3\xaf' x\n");
	diag_error(&list, DIAG_FORMAT, loc_make(src, at(src, "x"), 1), "bad");
	expect_last("t.yml:1:13: error: bad [format]\n"
		    "    1 | name: '\xc3\xbcn\xc3\xaf' x\n"
		    "      |             ^\n");
	/* An underline counts characters too. */
	diag_error(&list, DIAG_FORMAT, loc_make(src, at(src, "'"), 5 + 2), "quoted");
	expect_last("t.yml:1:7: error: quoted [format]\n"
		    "    1 | name: '\xc3\xbcn\xc3\xaf' x\n"
		    "      |       ^~~~~\n");
}

Test(diag, underline_stops_at_the_end_of_the_line)
{
	struct source *src = mem("t.yml", "a: long\nb: next\n");
	diag_error(&list, DIAG_FORMAT, loc_make(src, at(src, "long"), 100), "span");
	expect_last("t.yml:1:4: error: span [format]\n"
		    "    1 | a: long\n"
		    "      |    ^~~~\n");
}

Test(diag, control_characters_show_as_spaces)
{
	struct source *src = mem("t.yml", "a:\x01\x7f x\r\n");
	diag_error(&list, DIAG_FORMAT, loc_make(src, at(src, "x"), 1), "ctl");
	expect_last("t.yml:1:6: error: ctl [format]\n"
		    "    1 | a:   x\n"
		    "      |      ^\n");
}

Test(diag, wide_line_numbers_widen_the_gutter)
{
	struct strbuf text = STRBUF_INIT;
	struct source *src;
	int i;

	for (i = 1; i < 12345; i++)
		strbuf_addstr(&text, "x: 1\n");
	strbuf_addstr(&text, "bad: 2\n");
	src = source_from_memory(arena, "t.yml", text.buf, text.len);
	diag_error(&list, DIAG_FORMAT, loc_make(src, at(src, "bad"), 3), "far");
	expect_last("t.yml:12345:1: error: far [format]\n"
		    " 12345 | bad: 2\n"
		    "       | ^~~\n");
	strbuf_release(&text);
}

Test(diag, whole_run_diagnostics_have_no_place)
{
	diag_error(&list, DIAG_FORMAT, loc_none(), "cannot read '%s'", "x.yml");
	expect_last("ecsgen: error: cannot read 'x.yml' [format]\n");
	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_none(), "w");
	diag_hint(&list, "h");
	expect_last("ecsgen: warning: w [-Wsmall-root-volume]\nhint: h\n");
}

Test(diag, hint_without_a_diagnostic_is_ignored)
{
	diag_hint(&list, "nothing to attach to");
	cr_assert_eq(list.n, 0);
}

Test(diag, sort_by_file_then_offset_then_discovery)
{
	struct source *a = mem("a.yml", "0123456789012345678901234");
	struct source *b = mem("b.yml", "0123456789");
	const char *want[] = { "none", "a3", "a20-first", "a20-second", "b5" };
	size_t i;

	diag_error(&list, DIAG_FORMAT, loc_make(b, 5, 1), "b5");
	diag_error(&list, DIAG_FORMAT, loc_make(a, 20, 1), "a20-first");
	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_none(), "none");
	diag_error(&list, DIAG_FORMAT, loc_make(a, 3, 1), "a3");
	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_make(a, 20, 1), "a20-second");
	diag_sort(&list);
	cr_assert_eq(list.n, 5);
	for (i = 0; i < 5; i++)
		cr_assert_str_eq(list.items[i].message, want[i], "item %zu", i);
	cr_assert_eq(list.nerrors, 3);
	cr_assert_eq(list.nwarnings, 2);
}

Test(diag, print_sorts_and_quiet_drops_warnings)
{
	struct source *src = mem("t.yml", "a: 1\nb: 2\n");
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_make(src, 5, 1), "second");
	diag_error(&list, DIAG_FORMAT, loc_make(src, 0, 1), "first");
	f = open_memstream(&out, &len);
	diag_print(&list, f, false);
	fclose(f);
	cr_assert_str_eq(out, "t.yml:1:1: error: first [format]\n    1 | a: 1\n      | ^\n"
			      "t.yml:2:1: warning: second [-Wsmall-root-volume]\n    2 | b: 2\n      | ^\n");
	free(out);
	f = open_memstream(&out, &len);
	diag_print(&list, f, true);
	fclose(f);
	cr_assert_str_eq(out, "t.yml:1:1: error: first [format]\n    1 | a: 1\n      | ^\n");
	free(out);
}

Test(diag, every_code_has_a_unique_name_and_a_description)
{
	int i, j;

	for (i = 0; i < DIAG__COUNT; i++) {
		cr_assert(diag_codes[i].name && *diag_codes[i].name, "code %d has no name", i);
		cr_assert(diag_codes[i].description && *diag_codes[i].description, "'%s'", diag_codes[i].name);
		cr_assert_eq(diag_code_find(diag_codes[i].name), i);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(diag_codes[i].name, diag_codes[j].name);
	}
	cr_assert_eq(diag_code_find("no-such-code"), -1);
}

Test(diag, wno_drops_a_warning_and_its_hint)
{
	struct source *src = mem("t.yml", "a: 1\n");

	diag_set_policy(&list, DIAG_SMALL_ROOT_VOLUME, DIAG_POLICY_OFF);
	diag_error(&list, DIAG_FORMAT, loc_make(src, 0, 1), "kept");
	diag_hint(&list, "kept hint");
	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_make(src, 0, 1), "dropped");
	diag_hint(&list, "dropped hint");
	cr_assert_eq(list.n, 1);
	cr_assert_eq(list.nwarnings, 0);
	cr_assert_str_eq(list.items[0].hint, "kept hint");
	/* Other warnings still count. */
	diag_warning(&list, DIAG_DUPLICATE_BID, loc_make(src, 0, 1), "other");
	cr_assert_eq(list.nwarnings, 1);
}

Test(diag, werror_name_promotes_one_warning)
{
	struct source *src = mem("t.yml", "a: 1\n");

	diag_set_policy(&list, DIAG_SMALL_ROOT_VOLUME, DIAG_POLICY_ERROR);
	diag_warning(&list, DIAG_SMALL_ROOT_VOLUME, loc_make(src, 0, 1), "now an error");
	diag_warning(&list, DIAG_DUPLICATE_BID, loc_make(src, 0, 1), "still a warning");
	cr_assert_eq(list.nerrors, 1);
	cr_assert_eq(list.nwarnings, 1);
	diag_sort(&list);
	{
		struct strbuf sb = STRBUF_INIT;
		diag_format(&sb, &list.items[0]);
		cr_assert_str_eq(sb.buf, "t.yml:1:1: error: now an error [-Werror=small-root-volume]\n"
					 "    1 | a: 1\n      | ^\n");
		strbuf_release(&sb);
	}
}

Test(diag, werror_promotes_every_warning)
{
	list.all_errors = true;
	diag_warning(&list, DIAG_DUPLICATE_BID, loc_none(), "w");
	cr_assert_eq(list.nerrors, 1);
	cr_assert_eq(list.nwarnings, 0);
	expect_last("ecsgen: error: w [-Werror=duplicate-bid]\n");
}

Test(diag, an_error_code_reported_as_a_warning_is_a_bug, .signal = SIGABRT)
{
	diag_warning(&list, DIAG_FORMAT, loc_none(), "wrong severity");
}
