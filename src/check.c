/*
 * check.c - walks the syntax tree with the schema table and fills a draft IR.
 *
 * Generic over the table: one function per schema type turns a node into an
 * IR field (ir.h), so a new key needs a table row and a field, not code here.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "ir.h"
#include "schema.h"
#include "strbuf.h"
#include "suggest.h"
#include "syntax.h"

struct checker {
	struct arena *arena;
	struct diag_list *diags;
	const char *infra_dir;
};

/* Same layout as every IR_LIST(T) and struct ir_strings. */
struct ir_list_layout {
	void *items;
	size_t n;
	struct loc loc;
	bool present;
};

static void check_object(struct checker *ck, const struct schema_object *obj,
			 const struct node *map, struct loc where_loc, void *dst);

/* Keys people write that this tool knows but does not take, with why. */
static const struct {
	const char *key;
	const char *hint;
} known_unsupported[] = {
	{ "min_instances", "use 'min_size'" },
	{ "max_instances", "use 'max_size'" },
};

static bool is_null_scalar(const struct node *n)
{
	return n->kind == NODE_SCALAR && n->style == SCALAR_PLAIN &&
	       (!n->len || !strcmp(n->text, "~") || !strcmp(n->text, "null") ||
		!strcmp(n->text, "Null") || !strcmp(n->text, "NULL"));
}

static bool expect_scalar(struct checker *ck, const struct schema_key *key, const struct node *n)
{
	if (n->kind != NODE_SCALAR && key->type == SCHEMA_STRING_LIST) {
		diag_error(ck->diags, DIAG_TYPE, n->loc, "each item of '%s' must be a string, not %s", key->name,
			   node_kind_name(n));
		return false;
	}
	if (n->kind != NODE_SCALAR) {
		diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be %s %s, not %s", key->name,
			   key->type == SCHEMA_INT ? "an" : "a", schema_type_name(key->type), node_kind_name(n));
		return false;
	}
	if (is_null_scalar(n)) {
		diag_error(ck->diags, DIAG_TYPE, n->loc, "%s'%s' has no value",
			   key->type == SCHEMA_STRING_LIST ? "an item of " : "", key->name);
		diag_hint(ck->diags, "give it a value or remove the key");
		return false;
	}
	return true;
}

static void check_string(struct checker *ck, const struct schema_key *key, const struct node *n,
			 struct ir_string *out)
{
	struct ir_string v = { .value = n->text, .loc = n->loc, .present = true };

	out->loc = n->loc; /* even when invalid: check_rules sees it was written */
	if (!expect_scalar(ck, key, n))
		return;
	if (!check_format(key, &v, ck->diags))
		return;
	*out = v;
}

/* Parse a decimal integer; false when text is not one or is out of range. */
static bool parse_int(const char *text, long long *out)
{
	char *end;
	const char *p = text;

	errno = 0;
	if (*p == '+' || *p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	errno = 0;
	*out = strtoll(text, &end, 10);
	return !errno && !*end;
}

static void check_int(struct checker *ck, const struct schema_key *key, const struct node *n,
		      struct ir_int *out)
{
	long long v;

	out->loc = n->loc;
	if (!expect_scalar(ck, key, n))
		return;
	if (!parse_int(n->text, &v)) {
		if (errno == ERANGE && key->min <= key->max)
			diag_error(ck->diags, DIAG_RANGE, n->loc, "'%s' must be between %lld and %lld, not %s",
				   key->name, key->min, key->max, n->text);
		else
			diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be a whole number, not '%s'", key->name, n->text);
		return;
	}
	if (key->min <= key->max && (v < key->min || v > key->max)) {
		diag_error(ck->diags, DIAG_RANGE, n->loc, "'%s' must be between %lld and %lld, not %lld",
			   key->name, key->min, key->max, v);
		return;
	}
	out->value = v;
	out->loc = n->loc;
	out->present = true;
}

/* YAML 1.1 booleans, as real infra.yml files write them. */
static int parse_bool(const char *t)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF" };
	size_t i;
	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (!strcmp(t, yes[i]))
			return 1;
		if (!strcmp(t, no[i]))
			return 0;
	}
	return -1;
}

static void check_bool(struct checker *ck, const struct schema_key *key, const struct node *n,
		       struct ir_bool *out)
{
	int v;

	if (!expect_scalar(ck, key, n))
		return;
	v = parse_bool(n->text);
	if (v < 0 || n->style != SCALAR_PLAIN) {
		diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be true or false, not %s'%s'", key->name,
			   n->style != SCALAR_PLAIN ? "the string " : "", n->text);
		if (v >= 0)
			diag_hint(ck->diags, "remove the quotes");
		return;
	}
	out->value = v;
	out->loc = n->loc;
	out->present = true;
}

