/* escape.c - escaping text for JSON, YAML, HCL, shell, Make, Fn::Sub and Markdown (see escape.h). */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"
#include "strbuf.h"

static int fail(struct escape_error *err, size_t offset, const char *reason)
{
	if (err) {
		err->offset = offset;
		err->reason = reason;
	}
	return -1;
}

static const char invalid_utf8[] = "the value is not valid UTF-8";

int escape_json(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t start = out->len, i = 0, n;
	unsigned long cp;

	strbuf_addch(out, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (!(n = utf8_decode(s + i, len - i, &cp))) {
			strbuf_setlen(out, start);
			return fail(err, i, invalid_utf8);
		}
		switch (c) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case '\b': strbuf_addstr(out, "\\b"); break;
		case '\f': strbuf_addstr(out, "\\f"); break;
		default:
			if (c < 0x20 || c == 0x7F)
				strbuf_addf(out, "\\u%04x", c);
			else
				strbuf_add(out, s + i, n);
		}
		i += n;
	}
	strbuf_addch(out, '"');
	return 0;
}

/* Characters YAML (libyaml) keeps as they are inside a double-quoted scalar. */
static bool yaml_printable(unsigned long cp)
{
	return (cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xD7FF) ||
	       (cp >= 0xE000 && cp <= 0xFFFD && cp != 0xFEFF) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

int escape_yaml(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t start = out->len, i = 0, n;
	unsigned long cp;

	strbuf_addch(out, '"');
	while (i < len) {
		if (!(n = utf8_decode(s + i, len - i, &cp))) {
			strbuf_setlen(out, start);
			return fail(err, i, invalid_utf8);
		}
		switch (cp) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case 0: strbuf_addstr(out, "\\0"); break;
		case 0x85: strbuf_addstr(out, "\\N"); break;
		case 0x2028: strbuf_addstr(out, "\\L"); break;
		case 0x2029: strbuf_addstr(out, "\\P"); break;
		default:
			if (yaml_printable(cp))
				strbuf_add(out, s + i, n);
			else if (cp < 0x100)
				strbuf_addf(out, "\\x%02X", (unsigned)cp);
			else
				strbuf_addf(out, "\\u%04lX", cp);
		}
		i += n;
	}
	strbuf_addch(out, '"');
	return 0;
}

int escape_hcl(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t start = out->len, i = 0, n;
	unsigned long cp;

	strbuf_addch(out, '"');
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (!(n = utf8_decode(s + i, len - i, &cp))) {
			strbuf_setlen(out, start);
			return fail(err, i, invalid_utf8);
		}
		switch (c) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\r': strbuf_addstr(out, "\\r"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		case '$':
		case '%':
			/* "${" and "%{" open interpolations and directives. */
			strbuf_addch(out, c);
			if (i + 1 < len && s[i + 1] == '{')
				strbuf_addch(out, c);
			break;
		default:
			if (c < 0x20 || c == 0x7F)
				strbuf_addf(out, "\\u%04x", c);
			else
				strbuf_add(out, s + i, n);
		}
		i += n;
	}
	strbuf_addch(out, '"');
	return 0;
}

/* Bytes that mean nothing to a POSIX shell anywhere in a word. */
static bool sh_harmless(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("_./:@,+-%", c) != NULL;
}

int escape_sh(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t i;
	bool bare = len > 0;

	(void)err;
	for (i = 0; i < len && bare; i++)
		bare = s[i] && sh_harmless((unsigned char)s[i]);
	if (bare) {
		strbuf_add(out, s, len);
		return 0;
	}
	/* Inside '...' every byte is literal except ', written '\''. */
	strbuf_addch(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '\'')
			strbuf_addstr(out, "'\\''");
		else
			strbuf_addch(out, s[i]);
	}
	strbuf_addch(out, '\'');
	return 0;
}

