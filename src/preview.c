/*
 * preview.c - --preview's comparison: the templates of the in-memory
 * out_tree against those of a base out/, each resource classed added,
 * removed, changed in place or replaced, each change safe, interrupting
 * running nodes or maybe blocked, and the spot spend ceiling on both sides
 * (see preview.h; preview_report.c writes the reports).
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
#include "ir.h"
#include "outtree.h"
#include "preview.h"
#include "preview_int.h"
#include "source.h"
#include "strbuf.h"

/* The largest template CloudFormation takes (through S3). */
enum { TEMPLATE_MAX_BYTES = 1 << 20 };
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

static struct preview_resource *find_resource(struct preview_stack *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->nresources; i++)
		if (!strcmp(s->resources[i].id, id))
			return &s->resources[i];
	return NULL;
}

static bool param_changed(const struct preview_stack *s, const char *name)
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
static const char *ref_change(struct preview *pv, struct preview_stack *s, const char *name, const char *attribute)
{
	struct preview_resource *r = find_resource(s, name);

	if (!r)
		return param_changed(s, name) ? arena_printf(pv->arena, "parameter %s changes", name) : NULL;
	if (r->kind == PREVIEW_REPLACED)
		return arena_printf(pv->arena, "%s is replaced", name);
	if (r->kind == PREVIEW_IN_PLACE && is_versioned(r->type, attribute))
		return arena_printf(pv->arena, "%s gets a new version", name);
	return NULL;
}

struct follow {
	struct preview *pv;
	struct preview_stack *s;
	struct preview_resource *r;
	bool moved;   /* r's kind changed */
};

static void follow_ref(void *data, const char *path, const char *name, const char *attribute)
{
	struct follow *f = data;
	struct preview_resource *r = f->r;
	const char *why = ref_change(f->pv, f->s, name, attribute);
	const char *prop = path;

	if (!why || r->kind == PREVIEW_REPLACED)
		return;
	if (!strncmp(prop, "Properties/", 11) && cfn_create_only_covers(r->type, prop + 11)) {
		r->kind = PREVIEW_REPLACED;
		r->why = arena_printf(f->pv->arena, "%s changes (create-only): %s", prop + 11, why);
		f->moved = true;
	} else if (r->kind == PREVIEW_UNCHANGED) {
		r->kind = PREVIEW_IN_PLACE;
		r->why = arena_printf(f->pv->arena, "%s changes: %s", !strncmp(prop, "Properties/", 11) ? prop + 11 : prop, why);
		f->moved = true;
	}
}

/* A kept resource's own changes: replaced when one is create-only. */
static void classify_kept(struct preview *pv, struct preview_resource *r)
{
	struct paths paths = { 0 };
	size_t i;

	if (strcmp(type_of(r->base), type_of(r->now))) {
		r->kind = PREVIEW_REPLACED;
		r->why = arena_printf(pv->arena, "its type changes from %s", type_of(r->base));
		return;
	}
	diff(pv->arena, r->base, r->now, "", &paths);
	if (!paths.n)
		return;
	for (i = 0; i < paths.n; i++) {
		const char *p = paths.items[i];
		if (!strncmp(p, "Properties/", 11) && cfn_create_only_covers(r->type, p + 11)) {
			r->kind = PREVIEW_REPLACED;
			r->why = arena_printf(pv->arena, "%s changes (create-only)", p + 11);
			return;
		}
	}
	r->kind = PREVIEW_IN_PLACE;
	r->why = !strncmp(paths.items[0], "Properties/", 11) ? paths.items[0] + 11 : paths.items[0];
	if (paths.n > 1)
		r->why = arena_printf(pv->arena, "%s and %zu more", r->why, paths.n - 1);
}

static void changed_parameters(struct preview *pv, struct preview_stack *s)
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

static void collect_resources(struct preview *pv, struct preview_stack *s)
{
	struct json_object *before = section(s->base, "Resources"), *after = section(s->now, "Resources");
	size_t n = (before ? (size_t)json_object_object_length(before) : 0) +
		   (after ? (size_t)json_object_object_length(after) : 0);
	struct preview_resource *r;

	s->resources = arena_array(pv->arena, n ? n : 1, sizeof *s->resources);
	if (after) {
		json_object_object_foreach(after, id, res) {
			r = &s->resources[s->nresources++];
			memset(r, 0, sizeof *r);
			r->id = id;
			r->now = res;
			r->base = get(before, id);
			r->type = type_of(res);
			r->kind = r->base ? PREVIEW_UNCHANGED : PREVIEW_ADDED;
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
			r->kind = PREVIEW_REMOVED;
		}
	}
}

