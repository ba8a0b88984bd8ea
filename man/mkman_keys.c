/*
 * mkman_keys.c - how each key of the schema table reads in the docs: the
 * sections (one per object of the table), a key's type and its default.
 */
#include "config.h"

#include "mkman.h"

static void walk(const struct schema_object *obj, const struct schema_key *parent,
		 void (*fn)(void *, const struct schema_object *, const struct schema_key *), void *ctx)
{
	size_t i;

	fn(ctx, obj, parent);
	for (i = 0; i < obj->nkeys; i++)
		/* A string map's pair object names no infra.yml keys (templates read a pair by them). */
		if (obj->keys[i].object && obj->keys[i].type != SCHEMA_STRING_MAP && docs_key_shown(&obj->keys[i]))
			walk(obj->keys[i].object, &obj->keys[i], fn, ctx);
}

void docs_each_section(void (*fn)(void *ctx, const struct schema_object *obj, const struct schema_key *parent),
		       void *ctx)
{
	walk(&schema_root, NULL, fn, ctx);
}

int docs_key_shown(const struct schema_key *key)
{
	return !(key->flags & SCHEMA_DERIVED);
}

const char *docs_section_title(const struct schema_object *obj)
{
	return obj->path && *obj->path ? obj->path : "top level";
}

void docs_key_type(struct strbuf *out, const struct schema_key *key)
{
	const char *format = schema_format_name(key->format);

	if (key->type == SCHEMA_STRING && *format)
		strbuf_addstr(out, format);
	else
		strbuf_addstr(out, schema_type_name(key->type));
	if (key->type != SCHEMA_STRING && *format)
		strbuf_addf(out, " (%s)", format);
	if (key->min > key->max)
		return;
	if (key->type == SCHEMA_INT)
		strbuf_addf(out, ", %lld to %lld", key->min, key->max);
	else if (key->object || key->type == SCHEMA_STRING_LIST || key->type == SCHEMA_STRING_MAP)
		strbuf_addf(out, ", at most %lld", key->max);
}

void docs_key_default(struct strbuf *out, const struct schema_key *key)
{
	if (!key->default_value)
		return;
	if (key->flags & SCHEMA_DEFAULT_FROM_KEY)
		strbuf_addf(out, "same as `%s`", key->default_value);
	else
		strbuf_addstr(out, key->default_value);
}
