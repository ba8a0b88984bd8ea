/* lower.c - derived IR fields, computed once from a checked draft (see lower.h). */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "arena.h"
#include "ir.h"
#include "lower.h"

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

const char *lower_arch_of(const char *instance_type)
{
	const char *p = instance_type;

	if (!strncmp(p, "a1.", 3))
		return "arm64";
	/* Series letters, generation digits, then attribute letters: a 'g' there is Graviton. */
	while (*p && isalpha((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p))
		return "x86_64";
	while (isdigit((unsigned char)*p))
		p++;
	for (; *p && *p != '.' && *p != '-'; p++)
		if (*p == 'g')
			return "arm64";
	return "x86_64";
}

static void set_derived(struct ir_string *field, const char *value)
{
	field->value = value;
	field->present = true;
}

/* The same instance type bid twice: keep one bid, at the higher price. */
static void merge_bids(struct ir_spot_fleet *fleet)
{
	size_t i, j, kept = 0;

	for (i = 0; i < fleet->bids.n; i++) {
		struct ir_bid *bid = &fleet->bids.items[i];
		for (j = 0; j < kept; j++) {
			struct ir_bid *seen = &fleet->bids.items[j];
			if (!strcmp(seen->instance_type.value, bid->instance_type.value)) {
				if (bid->price.micros > seen->price.micros)
					seen->price = bid->price;
				break;
			}
		}
		if (j == kept)
			fleet->bids.items[kept++] = *bid;
	}
	fleet->bids.n = kept;
}

void lower_ir(struct arena *arena, struct ir *ir)
{
	struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	const char *arch = "x86_64";
	size_t i;

	for (i = 0; i < ec2->spot_fleets.n; i++) {
		struct ir_spot_fleet *f = &ec2->spot_fleets.items[i];
		set_derived(&f->logical_id, lower_logical_id(arena, f->name.value));
		merge_bids(f);
		if (f->bids.n)
			arch = lower_arch_of(f->bids.items[0].instance_type.value);
	}
	for (i = 0; i < ec2->auto_scaling_groups.n; i++) {
		struct ir_asg *g = &ec2->auto_scaling_groups.items[i];
		set_derived(&g->logical_id, lower_logical_id(arena, g->name.value));
		if (!g->min_size.present)
			g->min_size.value = g->desired_instances.value;
		if (!g->max_size.present)
			g->max_size.value = g->desired_instances.value;
		arch = lower_arch_of(g->instance_type.value);
	}
	for (i = 0; i < ec2->efs_mounts.n; i++)
		set_derived(&ec2->efs_mounts.items[i].logical_id,
			    lower_logical_id(arena, ec2->efs_mounts.items[i].name.value));
	for (i = 0; i < ec2->ebs_mounts.n; i++)
		set_derived(&ec2->ebs_mounts.items[i].logical_id,
			    lower_logical_id(arena, ec2->ebs_mounts.items[i].name.value));
	/* check_rules.c made sure every instance type has the same architecture. */
	set_derived(&ir->arch, arch);
}
