/* cfn_value.c - the JSON values of CloudFormation templates, in the compilation's arena (see cfn.h). */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "bug.h"
#include "cfn.h"
#include "cfn_int.h"
#include "strbuf.h"

/*
 * The values of one compilation: emitters_run() opens it with the
 * compilation's arena and closes it when the last row is done.  Templates
 * finished in it are kept by path for the rows that read them back.
 */
struct kept {
	struct kept *next;
	const char *path;
	const struct cfn_value *root;
};

static struct arena *values;
static struct kept *kept;

static unsigned char *slab, *slab_end;

void cfn_values_begin(struct arena *arena)
{
	values = arena;
	kept = NULL;
	slab = slab_end = NULL;
}

void cfn_values_end(void)
{
	values = NULL;
	kept = NULL;
	slab = slab_end = NULL;
}

/*
 * Nodes are cut from slabs of the arena: a compile makes tens of thousands
 * of them, and one arena_alloc() each was a tenth of the emit.  A node is
 * zeroed here, where its size is a constant the compiler sees (node() is
 * inlined), copied bytes are not.  Pointer-aligned: no node holds more.
 */
enum { SLAB = 16 * 1024, NODE_ALIGN = sizeof(void *) };

static inline void *take(size_t size)
{
	size_t need = (size + NODE_ALIGN - 1) & ~(size_t)(NODE_ALIGN - 1);
	void *p;

	if (!values)
		BUG("a CloudFormation value outside cfn_values_begin() .. cfn_values_end()");
	if (need < size || need > SLAB / 4)
		return arena_alloc_raw(values, size);
	if ((size_t)(slab_end - slab) < need) {
		slab = arena_alloc_raw(values, SLAB);
		slab_end = slab + SLAB;
	}
	p = slab;
	slab += need;
	return p;
}

static inline void *node(size_t size)
{
	return memset(take(size), 0, size);
}

