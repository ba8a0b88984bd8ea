/* cfn_template.c - a template's sections, CloudFormation's limits and the printed bytes (see cfn.h). */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#include "arena.h"
#include "cfn.h"
#include "diag.h"
#include "emitter.h"
#include "outtree.h"
#include "strbuf.h"

void cfn_template_init(struct cfn_template *t, const char *path, const char *description)
{
	t->path = path;
	t->description = description;
	t->parameters = cfn_obj();
	t->conditions = cfn_obj();
	t->resources = cfn_obj();
	t->outputs = cfn_obj();
}

void cfn_template_release(struct cfn_template *t)
{
	json_object_put(t->parameters);
	json_object_put(t->conditions);
	json_object_put(t->resources);
	json_object_put(t->outputs);
	t->parameters = t->conditions = t->resources = t->outputs = NULL;
}

/* Each section is its own namespace; a name twice in one is a bug of the emitter. */
static void add_unique(struct json_object *section, const char *name, struct json_object *value)
{
	assert(!json_object_object_get_ex(section, name, NULL) && "a logical id used twice");
	cfn_set(section, name, value);
}

struct json_object *cfn_param(struct cfn_template *t, const char *name, const char *type,
			      const char *description)
{
	struct json_object *param = cfn_obj();
	cfn_set_str(param, "Type", type);
	cfn_set_str(param, "Description", description);
	add_unique(t->parameters, name, param);
	return param;
}

void cfn_condition(struct cfn_template *t, const char *name, struct json_object *expr)
{
	add_unique(t->conditions, name, expr);
}

struct json_object *cfn_resource(struct cfn_template *t, const char *logical_id, const char *type)
{
	struct json_object *resource = cfn_obj();
	cfn_set_str(resource, "Type", type);
	add_unique(t->resources, logical_id, resource);
	return resource;
}

struct json_object *cfn_props(struct json_object *resource)
{
	return cfn_set(resource, "Properties", cfn_obj());
}

struct json_object *cfn_output(struct cfn_template *t, const char *name, const char *description,
			       struct json_object *value, const char *export_name)
{
	struct json_object *output = cfn_obj();
	cfn_set_str(output, "Description", description);
	cfn_set(output, "Value", value);
	if (export_name) {
		struct json_object *export = cfn_set(output, "Export", cfn_obj());
		cfn_set(export, "Name", cfn_sub(export_name));
	}
	add_unique(t->outputs, name, output);
	return output;
}

/*
 * The printed form, chosen for review and for the inline-body limit (the
 * cluster template carries the functions' source): an array or object goes
 * on one line when that line fits in PRINT_WIDTH columns ({"Ref": "VpcId"},
 * a short tag list), otherwise one member per line, indented by one tab per
 * level (a tab counts as TAB_COLUMNS for the width); an object of one
 * scalar member, such as {"Fn::Sub": "arn:..."}, stays on one line however
 * long.  Keys in insertion order; strings escaped as json-c escapes them
 * with '/' left alone; integers in decimal (there are no doubles); one
 * final newline.  json-c's own pretty printer puts every Ref on three lines
 * and indents with spaces, which made the full example's cluster template a
 * fifth larger.
 *
 * One pass each way: measure() walks the json-c tree once, bottom-up, into
 * a mirror in the compilation's arena that points at every string's bytes
 * and holds every node's one-line width; print() then walks the mirror
 * top-down and decides each line break from those widths, never
 * re-serialising a subtree.  A width counts bytes, as the old printer did.  Output bytes are the same as the old print-then-measure printer
 * (tests/golden-out.test and tests/unit/cfn_print.c hold them).
 */
#define PRINT_WIDTH 100
#define TAB_COLUMNS 2

enum pkind { P_STRING, P_LITERAL, P_ARRAY, P_OBJECT };

struct pnode {
	const char *key;     /* an object member's key, unescaped (json-c's bytes) */
	size_t key_len, key_width;
	const char *text;    /* a string's bytes, unescaped; a number's or literal's JSON text */
	size_t text_len;
	size_t width;        /* bytes of the one-line form */
	struct pnode *kids;  /* a container's members, n of them */
	size_t n;
	enum pkind kind;
};

