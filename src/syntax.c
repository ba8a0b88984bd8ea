/* syntax.c - small queries on syntax tree nodes (see syntax.h). */
#include "config.h"

#include "syntax.h"

/* The size syntax.h promises: 10,000 one-line fleets are 140,000 nodes. */
_Static_assert(sizeof(struct node) <= 32, "a struct node is at most 32 bytes");

const char *node_kind_name(const struct node *node)
{
	switch (node->kind) {
	case NODE_SEQUENCE: return "a list";
	case NODE_MAPPING: return "a mapping";
	default: return "a string";
	}
}

/* Bytes the escape at raw[0] ('\\' in a double-quoted scalar) spans. */
static size_t escape_width(const char *raw, size_t left)
{
	size_t w;
	if (left < 2)
		return left;
	switch (raw[1]) {
	case 'x': w = 4; break;
	case 'u': w = 6; break;
	case 'U': w = 10; break;
	default: w = 2; break;
	}
	return w < left ? w : left;
}

/* Bytes of the UTF-8 character starting at c. */
static size_t utf8_width(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
}

struct loc scalar_char_loc(struct loc scalar, size_t index, size_t len)
{
	struct scalar_cursor cur = { 0, 0 };
	return scalar_char_loc_next(scalar, &cur, index, len);
}

struct loc scalar_char_loc_next(struct loc scalar, struct scalar_cursor *cur,
				size_t index, size_t len)
{
	const char *raw, *end;
	size_t value_pos = 0, start = 0, i = 0;
	char quote;

	if (!scalar.src)
		return scalar;
	raw = scalar.src->text + scalar.offset;
	end = scalar.src->text + scalar.src->len;
	quote = (*raw == '\'' || *raw == '"') ? *raw : 0;
	if (quote)
		i = 1;
	if (cur->raw_pos && cur->value_pos <= index) {
		i = cur->raw_pos;
		value_pos = cur->value_pos;
	}
	/* Walk the raw text and the value in step; give up at a line break. */
	for (;;) {
		size_t w;
		if (value_pos == index) {
			start = i;
			cur->value_pos = value_pos;
			cur->raw_pos = i;
		}
		if (value_pos == index + len)
			break;
		if (raw + i >= end || raw[i] == '\n' || (quote && raw[i] == quote && !(quote == '\'' && raw + i + 1 < end && raw[i + 1] == '\'')))
			return scalar;
		if (quote == '"' && raw[i] == '\\') {
			w = escape_width(raw + i, (size_t)(end - raw - i));
			value_pos += 1; /* one character, whatever its UTF-8 size */
		} else if (quote == '\'' && raw[i] == '\'') {
			w = 2;
			value_pos += 1;
		} else {
			w = utf8_width((unsigned char)raw[i]);
			value_pos += w;
		}
		i += w;
	}
	return loc_make(scalar.src, scalar.offset + start, i - start);
}
