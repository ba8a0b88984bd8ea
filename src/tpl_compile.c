/* tpl_compile.c - one template from text to a checked tree: scan, trim, balance, parse, check. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "tpl.h"
#include "tpl_int.h"
#include "tpl_parse.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !strcmp(s + n - m, suffix);
}

/* The context a template's file name implies (tpl.h, CONTEXTS). */
static enum tpl_context context_of_name(const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (ends_with(base, ".sh.tpl"))
		return CTX_SH;
	if (!strcmp(base, "Makefile.tpl") || ends_with(base, ".mk.tpl"))
		return CTX_MAKE;
	if (ends_with(base, ".json.tpl"))
		return CTX_JSON;
	if (ends_with(base, ".yml.tpl") || ends_with(base, ".yaml.tpl"))
		return CTX_YAML;
	if (ends_with(base, ".hcl.tpl"))
		return CTX_HCL;
	if (ends_with(base, ".md.tpl"))
		return CTX_MARKDOWN;
	return CTX_TEXT;
}

static bool is_block_tag(int kind)
{
	switch (kind) {
	case TOK_OPEN_IF: case TOK_OPEN_EACH: case TOK_OPEN_ELSE:
	case TOK_OPEN_ENDIF: case TOK_OPEN_ENDEACH:
	case TOK_OPEN_CONTEXT: case TOK_OPEN_PARAM:
	case TPL_PSEUDO_COMMENT: case TPL_PSEUDO_RAW_OPEN: case TPL_PSEUDO_RAW_CLOSE:
		return true;
	default:
		return false;
	}
}

