/* syntax.c - unit tests of the YAML front end: yaml_load, scalar_char_loc (src/yaml_load.c, src/syntax.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "source.h"
#include "strbuf.h"
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

TestSuite(syntax, .init = setup, .fini = teardown);

static struct source *mem(const char *text)
{
	return source_from_memory(arena, "t.yml", text, strlen(text));
}

static struct node *parse(const char *text)
{
	return yaml_load(arena, mem(text), &diags);
}

/* The diagnostics as printed, sorted. */
static char *printed(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		diag_format(&sb, &diags.items[i]);
	return arena_strdup(arena, sb.buf[0] ? sb.buf : "");
}

static struct position pos(struct loc loc)
{
	return source_locate((struct source *)loc.src, loc.offset);
}

static const struct node *get(const struct node *map, const char *key)
{
	size_t i;
	cr_assert_eq(map->kind, NODE_MAPPING);
	for (i = 0; i < map->npairs; i++)
		if (!strcmp(map->pairs[i].key->text, key))
			return map->pairs[i].value;
	cr_assert_fail("no key '%s'", key);
	return NULL;
}

Test(syntax, mapping_positions_and_text)
{
	struct node *root = parse("cluster:\n  name: demo\n  zones: [a, 'b']\n");
	const struct node *cluster, *name, *zones;

	cr_assert_not_null(root, "%s", printed());
	cr_assert_eq(diags.n, 0);
	cr_assert_eq(root->npairs, 1);
	cr_assert_str_eq(root->pairs[0].key->text, "cluster");
	cr_assert_eq(pos(root->pairs[0].key->loc).line, 1);
	cr_assert_eq(pos(root->pairs[0].key->loc).column, 1);
	cluster = get(root, "cluster");
	name = get(cluster, "name");
	cr_assert_eq(name->kind, NODE_SCALAR);
	cr_assert_str_eq(name->text, "demo");
	cr_assert_eq(name->len, 4);
	cr_assert_eq(pos(name->loc).line, 2);
	cr_assert_eq(pos(name->loc).column, 9);
	cr_assert_eq(name->loc.length, 4);
	zones = get(cluster, "zones");
	cr_assert_eq(zones->kind, NODE_SEQUENCE);
	cr_assert_eq(zones->nitems, 2);
	cr_assert_eq(pos(zones->items[1]->loc).column, 14);
	cr_assert_eq(zones->items[1]->loc.length, 3, "a quoted scalar's location spans its quotes");
}

Test(syntax, columns_count_characters)
{
	struct node *root = parse("k: \"\xc3\xa9t\xc3\xa9\"\nn: x\n");
	cr_assert_not_null(root);
	cr_assert_str_eq(get(root, "k")->text, "\xc3\xa9t\xc3\xa9");
	cr_assert_eq(pos(get(root, "n")->loc).column, 4);
}

Test(syntax, scalar_styles)
{
	struct node *root = parse("p: true\ns: 'true'\nd: \"true\"\nl: |\n  text\nf: >\n  text\nt: !!str 16\n");
	cr_assert_not_null(root, "%s", printed());
	cr_assert_eq(get(root, "p")->style, SCALAR_PLAIN);
	cr_assert_eq(get(root, "s")->style, SCALAR_SINGLE_QUOTED);
	cr_assert_eq(get(root, "d")->style, SCALAR_DOUBLE_QUOTED);
	cr_assert_eq(get(root, "l")->style, SCALAR_LITERAL);
	cr_assert_str_eq(get(root, "l")->text, "text\n");
	cr_assert_eq(get(root, "f")->style, SCALAR_FOLDED);
	cr_assert_eq(get(root, "t")->style, SCALAR_SINGLE_QUOTED, "!!str makes a plain scalar a string");
}

Test(syntax, duplicate_key_is_reported_at_the_second)
{
	/* Reported and dropped: the tree comes back so checking can go on. */
	struct node *root = parse("a: 1\nb: 2\na: 3\n");
	cr_assert_not_null(root);
	cr_assert_eq(root->npairs, 2);
	cr_assert_str_eq(get(root, "a")->text, "1", "the first value is kept");
	cr_assert_eq(diags.nerrors, 1);
	cr_assert_str_eq(printed(),
			 "t.yml:3:1: error: duplicate key 'a' [duplicate-key]\n"
			 "    3 | a: 3\n"
			 "      | ^\n"
			 "hint: 'a' was first set at line 1\n");
}