/* "0.015" -> 15000 micros; at most 6 decimals, > 0. */
static bool parse_price(const char *t, long long *micros)
{
	long long whole = 0, frac = 0;
	int digits = 0, decimals = 0;

	for (; *t >= '0' && *t <= '9'; t++, digits++) {
		if (whole > 1000000)
			return false;
		whole = whole * 10 + (*t - '0');
	}
	if (*t == '.') {
		for (t++; *t >= '0' && *t <= '9'; t++, decimals++) {
			if (decimals == 6)
				return false;
			frac = frac * 10 + (*t - '0');
		}
		if (!decimals)
			return false;
	}
	if (*t || (!digits && !decimals))
		return false;
	for (; decimals < 6; decimals++)
		frac *= 10;
	*micros = whole * 1000000 + frac;
	return true;
}

static const char *price_text(struct arena *arena, long long micros)
{
	char frac[8];
	int i;

	snprintf(frac, sizeof frac, "%06lld", micros % 1000000);
	for (i = 5; i >= 0 && frac[i] == '0'; i--)
		frac[i] = '\0';
	if (!frac[0])
		return arena_printf(arena, "%lld", micros / 1000000);
	return arena_printf(arena, "%lld.%s", micros / 1000000, frac);
}

static void check_price(struct checker *ck, const struct schema_key *key, const struct node *n,
			struct ir_price *out)
{
	long long micros;

	if (!expect_scalar(ck, key, n))
		return;
	if (n->text[0] == '-' && parse_price(n->text + 1, &micros)) {
		diag_error(ck->diags, DIAG_RANGE, n->loc, "'%s' must be more than 0, not %s", key->name, n->text);
		return;
	}
	if (!parse_price(n->text, &micros)) {
		const char *dot = strchr(n->text, '.');
		if (dot && strspn(dot + 1, "0123456789") > 6 && !dot[1 + strspn(dot + 1, "0123456789")])
			diag_error(ck->diags, DIAG_RANGE, n->loc, "'%s' has more than 6 decimals: '%s'", key->name, n->text);
		else
			diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be a price in USD like 0.015, not '%s'",
				   key->name, n->text);
		diag_hint(ck->diags, "write the price per instance-hour in USD, with at most 6 decimals");
		return;
	}
	if (micros <= 0) {
		diag_error(ck->diags, DIAG_RANGE, n->loc, "'%s' must be more than 0", key->name);
		return;
	}
	out->micros = micros;
	out->text = price_text(ck->arena, micros);
	out->loc = n->loc;
	out->present = true;
}

/* "90s", "3m", "1h", or a number of seconds. */
static bool parse_duration(const char *t, long long *seconds)
{
	long long v = 0;
	const char *p = t;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > 100000)
			return false;
		v = v * 10 + (*p - '0');
	}
	if (p == t)
		return false;
	if (*p == 's' || !*p)
		;
	else if (*p == 'm')
		v *= 60;
	else if (*p == 'h')
		v *= 3600;
	else
		return false;
	if (*p && p[1])
		return false;
	*seconds = v;
	return true;
}

static void check_duration(struct checker *ck, const struct schema_key *key, const struct node *n,
			   struct ir_duration *out)
{
	long long s;

	if (!expect_scalar(ck, key, n))
		return;
	if (!parse_duration(n->text, &s)) {
		diag_error(ck->diags, DIAG_FORMAT, n->loc, "'%s' must be a duration like 90s or 3m, not '%s'", key->name, n->text);
		return;
	}
	if (s < 1 || s > IR_DURATION_MAX_SECONDS) {
		diag_error(ck->diags, DIAG_RANGE, n->loc, "'%s' must be between 1s and 60m, not '%s'", key->name, n->text);
		return;
	}
	out->seconds = s;
	out->text = n->text;
	out->loc = n->loc;
	out->present = true;
}

static void set_list(void *dst, void *items, size_t n, struct loc loc, bool present)
{
	struct ir_list_layout layout = { items, n, loc, present };
	/* memcpy: the destination is an IR_LIST(T) of the same layout. */
	memcpy(dst, &layout, sizeof layout);
}

