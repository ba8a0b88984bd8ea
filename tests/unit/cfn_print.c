/*
 * cfn_print.c - unit tests of the CloudFormation printer (emitters/cfn_template.c).
 *
 * The printer decides every line break from widths measured once.  These
 * tests hold it to the bytes of the printer it replaced, which serialised
 * each subtree with json-c to see whether it fitted on a line: that one is
 * kept here, verbatim, as the oracle (reference_print), and both print
 * the same templates.  The golden files cover the emitters' real trees;
 * here random trees reach the corners the examples do not: every byte
 * value in strings and keys, empty containers, widths around the
 * PRINT_WIDTH boundary, deep nesting, a one-member object of any length.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cfn.h"
#include "diag.h"
#include "emitter.h"
#include "outtree.h"
#include "strbuf.h"

/* ---- the oracle: the json-c printer as it was before the one-pass printer ---- */

#define PRINT_WIDTH 100
#define TAB_COLUMNS 2

static void print_scalar(struct strbuf *out, struct json_object *v)
{
	size_t len;
	const char *text = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	strbuf_add(out, text, len);
}

static bool is_container(struct json_object *v)
{
	return json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array);
}

static bool one_scalar(struct json_object *v)
{
	if (json_object_is_type(v, json_type_array))
		return !json_object_array_length(v);
	if (!json_object_object_length(v))
		return true;
	if (json_object_object_length(v) > 1)
		return false;
	json_object_object_foreach(v, key, member) {
		(void)key;
		return !is_container(member);
	}
	return false;
}

static void print_inline(struct strbuf *out, struct json_object *v)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		strbuf_addch(out, '[');
		for (i = 0; i < n; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			print_inline(out, json_object_array_get_idx(v, i));
		}
		strbuf_addch(out, ']');
	} else if (json_object_is_type(v, json_type_object)) {
		bool first = true;
		strbuf_addch(out, '{');
		json_object_object_foreach(v, key, member) {
			struct json_object *k = json_object_new_string(key);
			if (!first)
				strbuf_addstr(out, ", ");
			first = false;
			print_scalar(out, k);
			json_object_put(k);
			strbuf_addstr(out, ": ");
			print_inline(out, member);
		}
		strbuf_addch(out, '}');
	} else {
		print_scalar(out, v);
	}
}

static void print_value(struct strbuf *out, struct json_object *v, size_t depth, size_t column)
{
	struct strbuf line = STRBUF_INIT;
	bool array = json_object_is_type(v, json_type_array);
	size_t i = 0;

	if (!is_container(v)) {
		print_scalar(out, v);
		return;
	}
	print_inline(&line, v);
	if (column + line.len <= PRINT_WIDTH || one_scalar(v)) {
		strbuf_add(out, line.buf, line.len);
		strbuf_release(&line);
		return;
	}
	strbuf_release(&line);
	strbuf_addch(out, array ? '[' : '{');
	if (array) {
		for (i = 0; i < json_object_array_length(v); i++) {
			strbuf_addstr(out, i ? ",\n" : "\n");
			strbuf_addchars(out, '\t', depth + 1);
			print_value(out, json_object_array_get_idx(v, i), depth + 1, (depth + 1) * TAB_COLUMNS);
		}
	} else {
		json_object_object_foreach(v, key, member) {
			struct json_object *k = json_object_new_string(key);
			size_t start;
			strbuf_addstr(out, i++ ? ",\n" : "\n");
			strbuf_addchars(out, '\t', depth + 1);
			start = out->len;
			print_scalar(out, k);
			json_object_put(k);
			strbuf_addstr(out, ": ");
			print_value(out, member, depth + 1, (depth + 1) * TAB_COLUMNS + (out->len - start));
		}
	}
	strbuf_addch(out, '\n');
	strbuf_addchars(out, '\t', depth);
	strbuf_addch(out, array ? ']' : '}');
}

static void reference_print(const struct cfn_template *t, struct strbuf *out)
{
	struct json_object *root = json_object_new_object();

	json_object_object_add(root, "AWSTemplateFormatVersion", json_object_new_string("2010-09-09"));
	json_object_object_add(root, "Description", json_object_new_string(t->description));
	if (json_object_object_length(t->parameters))
		json_object_object_add(root, "Parameters", json_object_get(t->parameters));
	if (json_object_object_length(t->conditions))
		json_object_object_add(root, "Conditions", json_object_get(t->conditions));
	json_object_object_add(root, "Resources", json_object_get(t->resources));
	if (json_object_object_length(t->outputs))
		json_object_object_add(root, "Outputs", json_object_get(t->outputs));
	print_value(out, root, 0, 0);
	strbuf_addch(out, '\n');
	json_object_put(root);
}

/* ---- running the printer under test ---- */

/* Print t with both printers and compare; t is released. */
static void same_bytes(struct cfn_template *t, const char *what)
{
	struct arena *arena = arena_new();
	struct diag_list diags;
	struct out_tree out;
	struct emit_context ctx = { NULL, arena, NULL, NULL, &out };
	struct strbuf want = STRBUF_INIT;
	const struct out_file *got;
	size_t at = 0;

	diag_list_init(&diags, arena);
	ctx.diags = &diags;
	out_tree_init(&out);
	reference_print(t, &want);
	cr_assert_eq(cfn_template_emit(&ctx, t, loc_none()), 0, "%s: the template prints", what);
	got = out_tree_find(&out, "cloudformation/test.json");
	cr_assert_not_null(got);
	while (at < want.len && at < got->len && want.buf[at] == got->data[at])
		at++;
	cr_assert(at == want.len && at == got->len,
		  "%s: the bytes differ at offset %zu (want %zu bytes, got %zu):\nwant: %.80s\ngot:  %.80s",
		  what, at, want.len, got->len, want.buf + (at > 20 ? at - 20 : 0),
		  got->data + (at > 20 ? at - 20 : 0));
	strbuf_release(&want);
	out_tree_release(&out);
	diag_list_release(&diags);
	arena_free(arena);
}

