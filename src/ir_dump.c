/* ir_dump.c - prints the IR as JSON by walking the schema table (see ir_dump.h). */
#include "config.h"

#include <json.h>
#include <string.h>

#include "ir.h"
#include "ir_dump.h"
#include "schema.h"
#include "strbuf.h"

static struct json_object *dump_object(const struct schema_object *obj, const void *base);

static struct json_object *dump_string(const struct ir_string *s)
{
	return s->value ? json_object_new_string(s->value) : NULL;
}

static struct json_object *dump_value(const struct schema_key *key, const void *field)
{
	switch (key->type) {
	case SCHEMA_STRING:
		return dump_string(field);
	case SCHEMA_INT: {
		const struct ir_int *v = field;
		return json_object_new_int64(v->value);
	}
	case SCHEMA_BOOL: {
		const struct ir_bool *v = field;
		return json_object_new_boolean(v->value);
	}
	case SCHEMA_PRICE: {
		const struct ir_price *v = field;
		return v->text ? json_object_new_string(v->text) : NULL;
	}
	case SCHEMA_DURATION: {
		const struct ir_duration *v = field;
		return json_object_new_int64(v->seconds);
	}
	case SCHEMA_STRING_LIST: {
		const struct ir_strings *v = field;
		struct json_object *arr;
		size_t i;
		if (!v->present)
			return NULL;
		arr = json_object_new_array();
		for (i = 0; i < v->n; i++)
			json_object_array_add(arr, dump_string(&v->items[i]));
		return arr;
	}
	case SCHEMA_STRING_MAP: {
		const struct ir_string_map *v = field;
		struct json_object *map;
		size_t i;
		if (!v->present)
			return NULL;
		map = json_object_new_object();
		for (i = 0; i < v->n; i++)
			json_object_object_add(map, v->items[i].key.value, dump_string(&v->items[i].value));
		return map;
	}
	case SCHEMA_OBJECT:
		return dump_object(key->object, field);
	case SCHEMA_OBJECT_LIST: {
		/* Every IR_LIST(T) starts with the items pointer and the count. */
		struct { const char *items; size_t n; } v;
		struct json_object *arr = json_object_new_array();
		size_t i;
		memcpy(&v, field, sizeof v);
		for (i = 0; i < v.n; i++)
			json_object_array_add(arr, dump_object(key->object, v.items + i * key->object->size));
		return arr;
	}
	}
	return NULL;
}

static struct json_object *dump_object(const struct schema_object *obj, const void *base)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_key *key = &obj->keys[i];
		json_object_object_add(o, key->name, dump_value(key, (const char *)base + key->offset));
	}
	return o;
}

struct json_object *ir_dump_json(const struct ir *ir)
{
	return dump_object(&schema_root, ir);
}

void ir_dump(const struct ir *ir, struct strbuf *out)
{
	struct json_object *o = ir_dump_json(ir);
	strbuf_addstr(out, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
				JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_addch(out, '\n');
	json_object_put(o);
}