/*
 * Strings are measured at measure() and escaped at print(), straight from
 * json-c's bytes into the output: no copy in between.  json-c's escapes
 * (JSON_C_TO_STRING_NOSLASHESCAPE): \b \n \r \t \f \" \\ by name, every
 * other byte below 0x20 as \u00xx in lowercase hex, all else as it is.
 */
enum { CHUNK = 16 };

/* Bytes an escape adds for each byte: 1 for \n and the like, 5 for \u00xx. */
static const unsigned char escape_extra[256] = {
	5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 5, 1, 1, 5, 5,
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	['"'] = 1, ['\\'] = 1,
};

/*
 * Bit k set when s[i + k] needs an escape, for the CHUNK bytes from i on
 * (fewer at the end of s).  The template's strings are most of its bytes,
 * the functions' sources among them: SSE2 looks at a chunk in a few
 * instructions where the machine has it.
 */
static unsigned chunk_specials(const char *s, size_t i, size_t len)
{
	size_t n = len - i < CHUNK ? len - i : CHUNK;
	unsigned mask = 0;
#if defined(__SSE2__) && defined(__GNUC__)
	const __m128i below = _mm_set1_epi8(' ' - 1), quote = _mm_set1_epi8('"'),
		      backslash = _mm_set1_epi8('\\');
	char tail[CHUNK];
	const char *p = s + i;
	__m128i w;

	if (n < CHUNK) { /* the last bytes, padded with harmless ones */
		memset(tail, 'a', sizeof tail);
		memcpy(tail, p, n);
		p = tail;
	}
	w = _mm_loadu_si128((const __m128i *)(const void *)p);
	mask = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		_mm_cmpeq_epi8(_mm_min_epu8(w, below), w),
		_mm_or_si128(_mm_cmpeq_epi8(w, quote), _mm_cmpeq_epi8(w, backslash))));
#else
	size_t k;
	for (k = 0; k < n; k++)
		if (escape_extra[(unsigned char)s[i + k]])
			mask |= 1u << k;
#endif
	return mask;
}

/* Bytes of s[0..len) as a JSON string, quotes included. */
static size_t string_width(const char *s, size_t len)
{
	size_t i, width = len + 2;

	for (i = 0; i < len; i += CHUNK) {
		unsigned mask = chunk_specials(s, i, len);
		for (; mask; mask &= mask - 1)
			width += escape_extra[(unsigned char)s[i + (size_t)__builtin_ctz(mask)]];
	}
	return width;
}

/*
 * Output goes through a raw pointer into room reserved up front: a node's
 * one-line form is exactly node->width bytes, so it needs one check, not
 * one per piece.  room() makes sure n more bytes fit and returns where they
 * go; done() takes the pointer back into the buffer's length.
 */
static char *room(struct strbuf *out, size_t n)
{
	if (out->alloc - out->len <= n)
		strbuf_grow(out, n);
	return out->buf + out->len;
}

static void done(struct strbuf *out, char *p)
{
	*p = '\0';
	out->len = (size_t)(p - out->buf);
}

static char *put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* s[0..len) as a JSON string of width bytes (string_width()). */
static char *put_string(char *p, const char *s, size_t len, size_t width)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, from = 0;

	*p++ = '"';
	for (i = 0; width != len + 2 && i < len; i += CHUNK) {
		unsigned mask = chunk_specials(s, i, len);
		for (; mask; mask &= mask - 1) {
			size_t at = i + (size_t)__builtin_ctz(mask);
			unsigned char c = (unsigned char)s[at];
			p = put(p, s + from, at - from);
			from = at + 1;
			*p++ = '\\';
			switch (c) {
			case '\b': *p++ = 'b'; break;
			case '\n': *p++ = 'n'; break;
			case '\r': *p++ = 'r'; break;
			case '\t': *p++ = 't'; break;
			case '\f': *p++ = 'f'; break;
			case '"': case '\\': *p++ = (char)c; break;
			default:
				p = put(p, "u00", 3);
				*p++ = hex[c >> 4];
				*p++ = hex[c & 0xf];
			}
		}
	}
	p = put(p, s + from, len - from);
	*p++ = '"';
	return p;
}

static void measure(struct arena *arena, struct pnode *node, struct json_object *v);

