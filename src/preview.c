/*
 * preview.c - --preview: compares the templates of the in-memory out_tree
 * with those of a base out/ and says what a deploy would add, remove,
 * change in place and replace, what that interrupts or may block, and how
 * the spot spend ceiling moves (see preview.h).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "arena.h"
#include "cfn_create_only.h"
#include "cfn_stacks.h"
#include "escape.h"
#include "ir.h"
#include "outtree.h"
#include "preview.h"
#include "source.h"
#include "strbuf.h"

/* The largest template CloudFormation takes (through S3). */
enum { TEMPLATE_MAX_BYTES = 1 << 20 };

enum kind { UNCHANGED, REPLACED, REMOVED, IN_PLACE, ADDED, KIND__COUNT };

static const char *const kind_names[KIND__COUNT] = {
	[UNCHANGED] = "unchanged", [REPLACED] = "replaced", [REMOVED] = "removed",
	[IN_PLACE] = "changed in place", [ADDED] = "added",
};

enum class { SAFE, INTERRUPTS, BLOCKED, NEXT_VERSION };

static const char *const class_names[] = {
	[SAFE] = "safe", [INTERRUPTS] = "interrupts running nodes", [BLOCKED] = "may be blocked",
	[NEXT_VERSION] = "safe: next version only",
};

/*
 * Types whose replacement or removal takes away what a running node needs:
 * its fleet or group (the nodes go), its ECS cluster (they are registered
 * to the old one), its instance profile (its credentials).
 */
static const char *const node_types[] = {
	"AWS::EC2::SpotFleet", "AWS::EC2::EC2Fleet", "AWS::AutoScaling::AutoScalingGroup",
	"AWS::ECS::Cluster", "AWS::IAM::InstanceProfile",
};

/*
 * GetAtt attributes whose value changes with any in-place update: an
 * updated launch template gets a new version, so a fleet that names
 * LatestVersionNumber sees a new value though its own JSON is unchanged.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-launchtemplate.html#aws-resource-ec2-launchtemplate-return-values
 */
static const struct { const char *type, *attribute; } versioned[] = {
	{ "AWS::EC2::LaunchTemplate", "LatestVersionNumber" },
};

struct resource {
	const char *id, *type;
	struct json_object *base, *now; /* the resource objects; either may be NULL */
	enum kind kind;
	const char *why;
	bool feeds_export; /* replaced, and a changed export's value names it */
};

struct export {
	const char *name;
	enum kind kind;  /* REMOVED, IN_PLACE (value changes) or ADDED */
	const char *why;
};

struct stack {
	const struct cfn_stack *row;
	const char *name;
	struct json_object *base, *now;  /* templates; base NULL for a new stack */
	struct resource *resources;
	size_t nresources;
	struct export *exports;
	size_t nexports;
	const char **changed_params;
	size_t nchanged_params;
};

struct preview {
	struct arena *arena;
	const struct ir *ir;
	struct stack *stacks;
	size_t nstacks;
	long long base_micros, now_micros;   /* spot spend ceiling per version */
	size_t counts[KIND__COUNT];
	size_t blocked, interrupts, next_version;
};

/* ---- reading ---------------------------------------------------------- */

static struct json_object *section(struct json_object *t, const char *key)
{
	struct json_object *v;
	return t && json_object_object_get_ex(t, key, &v) && json_object_is_type(v, json_type_object) ? v : NULL;
}

static struct json_object *get(struct json_object *obj, const char *key)
{
	struct json_object *v;
	return obj && json_object_is_type(obj, json_type_object) && json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

static const char *type_of(struct json_object *resource)
{
	struct json_object *t = get(resource, "Type");
	return t && json_object_is_type(t, json_type_string) ? json_object_get_string(t) : "?";
}

/* The base's template, NULL when the base has none (a new stack); -1 on trouble. */
static int read_base(struct arena *arena, const char *base, const char *path, struct json_object **out,
		     struct strbuf *err)
{
	const char *file = arena_printf(arena, "%s/%s", base, path);
	struct source *src = source_read_file(arena, file, file, TEMPLATE_MAX_BYTES);

