/* yaml_load.c - libyaml events to a located syntax tree (see syntax.h). */
#include "config.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "arena.h"
#include "diag.h"
#include "dupes.h"
#include "syntax.h"
#include "yaml_load.h"
#include "yaml_load_int.h"
#include "utf8.h"
#include "xalloc.h"

struct loader {
	struct arena *arena;
	struct source *src;
	struct diag_list *diags;
	yaml_parser_t parser;
	bool failed;
	struct alias_table aliases;
	size_t nodes; /* read from the file, not copied by an alias: the budget's base */
	/* The last start and end marks converted: events come in order, so
	 * the next mark usually lies at or after one of them on its line. */
	struct cursor { size_t line, column, offset; } cursor[2];
	/* The file is all ASCII (check_text): libyaml's mark.index counts
	 * characters, so it is then the byte offset itself. */
	bool ascii;
};

/*
 * libyaml reports positions as (line, column in characters); map them to a
 * byte offset with our own line map, so every stage shares one notion of place.
 * Walking from the last mark, not from the line start, keeps a long line
 * linear: a one-line list of 20,000 items took 35 s walking from the start.
 */
enum { START_MARK, END_MARK };

static size_t mark_offset(struct loader *ld, yaml_mark_t mark, int which)
{
	const struct source *src = ld->src;
	const struct line_map *lines;
	size_t off, col, i;

	if (ld->ascii)
		return mark.index < src->len ? mark.index : src->len;
	lines = source_lines(src);
	if (mark.line >= lines->n)
		return src->len;
	off = lines->starts[mark.line];
	col = 0;
	for (i = 0; i < 2; i++) {
		const struct cursor *c = &ld->cursor[i];
		if (c->line == mark.line && c->column <= mark.column && c->column >= col) {
			off = c->offset;
			col = c->column;
		}
	}
	for (; col < mark.column && off < src->len && src->text[off] != '\n' && src->text[off] != '\r'; col++) {
		off++;
		while (off < src->len && ((unsigned char)src->text[off] & 0xC0) == 0x80)
			off++;
	}
	ld->cursor[which].line = mark.line;
	ld->cursor[which].column = col;
	ld->cursor[which].offset = off;
	return off;
}

static struct loc event_loc(struct loader *ld, const yaml_event_t *ev)
{
	size_t start = mark_offset(ld, ev->start_mark, START_MARK);
	size_t end = mark_offset(ld, ev->end_mark, END_MARK);
	return loc_make(ld->src, start, end > start ? end - start : 0);
}

/* Checks libyaml would report badly or not at all: encoding, NULs, tabs. */
static void check_text(struct loader *ld)
{
	const unsigned char *t = (const unsigned char *)ld->src->text;
	size_t n = ld->src->len, i = 0, reported = 0;
	bool line_start = true, ascii = true;

	while (i < n && reported < 20) {
		unsigned long cp;
		size_t len = t[i] < 0x80 ? 1 : utf8_decode(ld->src->text + i, n - i, &cp);

		ascii = ascii && t[i] < 0x80;
		if (!len) {
			diag_error(ld->diags, DIAG_ENCODING, loc_make(ld->src, i, 1), "invalid UTF-8 byte 0x%02X", t[i]);
			diag_hint(ld->diags, "infra.yml must be UTF-8 text");
			reported++;
			/* One error per bad sequence, not one per byte of it. */
			for (i++; i < n && (t[i] & 0xC0) == 0x80; i++)
				;
			line_start = false;
			continue;
		}
		if (t[i] == '\0') {
			diag_error(ld->diags, DIAG_ENCODING, loc_make(ld->src, i, 1), "NUL byte in the file");
			reported++;
		}
		if (line_start && (t[i] == ' ' || t[i] == '\t')) {
			size_t j = i;
			while (j < n && (t[j] == ' ' || t[j] == '\t'))
				j++;
			if (j < n && t[j] != '\n' && t[j] != '\r' && t[j] != '#' &&
			    memchr(t + i, '\t', j - i)) {
				size_t tab = (size_t)((const unsigned char *)memchr(t + i, '\t', j - i) - t);
				diag_error(ld->diags, DIAG_YAML, loc_make(ld->src, tab, 1), "tab character in indentation");
				diag_hint(ld->diags, "YAML indents with spaces only");
				reported++;
			}
			i = j;
			line_start = false;
			continue;
		}
		line_start = t[i] == '\n';
		i += len;
	}
	ld->ascii = ascii && i >= n;
}

