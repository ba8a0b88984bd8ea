/* names.c - the names table's values, and its rows filled for one cluster (see names.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "names.h"

#define NAMES_INT(id, value)
#define NAMES_STR(id, value) const char NAME_##id[] = value;
NAMES(NAMES_X)
#undef NAMES_INT
#undef NAMES_STR

const char *names_for(struct arena *arena, const char *pattern, const char *cluster)
{
	const char *at = strstr(pattern, "%s");

	if (!at)
		return pattern;
	return arena_printf(arena, "%.*s%s%s", (int)(at - pattern), pattern, cluster, at + 2);
}

const struct name_value *names_derive(struct arena *arena, const char *cluster)
{
	static const struct {
		const char *id, *pattern;
		long long number;
		const char *description;
	} rows[] = {
#define ROW(id, kind, value, desc) ROW_##kind(id, value, desc)
#define ROW_INT(id, value, desc) { #id, NULL, value, desc },
#define ROW_STR(id, value, desc) { #id, value, 0, desc },
		NAMES(ROW)
#undef ROW_INT
#undef ROW_STR
#undef ROW
	};
	size_t i, count = sizeof rows / sizeof rows[0];

	_Static_assert(sizeof rows / sizeof rows[0] == NAMEID__COUNT, "one row per name id");
	struct name_value *out = arena_array(arena, count, sizeof *out);

	for (i = 0; i < count; i++) {
		out[i].id = rows[i].id;
		out[i].value = rows[i].pattern ? names_for(arena, rows[i].pattern, cluster)
				 : arena_printf(arena, "%lld", rows[i].number);
		out[i].description = rows[i].description;
	}
	return out;
}