Test(syntax, nested_duplicates_all_reported)
{
	cr_assert_not_null(parse("x:\n  k: 1\n  k: 2\ny:\n  k: 1\n  k: 2\n"));
	cr_assert_eq(diags.nerrors, 2);
}

Test(syntax, empty_and_blank)
{
	cr_assert_null(parse(""));
	cr_assert_null(parse("  \n\n"));
	cr_assert_eq(diags.nerrors, 2);
	cr_assert_str_eq(diags.items[0].message, "the file is empty");
}

Test(syntax, comments_only)
{
	cr_assert_null(parse("# nothing\n"));
	cr_assert_str_eq(diags.items[0].message, "the file holds no YAML document");
}

Test(syntax, root_must_be_a_mapping)
{
	cr_assert_null(parse("- a\n- b\n"));
	cr_assert_str_eq(diags.items[0].message, "the top level must be a mapping, not a list");
}

Test(syntax, empty_document)
{
	cr_assert_null(parse("---\n~\n"));
	cr_assert_str_eq(diags.items[0].message, "the document is empty");
}

Test(syntax, several_documents)
{
	cr_assert_null(parse("a: 1\n---\nb: 2\n"));
	cr_assert_str_eq(diags.items[0].message, "a second YAML document in one file");
	cr_assert_eq(pos(diags.items[0].loc).line, 2);
}

/* Issue 19: anchors, aliases and merge keys. */
Test(syntax, alias_copies_the_anchored_value)
{
	struct node *root = parse("a: &x [1, 'two']\nb: *x\n");
	const struct node *b;

	cr_assert_not_null(root, "%s", printed());
	b = get(root, "b");
	cr_assert_eq(b->kind, NODE_SEQUENCE);
	cr_assert_eq(b->nitems, 2);
	cr_assert_str_eq(b->items[1]->text, "two");
	cr_assert_eq(b->items[1]->style, SCALAR_SINGLE_QUOTED);
	/* A copy, not the anchored node: its place is the file seen through the alias. */
	cr_assert_neq(b, get(root, "a"));
	cr_assert_not_null(b->items[1]->loc.src->base);
	cr_assert_eq(pos(b->items[1]->loc).line, 1);
	cr_assert_eq(pos(b->loc.src->alias).line, 2);
	cr_assert_eq(pos(b->loc.src->alias).column, 4);
}

Test(syntax, a_diagnostic_on_a_copy_is_at_the_alias_with_a_note)
{
	struct node *root = parse("a: &x\n  k: 1\nb: *x\n");
	const struct node *k;

	cr_assert_not_null(root, "%s", printed());
	k = get(get(root, "b"), "k");
	diag_error(&diags, DIAG_RANGE, k->loc, "bad");
	cr_assert_eq(diags.n, 1);
	cr_assert_null(diags.items[0].loc.src->base);
	cr_assert_eq(pos(diags.items[0].loc).line, 3);
	cr_assert_eq(pos(diags.items[0].loc).column, 4);
	cr_assert_str_eq(diags.items[0].note, "'*x' repeats the value written here");
	cr_assert_eq(pos(diags.items[0].note_loc).line, 2);
	cr_assert_eq(pos(diags.items[0].note_loc).column, 6);
	cr_assert_str_eq(printed(), "t.yml:3:4: error: bad [range]\n"
				    "    3 | b: *x\n"
				    "      |    ^~\n"
				    "t.yml:2:6: note: '*x' repeats the value written here\n"
				    "    2 |   k: 1\n"
				    "      |      ^\n");
}

Test(syntax, written_keys_override_merged_ones)
{
	struct node *root = parse("base: &b {x: 1, y: 2}\nm:\n  w: 0\n  <<: *b\n  y: 3\n");
	const struct node *m;

	cr_assert_not_null(root, "%s", printed());
	cr_assert_eq(diags.n, 0, "%s", printed());
	m = get(root, "m");
	cr_assert_eq(m->npairs, 3);
	/* Merged keys take the place of the '<<'. */
	cr_assert_str_eq(m->pairs[0].key->text, "w");
	cr_assert_str_eq(m->pairs[1].key->text, "x");
	cr_assert_str_eq(m->pairs[2].key->text, "y");
	cr_assert_str_eq(m->pairs[2].value->text, "3");
}