	*out = NULL;
	if (!src)
		return errno == ENOENT ? 0 : strbuf_error(err, "cannot read '%s': %s", file, strerror(errno));
	*out = cfn_parse(src->text, src->len);
	if (!*out || !section(*out, "Resources"))
		return strbuf_error(err, "'%s' is not a CloudFormation template of ecsgen's", file);
	return 0;
}

/* ---- differences -------------------------------------------------------- */

struct paths {
	const char **items;
	size_t n, alloc;
};

static void paths_add(struct arena *arena, struct paths *p, const char *path)
{
	if (p->n == p->alloc) {
		size_t alloc = p->alloc ? 2 * p->alloc : 8;
		const char **items = arena_array(arena, alloc, sizeof *items);
		if (p->n)
			memcpy(items, p->items, p->n * sizeof *items);
		p->items = items;
		p->alloc = alloc;
	}
	p->items[p->n++] = path;
}

static const char *child(struct arena *arena, const char *path, const char *key)
{
	return *path ? arena_printf(arena, "%s/%s", path, key) : key;
}

/* Every path below which a and b differ (an array of another length differs as a whole). */
static void diff(struct arena *arena, struct json_object *a, struct json_object *b, const char *path,
		 struct paths *out)
{
	size_t i;

	if (json_object_equal(a, b))
		return;
	if (a && b && json_object_is_type(a, json_type_object) && json_object_is_type(b, json_type_object)) {
		json_object_object_foreach(a, ka, va)
			diff(arena, va, get(b, ka), child(arena, path, ka), out);
		json_object_object_foreach(b, kb, vb)
			if (!get(a, kb))
				diff(arena, NULL, vb, child(arena, path, kb), out);
		return;
	}
	if (a && b && json_object_is_type(a, json_type_array) && json_object_is_type(b, json_type_array) &&
	    json_object_array_length(a) == json_object_array_length(b)) {
		for (i = 0; i < json_object_array_length(a); i++)
			diff(arena, json_object_array_get_idx(a, i), json_object_array_get_idx(b, i),
			     child(arena, path, arena_printf(arena, "%zu", i)), out);
		return;
	}
	paths_add(arena, out, path);
}

/* ---- references ---------------------------------------------------------- */

typedef void ref_fn(void *data, const char *path, const char *name, const char *attribute);

static void sub_refs(struct arena *arena, const char *text, const char *path, ref_fn *fn, void *data)
{
	const char *p = text, *end, *dot;

	while ((p = strstr(p, "${"))) {
		p += 2;
		if (*p == '!')
			continue;
		if (!(end = strchr(p, '}')))
			return;
		dot = memchr(p, '.', (size_t)(end - p));
		if (dot)
			fn(data, path, arena_strndup(arena, p, (size_t)(dot - p)),
			   arena_strndup(arena, dot + 1, (size_t)(end - dot - 1)));
		else
			fn(data, path, arena_strndup(arena, p, (size_t)(end - p)), NULL);
		p = end;
	}
}

/* Every Ref, Fn::GetAtt and Fn::Sub reference under v, with the path it sits at. */
static void refs(struct arena *arena, struct json_object *v, const char *path, ref_fn *fn, void *data)
{
	size_t i;

	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++)
			refs(arena, json_object_array_get_idx(v, i), child(arena, path, arena_printf(arena, "%zu", i)),
			     fn, data);
		return;
	}
	if (!json_object_is_type(v, json_type_object))
		return;
	json_object_object_foreach(v, key, value) {
		if (!strcmp(key, "Ref") && json_object_is_type(value, json_type_string)) {
			fn(data, path, json_object_get_string(value), NULL);
		} else if (!strcmp(key, "Fn::GetAtt") && json_object_is_type(value, json_type_array) &&
			   json_object_array_length(value) == 2 &&
			   json_object_is_type(json_object_array_get_idx(value, 0), json_type_string) &&
			   json_object_is_type(json_object_array_get_idx(value, 1), json_type_string)) {
			fn(data, path, json_object_get_string(json_object_array_get_idx(value, 0)),
			   json_object_get_string(json_object_array_get_idx(value, 1)));
		} else if (!strcmp(key, "Fn::Sub")) {
			struct json_object *text = json_object_is_type(value, json_type_array)
						   ? json_object_array_get_idx(value, 0) : value;
			if (text && json_object_is_type(text, json_type_string))
				sub_refs(arena, json_object_get_string(text), path, fn, data);
			if (json_object_is_type(value, json_type_array))
				refs(arena, json_object_array_get_idx(value, 1), path, fn, data);
		} else {
			refs(arena, value, child(arena, path, key), fn, data);
		}
	}
}

