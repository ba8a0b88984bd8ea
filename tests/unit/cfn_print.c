/*
 * cfn_print.c - unit tests of the CloudFormation values and printer
 * (emitters/cfn_value.c, emitters/cfn_template.c).
 *
 * The printer decides every line break from widths measured once, over
 * values in the arena.  These tests hold it to the bytes of the printer it
 * replaced, which built json-c trees and serialised each subtree to see
 * whether it fitted on a line: that one is kept here, verbatim, as the
 * oracle (reference_print).  Every test builds each value twice, as a
 * json-c tree by json-c's own calls and as a cfn value by cfn.h's (a
 * "twin"), so the oracle also holds the builders to json-c's semantics: a
 * key set twice keeps its first place and takes the last value, also in
 * objects large enough to have a key index.  The golden files cover the emitters' real trees;
 * here random trees reach the corners the examples do not: every byte
 * value in strings and keys, empty containers, widths around the
 * PRINT_WIDTH boundary, deep nesting, a one-member object of any length.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <limits.h>
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

/* ---- twins: one value built both ways ---- */

struct twin {
	struct json_object *j;  /* the oracle's; put by its container */
	struct cfn_value *c;    /* the arena's */
};

static struct twin twin_string(const char *s, size_t len)
{
	struct twin t = { json_object_new_string_len(s, (int)len), cfn_str_len(s, len) };
	return t;
}

static struct twin twin_obj(void)
{
	struct twin t = { json_object_new_object(), cfn_obj() };
	return t;
}

static struct twin twin_array(void)
{
	struct twin t = { json_object_new_array(), cfn_array(NULL) };
	return t;
}

static void twin_set(struct twin obj, const char *key, struct twin value)
{
	json_object_object_add(obj.j, key, value.j);
	cfn_set(obj.c, key, value.c);
}

static void twin_push(struct twin array, struct twin value)
{
	json_object_array_add(array.j, value.j);
	cfn_push(array.c, value.c);
}

static struct twin twin_sub(const char *text)
{
	struct twin t = twin_obj();
	twin_set(t, "Fn::Sub", twin_string(text, strlen(text)));
	return t;
}

/*
 * The oracle's template: the sections as cfn_template.c lays them out,
 * built with json-c beside the cfn_template under test.
 */
struct ref_template {
	struct cfn_template t;
	struct twin parameters, conditions, resources, outputs;
};

static void ref_init(struct ref_template *r, const char *description)
{
	cfn_template_init(&r->t, "cloudformation/test.json", description);
	r->parameters = (struct twin){ json_object_new_object(), r->t.parameters };
	r->conditions = (struct twin){ json_object_new_object(), r->t.conditions };
	r->resources = (struct twin){ json_object_new_object(), r->t.resources };
	r->outputs = (struct twin){ json_object_new_object(), r->t.outputs };
}

static struct twin ref_param(struct ref_template *r, const char *name)
{
	struct twin p = { json_object_new_object(), cfn_param(&r->t, name, "String", "d") };

	json_object_object_add(p.j, "Type", json_object_new_string("String"));
	json_object_object_add(p.j, "Description", json_object_new_string("d"));
	json_object_object_add(r->parameters.j, name, p.j);
	return p;
}

static void ref_condition(struct ref_template *r, const char *name, struct twin expr)
{
	cfn_condition(&r->t, name, expr.c);
	json_object_object_add(r->conditions.j, name, expr.j);
}

/* A resource of type AWS::X::Y; returns its Properties. */
static struct twin ref_props(struct ref_template *r, const char *id)
{
	struct json_object *res = json_object_new_object();
	struct twin props = { json_object_new_object(), cfn_props(cfn_resource(&r->t, id, "AWS::X::Y")) };

	json_object_object_add(res, "Type", json_object_new_string("AWS::X::Y"));
	json_object_object_add(res, "Properties", props.j);
	json_object_object_add(r->resources.j, id, res);
	return props;
}

static void ref_output(struct ref_template *r, const char *name, struct twin value, const char *export_name)
{
	struct json_object *out = json_object_new_object();

	cfn_output(&r->t, name, "o", value.c, export_name);
	json_object_object_add(out, "Description", json_object_new_string("o"));
	json_object_object_add(out, "Value", value.j);
	if (export_name) {
		struct json_object *export = json_object_new_object();
		json_object_object_add(export, "Name", twin_sub(export_name).j);
		json_object_object_add(out, "Export", export);
	}
	json_object_object_add(r->outputs.j, name, out);
}

