/* tpl_lex.re - the template scanner: one template's text into a token array (re2c). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "tpl_int.h"
#include "tpl_parse.h"
#include "xalloc.h"

/* re2c leaves labels of states no rule jumps back to. */
#pragma GCC diagnostic ignored "-Wunused-label"

/*!re2c
	re2c:define:YYCTYPE = "unsigned char";
	re2c:define:YYCURSOR = cur;
	re2c:define:YYLIMIT = lim;
	re2c:define:YYMARKER = mar;
	re2c:define:YYCTXMARKER = ctx;
	re2c:yyfill:enable = 0;
	re2c:eof = 0;
	re2c:indent:string = "\t";

	ws = [ \t\r\n];
	end = [^a-zA-Z0-9_];
	open = "{{" "~"?;
	name = [a-zA-Z_][a-zA-Z0-9_]*;
*/

static struct tpl_token *push(struct tpl_scanner *s, int kind, size_t begin, size_t end)
{
	struct tpl_token *t;

	xgrow((void **)&s->tokens, &s->alloc, s->n + 1, sizeof *s->tokens);
	t = &s->tokens[s->n++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->span.begin = begin;
	t->span.end = end;
	return t;
}

static void error_at(struct tpl_scanner *s, size_t begin, size_t end, const char *fmt, const char *arg)
{
	diag_error(s->diags, DIAG_TEMPLATE, loc_make(s->src, begin, end - begin), fmt, arg);
	s->errors++;
}

/* Offset of the next "needle" at or after from, or len when there is none. */
static size_t find(const char *text, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle);
	const char *p;

	/* memchr for the first byte: templates are mostly text, and this is most of loading them. */
	while (from + n <= len && (p = memchr(text + from, needle[0], len - n + 1 - from))) {
		from = (size_t)(p - text);
		if (!memcmp(p, needle, n))
			return from;
		from++;
	}
	return len;
}

/* "...": the literal between the quotes, escapes undone, into the arena. */
static void unescape(struct tpl_scanner *s, struct tpl_token *t, const char *text)
{
	size_t i, n = 0, len = t->span.end - t->span.begin - 2;
	const char *in = text + t->span.begin + 1;
	char *out = arena_alloc(s->arena, len + 1);

	for (i = 0; i < len; i++) {
		if (in[i] == '\\') {
			i++;
			out[n++] = in[i] == 'n' ? '\n' : in[i] == 't' ? '\t' : in[i];
		} else {
			out[n++] = in[i];
		}
	}
	t->val.text = out;
	t->val.len = n;
}

/*
 * Tokens inside a tag, from cur up to and including its "}}".  Returns the
 * offset after the tag; on an error, after the next "}}" (or at the end).
 */
static size_t scan_tag(struct tpl_scanner *s, size_t from, size_t open_begin)
{
	const char *text = s->src->text;
	const unsigned char *base = (const unsigned char *)text;
	const unsigned char *cur = base + from, *lim = base + s->src->len;
	const unsigned char *mar, *ctx, *tok;
	struct tpl_token *t;
	size_t begin;

	(void)ctx;
	for (;;) {
		tok = cur;
		begin = (size_t)(tok - base);
#define TOKEN(kind) push(s, (kind), begin, (size_t)(cur - base))
	/*!re2c
		ws+ { continue; }
		"~"? "}}" {
			t = TOKEN(TOK_CLOSE);
			t->trim_before = false;
			t->trim_after = *tok == '~';
			return (size_t)(cur - base);
		}
		"as" / end { TOKEN(TOK_AS); continue; }
		"and" / end { TOKEN(TOK_AND); continue; }
		"or" / end { TOKEN(TOK_OR); continue; }
		"not" / end { TOKEN(TOK_NOT); continue; }
		name {
			t = TOKEN(TOK_IDENT);
			t->val.text = text + begin;
			t->val.len = (size_t)(cur - tok);
			continue;
		}
		("@index" | "@first" | "@last") / end {
			t = TOKEN(TOK_META);
			t->val.text = text + begin + 1;
			t->val.len = (size_t)(cur - tok) - 1;
			continue;
		}
		"@" name {
			error_at(s, begin, (size_t)(cur - base),
				 "unknown '%s': expected @index, @first or @last",
				 arena_strndup(s->arena, text + begin, (size_t)(cur - tok)));
			continue;
		}
		"\"" ([^"\\\n\x00] | "\\" [\\"nt])* "\"" {
			unescape(s, TOKEN(TOK_STRING), text);
			continue;
		}
		"\"" {
			error_at(s, begin, begin + 1, "unterminated string%s", "");
			goto skip;
		}
		"-"? [0-9]+ {
			long long v;
			errno = 0;
			v = strtoll(text + begin, NULL, 10);
			if (errno) {
				error_at(s, begin, (size_t)(cur - base), "number out of range%s", "");
				continue;
			}
			TOKEN(TOK_INT)->val.num = v;
			continue;
		}
		"." { TOKEN(TOK_DOT); continue; }
		"|" { TOKEN(TOK_PIPE); continue; }
		"(" { TOKEN(TOK_LPAREN); continue; }
		")" { TOKEN(TOK_RPAREN); continue; }
		":" { TOKEN(TOK_COLON); continue; }
		"[" { TOKEN(TOK_LBRACK); continue; }
		"]" { TOKEN(TOK_RBRACK); continue; }
		"==" { TOKEN(TOK_EQ); continue; }
		"!=" { TOKEN(TOK_NE); continue; }
		"!" { TOKEN(TOK_NOT); continue; }
		"{{" {
			error_at(s, open_begin, open_begin + 2,
				 "unterminated tag: '{{' without '}}'%s", "");
			return begin;
		}
		$ {
			error_at(s, open_begin, open_begin + 2,
				 "unterminated tag: '{{' without '}}'%s", "");
			return s->src->len;
		}
		* {
			error_at(s, begin, (size_t)(cur - base), "unexpected character '%s' in a tag",
				 arena_strndup(s->arena, text + begin, (size_t)(cur - tok)));
			goto skip;
		}
	*/
#undef TOKEN
	}
skip:
	begin = find(text, s->src->len, (size_t)(cur - base), "}}");
	return begin < s->src->len ? begin + 2 : begin;
}