static struct resource *find_resource(struct stack *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->nresources; i++)
		if (!strcmp(s->resources[i].id, id))
			return &s->resources[i];
	return NULL;
}

static bool param_changed(const struct stack *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nchanged_params; i++)
		if (!strcmp(s->changed_params[i], name))
			return true;
	return false;
}

static bool is_versioned(const char *type, const char *attribute)
{
	size_t i;

	for (i = 0; attribute && i < sizeof versioned / sizeof versioned[0]; i++)
		if (!strcmp(versioned[i].type, type) && !strcmp(versioned[i].attribute, attribute))
			return true;
	return false;
}

/*
 * What a reference to name (.attribute) means now: NULL when its value
 * stays, else why it changes ("SgX is replaced").
 */
static const char *ref_change(struct preview *pv, struct stack *s, const char *name, const char *attribute)
{
	struct resource *r = find_resource(s, name);

	if (!r)
		return param_changed(s, name) ? arena_printf(pv->arena, "parameter %s changes", name) : NULL;
	if (r->kind == REPLACED)
		return arena_printf(pv->arena, "%s is replaced", name);
	if (r->kind == IN_PLACE && is_versioned(r->type, attribute))
		return arena_printf(pv->arena, "%s gets a new version", name);
	return NULL;
}

struct follow {
	struct preview *pv;
	struct stack *s;
	struct resource *r;
	bool moved;   /* r's kind changed */
};

static void follow_ref(void *data, const char *path, const char *name, const char *attribute)
{
	struct follow *f = data;
	struct resource *r = f->r;
	const char *why = ref_change(f->pv, f->s, name, attribute);
	const char *prop = path;

	if (!why || r->kind == REPLACED)
		return;
	if (!strncmp(prop, "Properties/", 11) && cfn_create_only_covers(r->type, prop + 11)) {
		r->kind = REPLACED;
		r->why = arena_printf(f->pv->arena, "%s changes (create-only): %s", prop + 11, why);
		f->moved = true;
	} else if (r->kind == UNCHANGED) {
		r->kind = IN_PLACE;
		r->why = arena_printf(f->pv->arena, "%s changes: %s", !strncmp(prop, "Properties/", 11) ? prop + 11 : prop, why);
		f->moved = true;
	}
}

/* A kept resource's own changes: replaced when one is create-only. */
static void classify_kept(struct preview *pv, struct resource *r)
{
	struct paths paths = { 0 };
	size_t i;

	if (strcmp(type_of(r->base), type_of(r->now))) {
		r->kind = REPLACED;
		r->why = arena_printf(pv->arena, "its type changes from %s", type_of(r->base));
		return;
	}
	diff(pv->arena, r->base, r->now, "", &paths);
	if (!paths.n)
		return;
	for (i = 0; i < paths.n; i++) {
		const char *p = paths.items[i];
		if (!strncmp(p, "Properties/", 11) && cfn_create_only_covers(r->type, p + 11)) {
			r->kind = REPLACED;
			r->why = arena_printf(pv->arena, "%s changes (create-only)", p + 11);
			return;
		}
	}
	r->kind = IN_PLACE;
	r->why = !strncmp(paths.items[0], "Properties/", 11) ? paths.items[0] + 11 : paths.items[0];
	if (paths.n > 1)
		r->why = arena_printf(pv->arena, "%s and %zu more", r->why, paths.n - 1);
}

static void changed_parameters(struct preview *pv, struct stack *s)
{
	struct json_object *before = section(s->base, "Parameters"), *after = section(s->now, "Parameters");
	size_t n = (before ? (size_t)json_object_object_length(before) : 0) +
		   (after ? (size_t)json_object_object_length(after) : 0);

	s->changed_params = arena_array(pv->arena, n ? n : 1, sizeof *s->changed_params);
	if (after) {
		json_object_object_foreach(after, name, def)
			if (!json_object_equal(def, get(before, name)))
				s->changed_params[s->nchanged_params++] = name;
	}
}