static void report_parser_error(struct loader *ld)
{
	yaml_parser_t *p = &ld->parser;
	size_t off = mark_offset(ld, p->problem_mark, START_MARK);
	const char *problem = p->problem ? p->problem : "invalid YAML";

	ld->failed = true;
	if (p->error == YAML_MEMORY_ERROR) {
		diag_error(ld->diags, DIAG_YAML, loc_none(), "out of memory while parsing YAML");
		return;
	}
	diag_error(ld->diags, DIAG_YAML, loc_make(ld->src, off, 1), "%s", problem);
	/* libyaml stops where the damage shows, often a line after the mistake. */
	if (!strcmp(problem, "mapping values are not allowed in this context")) {
		diag_hint(ld->diags, "check the indentation here, a missing ':' on the line above, "
			  "or quote a value that holds ': '");
		return;
	}
	if (p->context) {
		struct position pos = source_locate(ld->src, mark_offset(ld, p->context_mark, END_MARK));
		diag_hint(ld->diags, "%s that started at line %u", p->context, pos.line);
	}
}

static bool next_event(struct loader *ld, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&ld->parser, ev)) {
		report_parser_error(ld);
		return false;
	}
	return true;
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev, int depth);

static bool is_str_tag(const yaml_char_t *tag)
{
	return tag && !strcmp((const char *)tag, YAML_STR_TAG);
}

static bool check_tag(struct loader *ld, const yaml_char_t *tag, struct loc loc)
{
	static const char yaml_prefix[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;

	if (!tag || is_str_tag(tag))
		return true;
	/* Show the tag as it was written: '!!int', not 'tag:yaml.org,2002:int'. */
	if (!strncmp(t, yaml_prefix, sizeof yaml_prefix - 1))
		diag_error(ld->diags, DIAG_YAML, loc, "YAML tag '!!%s' is not supported", t + sizeof yaml_prefix - 1);
	else
		diag_error(ld->diags, DIAG_YAML, loc, "YAML tag '%s' is not supported", t);
	diag_hint(ld->diags, "write the value without a tag");
	ld->failed = true;
	return false;
}

static struct node *new_node(struct loader *ld, enum node_kind kind, struct loc loc)
{
	struct node *n = arena_alloc(ld->arena, sizeof *n);
	ld->nodes++;
	n->kind = kind;
	n->loc = loc;
	return n;
}

static struct node *parse_scalar(struct loader *ld, yaml_event_t *ev)
{
	struct node *n = new_node(ld, NODE_SCALAR, event_loc(ld, ev));

	if (!check_tag(ld, ev->data.scalar.tag, n->loc))
		return NULL;
	n->text = arena_strndup(ld->arena, (const char *)ev->data.scalar.value, ev->data.scalar.length);
	n->len = ev->data.scalar.length;
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = SCALAR_SINGLE_QUOTED; break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = SCALAR_DOUBLE_QUOTED; break;
	case YAML_LITERAL_SCALAR_STYLE: n->style = SCALAR_LITERAL; break;
	case YAML_FOLDED_SCALAR_STYLE: n->style = SCALAR_FOLDED; break;
	default: n->style = SCALAR_PLAIN; break;
	}
	/* An explicit !!str makes a plain scalar a string, like quotes do. */
	if (n->style == SCALAR_PLAIN && is_str_tag(ev->data.scalar.tag))
		n->style = SCALAR_SINGLE_QUOTED;
	if (memchr(n->text, '\0', n->len)) {
		diag_error(ld->diags, DIAG_ENCODING, n->loc, "NUL character in a string");
		ld->failed = true;
		return NULL;
	}
	return n;
}

static struct node *parse_sequence(struct loader *ld, yaml_event_t *start, int depth)
{
	struct node *n = new_node(ld, NODE_SEQUENCE, event_loc(ld, start));
	struct node **items = NULL;
	size_t alloc = 0;
	yaml_event_t ev;