static void string_node(struct pnode *node, const char *s, size_t len)
{
	node->kind = P_STRING;
	node->text = s;
	node->text_len = len;
	node->width = string_width(s, len);
}

static void measure_scalar(struct arena *arena, struct pnode *node, struct json_object *v, enum json_type type)
{
	char digits[24];
	int len;

	node->kind = P_LITERAL;
	switch (type) {
	case json_type_string:
		string_node(node, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		return;
	case json_type_int:
		len = snprintf(digits, sizeof digits, "%" PRId64, json_object_get_int64(v));
		node->text = arena_strndup(arena, digits, (size_t)len);
		node->text_len = (size_t)len;
		break;
	case json_type_boolean:
		node->text = json_object_get_boolean(v) ? "true" : "false";
		node->text_len = strlen(node->text);
		break;
	case json_type_null:
		node->text = "null";
		node->text_len = 4;
		break;
	default:
		assert(!"no doubles in a template");
		abort();
	}
	node->width = node->text_len;
}

static void measure_array(struct arena *arena, struct pnode *node, struct json_object *v)
{
	size_t i;

	node->kind = P_ARRAY;
	node->n = json_object_array_length(v);
	node->kids = arena_array(arena, node->n, sizeof *node->kids);
	node->width = 2 + (node->n ? 2 * (node->n - 1) : 0); /* "[" "]" and ", " */
	for (i = 0; i < node->n; i++) {
		measure(arena, &node->kids[i], json_object_array_get_idx(v, i));
		node->width += node->kids[i].width;
	}
}

static void measure_object(struct arena *arena, struct pnode *node, struct json_object *v)
{
	struct pnode *kid;

	node->kind = P_OBJECT;
	node->n = (size_t)json_object_object_length(v);
	node->kids = kid = arena_array(arena, node->n, sizeof *node->kids);
	node->width = 2 + (node->n ? 2 * (node->n - 1) : 0);
	json_object_object_foreach(v, key, member) {
		kid->key = key;
		kid->key_len = strlen(key);
		kid->key_width = string_width(key, kid->key_len);
		measure(arena, kid, member);
		node->width += kid->key_width + 2 + kid->width; /* "key": value */
		kid++;
	}
}

static void measure(struct arena *arena, struct pnode *node, struct json_object *v)
{
	enum json_type type = json_object_get_type(v);

	if (type == json_type_object)
		measure_object(arena, node, v);
	else if (type == json_type_array)
		measure_array(arena, node, v);
	else
		measure_scalar(arena, node, v, type);
}

/* {} and [], or an object of one member that is not a container. */
static bool one_scalar(const struct pnode *node)
{
	if (node->kind == P_ARRAY || !node->n)
		return !node->n;
	return node->n == 1 && node->kids[0].kind <= P_LITERAL;
}

/* The one-line form, {"a": 1, "b": [2, 3]}: node->width bytes at p. */
static char *put_inline(char *p, const struct pnode *node)
{
	size_t i;

	if (node->kind == P_STRING)
		return put_string(p, node->text, node->text_len, node->width);
	if (node->kind == P_LITERAL)
		return put(p, node->text, node->text_len);
	*p++ = node->kind == P_ARRAY ? '[' : '{';
	for (i = 0; i < node->n; i++) {
		const struct pnode *kid = &node->kids[i];
		if (i)
			p = put(p, ", ", 2);
		if (node->kind == P_OBJECT) {
			p = put_string(p, kid->key, kid->key_len, kid->key_width);
			p = put(p, ": ", 2);
		}
		p = put_inline(p, kid);
	}
	*p++ = node->kind == P_ARRAY ? ']' : '}';
	return p;
}

/* node starts at column `column` of a line indented by `depth` tabs. */
static void print(struct strbuf *out, const struct pnode *node, size_t depth, size_t column)
{
	size_t i, indent = (depth + 1) * TAB_COLUMNS;
	char *p;

	if (node->kind <= P_LITERAL || column + node->width <= PRINT_WIDTH || one_scalar(node)) {
		done(out, put_inline(room(out, node->width), node));
		return;
	}
	p = room(out, 1);
	*p++ = node->kind == P_ARRAY ? '[' : '{';
	done(out, p);
	for (i = 0; i < node->n; i++) {
		const struct pnode *kid = &node->kids[i];
		p = room(out, 2 + depth + 1 + kid->key_width + 2);
		p = i ? put(p, ",\n", 2) : put(p, "\n", 1);
		memset(p, '\t', depth + 1);
		p += depth + 1;
		if (node->kind == P_OBJECT) {
			p = put_string(p, kid->key, kid->key_len, kid->key_width);
			done(out, put(p, ": ", 2));
			print(out, kid, depth + 1, indent + kid->key_width + 2);
		} else {
			done(out, p);
			print(out, kid, depth + 1, indent);
		}
	}
	p = room(out, 1 + depth + 1);
	*p++ = '\n';
	memset(p, '\t', depth);
	p += depth;
	*p++ = node->kind == P_ARRAY ? ']' : '}';
	done(out, p);
}

/* The next top-level member of the template; its value is the caller's to fill. */
static struct pnode *section(struct pnode *root, const char *key)
{
	struct pnode *node = &root->kids[root->n++];

	node->key = key;
	node->key_len = strlen(key);
	node->key_width = string_width(key, node->key_len);
	return node;
}

static void add_section(struct arena *arena, struct pnode *root, const char *key, struct json_object *value)
{
	measure(arena, section(root, key), value);
}

static void print_template(struct arena *arena, const struct cfn_template *t, struct strbuf *out)
{
	struct pnode root = { .kind = P_OBJECT };
	size_t i;

	root.kids = arena_array(arena, 6, sizeof *root.kids);
	string_node(section(&root, "AWSTemplateFormatVersion"), "2010-09-09", strlen("2010-09-09"));
	string_node(section(&root, "Description"), t->description, strlen(t->description));
	if (json_object_object_length(t->parameters))
		add_section(arena, &root, "Parameters", t->parameters);
	if (json_object_object_length(t->conditions))
		add_section(arena, &root, "Conditions", t->conditions);
	add_section(arena, &root, "Resources", t->resources);
	if (json_object_object_length(t->outputs))
		add_section(arena, &root, "Outputs", t->outputs);
	root.width = 2 + 2 * (root.n - 1);
	for (i = 0; i < root.n; i++)
		root.width += root.kids[i].key_width + 2 + root.kids[i].width;
	strbuf_grow(out, root.width + root.width / 2);
	print(out, &root, 0, 0);
	done(out, put(room(out, 1), "\n", 1));
}

static int over_limit(struct emit_context *ctx, const struct cfn_template *t, struct loc loc,
		      const char *what, size_t count, size_t limit, const char *hint)
{
	if (count <= limit)
		return 0;
	diag_error(ctx->diags, DIAG_CFN_LIMIT, loc, "CloudFormation template '%s' has %zu %s, more than the limit of %zu",
		   t->path, count, what, limit);
	diag_hint(ctx->diags, "%s", hint);
	return -1;
}

int cfn_template_emit(struct emit_context *ctx, struct cfn_template *t, struct loc loc)
{
	struct strbuf sb = STRBUF_INIT;
	int err = 0;

	err |= over_limit(ctx, t, loc, "resources", (size_t)json_object_object_length(t->resources),
			  CFN_MAX_RESOURCES, "split the fleets and groups over fewer bids or fewer lists");
	err |= over_limit(ctx, t, loc, "parameters", (size_t)json_object_object_length(t->parameters),
			  CFN_MAX_PARAMETERS, "fewer parameters: CloudFormation counts every one");
	err |= over_limit(ctx, t, loc, "outputs", (size_t)json_object_object_length(t->outputs),
			  CFN_MAX_OUTPUTS, "fewer spot fleets and auto scaling groups: each one is an output");
	if (!err) {
		print_template(ctx->arena, t, &sb);
		err |= over_limit(ctx, t, loc, "bytes", sb.len, CFN_MAX_BODY,
				  "the supported maxima (man ecsgen) hold one at a time; use fewer or shorter items");
	}
	if (!err)
		out_tree_add(ctx->out, t->path, &sb, 0644);
	strbuf_release(&sb);
	cfn_template_release(t);
	return err ? -1 : 0;
}