static char *copy(const char *s, size_t len)
{
	char *p = take(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void cfn_values_keep(const char *path, const struct cfn_value *root)
{
	struct kept *k = node(sizeof *k);

	k->path = copy(path, strlen(path));
	k->root = root;
	k->next = kept;
	kept = k;
}

const struct cfn_value *cfn_template_of(const char *path)
{
	const struct kept *k;

	for (k = kept; k; k = k->next)
		if (!strcmp(k->path, path))
			return k->root;
	return NULL;
}

static struct cfn_value *scalar(enum cfn_kind kind, const char *text, size_t len)
{
	struct cfn_value *v = node(sizeof *v);

	v->kind = kind;
	v->text = text;
	v->len = len;
	v->width = kind == CFN_STRING ? cfn_string_width(text, len) : len;
	return v;
}

struct cfn_value *cfn_str(const char *s)
{
	return cfn_str_len(s, strlen(s));
}

struct cfn_value *cfn_str_len(const char *s, size_t len)
{
	return scalar(CFN_STRING, copy(s, len), len);
}

size_t cfn_decimal(char *buf, long long n)
{
	/* Digits from the right, in unsigned arithmetic: LLONG_MIN has no positive twin. */
	unsigned long long u = n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n;
	char digits[CFN_DECIMAL_MAX];
	size_t i = sizeof digits, len;

	do
		digits[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		digits[--i] = '-';
	len = sizeof digits - i;
	memcpy(buf, digits + i, len);
	return len;
}

struct cfn_value *cfn_int(long long n)
{
	char digits[CFN_DECIMAL_MAX];
	size_t len = cfn_decimal(digits, n); /* snprintf costs 30 times as much, 640 times a compile */

	return scalar(CFN_INT, copy(digits, len), len);
}

struct cfn_value *cfn_bool(bool b)
{
	return b ? scalar(CFN_BOOL, "true", 4) : scalar(CFN_BOOL, "false", 5);
}

struct cfn_value *cfn_null(void)
{
	return scalar(CFN_NULL, "null", 4);
}

struct cfn_value *cfn_obj(void)
{
	struct cfn_value *v = node(sizeof *v);

	v->kind = CFN_OBJECT;
	return v;
}

struct cfn_value *cfn_array(struct cfn_value *first, ...)
{
	struct cfn_value *array = node(sizeof *array), *item;
	va_list ap;

	array->kind = CFN_ARRAY;
	va_start(ap, first);
	for (item = first; item; item = va_arg(ap, struct cfn_value *))
		cfn_push(array, item);
	va_end(ap);
	return array;
}

struct cfn_value *cfn_strings(const char *const *list)
{
	struct cfn_value *array = cfn_array(NULL);
	for (; *list; list++)
		cfn_push(array, cfn_str(*list));
	return array;
}

static struct cfn_member *append(struct cfn_value *container, struct cfn_value *value)
{
	struct cfn_member *m = node(sizeof *m);

	m->value = value ? value : cfn_null(); /* json-c's NULL is JSON's null */
	if (container->last)
		container->last->next = m;
	else
		container->first = m;
	container->last = m;
	container->len++;
	return m;
}

struct cfn_value *cfn_push(struct cfn_value *array, struct cfn_value *value)
{
	if (array->kind != CFN_ARRAY)
		BUG("cfn_push on a value that is not an array");
	return append(array, value)->value;
}

/* ---- object keys ---- */

/* An object gets its index at this many members; below, a walk of the list is cheaper. */
enum { INDEX_FROM = 8 };

static size_t hash(const char *key, size_t len)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3u;
	return (size_t)h;
}

static bool same_key(const struct cfn_member *m, const char *key, size_t len)
{
	return m->key_len == len && !memcmp(m->key, key, len);
}

/* The slot of key in obj's index: its member's, or the empty one where it would go. */
static struct cfn_member **slot(const struct cfn_value *obj, const char *key, size_t len)
{
	size_t mask = obj->index_size - 1, i = hash(key, len) & mask;

	while (obj->index[i] && !same_key(obj->index[i], key, len))
		i = (i + 1) & mask;
	return &obj->index[i];
}

static void reindex(struct cfn_value *obj)
{
	struct cfn_member *m;

	obj->index_size = obj->index_size ? 2 * obj->index_size : 4 * INDEX_FROM;
	obj->index = node(obj->index_size * sizeof *obj->index);
	for (m = obj->first; m; m = m->next)
		*slot(obj, m->key, m->key_len) = m;
}

static struct cfn_member *find(const struct cfn_value *obj, const char *key, size_t len)
{
	struct cfn_member *m;

	if (obj->index)
		return *slot(obj, key, len);
	for (m = obj->first; m; m = m->next)
		if (same_key(m, key, len))
			return m;
	return NULL;
}

struct cfn_value *cfn_set(struct cfn_value *obj, const char *key, struct cfn_value *value)
{
	size_t len = strlen(key);
	struct cfn_member *m;

	if (obj->kind != CFN_OBJECT)
		BUG("cfn_set on a value that is not an object");
	/* A key set again keeps its place and takes the new value, as json_object_object_add did. */
	m = find(obj, key, len);
	if (m) {
		m->value = value ? value : cfn_null();
		return m->value;
	}
	m = append(obj, value);
	m->key = copy(key, len);
	m->key_len = len;
	m->key_width = cfn_string_width(key, len);
	if (obj->index && 2 * obj->len <= obj->index_size)
		*slot(obj, key, len) = m;
	else if (obj->len >= INDEX_FROM)
		reindex(obj);
	return m->value;
}

void cfn_set_str(struct cfn_value *obj, const char *key, const char *s)
{
	cfn_set(obj, key, cfn_str(s));
}

void cfn_set_int(struct cfn_value *obj, const char *key, long long n)
{
	cfn_set(obj, key, cfn_int(n));
}

/* ---- reading values back ---- */

enum cfn_kind cfn_kind_of(const struct cfn_value *v)
{
	return v->kind;
}

size_t cfn_count(const struct cfn_value *v)
{
	return v && v->kind >= CFN_ARRAY ? v->len : 0;
}

const struct cfn_member *cfn_members(const struct cfn_value *v)
{
	return v && v->kind >= CFN_ARRAY ? v->first : NULL;
}

struct cfn_value *cfn_get(const struct cfn_value *obj, const char *key)
{
	const struct cfn_member *m;

	if (!obj || obj->kind != CFN_OBJECT)
		return NULL;
	m = find(obj, key, strlen(key));
	return m ? m->value : NULL;
}

const char *cfn_string(const struct cfn_value *v)
{
	return v && v->kind == CFN_STRING ? v->text : NULL;
}

bool cfn_equal(const struct cfn_value *a, const struct cfn_value *b)
{
	const struct cfn_member *m, *n;

	if (a->kind != b->kind || a->len != b->len)
		return false;
	switch (a->kind) {
	case CFN_ARRAY:
		for (m = a->first, n = b->first; m; m = m->next, n = n->next)
			if (!cfn_equal(m->value, n->value))
				return false;
		return true;
	case CFN_OBJECT: /* the same keys with equal values, in any order, as json_object_equal */
		for (m = a->first; m; m = m->next) {
			n = find(b, m->key, m->key_len);
			if (!n || !cfn_equal(m->value, n->value))
				return false;
		}
		return true;
	default:
		return !memcmp(a->text, b->text, a->len);
	}
}

void cfn_push_unique(struct cfn_value *array, struct cfn_value *value)
{
	const struct cfn_member *m;

	for (m = cfn_members(array); m; m = m->next)
		if (cfn_equal(m->value, value))
			return;
	cfn_push(array, value);
}

/* v without a space, as json-c's JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE printed it. */
static void plain(struct strbuf *sb, const struct cfn_value *v)
{
	const struct cfn_member *m;

	if (v->kind == CFN_STRING) {
		cfn_put_string(sb, v->text, v->len);
		return;
	}
	if (v->kind < CFN_ARRAY) {
		strbuf_add(sb, v->text, v->len);
		return;
	}
	strbuf_addch(sb, v->kind == CFN_ARRAY ? '[' : '{');
	for (m = v->first; m; m = m->next) {
		if (m != v->first)
			strbuf_addch(sb, ',');
		if (v->kind == CFN_OBJECT) {
			cfn_put_string(sb, m->key, m->key_len);
			strbuf_addch(sb, ':');
		}
		plain(sb, m->value);
	}
	strbuf_addch(sb, v->kind == CFN_ARRAY ? ']' : '}');
}

struct cfn_value *cfn_plain(const struct cfn_value *v)
{
	struct strbuf sb = STRBUF_INIT;
	struct cfn_value *s;

	plain(&sb, v);
	s = cfn_str_len(sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}
