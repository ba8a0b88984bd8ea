/*
 * subst.c - libFuzzer target: the ${} checker of infra.yml values.
 *
 * The bytes are the value of a string (instance_profile_arn takes ${}),
 * checked twice: as if written plain on one line and as a double-quoted
 * scalar, so the walk that maps a place in the value back to the raw text
 * (scalar_char_loc) runs on both shapes.  Diagnostics are formatted too.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"
#include "source.h"
#include "strbuf.h"
#include "subst.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_as(struct arena *arena, struct diag_list *diags, const char *value,
		     const char *raw, size_t raw_len)
{
	struct source *src = source_from_memory(arena, "infra.yml", raw, raw_len);
	struct ir_string s;
	bool has_sub;

	memset(&s, 0, sizeof s);
	s.value = value;
	s.present = true;
	s.loc = loc_make(src, 0, raw_len);
	subst_check(&s, diags, &has_sub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_new();
	struct diag_list diags;
	struct strbuf sb = STRBUF_INIT, quoted = STRBUF_INIT;
	char *value = arena_strndup(arena, (const char *)data, size);
	size_t i;

	diag_list_init(&diags, arena);
	check_as(arena, &diags, value, value, strlen(value));
	strbuf_addch(&quoted, '"');
	strbuf_add(&quoted, data, size);
	strbuf_addch(&quoted, '"');
	check_as(arena, &diags, value, quoted.buf, quoted.len);
	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		diag_format(&sb, &diags.items[i]);
	strbuf_release(&sb);
	strbuf_release(&quoted);
	diag_list_release(&diags);
	arena_free(arena);
	return 0;
}