Test(syntax, the_first_of_a_merge_list_wins)
{
	struct node *root = parse("a: &a {x: 1}\nb: &b {x: 2, z: 3}\nm: {<<: [*a, *b, {z: 4, v: 5}]}\n");
	const struct node *m;

	cr_assert_not_null(root, "%s", printed());
	m = get(root, "m");
	cr_assert_eq(m->npairs, 3);
	cr_assert_str_eq(get(m, "x")->text, "1");
	cr_assert_str_eq(get(m, "z")->text, "3");
	cr_assert_str_eq(get(m, "v")->text, "5");
}

Test(syntax, a_quoted_merge_key_is_a_key)
{
	struct node *root = parse("m: {'<<': 1}\n");
	cr_assert_not_null(root, "%s", printed());
	cr_assert_str_eq(get(root, "m")->pairs[0].key->text, "<<");
}

Test(syntax, a_written_duplicate_beside_a_merge_is_still_an_error)
{
	cr_assert_not_null(parse("a: &a {x: 1}\nm: {<<: *a, y: 1, y: 2}\n"));
	cr_assert_eq(diags.nerrors, 1);
	cr_assert_str_eq(diags.items[0].message, "duplicate key 'y'");
}

Test(syntax, merge_of_a_scalar)
{
	cr_assert_null(parse("a: &a 1\nm: {<<: *a}\n"));
	cr_assert_str_eq(diags.items[0].message, "the merge key '<<' takes a mapping or a list of mappings, not a string");
	cr_assert_eq(pos(diags.items[0].loc).line, 2);
}

Test(syntax, alias_without_anchor)
{
	cr_assert_null(parse("a: 1\nb: *x\n"));
	cr_assert_str_eq(diags.items[0].message, "alias '*x' has no anchor before it");
	cr_assert_eq(pos(diags.items[0].loc).line, 2);
	cr_assert_eq(pos(diags.items[0].loc).column, 4);
}

Test(syntax, alias_inside_its_anchor)
{
	cr_assert_null(parse("a: &x [1, *x]\n"));
	cr_assert_str_eq(diags.items[0].message, "alias '*x' is inside the value anchored as '&x'");
}

Test(syntax, a_later_anchor_of_the_same_name_wins)
{
	struct node *root = parse("a: &x 1\nb: &x 2\nc: *x\n");
	cr_assert_not_null(root, "%s", printed());
	cr_assert_str_eq(get(root, "c")->text, "2");
}

