/*
 * escape.c - unit tests of the escapers (src/escape.c): exact outputs, and
 * every hostile string through json and yaml parsed back with json-c and
 * libyaml.  The sh, make and hcl round trips run real tools in roundtrip.test.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <string.h>
#include <yaml.h>

#include "escape.h"
#include "utf8.h"
#include "hostile.h"
#include "strbuf.h"

typedef int escape_fn(struct strbuf *, const char *, size_t, struct escape_error *);

static char *esc(escape_fn *fn, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	struct escape_error err;
	strbuf_addstr(&sb, "<");
	cr_assert_eq(fn(&sb, s, strlen(s), &err), 0, "escaping '%s' failed: %s", s, err.reason);
	return strbuf_detach(&sb, NULL);
}

#define EXPECT(fn, in, out) do { \
		char *got_ = esc(fn, in); \
		cr_expect_str_eq(got_, "<" out, "%s(%s)", #fn, in); \
		free(got_); \
	} while (0)

Test(escape, json_exact)
{
	EXPECT(escape_json, "", "\"\"");
	EXPECT(escape_json, "a\"b\\c", "\"a\\\"b\\\\c\"");
	EXPECT(escape_json, "l1\nl2\t\r\b\f", "\"l1\\nl2\\t\\r\\b\\f\"");
	EXPECT(escape_json, "\x01\x7f", "\"\\u0001\\u007f\"");
	EXPECT(escape_json, "h\xc3\xa9 ${x} </script>", "\"h\xc3\xa9 ${x} </script>\"");
}

Test(escape, yaml_exact)
{
	EXPECT(escape_yaml, "", "\"\"");
	EXPECT(escape_yaml, "yes", "\"yes\"");
	EXPECT(escape_yaml, "a: b # c", "\"a: b # c\"");
	EXPECT(escape_yaml, "\xe2\x80\xa8\xc2\x85\x01", "\"\\L\\N\\x01\"");
	EXPECT(escape_yaml, "\xef\xbb\xbf", "\"\\uFEFF\"");
}

Test(escape, hcl_exact)
{
	EXPECT(escape_hcl, "${var.x} %{if} $$ %", "\"$${var.x} %%{if} $$ %\"");
	EXPECT(escape_hcl, "q\"\\\n", "\"q\\\"\\\\\\n\"");
	EXPECT(escape_hcl, "{{timestamp}}", "\"{{timestamp}}\"");
}

Test(escape, sh_exact)
{
	EXPECT(escape_sh, "", "''");
	EXPECT(escape_sh, "plain-word_1.2/x:y@z,%+", "plain-word_1.2/x:y@z,%+");
	EXPECT(escape_sh, "it's", "'it'\\''s'");
	EXPECT(escape_sh, "$(id)", "'$(id)'");
	EXPECT(escape_sh, "a=b", "'a=b'");
	EXPECT(escape_sh, "~x", "'~x'");
	EXPECT(escape_sh, "a\nb", "'a\nb'");
}

Test(escape, make_exact)
{
	EXPECT(escape_make, "a$b", "a$$b");
	EXPECT(escape_make, "x # y", "x \\# y");
	EXPECT(escape_make, "end\\", "end\\$()");
	EXPECT(escape_make, "\\#", "\\$()\\#");
	EXPECT(escape_make, " lead", "$() lead");
	EXPECT(escape_make, "a\\b", "a\\b");
}

Test(escape, make_rejects_line_breaks)
{
	struct strbuf sb = STRBUF_INIT;
	struct escape_error err = { 0, NULL };

	strbuf_addstr(&sb, "keep");
	cr_assert_eq(escape_make(&sb, "ab\ncd", 5, &err), -1);
	cr_expect_eq(err.offset, 2);
	cr_expect_str_eq(err.reason, "a newline cannot be part of a Make assignment");
	cr_expect_str_eq(sb.buf, "keep", "nothing is appended on failure");
	cr_assert_eq(escape_make(&sb, "\r", 1, &err), -1);
	cr_assert_eq(escape_recipe(&sb, "a$\n", 3, &err), -1);
	cr_expect_eq(err.offset, 2);
	cr_expect_str_eq(sb.buf, "keep");
	strbuf_release(&sb);
}

Test(escape, recipe_and_cfnsub_exact)
{
	EXPECT(escape_recipe, "'$x' #", "'$$x' #");
	EXPECT(escape_cfnsub, "a ${AWS::Region} ${!x} $ {", "a ${!AWS::Region} ${!!x} $ {");
	EXPECT(escape_cfnsub, "$${", "$${!");
}

/* https://spec.commonmark.org/0.30/#backslash-escapes; cmark round trips: markdown.test */
Test(escape, markdown_exact)
{
	EXPECT(escape_markdown, "my-fleet t3.medium fleet_a AWS::EC2::VPC", "my-fleet t3.medium fleet_a AWS::EC2::VPC");
	EXPECT(escape_markdown, "- x", "\\- x");
	EXPECT(escape_markdown, "12) x", "12\\) x");
	EXPECT(escape_markdown, "0.015", "0.015");
	EXPECT(escape_markdown, "*a* _b_ `c` [d](e) <f> a|b $x @me :tada: &amp; \\ ~",
	       "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\> a\\|b \\$x @me :tada: \\&amp; \\\\ \\~");
	EXPECT(escape_markdown, " a\nb\t", "&#32;a&#10;b&#9;");
	EXPECT(escape_markdown, "# h", "\\# h");
	EXPECT(escape_markdown, "\xef\xbb\xbfx", "&#65279;x");
}