/* ---- random trees ---- */

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

/* Mostly printable text, sometimes any byte at all (never NUL: keys are C strings). */
static void random_text(struct strbuf *sb, size_t len)
{
	static const char specials[] = "\"\\/\b\f\n\r\t\x01\x1f\x7f";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned r = rnd(100);
		if (r < 80)
			strbuf_addch(sb, 'a' + (int)rnd(26));
		else if (r < 90)
			strbuf_addch(sb, specials[rnd(sizeof specials - 1)]);
		else
			strbuf_addch(sb, 1 + (int)rnd(255));
	}
}

static struct json_object *random_string(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_object *s;
	/* Lengths that put one-line forms on both sides of PRINT_WIDTH. */
	size_t len = rnd(4) ? rnd(24) : rnd(140);

	random_text(&sb, len);
	if (!rnd(20))
		strbuf_add(&sb, "\0nul", 4); /* json-c strings may hold NUL */
	s = json_object_new_string_len(sb.buf, (int)sb.len);
	strbuf_release(&sb);
	return s;
}

static struct json_object *random_value(int depth)
{
	unsigned kind = depth > 5 ? rnd(4) : rnd(7);
	struct json_object *v;
	unsigned i, n;

	switch (kind) {
	case 0:
		return random_string();
	case 1:
		return json_object_new_int64((long long)rnd(2000000) - 1000000);
	case 2:
		return json_object_new_boolean(rnd(2));
	case 3:
		return rnd(8) ? random_string() : NULL; /* null */
	case 4: case 5:
		v = json_object_new_object();
		n = rnd(3) ? rnd(5) : 1;
		for (i = 0; i < n; i++) {
			struct strbuf key = STRBUF_INIT;
			random_text(&key, 1 + rnd(12));
			json_object_object_add(v, key.buf, random_value(depth + 1));
			strbuf_release(&key);
		}
		return v;
	default:
		v = json_object_new_array();
		n = rnd(6);
		for (i = 0; i < n; i++)
			json_object_array_add(v, random_value(depth + 1));
		return v;
	}
}

Test(cfn_print, random_templates_print_as_before)
{
	int round;

	for (round = 0; round < 400; round++) {
		struct cfn_template t;
		char what[32];
		unsigned i, n;

		rng_state = (unsigned long long)round;
		snprintf(what, sizeof what, "seed %d", round);
		cfn_template_init(&t, "cloudformation/test.json", round % 2 ? "random" : "a \"quoted\"\ndescription");
		n = rnd(6);
		for (i = 0; i < n; i++) {
			char name[16];
			snprintf(name, sizeof name, "Param%u", i);
			json_object_object_add(cfn_param(&t, name, "String", "d"), "Default", random_value(2));
		}
		if (rnd(2))
			cfn_condition(&t, "Cond", random_value(1));
		n = 1 + rnd(8);
		for (i = 0; i < n; i++) {
			char id[16];
			snprintf(id, sizeof id, "R%u", i);
			json_object_object_add(cfn_props(cfn_resource(&t, id, "AWS::X::Y")), "P", random_value(2));
		}
		if (rnd(2))
			cfn_output(&t, "Out", "o", random_value(2), rnd(2) ? "${AWS::StackName}-x" : NULL);
		same_bytes(&t, what);
	}
}

/* Every byte value, alone and between text, in a value and in a key. */
Test(cfn_print, every_byte_escapes_as_json_c_does)
{
	int c;

	for (c = 0; c < 256; c++) {
		struct cfn_template t;
		struct json_object *props;
		char key[4] = { 'k', (char)(c ? c : 'z'), 'k', 0 };
		char text[40];
		char what[16];

		snprintf(what, sizeof what, "byte %d", c);
		/* A byte at each position of a 16-byte chunk and past it. */
		memset(text, 'x', sizeof text);
		text[c % 37] = (char)c;
		cfn_template_init(&t, "cloudformation/test.json", "bytes");
		props = cfn_props(cfn_resource(&t, "R", "AWS::X::Y"));
		json_object_object_add(props, "One", json_object_new_string_len(text + c % 37, 1));
		json_object_object_add(props, "Many", json_object_new_string_len(text, sizeof text));
		json_object_object_add(props, key, json_object_new_string("v"));
		same_bytes(&t, what);
	}
}

/* A one-line form exactly at, and one past, the width limit. */
Test(cfn_print, the_width_limit_is_inclusive)
{
	int extra;

	for (extra = 60; extra < 110; extra++) {
		struct cfn_template t;
		struct json_object *props, *list;
		struct strbuf sb = STRBUF_INIT;
		char what[16];

		snprintf(what, sizeof what, "length %d", extra);
		strbuf_addchars(&sb, 'w', (size_t)extra);
		cfn_template_init(&t, "cloudformation/test.json", "width");
		props = cfn_props(cfn_resource(&t, "R", "AWS::X::Y"));
		list = json_object_new_array();
		json_object_array_add(list, json_object_new_string(sb.buf));
		json_object_array_add(list, json_object_new_string("b"));
		json_object_object_add(props, "List", list);
		json_object_object_add(props, "Long", json_object_new_string(sb.buf));
		json_object_object_add(props, "Sub", cfn_sub(sb.buf));
		same_bytes(&t, what);
		strbuf_release(&sb);
	}
}