/* The billion laughs stop at the budget, after at most 100,000 copies. */
Test(syntax, alias_bomb_stops_at_the_budget)
{
	struct strbuf sb = STRBUF_INIT;
	char c;

	strbuf_addstr(&sb, "a: &a [x, x, x, x, x, x, x, x, x, x]\n");
	for (c = 'b'; c <= 'j'; c++)
		strbuf_addf(&sb, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n",
			    c, c, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
	cr_assert_null(parse(sb.buf));
	strbuf_release(&sb);
	cr_assert_eq(diags.nerrors, 1);
	cr_assert_str_eq(diags.items[0].message, "aliases repeat more than 100000 nodes");
	cr_assert_eq(pos(diags.items[0].loc).line, 5);
}

Test(syntax, aliases_past_ten_times_the_file)
{
	cr_assert_null(parse("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			     "c: [*b, *b, *b, *b]\n"));
	cr_assert_eq(diags.nerrors, 1);
	cr_assert(strstr(diags.items[0].message, "more than 10 times the"), "%s", diags.items[0].message);
}

Test(syntax, tags_are_refused_as_written)
{
	cr_assert_null(parse("a: !!int 1\n"));
	cr_assert_str_eq(diags.items[0].message, "YAML tag '!!int' is not supported");
}

Test(syntax, tabs_in_indentation)
{
	cr_assert_null(parse("a:\n\tb: 1\n"));
	cr_assert_str_eq(diags.items[0].message, "tab character in indentation");
	cr_assert_eq(pos(diags.items[0].loc).line, 2);
}

Test(syntax, tab_inside_a_value_is_fine)
{
	cr_assert_not_null(parse("a: \"x\ty\"\nb: 1 # a\tcomment\n"), "%s", printed());
}

Test(syntax, invalid_utf8_and_nul)
{
	struct source *src = source_from_memory(arena, "t.yml", "a: \xff\nb: x\0y\n", 12);
	cr_assert_null(yaml_load(arena, src, &diags));
	cr_assert_eq(diags.nerrors, 2);
	cr_assert_str_eq(diags.items[0].message, "invalid UTF-8 byte 0xFF");
	cr_assert_str_eq(diags.items[1].message, "NUL byte in the file");
}

Test(syntax, yaml_error_has_libyaml_position_and_problem)
{
	cr_assert_null(parse("a: [1, 2\nb: 3\n"));
	cr_assert_eq(diags.nerrors, 1);
	cr_assert_str_eq(diags.items[0].message, "did not find expected ',' or ']'");
	cr_assert_eq(pos(diags.items[0].loc).line, 2);
	cr_assert_str_eq(diags.items[0].hint, "while parsing a flow sequence that started at line 1");
}

static char *nested(int depth)
{
	struct strbuf sb = STRBUF_INIT;
	int i;
	for (i = 0; i < depth; i++)
		strbuf_addch(&sb, '[');
	for (i = 0; i < depth; i++)
		strbuf_addch(&sb, ']');
	return arena_printf(arena, "a: %s\n", sb.buf);
}

Test(syntax, nesting_limit)
{
	/* The root mapping is level 1. */
	cr_assert_not_null(parse(nested(SYNTAX_MAX_DEPTH - 1)), "%s", printed());
	cr_assert_null(parse(nested(SYNTAX_MAX_DEPTH)));
	cr_assert_str_eq(diags.items[0].message, "nesting deeper than 32 levels");
}

Test(syntax, node_kind_names)
{
	struct node *root = parse("s: x\nl: []\nm: {}\n");
	cr_assert_str_eq(node_kind_name(get(root, "s")), "a string");
	cr_assert_str_eq(node_kind_name(get(root, "l")), "a list");
	cr_assert_str_eq(node_kind_name(get(root, "m")), "a mapping");
}

/* scalar_char_loc: the place of value[index..index+len) in the raw text. */
static struct loc char_loc(const char *text, const char *key, size_t index, size_t len)
{
	struct node *root = parse(text);
	cr_assert_not_null(root, "%s", printed());
	return scalar_char_loc(get(root, key)->loc, index, len);
}

Test(syntax, scalar_char_loc_plain)
{
	struct loc l = char_loc("k: dev_cluster\n", "k", 3, 1);
	cr_assert_eq(l.offset, 6);
	cr_assert_eq(l.length, 1);
}

Test(syntax, scalar_char_loc_double_quoted_escapes)
{
	/* value a<TAB>b_c: the '_' is value index 3, raw offset 3 + 1 + 1 + 2 + 1 */
	struct loc l = char_loc("k: \"a\\tb_c\"\n", "k", 3, 1);
	cr_assert_eq(l.offset, 8);
	cr_assert_eq(l.length, 1);
	/* \x41 is one character spanning four bytes */
	l = char_loc("k: \"\\x41_\"\n", "k", 0, 1);
	cr_assert_eq(l.offset, 4);
	cr_assert_eq(l.length, 4);
}

Test(syntax, scalar_char_loc_single_quoted)
{
	/* 'it''s_x': value it's_x, '_' is index 4, raw offset 3 + 1 + 2 + 2 + 1 */
	struct loc l = char_loc("k: 'it''s_x'\n", "k", 4, 1);
	cr_assert_eq(l.offset, 9);
	cr_assert_eq(l.length, 1);
}

Test(syntax, scalar_char_loc_utf8)
{
	/* index is in bytes of the value: '_' after a two-byte character */
	struct loc l = char_loc("k: \xc3\xa9_x\n", "k", 2, 1);
	cr_assert_eq(l.offset, 5);
}

Test(syntax, scalar_char_loc_multiline_falls_back)
{
	struct node *root = parse("k: >\n  ab\n  cd\n");
	struct loc whole = get(root, "k")->loc;
	struct loc l = scalar_char_loc(whole, 3, 1);
	cr_assert_eq(l.offset, whole.offset);
	cr_assert_eq(l.length, whole.length);
}
