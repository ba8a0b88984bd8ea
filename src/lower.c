/* lower.c - derived IR fields, computed once from a checked draft (see lower.h). */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "dupes.h"
#include "ir.h"
#include "lower.h"
#include "variant.h"
#include "xalloc.h"

const char *lower_logical_id(struct arena *arena, const char *name)
{
	size_t n = strlen(name), i, o = 0;
	char *id = arena_alloc(arena, n + 1);
	int start = 1;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!isalnum(c)) {
			start = 1;
			continue;
		}
		id[o++] = (char)(start ? toupper(c) : c);
		start = 0;
	}
	id[o] = '\0';
	return id;
}

static void set_derived(struct ir_string *field, const char *value)
{
	field->value = value;
	field->present = true;
}

/* check_rules.c refused the families no variant runs, and fleets that mix variants. */
static enum variant variant_of(const char *instance_type)
{
	const char *why, *hint;
	return (enum variant)variant_of_type(instance_type, &why, &hint);
}

/* The variants present, each one's pinned image, and the list --dump-ir and templates see. */
static void derive_variants(struct arena *arena, struct ir *ir)
{
	struct ir_cluster *cl = &ir->cluster;
	const struct ir_string *pins[VARIANT_COUNT] = { &cl->amis.x86_64, &cl->amis.arm64, &cl->amis.gpu };
	size_t n = 0;
	int v;

	ir->variants.items = arena_array(arena, VARIANT_COUNT, sizeof *ir->variants.items);
	for (v = 0; v < VARIANT_COUNT; v++) {
		if (!ir->has_variant[v])
			continue;
		set_derived(&ir->variants.items[n++], variant_table[v].name);
		/* cluster.ami serves the one variant (check_rules.c); amis names each. */
		if (cl->ami.present)
			ir->pinned[v] = cl->ami.value;
		else if (pins[v]->present)
			ir->pinned[v] = pins[v]->value;
		if (ir->pinned[v])
			ir->pinned_any = true;
	}
	ir->variants.n = n;
	ir->variants.present = true;
	/* Checked: auto, weekly or off (the default), and off whenever an image is pinned. */
	if (cl->ami_updates.value && !strcmp(cl->ami_updates.value, "auto"))
		ir->ami_updates = IR_AMI_UPDATES_AUTO;
	else if (cl->ami_updates.value && !strcmp(cl->ami_updates.value, "weekly"))
		ir->ami_updates = IR_AMI_UPDATES_WEEKLY;
	else
		ir->ami_updates = IR_AMI_UPDATES_OFF;
}

struct merge_ctx {
	struct ir_bid *bids;
	bool *dropped;
};

static void merge_into_first(void *ctx, size_t later, size_t first)
{
	struct merge_ctx *c = ctx;
	if (c->bids[later].price.micros > c->bids[first].price.micros)
		c->bids[first].price = c->bids[later].price;
	c->dropped[later] = true;
}

/* The same instance type bid twice: keep the first bid, at the higher price. */
static void merge_bids(struct arena *arena, struct ir_spot_fleet *fleet)
{
	size_t n = fleet->bids.n, i, kept = 0;
	struct dupe_key *keys = arena_array(arena, n ? n : 1, sizeof *keys);
	bool *dropped = arena_array(arena, n ? n : 1, sizeof *dropped);
	struct merge_ctx ctx = { fleet->bids.items, dropped };

	for (i = 0; i < n; i++) {
		keys[i].key = fleet->bids.items[i].instance_type.value;
		keys[i].index = i;
	}
	dupes_find(keys, n, merge_into_first, &ctx);
	for (i = 0; i < n; i++)
		if (!dropped[i])
			fleet->bids.items[kept++] = fleet->bids.items[i];
	fleet->bids.n = kept;
}

void lower_ir(struct arena *arena, struct ir *ir)
{
	struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	size_t i;

	ir->names = names_derive(arena, ir->cluster.name.value);
	for (i = 0; i < ec2->spot_fleets.n; i++) {
		struct ir_spot_fleet *f = &ec2->spot_fleets.items[i];
		set_derived(&f->logical_id, lower_logical_id(arena, f->name.value));
		merge_bids(arena, f);
		f->variant_id = f->bids.n ? variant_of(f->bids.items[0].instance_type.value) : VARIANT_X86_64;
		set_derived(&f->variant, variant_table[f->variant_id].name);
		ir->has_variant[f->variant_id] = true;
	}
	for (i = 0; i < ec2->auto_scaling_groups.n; i++) {
		struct ir_asg *g = &ec2->auto_scaling_groups.items[i];
		set_derived(&g->logical_id, lower_logical_id(arena, g->name.value));
		if (!g->min_size.present)
			g->min_size.value = g->desired_instances.value;
		if (!g->max_size.present)
			g->max_size.value = g->desired_instances.value;
		g->variant_id = variant_of(g->instance_type.value);
		set_derived(&g->variant, variant_table[g->variant_id].name);
		ir->has_variant[g->variant_id] = true;
	}
	for (i = 0; i < ec2->efs_mounts.n; i++)
		set_derived(&ec2->efs_mounts.items[i].logical_id,
			    lower_logical_id(arena, ec2->efs_mounts.items[i].name.value));
	for (i = 0; i < ec2->ebs_mounts.n; i++)
		set_derived(&ec2->ebs_mounts.items[i].logical_id,
			    lower_logical_id(arena, ec2->ebs_mounts.items[i].name.value));
	derive_variants(arena, ir);
}