/* The tag opening at from ("{{"); returns the offset after the whole tag. */
static size_t scan_open(struct tpl_scanner *s, size_t from)
{
	const char *text = s->src->text;
	size_t len = s->src->len, end;
	const unsigned char *base = (const unsigned char *)text;
	const unsigned char *cur = base + from, *lim = base + len;
	const unsigned char *mar, *ctx;
	bool trim = text[from + 2] == '~';
	struct tpl_token *t;
	int kind;

	(void)ctx;
	(void)mar;
	/*!re2c
		open "!" {
			end = find(text, len, (size_t)(cur - base), "}}");
			if (end == len) {
				error_at(s, from, from + 2, "unterminated comment: '{{!' without '}}'%s", "");
				return len;
			}
			t = push(s, TPL_PSEUDO_COMMENT, from, end + 2);
			t->trim_before = trim;
			t->trim_after = text[end - 1] == '~';
			return end + 2;
		}
		open ws* "#raw" ws* "}}" {
			size_t body = (size_t)(cur - base);
			end = find(text, len, body, "{{/raw}}");
			if (end == len) {
				error_at(s, from, body, "unterminated '{{#raw}}': no '{{/raw}}' follows%s", "");
				return len;
			}
			push(s, TPL_PSEUDO_RAW_OPEN, from, body)->trim_before = trim;
			t = push(s, TOK_TEXT, body, end);
			t->val.text = text + body;
			t->val.len = end - body;
			push(s, TPL_PSEUDO_RAW_CLOSE, end, end + 8);
			return end + 8;
		}
		open ws* "#if" / end { kind = TOK_OPEN_IF; goto tag; }
		open ws* "#each" / end { kind = TOK_OPEN_EACH; goto tag; }
		open ws* "else" / end { kind = TOK_OPEN_ELSE; goto tag; }
		open ws* "/if" / end { kind = TOK_OPEN_ENDIF; goto tag; }
		open ws* "/each" / end { kind = TOK_OPEN_ENDEACH; goto tag; }
		open ws* "%" ws* "context" / end { kind = TOK_OPEN_CONTEXT; goto tag; }
		open ws* "%" ws* "param" / end { kind = TOK_OPEN_PARAM; goto tag; }
		open ws* ([#/] name? | "%" ws* name?) {
			const char *tag = text + from + 2 + trim;
			while (*tag == ' ' || *tag == '\t' || *tag == '\r' || *tag == '\n')
				tag++;
			error_at(s, (size_t)(tag - text), (size_t)(cur - base),
				 "unknown tag '%s'", arena_strndup(s->arena, tag, (size_t)((const char *)cur - tag)));
			end = find(text, len, (size_t)(cur - base), "}}");
			return end < len ? end + 2 : len;
		}
		open { kind = TOK_OPEN; goto tag; }
		* { abort(); }
		$ { abort(); }
	*/
tag:
	t = push(s, kind, from, (size_t)(cur - base));
	t->trim_before = trim;
	return scan_tag(s, (size_t)(cur - base), from);
}

void tpl_scan(struct tpl_scanner *s)
{
	const char *text = s->src->text;
	size_t len = s->src->len, pos = 0, open;
	struct tpl_token *t;

	while (pos < len) {
		open = find(text, len, pos, "{{");
		if (open > pos) {
			t = push(s, TOK_TEXT, pos, open);
			t->val.text = text + pos;
			t->val.len = open - pos;
		}
		if (open == len)
			break;
		pos = scan_open(s, open);
	}
}