static void collect_resources(struct preview *pv, struct stack *s)
{
	struct json_object *before = section(s->base, "Resources"), *after = section(s->now, "Resources");
	size_t n = (before ? (size_t)json_object_object_length(before) : 0) +
		   (after ? (size_t)json_object_object_length(after) : 0);
	struct resource *r;

	s->resources = arena_array(pv->arena, n ? n : 1, sizeof *s->resources);
	if (after) {
		json_object_object_foreach(after, id, res) {
			r = &s->resources[s->nresources++];
			memset(r, 0, sizeof *r);
			r->id = id;
			r->now = res;
			r->base = get(before, id);
			r->type = type_of(res);
			r->kind = r->base ? UNCHANGED : ADDED;
		}
	}
	if (before) {
		json_object_object_foreach(before, id, res) {
			if (get(after, id))
				continue;
			r = &s->resources[s->nresources++];
			memset(r, 0, sizeof *r);
			r->id = id;
			r->base = res;
			r->type = type_of(res);
			r->kind = REMOVED;
		}
	}
}

struct output_check {
	struct preview *pv;
	struct stack *s;
	const char *why;
};

/* The replaced resource an export names is what the import blocks. */
static void output_ref(void *data, const char *path, const char *name, const char *attribute)
{
	struct output_check *c = data;
	const char *why = ref_change(c->pv, c->s, name, attribute);
	struct resource *r = find_resource(c->s, name);

	(void)path;
	if (why && !c->why)
		c->why = why;
	if (why && r)
		r->feeds_export = true;
}

/* Exports whose value changes or that go: a stack importing one blocks that. */
static void collect_exports(struct preview *pv, struct stack *s)
{
	struct json_object *before = section(s->base, "Outputs"), *after = section(s->now, "Outputs");
	size_t n = (before ? (size_t)json_object_object_length(before) : 0) +
		   (after ? (size_t)json_object_object_length(after) : 0);

	s->exports = arena_array(pv->arena, n ? n : 1, sizeof *s->exports);
	if (!before)
		return;
	json_object_object_foreach(before, key, output) {
		const char *name = cfn_export_name(pv->arena, output, s->name);
		struct json_object *now = get(after, key);
		struct output_check c = { pv, s, NULL };
		struct export *e;

		if (!name)
			continue;
		if (!now || !cfn_export_name(pv->arena, now, s->name) ||
		    strcmp(cfn_export_name(pv->arena, now, s->name), name)) {
			c.why = "the export goes";
		} else if (!json_object_equal(get(output, "Value"), get(now, "Value"))) {
			c.why = "its value's definition changes";
		} else {
			refs(pv->arena, get(now, "Value"), "", output_ref, &c);
			if (!c.why)
				continue;
		}
		e = &s->exports[s->nexports++];
		e->name = name;
		e->kind = now ? IN_PLACE : REMOVED;
		e->why = c.why;
	}
}

static void compare_stack(struct preview *pv, struct stack *s)
{
	struct follow f = { pv, s, NULL, true };
	size_t i;

	changed_parameters(pv, s);
	collect_resources(pv, s);
	for (i = 0; i < s->nresources; i++)
		if (s->resources[i].kind == UNCHANGED)
			classify_kept(pv, &s->resources[i]);
	/* Replacements and new versions travel along references until nothing moves. */
	while (f.moved) {
		f.moved = false;
		for (i = 0; i < s->nresources; i++) {
			f.r = &s->resources[i];
			if (f.r->kind == UNCHANGED || f.r->kind == IN_PLACE)
				refs(pv->arena, f.r->now, "", follow_ref, &f);
		}
	}
	collect_exports(pv, s);
}

/* ---- the spend ceiling --------------------------------------------------- */

/* "0.0425" as micro-dollars; -1 when it is no price. */
static long long parse_micros(const char *s)
{
	long long whole = 0, frac = 0;
	int digits = 0;

	if (!*s)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		whole = whole * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			if (digits < 6)
				frac = frac * 10 + (*s - '0'), digits++;
	if (*s)
		return -1;
	for (; digits < 6; digits++)
		frac *= 10;
	return whole * 1000000 + frac;
}

struct fleet_bids {
	long long largest_weight, unit_micros;
};