static void reference_print(const struct ref_template *r, struct strbuf *out)
{
	struct json_object *root = json_object_new_object();

	json_object_object_add(root, "AWSTemplateFormatVersion", json_object_new_string("2010-09-09"));
	json_object_object_add(root, "Description", json_object_new_string(r->t.description));
	if (json_object_object_length(r->parameters.j))
		json_object_object_add(root, "Parameters", json_object_get(r->parameters.j));
	if (json_object_object_length(r->conditions.j))
		json_object_object_add(root, "Conditions", json_object_get(r->conditions.j));
	json_object_object_add(root, "Resources", json_object_get(r->resources.j));
	if (json_object_object_length(r->outputs.j))
		json_object_object_add(root, "Outputs", json_object_get(r->outputs.j));
	print_value(out, root, 0, 0);
	strbuf_addch(out, '\n');
	json_object_put(root);
}

/* ---- running the printer under test ---- */

static struct arena *arena;

/* Every test's values live in an arena of its own. */
static void open_values(void)
{
	arena = arena_new();
	cfn_values_begin(arena);
}

static void close_values(void)
{
	cfn_values_end();
	arena_free(arena);
	arena = NULL;
}

/* Print r with both printers and compare; r is released. */
static void same_bytes(struct ref_template *r, const char *what)
{
	struct diag_list diags;
	struct out_tree out;
	struct emit_context ctx = { .arena = arena, .out = &out };
	struct strbuf want = STRBUF_INIT;
	const struct out_file *got;
	size_t at = 0;

	diag_list_init(&diags, arena);
	ctx.diags = &diags;
	out_tree_init(&out);
	reference_print(r, &want);
	json_object_put(r->parameters.j);
	json_object_put(r->conditions.j);
	json_object_put(r->resources.j);
	json_object_put(r->outputs.j);
	cr_assert_eq(cfn_template_emit(&ctx, &r->t, loc_none()), 0, "%s: the template prints", what);
	got = out_tree_find(&out, "cloudformation/test.json");
	cr_assert_not_null(got);
	while (at < want.len && at < got->len && want.buf[at] == got->data[at])
		at++;
	cr_assert(at == want.len && at == got->len,
		  "%s: the bytes differ at offset %zu (want %zu bytes, got %zu):\nwant: %.80s\ngot:  %.80s",
		  what, at, want.len, got->len, want.buf + (at > 20 ? at - 20 : 0),
		  got->data + (at > 20 ? at - 20 : 0));
	cr_assert_not_null(cfn_template_of("cloudformation/test.json"), "%s: the template is kept", what);
	strbuf_release(&want);
	out_tree_release(&out);
	diag_list_release(&diags);
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

/* A key: often one of a few, so that keys repeat; sometimes any text. */
static void random_key(struct strbuf *key)
{
	static const char *const common[] = { "Ref", "Type", "a", "b", "Fn::Sub", "Value" };

	if (rnd(3))
		strbuf_addstr(key, common[rnd(sizeof common / sizeof common[0])]);
	else
		random_text(key, 1 + rnd(12));
}

static struct twin random_string(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct twin s;
	/* Lengths that put one-line forms on both sides of PRINT_WIDTH. */
	size_t len = rnd(4) ? rnd(24) : rnd(140);

	random_text(&sb, len);
	if (!rnd(20))
		strbuf_add(&sb, "\0nul", 4); /* strings may hold NUL */
	s = twin_string(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

static struct twin random_value(int depth)
{
	unsigned kind = depth > 5 ? rnd(4) : rnd(7);
	struct twin v;
	unsigned i, n;

	switch (kind) {
	case 0:
		return random_string();
	case 1: {
		long long k = (long long)rnd(2000000) - 1000000;
		v.j = json_object_new_int64(k);
		v.c = cfn_int(k);
		return v;
	}
	case 2: {
		bool b = rnd(2);
		v.j = json_object_new_boolean(b);
		v.c = cfn_bool(b);
		return v;
	}
	case 3:
		if (rnd(8))
			return random_string();
		v.j = NULL; /* json-c's null */
		v.c = rnd(2) ? cfn_null() : NULL;
		return v;
	case 4: case 5:
		v = twin_obj();
		/* Sometimes past the size where an object indexes its keys. */
		n = rnd(3) ? rnd(5) : rnd(4) ? 1 : 8 + rnd(30);
		for (i = 0; i < n; i++) {
			struct strbuf key = STRBUF_INIT;
			random_key(&key);
			twin_set(v, key.buf, random_value(depth + 1));
			strbuf_release(&key);
		}
		return v;
	default:
		v = twin_array();
		n = rnd(6);
		for (i = 0; i < n; i++)
			twin_push(v, random_value(depth + 1));
		return v;
	}
}

Test(cfn_print, random_templates_print_as_before)
{
	int round;

	for (round = 0; round < 400; round++) {
		struct ref_template r;
		char what[32];
		unsigned i, n;

		open_values();
		rng_state = (unsigned long long)round;
		snprintf(what, sizeof what, "seed %d", round);
		ref_init(&r, round % 2 ? "random" : "a \"quoted\"\ndescription");
		n = rnd(6);
		for (i = 0; i < n; i++) {
			char name[16];
			snprintf(name, sizeof name, "Param%u", i);
			twin_set(ref_param(&r, name), "Default", random_value(2));
		}
		if (rnd(2))
			ref_condition(&r, "Cond", random_value(1));
		n = 1 + rnd(8);
		for (i = 0; i < n; i++) {
			char id[16];
			snprintf(id, sizeof id, "R%u", i);
			twin_set(ref_props(&r, id), "P", random_value(2));
		}
		if (rnd(2))
			ref_output(&r, "Out", random_value(2), rnd(2) ? "${AWS::StackName}-x" : NULL);
		same_bytes(&r, what);
		close_values();
	}
}

/* Every byte value, alone and between text, in a value and in a key. */
Test(cfn_print, every_byte_escapes_as_json_c_does)
{
	int c;

	for (c = 0; c < 256; c++) {
		struct ref_template r;
		struct twin props;
		char key[4] = { 'k', (char)(c ? c : 'z'), 'k', 0 };
		char text[40];
		char what[16];

		open_values();
		snprintf(what, sizeof what, "byte %d", c);
		/* A byte at each position of a 16-byte chunk and past it. */
		memset(text, 'x', sizeof text);
		text[c % 37] = (char)c;
		ref_init(&r, "bytes");
		props = ref_props(&r, "R");
		twin_set(props, "One", twin_string(text + c % 37, 1));
		twin_set(props, "Many", twin_string(text, sizeof text));
		twin_set(props, key, twin_string("v", 1));
		same_bytes(&r, what);
		close_values();
	}
}

/* A one-line form exactly at, and one past, the width limit. */
Test(cfn_print, the_width_limit_is_inclusive)
{
	int extra;

	for (extra = 60; extra < 110; extra++) {
		struct ref_template r;
		struct twin props, list;
		struct strbuf sb = STRBUF_INIT;
		char what[16];

		open_values();
		snprintf(what, sizeof what, "length %d", extra);
		strbuf_addchars(&sb, 'w', (size_t)extra);
		ref_init(&r, "width");
		props = ref_props(&r, "R");
		list = twin_array();
		twin_push(list, twin_string(sb.buf, sb.len));
		twin_push(list, twin_string("b", 1));
		twin_set(props, "List", list);
		twin_set(props, "Long", twin_string(sb.buf, sb.len));
		twin_set(props, "Sub", twin_sub(sb.buf));
		same_bytes(&r, what);
		strbuf_release(&sb);
		close_values();
	}
}

/* A key set again keeps its first place and takes the last value, below and above the index size. */
Test(cfn_print, a_key_set_twice_keeps_its_place)
{
	unsigned n;

	for (n = 1; n < 40; n++) {
		struct ref_template r;
		struct twin props;
		char what[16], key[16];
		unsigned i;

		open_values();
		snprintf(what, sizeof what, "%u keys", n);
		ref_init(&r, "keys");
		props = ref_props(&r, "R");
		for (i = 0; i < n; i++) {
			snprintf(key, sizeof key, "K%u", i);
			twin_set(props, key, twin_string("first", 5));
		}
		for (i = 0; i < n; i += 3) {
			snprintf(key, sizeof key, "K%u", i);
			twin_set(props, key, twin_string("again", 5));
			cr_assert_str_eq(cfn_string(cfn_get(props.c, key)), "again", "%s: cfn_get finds %s", what, key);
		}
		cr_assert_eq(cfn_count(props.c), n, "%s: no member added by setting a key again", what);
		cr_assert_null(cfn_get(props.c, "K-none"));
		same_bytes(&r, what);
		close_values();
	}
}

/* cfn_equal: json_object_equal's rules (objects in any key order, arrays in order). */
Test(cfn_print, equal_values)
{
	struct cfn_value *a, *b;

	open_values();
	a = cfn_obj();
	cfn_set_str(a, "x", "1");
	cfn_set(a, "y", cfn_array(cfn_int(2), cfn_bool(true), NULL));
	b = cfn_obj();
	cfn_set(b, "y", cfn_array(cfn_int(2), cfn_bool(true), NULL));
	cfn_set_str(b, "x", "1");
	cr_assert(cfn_equal(a, b), "key order does not matter");
	cfn_set(b, "y", cfn_array(cfn_bool(true), cfn_int(2), NULL));
	cr_assert(!cfn_equal(a, b), "array order does");
	cr_assert(!cfn_equal(cfn_str("2"), cfn_int(2)), "a string is no number");
	cr_assert(!cfn_equal(cfn_str_len("a\0b", 3), cfn_str_len("a\0c", 3)), "bytes past a NUL count");
	b = cfn_array(NULL);
	cfn_push_unique(b, cfn_ref("X"));
	cfn_push_unique(b, cfn_ref("X"));
	cfn_push_unique(b, cfn_ref("Y"));
	cr_assert_eq(cfn_count(b), 2);
	close_values();
}

/* cfn_plain: the compact text json-c printed for CodePipeline's variables. */
Test(cfn_print, plain_is_json_c_plain)
{
	struct json_object *j = json_object_new_array(), *o = json_object_new_object();
	struct cfn_value *c, *co;

	open_values();
	json_object_object_add(o, "name", json_object_new_string("A/B \"q\"\n"));
	json_object_object_add(o, "n", json_object_new_int64(-3));
	json_object_object_add(o, "e", json_object_new_object());
	json_object_object_add(o, "l", json_object_new_array());
	json_object_array_add(j, o);
	json_object_array_add(j, NULL);
	c = cfn_array(NULL);
	co = cfn_push(c, cfn_obj());
	cfn_set_str(co, "name", "A/B \"q\"\n");
	cfn_set_int(co, "n", -3);
	cfn_set(co, "e", cfn_obj());
	cfn_set(co, "l", cfn_array(NULL));
	cfn_push(c, cfn_null());
	cr_assert_str_eq(cfn_string(cfn_plain(c)),
			 json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
	close_values();
}

/* Integers and prices are formatted without snprintf: they must read as snprintf's. */
Test(cfn_print, numbers_read_as_snprintf)
{
	static const long long ints[] = { 0, 1, -1, 9, 10, 99, 100, 32768, -1000000, LLONG_MAX, LLONG_MIN };
	static const long long micros[] = { 0, 1, 10, 3750, 100000, 999999, 1000000, 1000001, 12345678, LLONG_MAX };
	struct arena *a;
	size_t i;

	open_values();
	a = arena;
	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%lld", ints[i]);
		cr_assert_str_eq(cfn_string(cfn_plain(cfn_array(cfn_int(ints[i]), NULL))) + 1, strcat(want, "]"));
	}
	for (i = 0; i < sizeof micros / sizeof micros[0]; i++) {
		char want[48];
		size_t len = (size_t)snprintf(want, sizeof want, "%lld.%06lld", micros[i] / 1000000, micros[i] % 1000000);
		while (want[len - 1] == '0')
			want[--len] = '\0';
		if (want[len - 1] == '.')
			want[--len] = '\0';
		cr_assert_str_eq(cfn_price(a, micros[i]), want, "%lld micro-dollars", micros[i]);
	}
	close_values();
}
