/* cfn_stacks.c - which stack each generated template is, and a spot fleet's spend ceiling (see cfn_stacks.h). */
#include "config.h"

#include <limits.h>
#include <string.h>

#include <json-c/json.h>

#include "arena.h"
#include "cfn.h"
#include "cfn_stacks.h"
#include "ir.h"
#include "strbuf.h"
#include "xalloc.h"

const struct cfn_stack cfn_stacks[] = {
	{ "cloudformation/assets.json", "assets", NAMEID_STACK_ASSETS, false },
	{ "cloudformation/cluster.json", "cluster", NAMEID_STACK_CLUSTER, false },
	{ "cloudformation/health.json", "health", NAMEID_STACK_HEALTH, false },
	{ "cloudformation/compute.json", "compute", NAMEID_STACK_COMPUTE_PREFIX, true },
	{ "cloudformation/pipeline.json", "pipeline", NAMEID_STACK_PIPELINE, false },
};

const size_t cfn_stacks_count = sizeof cfn_stacks / sizeof cfn_stacks[0];

const struct cfn_stack *cfn_stack_of_path(const char *path)
{
	size_t i;

	for (i = 0; i < cfn_stacks_count; i++)
		if (!strcmp(cfn_stacks[i].path, path))
			return &cfn_stacks[i];
	return NULL;
}

const char *cfn_stack_name(struct arena *arena, const struct ir *ir, const struct cfn_stack *s)
{
	const char *name = ir->names[s->name].value;

	return s->per_version ? arena_printf(arena, "%s<VERSION>", name) : name;
}

struct json_object *cfn_parse(const char *data, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	size_t end;

	if (!tok)
		xalloc_die(sizeof *data);
	obj = len <= INT_MAX ? json_tokener_parse_ex(tok, data, (int)len) : NULL;
	end = json_tokener_get_parse_end(tok);
	while (end < len && strchr(" \t\r\n", data[end]))
		end++;
	if (obj && (json_tokener_get_error(tok) != json_tokener_success || end != len ||
		    !json_object_is_type(obj, json_type_object))) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

/* An export name's text with "${AWS::StackName}" filled; NULL when another ${...} is left. */
static const char *fill_stack_name(struct arena *arena, const char *text, const char *stack)
{
	static const char self[] = "${AWS::StackName}";
	struct strbuf sb = STRBUF_INIT;
	const char *at, *result;

	while ((at = strstr(text, self))) {
		strbuf_add(&sb, text, (size_t)(at - text));
		strbuf_addstr(&sb, stack);
		text = at + strlen(self);
	}
	strbuf_addstr(&sb, text);
	result = strstr(sb.buf, "${") ? NULL : arena_strdup(arena, sb.buf);
	strbuf_release(&sb);
	return result;
}

const char *cfn_export_name(struct arena *arena, struct json_object *output, const char *stack)
{
	struct json_object *export, *name, *sub;

	if (!json_object_object_get_ex(output, "Export", &export) ||
	    !json_object_object_get_ex(export, "Name", &name))
		return NULL;
	if (json_object_is_type(name, json_type_string))
		return arena_strdup(arena, json_object_get_string(name));
	if (!json_object_object_get_ex(name, "Fn::Sub", &sub) || !json_object_is_type(sub, json_type_string))
		return NULL;
	return fill_stack_name(arena, json_object_get_string(sub), stack);
}

const char *cfn_value_export_name(struct arena *arena, const struct cfn_value *output, const char *stack)
{
	const struct cfn_value *name = cfn_get(cfn_get(output, "Export"), "Name");
	const char *sub;

	if (cfn_string(name))
		return arena_strdup(arena, cfn_string(name));
	sub = cfn_string(cfn_get(name, "Fn::Sub"));
	return sub ? fill_stack_name(arena, sub, stack) : NULL;
}

struct cfn_spend cfn_spend_of(long long max_weight, long long largest_weight, long long unit_micros)
{
	struct cfn_spend s;

	s.units = largest_weight > 0 ? max_weight + largest_weight - 1 : 0;
	s.unit_micros = unit_micros;
	s.micros = s.units * unit_micros;
	return s;
}

struct cfn_spend cfn_spend_of_fleet(const struct ir_spot_fleet *fleet)
{
	long long largest = 0, unit = 0;
	size_t i;

	for (i = 0; i < fleet->bids.n; i++) {
		const struct ir_bid *bid = &fleet->bids.items[i];
		long long per_unit = bid->price.micros / bid->weight.value;
		if (bid->weight.value > largest)
			largest = bid->weight.value;
		if (per_unit > unit)
			unit = per_unit;
	}
	return cfn_spend_of(fleet->max_weight.value, largest, unit);
}

const char *cfn_spend_text(struct arena *arena, long long micros)
{
	return arena_printf(arena, "$%s/h", cfn_price(arena, micros));
}