static bool expect_sequence(struct checker *ck, const struct schema_key *key, const struct node *n)
{
	if (n->kind == NODE_SEQUENCE)
		return true;
	if (is_null_scalar(n))
		diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' has no value", key->name);
	else
		diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be a list, not %s", key->name, node_kind_name(n));
	diag_hint(ck->diags, "write each item on its own line, starting with '- '");
	return false;
}

/*
 * A list longer than the table's maximum: the item past it is the error.
 * The maxima keep every template well inside CloudFormation's limits
 * (man ecsgen, SUPPORTED MAXIMA); the items are still checked.
 */
static void check_list_length(struct checker *ck, const struct schema_key *key, const struct node *n)
{
	if (key->min > key->max || n->nitems <= (size_t)key->max)
		return;
	diag_error(ck->diags, DIAG_RANGE, n->items[key->max]->loc, "'%s' has %zu items; ecsgen supports at most %lld",
		   key->name, (size_t)n->nitems, key->max);
	diag_hint(ck->diags, "see SUPPORTED MAXIMA in man ecsgen: each maximum keeps the templates within CloudFormation's limits");
}

static void check_string_list(struct checker *ck, const struct schema_key *key, const struct node *n,
			      void *dst)
{
	struct ir_string *items;
	size_t i;

	/*
	 * A list written wrongly keeps its location and, when it is a list, its
	 * length, with invalid items left absent: the cross-field rules then
	 * neither miss it (vpc needs subnets) nor miscount it (one subnet per zone).
	 */
	if (!expect_sequence(ck, key, n)) {
		set_list(dst, NULL, 0, n->loc, false);
		return;
	}
	if (!n->nitems) {
		diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' is an empty list", key->name);
		diag_hint(ck->diags, "remove the key to use the default");
		set_list(dst, NULL, 0, n->loc, false);
		return;
	}
	check_list_length(ck, key, n);
	items = arena_array(ck->arena, n->nitems, sizeof *items);
	for (i = 0; i < n->nitems; i++)
		check_string(ck, key, n->items[i], &items[i]);
	set_list(dst, items, n->nitems, n->loc, true);
}

static void check_object_list(struct checker *ck, const struct schema_key *key, const struct node *n,
			      void *dst)
{
	const struct schema_object *obj = key->object;
	char *items;
	size_t i;

	if (!expect_sequence(ck, key, n)) {
		set_list(dst, NULL, 0, n->loc, false);
		return;
	}
	check_list_length(ck, key, n);
	/* An item that is not a mapping stays zeroed, without a location: check_rules skips it. */
	items = arena_array(ck->arena, n->nitems, obj->size);
	for (i = 0; i < n->nitems; i++) {
		const struct node *item = n->items[i];
		if (item->kind != NODE_MAPPING) {
			diag_error(ck->diags, DIAG_TYPE, item->loc, "each item of '%s' must be a mapping, not %s",
				   key->name, node_kind_name(item));
			continue;
		}
		check_object(ck, obj, item, item->loc, items + i * obj->size);
	}
	set_list(dst, items, n->nitems, n->loc, true);
}

/*
 * A mapping of strings: each key as written (a YAML key is always a
 * scalar), each value a scalar with a value; then the format's rules on
 * both (check_format.c).  A pair that breaks one is left out of the IR.
 */
static void check_string_map(struct checker *ck, const struct schema_key *key, const struct node *n,
			     struct ir_string_map *out)
{
	size_t i, kept = 0;

	out->loc = n->loc;
	if (is_null_scalar(n) || n->kind != NODE_MAPPING) {
		if (is_null_scalar(n))
			diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' has no value", key->name);
		else
			diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be a mapping of keys to values, not %s",
				   key->name, node_kind_name(n));
		diag_hint(ck->diags, "write each pair on its own line, indented by two spaces: 'team: payments'");
		return;
	}
	if (!n->npairs) {
		diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' is an empty mapping", key->name);
		diag_hint(ck->diags, "remove the key, or write a pair such as 'team: payments'");
		return;
	}
	if (key->min <= key->max && n->npairs > (size_t)key->max) {
		diag_error(ck->diags, DIAG_RANGE, n->pairs[key->max].key->loc,
			   "'%s' has %zu items; ecsgen supports at most %lld", key->name, (size_t)n->npairs, key->max);
		if (key->format == FMT_TAG)
			diag_hint(ck->diags, "AWS takes %d tags on a resource, and ecsgen sets up to %d of its own on a node",
				  IR_TAGS_MAX, IR_TAGS_OWN_MAX);
	}
	out->items = arena_array(ck->arena, n->npairs, sizeof *out->items);
	for (i = 0; i < n->npairs; i++) {
		const struct node *k = n->pairs[i].key, *v = n->pairs[i].value;
		struct ir_string_pair pair = {
			.loc = k->loc,
			.key = { .value = k->text, .loc = k->loc, .present = true },
			.value = { .value = v->text, .loc = v->loc, .present = true },
		};

		if (v->kind != NODE_SCALAR) {
			diag_error(ck->diags, DIAG_TYPE, v->loc, "the value of '%s' in '%s' must be a string, not %s",
				   k->text, key->name, node_kind_name(v));
			continue;
		}
		if (is_null_scalar(v)) {
			diag_error(ck->diags, DIAG_TYPE, v->loc, "'%s' in '%s' has no value", k->text, key->name);
			diag_hint(ck->diags, "write \"\" for an empty value");
			continue;
		}
		if (!check_map_pair(key, &pair.key, &pair.value, ck->diags))
			continue;
		out->items[kept++] = pair;
	}
	out->n = kept;
	out->present = true;
}