	if (!check_tag(ld, start->data.sequence_start.tag, n->loc))
		return NULL;
	for (;;) {
		struct node *item;
		if (!next_event(ld, &ev))
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		item = parse_node(ld, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!item)
			goto fail;
		xgrow((void **)&items, &alloc, n->nitems + 1, sizeof *items);
		items[n->nitems++] = item;
	}
	n->items = arena_array(ld->arena, n->nitems, sizeof *n->items);
	if (n->nitems)
		memcpy(n->items, items, n->nitems * sizeof *items);
	free(items);
	return n;
fail:
	free(items);
	return NULL;
}

/*
 * A duplicate key is reported and dropped, so checking can go on.  Found by
 * sorting (dupes.h), not by comparing each key with every earlier one: the
 * scan was quadratic in the keys of a mapping (70,000 keys: 26 s).
 */
struct dupe_ctx {
	struct loader *ld;
	struct node_pair *pairs;
	bool *dropped;
};

static void report_duplicate(void *vctx, size_t later, size_t first)
{
	struct dupe_ctx *ctx = vctx;
	struct node *key = ctx->pairs[later].key;
	unsigned line = source_line_number(ctx->ld->src, ctx->pairs[first].key->loc.offset);

	diag_error(ctx->ld->diags, DIAG_DUPLICATE_KEY, key->loc, "duplicate key '%s'", key->text);
	diag_hint(ctx->ld->diags, "'%s' was first set at line %u", key->text, line);
	ctx->dropped[later] = true;
}

static size_t drop_duplicates(struct loader *ld, struct node_pair *pairs, size_t n)
{
	struct dupe_key *keys;
	struct dupe_ctx ctx = { ld, pairs, NULL };
	size_t i, kept = 0;

	if (n < 2)
		return n;
	keys = xmalloc(n * sizeof *keys);
	ctx.dropped = xcalloc(n, sizeof *ctx.dropped);
	for (i = 0; i < n; i++) {
		keys[i].key = pairs[i].key->text;
		keys[i].index = i;
	}
	dupes_find(keys, n, report_duplicate, &ctx);
	for (i = 0; i < n; i++)
		if (!ctx.dropped[i])
			pairs[kept++] = pairs[i];
	free(keys);
	free(ctx.dropped);
	return kept;
}

static struct node *parse_mapping(struct loader *ld, yaml_event_t *start, int depth)
{
	struct node *n = new_node(ld, NODE_MAPPING, event_loc(ld, start));
	struct node_pair *pairs = NULL;
	size_t alloc = 0, npairs;
	yaml_event_t ev;
	bool ok;

	if (!check_tag(ld, start->data.mapping_start.tag, n->loc))
		return NULL;
	for (;;) {
		struct node *key, *value;
		if (!next_event(ld, &ev))
			goto fail;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		key = parse_node(ld, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!key)
			goto fail;
		if (key->kind != NODE_SCALAR) {
			diag_error(ld->diags, DIAG_YAML, key->loc, "a key must be a plain string, not %s", node_kind_name(key));
			ld->failed = true;
			goto fail;
		}
		if (!next_event(ld, &ev))
			goto fail;
		value = parse_node(ld, &ev, depth + 1);
		yaml_event_delete(&ev);
		if (!value)
			goto fail;
		xgrow((void **)&pairs, &alloc, n->npairs + 1, sizeof *pairs);
		pairs[n->npairs].key = key;
		pairs[n->npairs].value = value;
		n->npairs++;
	}
	n->npairs = drop_duplicates(ld, pairs, n->npairs);
	n->pairs = arena_array(ld->arena, n->npairs, sizeof *n->pairs);
	if (n->npairs)
		memcpy(n->pairs, pairs, n->npairs * sizeof *pairs);
	free(pairs);
	/* Keys written beside a '<<' win over the merged ones, silently. */
	npairs = n->npairs;
	ok = merge_keys(ld->arena, ld->diags, &n->pairs, &npairs);
	n->npairs = (uint32_t)npairs;
	if (!ok) {
		ld->failed = true;
		return NULL;
	}
	return n;
fail:
	free(pairs);
	return NULL;
}

static const char *anchor_of(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT: return (const char *)ev->data.scalar.anchor;
	case YAML_SEQUENCE_START_EVENT: return (const char *)ev->data.sequence_start.anchor;
	case YAML_MAPPING_START_EVENT: return (const char *)ev->data.mapping_start.anchor;
	default: return NULL;
	}
}