Test(escape, invalid_utf8_is_rejected_by_json_yaml_hcl)
{
	static escape_fn *const fns[] = { escape_json, escape_yaml, escape_hcl, escape_markdown };
	struct escape_error err;
	size_t i;

	for (i = 0; i < 4; i++) {
		struct strbuf sb = STRBUF_INIT;
		cr_expect_eq(fns[i](&sb, "ok\xff", 3, &err), -1);
		cr_expect_eq(err.offset, 2);
		cr_expect_eq(fns[i](&sb, "\xed\xa0\x80", 3, &err), -1, "a surrogate is not UTF-8");
		cr_expect_eq(fns[i](&sb, "\xc0\x80", 2, &err), -1, "an overlong NUL is not UTF-8");
		cr_expect_eq(sb.len, 0);
		strbuf_release(&sb);
	}
}

Test(escape, json_round_trip_hostile)
{
	size_t i, len;

	for (i = 0; i < hostile_count(); i++) {
		const char *s = hostile_get(i, &len);
		struct strbuf sb = STRBUF_INIT;
		struct escape_error err;
		struct json_tokener *tok;
		struct json_object *obj;

		if (!hostile_is_utf8(i)) {
			cr_expect_eq(escape_json(&sb, s, len, &err), -1, "string %zu", i);
			strbuf_release(&sb);
			continue;
		}
		cr_assert_eq(escape_json(&sb, s, len, &err), 0, "string %zu", i);
		tok = json_tokener_new();
		obj = json_tokener_parse_ex(tok, sb.buf, (int)sb.len);
		cr_assert(obj && json_object_is_type(obj, json_type_string), "string %zu: %s", i, sb.buf);
		cr_expect_eq((size_t)json_object_get_string_len(obj), len, "string %zu", i);
		cr_expect(!memcmp(json_object_get_string(obj), s, len), "string %zu: %s", i, sb.buf);
		json_object_put(obj);
		json_tokener_free(tok);
		strbuf_release(&sb);
	}
}

/* The one scalar of "key: <escaped>" as libyaml reads it. */
static char *yaml_value(const char *doc, size_t len, size_t *out_len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	char *value = NULL;
	int scalars = 0;

	cr_assert(yaml_parser_initialize(&parser));
	yaml_parser_set_input_string(&parser, (const unsigned char *)doc, len);
	for (;;) {
		cr_assert(yaml_parser_parse(&parser, &ev), "libyaml: %s in %s", parser.problem, doc);
		if (ev.type == YAML_SCALAR_EVENT && ++scalars == 2) {
			cr_expect_eq(ev.data.scalar.style, YAML_DOUBLE_QUOTED_SCALAR_STYLE);
			*out_len = ev.data.scalar.length;
			value = malloc(*out_len + 1);
			memcpy(value, ev.data.scalar.value, *out_len + 1);
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return value;
}

Test(escape, yaml_round_trip_hostile)
{
	size_t i, len, got_len;

	for (i = 0; i < hostile_count(); i++) {
		const char *s = hostile_get(i, &len);
		struct strbuf sb = STRBUF_INIT;
		struct escape_error err;
		char *got;

		strbuf_addstr(&sb, "key: ");
		if (!hostile_is_utf8(i)) {
			cr_expect_eq(escape_yaml(&sb, s, len, &err), -1, "string %zu", i);
			strbuf_release(&sb);
			continue;
		}
		cr_assert_eq(escape_yaml(&sb, s, len, &err), 0, "string %zu", i);
		strbuf_addch(&sb, '\n');
		got = yaml_value(sb.buf, sb.len, &got_len);
		cr_assert(got, "string %zu: no value in %s", i, sb.buf);
		cr_expect_eq(got_len, len, "string %zu: %s", i, sb.buf);
		cr_expect(!memcmp(got, s, len), "string %zu: %s gave %s", i, sb.buf, got);
		free(got);
		strbuf_release(&sb);
	}
}

Test(escape, utf8_decode)
{
	unsigned long cp;
	cr_expect_eq(utf8_decode("\xf0\x9f\x9a\x80", 4, &cp), 4);
	cr_expect_eq(cp, 0x1F680);
	cr_expect_eq(utf8_decode("\xf0\x9f\x9a", 3, &cp), 0);
	cr_expect_eq(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0, "past U+10FFFF");
	cr_expect_eq(utf8_decode("\x80", 1, &cp), 0);
}