static void scan_bids(struct json_object *v, struct fleet_bids *b)
{
	struct json_object *w, *p;
	size_t i;

	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++)
			scan_bids(json_object_array_get_idx(v, i), b);
		return;
	}
	if (!json_object_is_type(v, json_type_object))
		return;
	w = get(v, "WeightedCapacity");
	p = get(v, "SpotPrice") ? get(v, "SpotPrice") : get(v, "MaxPrice");
	if (w && p && json_object_is_type(p, json_type_string)) {
		long long weight = json_object_get_int64(w), unit = parse_micros(json_object_get_string(p));
		if (weight > b->largest_weight)
			b->largest_weight = weight;
		if (unit > b->unit_micros)
			b->unit_micros = unit;
	}
	json_object_object_foreach(v, key, value) {
		(void)key;
		scan_bids(value, b);
	}
}

/* A fleet's max_weight from the scaler's facts (its output of the same name). */
static long long fleet_max_weight(struct json_object *t, const char *id)
{
	struct json_object *value = get(get(section(t, "Outputs"), id), "Value");
	struct json_object *sub = get(value, "Fn::Sub");
	const char *text = sub && json_object_is_type(sub, json_type_string) ? json_object_get_string(sub) : "";
	const char *at = strstr(text, "\"max_weight\":");

	return at ? strtoll(at + strlen("\"max_weight\":"), NULL, 10) : 0;
}

/* The spot spend ceiling of one compute template, per version (emitters/cfn_stacks.h). */
static long long template_ceiling(struct json_object *t)
{
	struct json_object *resources = section(t, "Resources");
	long long total = 0;

	if (!resources)
		return 0;
	json_object_object_foreach(resources, id, res) {
		const char *type = type_of(res);
		struct fleet_bids b = { 0, 0 };
		if (strcmp(type, "AWS::EC2::SpotFleet") && strcmp(type, "AWS::EC2::EC2Fleet"))
			continue;
		scan_bids(get(res, "Properties"), &b);
		total += cfn_spend_of(fleet_max_weight(t, id), b.largest_weight, b.unit_micros).micros;
	}
	return total;
}

/* ---- classes and counts --------------------------------------------------- */

static bool takes_nodes(const char *type)
{
	size_t i;

	for (i = 0; i < sizeof node_types / sizeof node_types[0]; i++)
		if (!strcmp(node_types[i], type))
			return true;
	return false;
}

static enum class class_of(const struct stack *s, const struct resource *r)
{
	if (s->row->per_version)
		return NEXT_VERSION;
	if (r->feeds_export)
		return BLOCKED;
	if ((r->kind == REPLACED || r->kind == REMOVED) && takes_nodes(r->type))
		return INTERRUPTS;
	return SAFE;
}

static int kind_order(const void *a, const void *b)
{
	const struct resource *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->id, y->id);
}

static void tally(struct preview *pv)
{
	size_t i, j;

	for (i = 0; i < pv->nstacks; i++) {
		struct stack *s = &pv->stacks[i];
		qsort(s->resources, s->nresources, sizeof *s->resources, kind_order);
		for (j = 0; j < s->nresources; j++) {
			enum class c = class_of(s, &s->resources[j]);
			if (s->resources[j].kind == UNCHANGED)
				continue;
			pv->counts[s->resources[j].kind]++;
			pv->interrupts += c == INTERRUPTS;
			pv->blocked += c == BLOCKED;
			pv->next_version += c == NEXT_VERSION;
		}
		pv->blocked += s->nexports;
	}
}

/* missing_ok: a base that does not exist is empty (--check's out/ before the first run). */
static int run(struct preview *pv, const struct out_tree *tree, const char *base, bool missing_ok,
	       struct strbuf *err)
{
	struct stat st;
	size_t i;

	if (stat(base, &st) < 0) {
		if (!missing_ok || errno != ENOENT)
			return strbuf_error(err, "cannot read the base '%s': %s", base, strerror(errno));
	} else if (!S_ISDIR(st.st_mode))
		return strbuf_error(err, "the base '%s' is not a folder", base);
	pv->stacks = arena_array(pv->arena, cfn_stacks_count, sizeof *pv->stacks);
	for (i = 0; i < cfn_stacks_count; i++) {
		const struct out_file *f = out_tree_find(tree, cfn_stacks[i].path);
		struct stack *s = &pv->stacks[pv->nstacks];

		memset(s, 0, sizeof *s);
		s->row = &cfn_stacks[i];
		s->name = cfn_stack_name(pv->arena, pv->ir, s->row);
		if (read_base(pv->arena, base, s->row->path, &s->base, err) < 0)
			return -1;
		s->now = f ? cfn_parse(f->data, f->len) : NULL;
		if (!s->base && !s->now)
			continue;
		pv->nstacks++;
		compare_stack(pv, s);
		if (s->row->per_version) {
			pv->base_micros += s->base ? template_ceiling(s->base) : 0;
			pv->now_micros += s->now ? template_ceiling(s->now) : 0;
		}
	}
	tally(pv);
	return 0;
}

