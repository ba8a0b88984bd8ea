/* cfn_template.c - a template's sections, CloudFormation's limits and the printed bytes (see cfn.h). */
#include "config.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#endif

#include "cfn.h"
#include "cfn_int.h"
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

/* The values are the arena's: releasing a template only forgets them. */
void cfn_template_release(struct cfn_template *t)
{
	t->parameters = t->conditions = t->resources = t->outputs = NULL;
}

/* Each section is its own namespace; a name twice in one is a bug of the emitter. */
static void add_unique(struct cfn_value *section, const char *name, struct cfn_value *value)
{
	assert(!cfn_get(section, name) && "a logical id used twice");
	cfn_set(section, name, value);
}

struct cfn_value *cfn_param(struct cfn_template *t, const char *name, const char *type,
			      const char *description)
{
	struct cfn_value *param = cfn_obj();
	cfn_set_str(param, "Type", type);
	cfn_set_str(param, "Description", description);
	add_unique(t->parameters, name, param);
	return param;
}

void cfn_condition(struct cfn_template *t, const char *name, struct cfn_value *expr)
{
	add_unique(t->conditions, name, expr);
}

struct cfn_value *cfn_resource(struct cfn_template *t, const char *logical_id, const char *type)
{
	struct cfn_value *resource = cfn_obj();
	cfn_set_str(resource, "Type", type);
	add_unique(t->resources, logical_id, resource);
	return resource;
}

struct cfn_value *cfn_props(struct cfn_value *resource)
{
	return cfn_set(resource, "Properties", cfn_obj());
}

struct cfn_value *cfn_output(struct cfn_template *t, const char *name, const char *description,
			       struct cfn_value *value, const char *export_name)
{
	struct cfn_value *output = cfn_obj();
	cfn_set_str(output, "Description", description);
	cfn_set(output, "Value", value);
	if (export_name) {
		struct cfn_value *export = cfn_set(output, "Export", cfn_obj());
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
 * One pass each way: measure() walks the tree once, bottom-up, and sets
 * every container's one-line width (a string's and a key's are known from
 * when it was made); print() then walks it top-down and decides each line
 * break from those widths, never re-serialising a subtree.  A width counts
 * bytes, as the json-c printer before it did.  The bytes are that
 * printer's (tests/golden-out.test and tests/unit/cfn_print.c hold them).
 */
#define PRINT_WIDTH 100
#define TAB_COLUMNS 2

/*
 * Strings are measured when made and escaped at print(), straight from
 * their bytes into the output: no copy in between.  json-c's escapes
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

size_t cfn_string_width(const char *s, size_t len)
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

void cfn_put_string(struct strbuf *sb, const char *s, size_t len)
{
	size_t width = cfn_string_width(s, len);

	done(sb, put_string(room(sb, width), s, len, width));
}

/* The one-line widths of v's containers, bottom-up. */
static void measure(struct cfn_value *v)
{
	const struct cfn_member *m;
	size_t width;

	if (v->kind < CFN_ARRAY)
		return; /* set when made */
	width = 2 + (v->len ? 2 * (v->len - 1) : 0); /* "[" "]" and ", " */
	for (m = v->first; m; m = m->next) {
		measure(m->value);
		width += m->value->width;
		if (v->kind == CFN_OBJECT)
			width += m->key_width + 2; /* "key": value */
	}
	v->width = width;
}

/* {} and [], or an object of one member that is not a container. */
static bool one_scalar(const struct cfn_value *v)
{
	if (v->kind == CFN_ARRAY || !v->len)
		return !v->len;
	return v->len == 1 && v->first->value->kind < CFN_ARRAY;
}

/* The one-line form, {"a": 1, "b": [2, 3]}: v->width bytes at p. */
static char *put_inline(char *p, const struct cfn_value *v)
{
	const struct cfn_member *m;

	if (v->kind == CFN_STRING)
		return put_string(p, v->text, v->len, v->width);
	if (v->kind < CFN_ARRAY)
		return put(p, v->text, v->len);
	*p++ = v->kind == CFN_ARRAY ? '[' : '{';
	for (m = v->first; m; m = m->next) {
		if (m != v->first)
			p = put(p, ", ", 2);
		if (v->kind == CFN_OBJECT) {
			p = put_string(p, m->key, m->key_len, m->key_width);
			p = put(p, ": ", 2);
		}
		p = put_inline(p, m->value);
	}
	*p++ = v->kind == CFN_ARRAY ? ']' : '}';
	return p;
}

/* v starts at column `column` of a line indented by `depth` tabs. */
static void print(struct strbuf *out, const struct cfn_value *v, size_t depth, size_t column)
{
	size_t indent = (depth + 1) * TAB_COLUMNS;
	const struct cfn_member *m;
	char *p;

	if (v->kind < CFN_ARRAY || column + v->width <= PRINT_WIDTH || one_scalar(v)) {
		done(out, put_inline(room(out, v->width), v));
		return;
	}
	p = room(out, 1);
	*p++ = v->kind == CFN_ARRAY ? '[' : '{';
	done(out, p);
	for (m = v->first; m; m = m->next) {
		p = room(out, 2 + depth + 1 + m->key_width + 2);
		p = m != v->first ? put(p, ",\n", 2) : put(p, "\n", 1);
		memset(p, '\t', depth + 1);
		p += depth + 1;
		if (v->kind == CFN_OBJECT) {
			p = put_string(p, m->key, m->key_len, m->key_width);
			done(out, put(p, ": ", 2));
			print(out, m->value, depth + 1, indent + m->key_width + 2);
		} else {
			done(out, p);
			print(out, m->value, depth + 1, indent);
		}
	}
	p = room(out, 1 + depth + 1);
	*p++ = '\n';
	memset(p, '\t', depth);
	p += depth;
	*p++ = v->kind == CFN_ARRAY ? ']' : '}';
	done(out, p);
}

/* The template as one object: the fixed members, then the sections that have any. */
static struct cfn_value *template_root(const struct cfn_template *t)
{
	struct cfn_value *root = cfn_obj();

