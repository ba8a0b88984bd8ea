/* cfn_template.c - a template's sections, CloudFormation's limits and the printed bytes (see cfn.h). */
#include "config.h"

#include <assert.h>

#include <json-c/json.h>

#include "cfn.h"
#include "diag.h"
#include "emitter.h"
#include "outtree.h"
#include "strbuf.h"

void cfn_template_init(struct cfn_template *t, const char *path, const char *description)
{
	t->path = path;
	t->description = description;
	t->parameters = cfn_obj();
	t->conditions = cfn_obj();
	t->resources = cfn_obj();
	t->outputs = cfn_obj();
}

void cfn_template_release(struct cfn_template *t)
{
	json_object_put(t->parameters);
	json_object_put(t->conditions);
	json_object_put(t->resources);
	json_object_put(t->outputs);
	t->parameters = t->conditions = t->resources = t->outputs = NULL;
}

/* Each section is its own namespace; a name twice in one is a bug of the emitter. */
static void add_unique(struct json_object *section, const char *name, struct json_object *value)
{
	assert(!json_object_object_get_ex(section, name, NULL) && "a logical id used twice");
	cfn_set(section, name, value);
}

struct json_object *cfn_param(struct cfn_template *t, const char *name, const char *type,
			      const char *description)
{
	struct json_object *param = cfn_obj();
	cfn_set_str(param, "Type", type);
	cfn_set_str(param, "Description", description);
	add_unique(t->parameters, name, param);
	return param;
}

void cfn_condition(struct cfn_template *t, const char *name, struct json_object *expr)
{
	add_unique(t->conditions, name, expr);
}

struct json_object *cfn_resource(struct cfn_template *t, const char *logical_id, const char *type)
{
	struct json_object *resource = cfn_obj();
	cfn_set_str(resource, "Type", type);
	add_unique(t->resources, logical_id, resource);
	return resource;
}

struct json_object *cfn_props(struct json_object *resource)
{
	return cfn_set(resource, "Properties", cfn_obj());
}

struct json_object *cfn_output(struct cfn_template *t, const char *name, const char *description,
			       struct json_object *value, const char *export_name)
{
	struct json_object *output = cfn_obj();
	cfn_set_str(output, "Description", description);
	cfn_set(output, "Value", value);
	if (export_name) {
		struct json_object *export = cfn_set(output, "Export", cfn_obj());
		cfn_set(export, "Name", cfn_sub(export_name));
	}
	add_unique(t->outputs, name, output);
	return output;
}

/*
 * The printed form, chosen for review and for the inline-body limit (the
 * cluster template carries the functions' source): an array or object goes
 * on one line when that line fits in PRINT_WIDTH columns ({"Ref": "VpcId"},
 * a short tag list), otherwise one member per line, indented by one tab per
 * level (a tab counts as TAB_COLUMNS for the width); an object of one
 * scalar member, such as {"Fn::Sub": "arn:..."}, stays on one line however
 * long.  Keys in insertion order; strings escaped by json-c with '/' left
 * alone; integers in decimal (there are no doubles); one final newline.
 * json-c's own pretty printer puts every Ref on three lines and indents
 * with spaces, which made the full example's cluster template a fifth
 * larger.
 */
#define PRINT_WIDTH 100
#define TAB_COLUMNS 2

static void print_scalar(struct strbuf *out, struct json_object *v)
{
	size_t len;
	const char *text = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	assert(!json_object_is_type(v, json_type_double) && "no doubles in a template");
	strbuf_add(out, text, len);
}

static bool is_container(struct json_object *v)
{
	return json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array);
}

/* {} and [], or an object of one member that is not a container. */
static bool one_scalar(struct json_object *v)
{
	if (json_object_is_type(v, json_type_array))
		return !json_object_array_length(v);
	if (!json_object_object_length(v))
		return true;
	if (json_object_object_length(v) > 1)
		return false;
	json_object_object_foreach(v, key, member) {
		(void)key;
		return !is_container(member);
	}
	return false;
}

/* The one-line form: {"a": 1, "b": [2, 3]}. */
static void print_inline(struct strbuf *out, struct json_object *v)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		strbuf_addch(out, '[');
		for (i = 0; i < n; i++) {
			if (i)
				strbuf_addstr(out, ", ");
			print_inline(out, json_object_array_get_idx(v, i));
		}
		strbuf_addch(out, ']');
	} else if (json_object_is_type(v, json_type_object)) {
		bool first = true;
		strbuf_addch(out, '{');
		json_object_object_foreach(v, key, member) {
			struct json_object *k = cfn_str(key);
			if (!first)
				strbuf_addstr(out, ", ");
			first = false;
			print_scalar(out, k);
			json_object_put(k);
			strbuf_addstr(out, ": ");
			print_inline(out, member);
		}
		strbuf_addch(out, '}');
	} else {
		print_scalar(out, v);
	}
}