static void release(struct preview *pv)
{
	size_t i;

	for (i = 0; i < pv->nstacks; i++) {
		json_object_put(pv->stacks[i].base);
		json_object_put(pv->stacks[i].now);
	}
}

/* ---- the report ------------------------------------------------------------ */

static const char *signed_spend(struct arena *arena, long long micros)
{
	if (!micros)
		return "none";
	return micros < 0 ? arena_printf(arena, "-%s", cfn_spend_text(arena, -micros))
			  : arena_printf(arena, "+%s", cfn_spend_text(arena, micros));
}

static void summary_line(const struct preview *pv, struct strbuf *sb)
{
	strbuf_addf(sb, "impact: %zu replaced, %zu changed in place, %zu added, %zu removed; "
		    "%zu may be blocked, %zu interrupt running nodes, %zu for the next version only; "
		    "spot ceiling %s",
		    pv->counts[REPLACED], pv->counts[IN_PLACE], pv->counts[ADDED], pv->counts[REMOVED],
		    pv->blocked, pv->interrupts, pv->next_version, cfn_spend_text(pv->arena, pv->base_micros));
	if (pv->now_micros != pv->base_micros)
		strbuf_addf(sb, " -> %s (%s)", cfn_spend_text(pv->arena, pv->now_micros),
			    signed_spend(pv->arena, pv->now_micros - pv->base_micros));
	strbuf_addstr(sb, " per version\n");
}

static size_t changes_of(const struct stack *s)
{
	size_t i, n = s->nexports;

	for (i = 0; i < s->nresources; i++)
		n += s->resources[i].kind != UNCHANGED;
	return n;
}

static const char *stack_note(const struct stack *s)
{
	if (!s->base)
		return "a new stack";
	if (!s->now)
		return "the stack goes";
	if (s->row->per_version)
		return "blue/green: the next version's stack only; running versions keep theirs";
	return NULL;
}

static void text_report(const struct preview *pv, struct strbuf *sb)
{
	size_t i, j;

	for (i = 0; i < pv->nstacks; i++) {
		const struct stack *s = &pv->stacks[i];
		const char *note = stack_note(s);

		strbuf_addf(sb, "stack %s (%s)%s%s:%s\n", s->name, s->row->path, note ? ", " : "", note ? note : "",
			    changes_of(s) ? "" : " nothing to do");
		for (j = 0; j < s->nresources; j++) {
			const struct resource *r = &s->resources[j];
			if (r->kind == UNCHANGED)
				continue;
			strbuf_addf(sb, "  %-16s %s (%s)", kind_names[r->kind], r->id, r->type);
			if (r->why)
				strbuf_addf(sb, ": %s", r->why);
			strbuf_addf(sb, " [%s]\n", class_names[class_of(s, r)]);
		}
		for (j = 0; j < s->nexports; j++)
			strbuf_addf(sb, "  %-16s export %s: %s [%s: a stack that imports it stops the update]\n",
				    s->exports[j].kind == REMOVED ? "removed" : "changed", s->exports[j].name,
				    s->exports[j].why, class_names[BLOCKED]);
	}
	if (pv->now_micros == pv->base_micros)
		strbuf_addf(sb, "spot spend ceiling: %s per version, unchanged; %s during a deploy\n",
			    cfn_spend_text(pv->arena, pv->now_micros), cfn_spend_text(pv->arena, 2 * pv->now_micros));
	else
		strbuf_addf(sb, "spot spend ceiling: %s per version before, %s after (%s); "
			    "%s during a deploy, with the old and the new version running\n",
			    cfn_spend_text(pv->arena, pv->base_micros), cfn_spend_text(pv->arena, pv->now_micros),
			    signed_spend(pv->arena, pv->now_micros - pv->base_micros),
			    cfn_spend_text(pv->arena, pv->base_micros + pv->now_micros));
	summary_line(pv, sb);
}