struct output_check {
	struct preview *pv;
	struct preview_stack *s;
	const char *why;
};

/* The replaced resource an export names is what the import blocks. */
static void output_ref(void *data, const char *path, const char *name, const char *attribute)
{
	struct output_check *c = data;
	const char *why = ref_change(c->pv, c->s, name, attribute);
	struct preview_resource *r = find_resource(c->s, name);

	(void)path;
	if (why && !c->why)
		c->why = why;
	if (why && r)
		r->feeds_export = true;
}

/* Exports whose value changes or that go: a stack importing one blocks that. */
static void collect_exports(struct preview *pv, struct preview_stack *s)
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
		struct preview_export *e;

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
		e->kind = now ? PREVIEW_IN_PLACE : PREVIEW_REMOVED;
		e->why = c.why;
	}
}

static void compare_stack(struct preview *pv, struct preview_stack *s)
{
	struct follow f = { pv, s, NULL, true };
	size_t i;

	changed_parameters(pv, s);
	collect_resources(pv, s);
	for (i = 0; i < s->nresources; i++)
		if (s->resources[i].kind == PREVIEW_UNCHANGED)
			classify_kept(pv, &s->resources[i]);
	/* Replacements and new versions travel along references until nothing moves. */
	while (f.moved) {
		f.moved = false;
		for (i = 0; i < s->nresources; i++) {
			f.r = &s->resources[i];
			if (f.r->kind == PREVIEW_UNCHANGED || f.r->kind == PREVIEW_IN_PLACE)
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

enum preview_class preview_class_of(const struct preview_stack *s, const struct preview_resource *r)
{
	if (s->row->per_version)
		return PREVIEW_NEXT_VERSION;
	if (r->feeds_export)
		return PREVIEW_BLOCKED;
	if ((r->kind == PREVIEW_REPLACED || r->kind == PREVIEW_REMOVED) && takes_nodes(r->type))
		return PREVIEW_INTERRUPTS;
	return PREVIEW_SAFE;
}

static int kind_order(const void *a, const void *b)
{
	const struct preview_resource *x = a, *y = b;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	return strcmp(x->id, y->id);
}

static void tally(struct preview *pv)
{
	size_t i, j;

	for (i = 0; i < pv->nstacks; i++) {
		struct preview_stack *s = &pv->stacks[i];
		qsort(s->resources, s->nresources, sizeof *s->resources, kind_order);
		for (j = 0; j < s->nresources; j++) {
			enum preview_class c = preview_class_of(s, &s->resources[j]);
			if (s->resources[j].kind == PREVIEW_UNCHANGED)
				continue;
			pv->counts[s->resources[j].kind]++;
			pv->interrupts += c == PREVIEW_INTERRUPTS;
			pv->blocked += c == PREVIEW_BLOCKED;
			pv->next_version += c == PREVIEW_NEXT_VERSION;
		}
		pv->blocked += s->nexports;
	}
}

/* missing_ok: a base that does not exist is empty (--check's out/ before the first run). */
int preview_run(struct preview *pv, const struct out_tree *tree, const char *base, bool missing_ok,
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
		struct preview_stack *s = &pv->stacks[pv->nstacks];

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

void preview_release(struct preview *pv)
{
	size_t i;

	for (i = 0; i < pv->nstacks; i++) {
		json_object_put(pv->stacks[i].base);
		json_object_put(pv->stacks[i].now);
	}
}
int preview_tree(struct arena *arena, const struct ir *ir, const struct out_tree *tree,
		 const char *base, enum preview_format format, struct strbuf *report,
		 struct strbuf *err)
{
	struct preview pv = { .arena = arena, .ir = ir };
	int r = preview_run(&pv, tree, base, false, err);

	if (r == 0) {
		if (format == PREVIEW_MARKDOWN)
			preview_report_markdown(&pv, report);
		else
			preview_report_text(&pv, report);
		r = pv.blocked ? 1 : 0;
	}
	preview_release(&pv);
	return r;
}

int preview_summary(struct arena *arena, const struct ir *ir, const struct out_tree *tree,
		    const char *base, struct strbuf *line, struct strbuf *err)
{
	struct preview pv = { .arena = arena, .ir = ir };
	int r = preview_run(&pv, tree, base, true, err);

	if (r == 0) {
		preview_summary_line(&pv, line);
		r = pv.blocked ? 1 : 0;
	}
	preview_release(&pv);
	return r;
}