static void check_value(struct checker *ck, const struct schema_key *key, const struct node *keynode,
			const struct node *n, void *dst)
{
	switch (key->type) {
	case SCHEMA_STRING: check_string(ck, key, n, dst); break;
	case SCHEMA_INT: check_int(ck, key, n, dst); break;
	case SCHEMA_BOOL: check_bool(ck, key, n, dst); break;
	case SCHEMA_PRICE: check_price(ck, key, n, dst); break;
	case SCHEMA_DURATION: check_duration(ck, key, n, dst); break;
	case SCHEMA_STRING_LIST: check_string_list(ck, key, n, dst); break;
	case SCHEMA_OBJECT_LIST: check_object_list(ck, key, n, dst); break;
	case SCHEMA_STRING_MAP: check_string_map(ck, key, n, dst); break;
	case SCHEMA_OBJECT:
		if (is_null_scalar(n)) {
			diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' has no value", key->name);
			diag_hint(ck->diags, "write its keys on the following lines, indented by two spaces");
			return;
		}
		if (n->kind != NODE_MAPPING) {
			diag_error(ck->diags, DIAG_TYPE, n->loc, "'%s' must be a mapping of keys, not %s",
				   key->name, node_kind_name(n));
			return;
		}
		check_object(ck, key->object, n, keynode->loc, dst);
		/* A section is located at its key: 'ec2_instances', not its first child. */
		memcpy((char *)dst + key->object->loc_offset, &keynode->loc, sizeof keynode->loc);
		break;
	}
}

/*
 * Report a key obj does not take, with the most useful hint.  Returns the
 * key of obj it is a likely misspelling of, or NULL: the caller then does
 * not also report that key as missing.
 */
static const struct schema_key *report_unknown_key(struct checker *ck, const struct schema_object *obj,
						   const struct node *keynode)
{
	const char *where = obj->path;
	const char *candidates[32];
	const struct schema_key *key = schema_find_key(obj, keynode->text);
	const char *best;
	struct strbuf list = STRBUF_INIT;
	size_t i, n = 0;

	if (*where)
		diag_error(ck->diags, DIAG_UNKNOWN_KEY, keynode->loc, "unknown key '%s' in '%s'", keynode->text, where);
	else
		diag_error(ck->diags, DIAG_UNKNOWN_KEY, keynode->loc, "unknown key '%s'", keynode->text);
	if (key && (key->flags & SCHEMA_DERIVED)) {
		diag_hint(ck->diags, "ecsgen computes '%s' (%s); remove it", key->name, key->description);
		return NULL;
	}
	for (i = 0; i < sizeof known_unsupported / sizeof known_unsupported[0]; i++) {
		if (!strcmp(keynode->text, known_unsupported[i].key)) {
			diag_hint(ck->diags, "%s", known_unsupported[i].hint);
			return NULL;
		}
	}
	for (i = 0; i < obj->nkeys && n < 32; i++)
		if (!(obj->keys[i].flags & SCHEMA_DERIVED))
			candidates[n++] = obj->keys[i].name;
	best = suggest_closest(keynode->text, candidates, n);
	if (best) {
		diag_hint(ck->diags, "did you mean '%s'?", best);
		return schema_find_key(obj, best);
	}
	/* A key of another level: say where it belongs. */
	for (i = 0; i < schema_root.nkeys; i++) {
		const struct schema_object *child = schema_root.keys[i].object;
		if (child && child != obj && schema_find_key(child, keynode->text)) {
			diag_hint(ck->diags, "'%s' belongs under '%s'", keynode->text, child->path);
			return NULL;
		}
	}
	/* Nothing close: list what this level takes. */
	for (i = 0; i < n; i++)
		strbuf_addf(&list, "%s%s", i ? ", " : "", candidates[i]);
	if (obj->extension_prefix)
		strbuf_addf(&list, ", and %s* keys of your own (ignored, e.g. to hold anchors)", obj->extension_prefix);
	diag_hint(ck->diags, "%s takes: %s", *where ? arena_printf(ck->arena, "'%s'", where) : "the top level",
		  list.buf);
	strbuf_release(&list);
	return NULL;
}