static struct node *parse_value(struct loader *ld, yaml_event_t *ev, struct loc loc, int depth)
{
	struct node *n;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(ld, ev);
	case YAML_SEQUENCE_START_EVENT:
		return parse_sequence(ld, ev, depth);
	case YAML_MAPPING_START_EVENT:
		return parse_mapping(ld, ev, depth);
	case YAML_ALIAS_EVENT:
		/* A copy within the budget (yaml_alias.c): no alias bomb can grow memory or time. */
		n = alias_expand(&ld->aliases, ld->arena, ld->diags, (const char *)ev->data.alias.anchor, loc, depth);
		if (!n)
			ld->failed = true;
		return n;
	default:
		diag_error(ld->diags, DIAG_YAML, loc, "unexpected YAML event");
		ld->failed = true;
		return NULL;
	}
}

static struct node *parse_node(struct loader *ld, yaml_event_t *ev, int depth)
{
	struct loc loc = event_loc(ld, ev);
	const char *anchor = anchor_of(ev);
	struct node *n;

	if (depth > SYNTAX_MAX_DEPTH) {
		diag_error(ld->diags, DIAG_YAML, loc, "nesting deeper than %d levels", SYNTAX_MAX_DEPTH);
		ld->failed = true;
		return NULL;
	}
	if (anchor)
		alias_open(&ld->aliases, ld->arena, anchor);
	n = parse_value(ld, ev, loc, depth);
	if (anchor && n)
		alias_close(&ld->aliases, anchor, n);
	return n;
}

static struct node *parse_stream(struct loader *ld)
{
	yaml_event_t ev;
	struct node *root = NULL;
	bool have_document = false;

	for (;;) {
		if (!next_event(ld, &ev))
			return NULL;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			if (!have_document) {
				diag_error(ld->diags, DIAG_YAML, loc_make(ld->src, 0, 0), "the file holds no YAML document");
				diag_hint(ld->diags, "infra.yml needs at least 'cluster' and 'ec2_instances'");
				return NULL;
			}
			return root;
		case YAML_DOCUMENT_START_EVENT:
			if (have_document) {
				diag_error(ld->diags, DIAG_YAML, event_loc(ld, &ev), "a second YAML document in one file");
				diag_hint(ld->diags, "infra.yml holds one document: remove the '---' and what follows, or split the file");
				yaml_event_delete(&ev);
				return NULL;
			}
			have_document = true;
			break;
		default:
			root = parse_node(ld, &ev, 1);
			if (!root) {
				yaml_event_delete(&ev);
				return NULL;
			}
			if (root->kind == NODE_SCALAR && root->style == SCALAR_PLAIN &&
			    (!root->len || !strcmp(root->text, "~") || !strcasecmp(root->text, "null"))) {
				diag_error(ld->diags, DIAG_YAML, root->loc, "the document is empty");
				diag_hint(ld->diags, "infra.yml needs at least 'cluster' and 'ec2_instances'");
				yaml_event_delete(&ev);
				return NULL;
			}
			if (root->kind != NODE_MAPPING) {
				diag_error(ld->diags, DIAG_YAML, root->loc, "the top level must be a mapping, not %s",
					   node_kind_name(root));
				diag_hint(ld->diags, "start with 'cluster:' and 'ec2_instances:'");
				yaml_event_delete(&ev);
				return NULL;
			}
			break;
		}
		yaml_event_delete(&ev);
	}
}

struct node *yaml_load(struct arena *arena, struct source *src, struct diag_list *diags)
{
	struct loader ld = { .arena = arena, .src = src, .diags = diags };
	unsigned errors_before = diags->nerrors;
	struct node *root;

	if (strspn(src->text, " \t\r\n") == src->len) {
		diag_error(diags, DIAG_YAML, loc_make(src, 0, 0), "the file is empty");
		diag_hint(diags, "infra.yml needs at least 'cluster' and 'ec2_instances'");
		return NULL;
	}
	check_text(&ld);
	if (diags->nerrors != errors_before)
		return NULL;
	yaml_parser_initialize(&ld.parser);
	yaml_parser_set_input_string(&ld.parser, (const unsigned char *)src->text, src->len);
	root = parse_stream(&ld);
	yaml_parser_delete(&ld.parser);
	if (root && !ld.failed && !alias_check_budget(&ld.aliases, diags, ld.nodes))
		ld.failed = true;
	alias_table_release(&ld.aliases);
	if (ld.failed)
		return NULL;
	return root;
}