/* v starts at column `column` of a line indented by `depth` tabs. */
static void print_value(struct strbuf *out, struct json_object *v, size_t depth, size_t column)
{
	struct strbuf line = STRBUF_INIT;
	bool array = json_object_is_type(v, json_type_array);
	size_t i = 0;

	if (!is_container(v)) {
		print_scalar(out, v);
		return;
	}
	print_inline(&line, v);
	if (column + line.len <= PRINT_WIDTH || one_scalar(v)) {
		strbuf_add(out, line.buf, line.len);
		strbuf_release(&line);
		return;
	}
	strbuf_release(&line);
	strbuf_addch(out, array ? '[' : '{');
	if (array) {
		for (i = 0; i < json_object_array_length(v); i++) {
			strbuf_addstr(out, i ? ",\n" : "\n");
			strbuf_addchars(out, '\t', depth + 1);
			print_value(out, json_object_array_get_idx(v, i), depth + 1, (depth + 1) * TAB_COLUMNS);
		}
	} else {
		json_object_object_foreach(v, key, member) {
			struct json_object *k = cfn_str(key);
			size_t start;
			strbuf_addstr(out, i++ ? ",\n" : "\n");
			strbuf_addchars(out, '\t', depth + 1);
			start = out->len;
			print_scalar(out, k);
			json_object_put(k);
			strbuf_addstr(out, ": ");
			print_value(out, member, depth + 1, (depth + 1) * TAB_COLUMNS + (out->len - start));
		}
	}
	strbuf_addch(out, '\n');
	strbuf_addchars(out, '\t', depth);
	strbuf_addch(out, array ? ']' : '}');
}

static void print_template(const struct cfn_template *t, struct strbuf *out)
{
	struct json_object *root = cfn_obj();

	cfn_set_str(root, "AWSTemplateFormatVersion", "2010-09-09");
	cfn_set_str(root, "Description", t->description);
	if (json_object_object_length(t->parameters))
		cfn_set(root, "Parameters", json_object_get(t->parameters));
	if (json_object_object_length(t->conditions))
		cfn_set(root, "Conditions", json_object_get(t->conditions));
	cfn_set(root, "Resources", json_object_get(t->resources));
	if (json_object_object_length(t->outputs))
		cfn_set(root, "Outputs", json_object_get(t->outputs));
	print_value(out, root, 0, 0);
	strbuf_addch(out, '\n');
	json_object_put(root);
}

static int over_limit(struct emit_context *ctx, const struct cfn_template *t, struct loc loc,
		      const char *what, size_t count, size_t limit, const char *hint)
{
	if (count <= limit)
		return 0;
	diag_error(ctx->diags, DIAG_CFN_LIMIT, loc, "CloudFormation template '%s' has %zu %s, more than the limit of %zu",
		   t->path, count, what, limit);
	diag_hint(ctx->diags, "%s", hint);
	return -1;
}

int cfn_template_emit(struct emit_context *ctx, struct cfn_template *t, struct loc loc)
{
	struct strbuf sb = STRBUF_INIT;
	int err = 0;

	err |= over_limit(ctx, t, loc, "resources", (size_t)json_object_object_length(t->resources),
			  CFN_MAX_RESOURCES, "split the fleets and groups over fewer bids or fewer lists");
	err |= over_limit(ctx, t, loc, "parameters", (size_t)json_object_object_length(t->parameters),
			  CFN_MAX_PARAMETERS, "fewer parameters: CloudFormation counts every one");
	err |= over_limit(ctx, t, loc, "outputs", (size_t)json_object_object_length(t->outputs),
			  CFN_MAX_OUTPUTS, "fewer spot fleets and auto scaling groups: each one is an output");
	if (!err) {
		print_template(t, &sb);
		err |= over_limit(ctx, t, loc, "bytes", sb.len, CFN_MAX_BODY,
				  "the Makefile passes templates inline (--template-body); make it smaller");
	}
	if (!err)
		out_tree_add(ctx->out, t->path, &sb, 0644);
	strbuf_release(&sb);
	cfn_template_release(t);
	return err ? -1 : 0;
}