int escape_make(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t start = out->len, i;

	/* Make strips the blanks that start a value; an empty $() keeps them. */
	if (len && (s[0] == ' ' || s[0] == '\t'))
		strbuf_addstr(out, "$()");
	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '\n':
			strbuf_setlen(out, start);
			return fail(err, i, "a newline cannot be part of a Make assignment");
		case '\r':
			strbuf_setlen(out, start);
			return fail(err, i, "a carriage return cannot be part of a Make assignment");
		case '$':
			strbuf_addstr(out, "$$");
			break;
		case '#':
			strbuf_addstr(out, "\\#");
			break;
		case '\\':
			/*
			 * Backslashes before '#' are halved by Make, and one at
			 * the end of the line continues it: cut either off.
			 */
			strbuf_addch(out, '\\');
			if (i + 1 == len || s[i + 1] == '#')
				strbuf_addstr(out, "$()");
			break;
		default:
			strbuf_addch(out, s[i]);
		}
	}
	return 0;
}

int escape_recipe(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t start = out->len, i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\n') {
			strbuf_setlen(out, start);
			return fail(err, i, "a newline would end the recipe line");
		}
		if (s[i] == '$')
			strbuf_addch(out, '$');
		strbuf_addch(out, s[i]);
	}
	return 0;
}

int escape_cfnsub(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	const char *end = s + len, *dollar;

	(void)err;
	/* Runs between the "${" are copied whole: most text has none. */
	while ((dollar = memchr(s, '$', (size_t)(end - s)))) {
		strbuf_add(out, s, (size_t)(dollar - s) + 1);
		s = dollar + 1;
		if (s < end && *s == '{') {
			strbuf_addstr(out, "{!");
			s++;
		}
	}
	strbuf_add(out, s, (size_t)(end - s));
	return 0;
}

static bool ascii_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/*
 * Whether the ASCII punctuation s[i] needs a backslash to stay literal.
 * CommonMark lets any ASCII punctuation be backslash-escaped; the ones
 * left bare here cannot start anything where they stand, so names such
 * as "my-fleet", "fleet_a", "t3.medium" and "AWS::EC2::VPC" stay readable.
 * https://spec.commonmark.org/0.30/#backslash-escapes
 */
static bool md_needs_backslash(const char *s, size_t len, size_t i)
{
	size_t j;

	switch (s[i]) {
	case '-':
	case '+':
		/* A list marker or a thematic break only at the start. */
		return i == 0;
	case '/':
	case ',':
	case '(':
	case '\'':
	case '"':
	case ';':
	case '?':
	case '%':
	case '^':
	case '{':
	case '}':
	case '=':
		return i == 0;
	case '_':
		/* Between two letters or digits it can neither open nor close emphasis. */
		return !(i > 0 && i + 1 < len && ascii_alnum((unsigned char)s[i - 1]) &&
			 ascii_alnum((unsigned char)s[i + 1]));
	case ':':
	case '@':
		/* Not CommonMark markup (GitHub's emoji and mentions work on the rendered text). */
		return false;
	case '.':
	case ')':
		/* An ordered list marker: up to 9 digits, then '.' or ')', then a blank or the end. */
		if (i == 0 || i > 9)
			return i == 0;
		for (j = 0; j < i; j++)
			if (s[j] < '0' || s[j] > '9')
				return false;
		return i + 1 == len || s[i + 1] == ' ' || s[i + 1] == '\t';
	default:
		return true;
	}
}

static bool ascii_punct(int c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
	       (c >= '{' && c <= '~');
}

int escape_markdown(struct strbuf *out, const char *s, size_t len, struct escape_error *err)
{
	size_t start = out->len, i = 0, n, lead = 0, trail = len;
	unsigned long cp;

	/* A paragraph or a table cell drops its leading and trailing blanks: keep them as references. */
	while (lead < len && (s[lead] == ' ' || s[lead] == '\t'))
		lead++;
	while (trail > lead && (s[trail - 1] == ' ' || s[trail - 1] == '\t'))
		trail--;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (!(n = utf8_decode(s + i, len - i, &cp))) {
			strbuf_setlen(out, start);
			return fail(err, i, invalid_utf8);
		}
		if (c == '\n' || c == '\r' || ((c == ' ' || c == '\t') && (i < lead || i >= trail)))
			strbuf_addf(out, "&#%d;", c);
		else if (cp == 0xFEFF) /* a reader drops a byte order mark at the start */
			strbuf_addstr(out, "&#65279;");
		else if (ascii_punct(c) && md_needs_backslash(s, len, i))
			strbuf_addf(out, "\\%c", c);
		else
			strbuf_add(out, s + i, n);
		i += n;
	}
	return 0;
}