static void apply_default(struct checker *ck, const struct schema_key *key, void *field)
{
	const char *d = key->default_value;

	if (!d || (key->flags & SCHEMA_DEFAULT_FROM_KEY))
		return; /* lower.c fills defaults that name another key */
	switch (key->type) {
	case SCHEMA_STRING:
		((struct ir_string *)field)->value = d;
		break;
	case SCHEMA_INT:
		((struct ir_int *)field)->value = strtoll(d, NULL, 10);
		break;
	case SCHEMA_BOOL:
		((struct ir_bool *)field)->value = parse_bool(d) == 1;
		break;
	case SCHEMA_DURATION: {
		struct ir_duration *dur = field;
		(void)parse_duration(d, &dur->seconds);
		dur->text = d;
		break;
	}
	case SCHEMA_PRICE: {
		struct ir_price *p = field;
		(void)parse_price(d, &p->micros);
		p->text = price_text(ck->arena, p->micros);
		break;
	}
	default:
		break;
	}
}

/* x-fleet at the top level: an extension key (schema.h), never read. */
static bool is_extension_key(const struct schema_object *obj, const struct node *k)
{
	const char *prefix = obj->extension_prefix;
	return prefix && !strncmp(k->text, prefix, strlen(prefix)) && k->len > strlen(prefix);
}

static void check_object(struct checker *ck, const struct schema_object *obj,
			 const struct node *map, struct loc where_loc, void *dst)
{
	const char *where = obj->path;
	bool seen[64] = { false }, misspelt[64] = { false };
	size_t i;

	memcpy((char *)dst + obj->loc_offset, &map->loc, sizeof map->loc);
	for (i = 0; i < map->npairs; i++) {
		const struct node *k = map->pairs[i].key;
		const struct schema_key *key = schema_find_key(obj, k->text);

		if (is_extension_key(obj, k))
			continue; /* the user's own: an anchor for aliases elsewhere, or notes */
		if (!key || (key->flags & SCHEMA_DERIVED)) {
			const struct schema_key *meant = report_unknown_key(ck, obj, k);
			if (meant)
				misspelt[meant - obj->keys] = true;
			continue;
		}
		seen[key - obj->keys] = true;
		if (key->flags & SCHEMA_IGNORED) {
			diag_warning(ck->diags, DIAG_IGNORED_KEY, k->loc, "'%s' is ignored", key->name);
			diag_hint(ck->diags, "it is kept for files written for the original tool; you may remove it");
		}
		check_value(ck, key, k, map->pairs[i].value, (char *)dst + key->offset);
	}
	for (i = 0; i < obj->nkeys; i++) {
		const struct schema_key *key = &obj->keys[i];
		if (seen[i])
			continue;
		if (key->flags & SCHEMA_REQUIRED) {
			if (misspelt[i])
				continue; /* "did you mean" said it already */
			if (*where)
				diag_error(ck->diags, DIAG_MISSING_KEY, where_loc, "missing required key '%s' in '%s'", key->name, where);
			else
				diag_error(ck->diags, DIAG_MISSING_KEY, where_loc, "missing required key '%s'", key->name);
			diag_hint(ck->diags, "add '%s' (%s)", key->name, key->description);
			continue;
		}
		apply_default(ck, key, (char *)dst + key->offset);
	}
}

struct ir *check_tree(struct arena *arena, const struct node *root, const char *infra_dir,
		      const char *const *include_dirs, struct diag_list *diags)
{
	struct checker ck = { arena, diags, infra_dir };
	struct ir *ir = arena_alloc(arena, sizeof *ir);

	struct ir_ec2_instances *ec2 = &ir->ec2_instances;

	check_object(&ck, &schema_root, root, loc_make(root->loc.src, 0, 0), ir);
	if (ec2->user_data.present &&
	    !check_user_data_file(arena, infra_dir, include_dirs, &ec2->user_data, &ec2->user_data_text, diags))
		ec2->user_data.present = false;
	return ir;
}