	cfn_set_str(root, "AWSTemplateFormatVersion", "2010-09-09");
	cfn_set_str(root, "Description", t->description);
	if (t->parameters->len)
		cfn_set(root, "Parameters", t->parameters);
	if (t->conditions->len)
		cfn_set(root, "Conditions", t->conditions);
	cfn_set(root, "Resources", t->resources);
	if (t->outputs->len)
		cfn_set(root, "Outputs", t->outputs);
	return root;
}

static void print_template(const struct cfn_value *root, struct strbuf *out)
{
	strbuf_grow(out, root->width + root->width / 2);
	print(out, root, 0, 0);
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
	struct cfn_value *root = NULL;
	int err = 0;

	err |= over_limit(ctx, t, loc, "resources", t->resources->len, CFN_MAX_RESOURCES,
			  "split the fleets and groups over fewer bids or fewer lists");
	err |= over_limit(ctx, t, loc, "parameters", t->parameters->len, CFN_MAX_PARAMETERS,
			  "fewer parameters: CloudFormation counts every one");
	err |= over_limit(ctx, t, loc, "outputs", t->outputs->len, CFN_MAX_OUTPUTS,
			  "fewer spot fleets and auto scaling groups: each one is an output");
	if (!err) {
		root = template_root(t);
		measure(root);
		print_template(root, &sb);
		err |= over_limit(ctx, t, loc, "bytes", sb.len, CFN_MAX_BODY,
				  "the supported maxima (man ecsgen) hold one at a time; use fewer or shorter items");
	}
	if (!err) {
		out_tree_add(ctx->out, t->path, &sb, 0644);
		cfn_values_keep(t->path, root);
	}
	strbuf_release(&sb);
	cfn_template_release(t);
	return err ? -1 : 0;
}