static bool is_pseudo(int kind)
{
	return kind >= TPL_PSEUDO_COMMENT;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static void cut_tail(struct tpl_token *t, size_t n)
{
	if (n > t->val.len)
		n = t->val.len;
	t->val.len -= n;
	t->span.end -= n;
}

static void cut_head(struct tpl_token *t, size_t n)
{
	if (n > t->val.len)
		n = t->val.len;
	t->val.text += n;
	t->val.len -= n;
	t->span.begin += n;
}

/*
 * Whitespace control: {{~ and ~}}, and Mustache's standalone lines (a line
 * holding only a block tag, a comment, a pragma or a raw tag vanishes).
 */
static void trim(const struct source *src, struct tpl_token *tok, size_t n)
{
	const char *text = src->text;
	size_t i, last, a, b, j, k;

	for (i = 0; i < n; i = last + 1) {
		struct tpl_token *prev, *next;
		bool before, after;

		last = i;
		if (tok[i].kind == TOK_TEXT)
			continue;
		if (!is_pseudo(tok[i].kind))
			while (last + 1 < n && tok[last].kind != TOK_CLOSE)
				last++;
		prev = i > 0 && tok[i - 1].kind == TOK_TEXT ? &tok[i - 1] : NULL;
		next = last + 1 < n && tok[last + 1].kind == TOK_TEXT ? &tok[last + 1] : NULL;
		before = tok[i].trim_before;
		after = tok[last].trim_after;
		if (before && prev) {
			k = 0;
			while (k < prev->val.len && strchr(" \t\r\n", prev->val.text[prev->val.len - 1 - k]))
				k++;
			cut_tail(prev, k);
		}
		if (after && next) {
			k = 0;
			while (k < next->val.len && strchr(" \t\r\n", next->val.text[k]))
				k++;
			cut_head(next, k);
		}
		if (before || after || !is_block_tag(tok[i].kind))
			continue;
		a = tok[i].span.begin;
		b = tok[last].span.end;
		for (j = a; j > 0 && blank(text[j - 1]); j--)
			;
		if (j > 0 && text[j - 1] != '\n')
			continue;
		for (k = b; k < src->len && (blank(text[k]) || (text[k] == '\r' && k + 1 < src->len && text[k + 1] == '\n')); k++)
			;
		if (k < src->len && text[k] != '\n')
			continue;
		if (k < src->len)
			k++;
		if (prev)
			cut_tail(prev, a - j);
		if (next)
			cut_head(next, k - b);
	}
}

static const char *opener_name(int kind)
{
	return kind == TOK_OPEN_IF ? "{{#if" : "{{#each";
}

static const char *closer_name(int kind)
{
	return kind == TOK_OPEN_IF ? "{{/if}}" : "{{/each}}";
}

/* The line of a token, for a message only: locating costs a walk of the line. */
static unsigned line_of(const struct tpl *tpl, const struct tpl_token *t)
{
	return source_locate(tpl->src, t->span.begin).line;
}

/*
 * Check that {{#if}}/{{else}}/{{/if}} and {{#each}}/{{/each}} nest, with
 * messages that name both ends; the parser then only meets balanced blocks.
 */
static int balance(struct tpl *tpl, struct arena *arena, struct diag_list *diags,
		   const struct tpl_token *tok, size_t n)
{
	struct open { int kind; size_t at; bool has_else; } *stack;
	size_t depth = 0, i;
	int ret = 0;

	stack = arena_array(arena, n + 1, sizeof *stack);
	for (i = 0; i < n && !ret; i++) {
		int kind = tok[i].kind;
		struct loc loc = tpl_loc(tpl, tok[i].span);

		switch (kind) {
		case TOK_OPEN_IF:
		case TOK_OPEN_EACH:
			if (depth >= TPL_MAX_BLOCK_DEPTH) {
				ret = diag_error(diags, DIAG_TEMPLATE, loc, "blocks nested deeper than %d levels",
						 TPL_MAX_BLOCK_DEPTH);
				break;
			}
			stack[depth].kind = kind;
			stack[depth].at = i;
			stack[depth].has_else = false;
			depth++;
			break;
		case TOK_OPEN_ELSE:
			if (!depth || stack[depth - 1].kind != TOK_OPEN_IF) {
				ret = diag_error(diags, DIAG_TEMPLATE, loc, "'{{else}}' outside '{{#if'");
			} else if (stack[depth - 1].has_else) {
				ret = diag_error(diags, DIAG_TEMPLATE, loc, "second '{{else}}' for the '{{#if' at line %u",
						 line_of(tpl, &tok[stack[depth - 1].at]));
			}
			if (depth)
				stack[depth - 1].has_else = true;
			break;
		case TOK_OPEN_ENDIF:
		case TOK_OPEN_ENDEACH: {
			int want = kind == TOK_OPEN_ENDIF ? TOK_OPEN_IF : TOK_OPEN_EACH;
			if (!depth) {
				ret = diag_error(diags, DIAG_TEMPLATE, loc, "'%s' without an open '%s'",
						 closer_name(want), opener_name(want));
			} else if (stack[depth - 1].kind != want) {
				ret = diag_error(diags, DIAG_TEMPLATE, loc, "expected '%s' (to close '%s' at line %u), found '%s'",
						 closer_name(stack[depth - 1].kind),
						 opener_name(stack[depth - 1].kind), line_of(tpl, &tok[stack[depth - 1].at]),
						 closer_name(want));
			} else {
				depth--;
			}
			break;
		}
		default:
			break;
		}
	}
	while (!ret && depth--) {
		const struct tpl_token *t = &tok[stack[depth].at];
		diag_error(diags, DIAG_TEMPLATE, tpl_loc(tpl, t->span),
			   "unterminated '%s': expected '%s' before the end of the template",
			   opener_name(t->kind), closer_name(t->kind));
		ret = -1;
	}
	return ret;
}

int tpl_lex(TPL_STYPE *lval, TPL_LTYPE *lloc, struct tpl_parser *p)
{
	while (p->next < p->n) {
		const struct tpl_token *t = &p->tokens[p->next++];
		if (is_pseudo(t->kind) || (t->kind == TOK_TEXT && !t->val.len))
			continue;
		lval->tok = t->val;
		*lloc = t->span;
		return t->kind;
	}
	lloc->begin = lloc->end = p->tpl->src->len;
	return 0;
}

struct tpl *tpl_compile(struct arena *arena, struct diag_list *diags,
			struct source *src, const struct schema_object *root)
{
	struct tpl_scanner scan = { 0 };
	struct tpl_parser parser = { 0 };
	struct tpl *tpl = arena_alloc(arena, sizeof *tpl);
	unsigned before = diags->nerrors;
	int ok;

	tpl->src = src;
	tpl->root = root;
	tpl->context = context_of_name(src->name);
	scan.src = src;
	scan.arena = arena;
	scan.diags = diags;
	tpl_scan(&scan);
	ok = !scan.errors;
	if (ok) {
		trim(src, scan.tokens, scan.n);
		ok = !balance(tpl, arena, diags, scan.tokens, scan.n);
	}
	if (ok) {
		parser.tpl = tpl;
		parser.arena = arena;
		parser.diags = diags;
		parser.tokens = scan.tokens;
		parser.n = scan.n;
		ok = !tpl_parse(&parser) && !parser.errors;
	}
	free(scan.tokens);
	if (ok)
		ok = !tpl_check(tpl, arena, diags);
	return ok && diags->nerrors == before ? tpl : NULL;
}