static void md(struct strbuf *sb, const char *s)
{
	/* Every string here is a template's own or ecsgen's: valid UTF-8. */
	escape_markdown(sb, s, strlen(s), NULL);
}

static void md_row(struct strbuf *sb, const char *const cells[], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, "| ");
		md(sb, cells[i] ? cells[i] : "");
		strbuf_addch(sb, ' ');
	}
	strbuf_addstr(sb, "|\n");
}

static void markdown_report(const struct preview *pv, struct strbuf *sb)
{
	size_t i, j;

	strbuf_addstr(sb, "### ecsgen preview\n\n");
	strbuf_addf(sb, "%s\n\n", pv->blocked ? "**Something may be blocked:** see the exports below." : "Nothing may be blocked.");
	for (i = 0; i < pv->nstacks; i++) {
		const struct stack *s = &pv->stacks[i];
		const char *note = stack_note(s);

		strbuf_addstr(sb, "#### ");
		md(sb, s->name);
		strbuf_addstr(sb, "\n\n");
		if (note) {
			md(sb, note);
			strbuf_addstr(sb, ".\n\n");
		}
		if (!changes_of(s)) {
			strbuf_addstr(sb, "Nothing to do.\n\n");
			continue;
		}
		strbuf_addstr(sb, "| change | resource | type | why | class |\n|---|---|---|---|---|\n");
		for (j = 0; j < s->nresources; j++) {
			const struct resource *r = &s->resources[j];
			const char *cells[5];
			if (r->kind == UNCHANGED)
				continue;
			cells[0] = kind_names[r->kind];
			cells[1] = r->id;
			cells[2] = r->type;
			cells[3] = r->why;
			cells[4] = class_names[class_of(s, r)];
			md_row(sb, cells, 5);
		}
		for (j = 0; j < s->nexports; j++) {
			const char *cells[5];
			cells[0] = s->exports[j].kind == REMOVED ? "removed" : "changed";
			cells[1] = arena_printf(pv->arena, "export %s", s->exports[j].name);
			cells[2] = "output";
			cells[3] = arena_printf(pv->arena, "%s; a stack that imports it stops the update", s->exports[j].why);
			cells[4] = class_names[BLOCKED];
			md_row(sb, cells, 5);
		}
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "| spot spend ceiling | per version | during a deploy |\n|---|---:|---:|\n");
	strbuf_addstr(sb, "| before | ");
	md(sb, cfn_spend_text(pv->arena, pv->base_micros));
	strbuf_addstr(sb, " | ");
	md(sb, cfn_spend_text(pv->arena, 2 * pv->base_micros));
	strbuf_addstr(sb, " |\n| after | ");
	md(sb, cfn_spend_text(pv->arena, pv->now_micros));
	strbuf_addstr(sb, " | ");
	md(sb, cfn_spend_text(pv->arena, pv->base_micros + pv->now_micros));
	strbuf_addstr(sb, " (old and new) |\n| change | ");
	md(sb, signed_spend(pv->arena, pv->now_micros - pv->base_micros));
	strbuf_addstr(sb, " | |\n\n");
	{
		struct strbuf line = STRBUF_INIT;
		summary_line(pv, &line);
		strbuf_setlen(&line, line.len - 1);
		md(sb, line.buf);
		strbuf_addch(sb, '\n');
		strbuf_release(&line);
	}
}

int preview_tree(struct arena *arena, const struct ir *ir, const struct out_tree *tree,
		 const char *base, enum preview_format format, struct strbuf *report,
		 struct strbuf *err)
{
	struct preview pv = { .arena = arena, .ir = ir };
	int r = run(&pv, tree, base, false, err);

	if (r == 0) {
		if (format == PREVIEW_MARKDOWN)
			markdown_report(&pv, report);
		else
			text_report(&pv, report);
		r = pv.blocked ? 1 : 0;
	}
	release(&pv);
	return r;
}

int preview_summary(struct arena *arena, const struct ir *ir, const struct out_tree *tree,
		    const char *base, struct strbuf *line, struct strbuf *err)
{
	struct preview pv = { .arena = arena, .ir = ir };
	int r = run(&pv, tree, base, true, err);

	if (r == 0) {
		summary_line(&pv, line);
		r = pv.blocked ? 1 : 0;
	}
	release(&pv);
	return r;
}
