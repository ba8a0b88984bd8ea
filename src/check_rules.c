/*
 * check_rules.c - rules across fields of a checked draft IR: bounds that
 * relate two keys, unique names, one architecture per cluster, and warnings
 * for input that is accepted but suspicious.
 */
#include "config.h"

#include <string.h>

#include "check.h"
#include "diag.h"
#include "ir.h"
#include "lower.h"
#include "xalloc.h"

/* min <= desired <= max, reported at the field that breaks it. */
static void check_order(struct diag_list *diags, const char *what,
			const struct ir_int *min, const char *min_name, long long min_value,
			const struct ir_int *desired, const char *desired_name,
			const struct ir_int *max, const char *max_name, long long max_value)
{
	if (min_value > max_value) {
		diag_error(diags, min->present ? min->loc : max->loc,
			   "%s: '%s' (%lld) is greater than '%s' (%lld)", what, min_name, min_value,
			   max_name, max_value);
		return;
	}
	if (desired->value < min_value)
		diag_error(diags, desired->present ? desired->loc : min->loc,
			   "%s: '%s' (%lld) is less than '%s' (%lld)", what, desired_name,
			   desired->value, min_name, min_value);
	else if (desired->value > max_value)
		diag_error(diags, desired->present ? desired->loc : max->loc,
			   "%s: '%s' (%lld) is greater than '%s' (%lld)", what, desired_name,
			   desired->value, max_name, max_value);
}

/* Names unique in their list, also after logical-id sanitising. */
static void check_names(struct diag_list *diags, const char *list, const struct ir_string *names,
			size_t count, size_t stride)
{
	size_t i, j;
	for (i = 1; i < count; i++) {
		const struct ir_string *a = (const struct ir_string *)((const char *)names + i * stride);
		if (!a->present)
			continue;
		for (j = 0; j < i; j++) {
			const struct ir_string *b = (const struct ir_string *)((const char *)names + j * stride);
			struct position first;
			if (!b->present)
				continue;
			first = source_locate((struct source *)b->loc.src, b->loc.offset);
			if (!strcmp(a->value, b->value)) {
				diag_error(diags, a->loc, "duplicate name '%s' in '%s'", a->value, list);
				diag_hint(diags, "'%s' is already used at line %u", b->value, first.line);
				break;
			}
			if (!strcmp(lower_logical_id(diags->arena, a->value), lower_logical_id(diags->arena, b->value))) {
				diag_error(diags, a->loc, "name '%s' collides with '%s' in '%s'", a->value, b->value, list);
				diag_hint(diags, "both become the logical id '%s' ('%s' is at line %u); rename one",
					  lower_logical_id(diags->arena, a->value), b->value, first.line);
				break;
			}
		}
	}
}

#define CHECK_NAMES(diags, listname, list) \
	check_names(diags, listname, (list).n ? &(list).items[0].name : NULL, (list).n, sizeof (list).items[0])

struct arch_seen {
	const char *arch;
	const struct ir_string *type;
};

static void check_arch(struct diag_list *diags, struct arch_seen *seen, const struct ir_string *type)
{
	const char *arch;
	if (!type->present)
		return;
	arch = lower_arch_of(type->value);
	if (!seen->arch) {
		seen->arch = arch;
		seen->type = type;
		return;
	}
	if (strcmp(arch, seen->arch)) {
		struct position first = source_locate((struct source *)seen->type->loc.src, seen->type->loc.offset);
		diag_error(diags, type->loc, "instance type '%s' (%s) cannot share a cluster with '%s' (%s)",
			   type->value, arch, seen->type->value, seen->arch);
		diag_hint(diags, "one AMI serves one architecture; '%s' is at line %u", seen->type->value, first.line);
	}
}

static void check_fleet(struct diag_list *diags, const struct ir_spot_fleet *f, struct arch_seen *arch)
{
	size_t i, j;

	if (f->min_weight.present && f->max_weight.present)
		check_order(diags, "spot fleet", &f->min_weight, "min_weight", f->min_weight.value,
			    &f->desired_weight, "desired_weight", &f->max_weight, "max_weight",
			    f->max_weight.value);
	if (f->task_threshold_out.value >= f->task_threshold_in.value)
		diag_error(diags, f->task_threshold_out.present ? f->task_threshold_out.loc :
			   f->task_threshold_in.present ? f->task_threshold_in.loc : f->loc,
			   "'task_threshold_out' (%lld) must be less than 'task_threshold_in' (%lld)",
			   f->task_threshold_out.value, f->task_threshold_in.value);
	if (f->bids.present && !f->bids.n) {
		diag_error(diags, f->bids.loc, "spot fleet '%s' has no bids", f->name.present ? f->name.value : "");
		diag_hint(diags, "add at least one bid with instance_type and price");
	}
	for (i = 0; i < f->bids.n; i++) {
		const struct ir_bid *b = &f->bids.items[i];
		check_arch(diags, arch, &b->instance_type);
		for (j = 0; j < i && b->instance_type.present; j++) {
			const struct ir_bid *a = &f->bids.items[j];
			if (a->instance_type.present && !strcmp(a->instance_type.value, b->instance_type.value)) {
				struct position first = source_locate((struct source *)a->loc.src, a->instance_type.loc.offset);
				diag_warning(diags, b->instance_type.loc,
					     "'%s' is bid twice in this fleet; the bids are merged at the higher price",
					     b->instance_type.value);
				diag_hint(diags, "the first bid is at line %u", first.line);
				break;
			}
		}
	}
}

static void check_asg(struct diag_list *diags, const struct ir_asg *g, struct arch_seen *arch)
{
	long long min = g->min_size.present ? g->min_size.value : g->desired_instances.value;
	long long max = g->max_size.present ? g->max_size.value : g->desired_instances.value;
	check_order(diags, "auto scaling group", &g->min_size, "min_size", min,
		    &g->desired_instances, "desired_instances", &g->max_size, "max_size", max);
	check_arch(diags, arch, &g->instance_type);
}

static void check_mounts(struct diag_list *diags, const struct ir *ir)
{
	const struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	size_t i, j;

	for (i = 0; i < ec2->ebs_mounts.n; i++) {
		const struct ir_ebs_mount *m = &ec2->ebs_mounts.items[i];
		bool root = m->device_name.present && !strcmp(m->device_name.value, "/dev/xvda");
		if (root && m->mount_path.present) {
			diag_error(diags, m->mount_path.loc, "the root volume /dev/xvda cannot have a 'mount_path'");
			diag_hint(diags, "mount_path formats and mounts an extra volume; give it another device, e.g. /dev/xvdb");
		}
		if (root && m->size.present && m->size.value < 30 && !ir->cluster.ami.present) {
			diag_warning(diags, m->size.loc, "root volume of %lld GiB is smaller than the ECS-optimized AMI's 30 GiB snapshot",
				     m->size.value);
			diag_hint(diags, "instances would fail to launch; use 'size: 30' or more");
		}
		for (j = 0; j < i; j++) {
			const struct ir_ebs_mount *o = &ec2->ebs_mounts.items[j];
			if (m->device_name.present && o->device_name.present &&
			    !strcmp(m->device_name.value, o->device_name.value))
				diag_error(diags, m->device_name.loc, "device '%s' is used by two EBS mounts", m->device_name.value);
			if (m->mount_path.present && o->mount_path.present &&
			    !strcmp(m->mount_path.value, o->mount_path.value))
				diag_error(diags, m->mount_path.loc, "mount path '%s' is used twice", m->mount_path.value);
		}
		for (j = 0; j < ec2->efs_mounts.n; j++) {
			const struct ir_efs_mount *e = &ec2->efs_mounts.items[j];
			if (m->mount_path.present && e->local_path.present &&
			    !strcmp(m->mount_path.value, e->local_path.value))
				diag_error(diags, m->mount_path.loc, "mount path '%s' is also an EFS mount's local_path",
					   m->mount_path.value);
		}
	}
	for (i = 0; i < ec2->efs_mounts.n; i++)
		for (j = 0; j < i; j++)
			if (ec2->efs_mounts.items[i].local_path.present && ec2->efs_mounts.items[j].local_path.present &&
			    !strcmp(ec2->efs_mounts.items[i].local_path.value, ec2->efs_mounts.items[j].local_path.value))
				diag_error(diags, ec2->efs_mounts.items[i].local_path.loc,
					   "local_path '%s' is used by two EFS mounts", ec2->efs_mounts.items[i].local_path.value);
}

void check_rules(const struct ir *ir, struct diag_list *diags)
{
	const struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	const struct ir_cluster *cl = &ir->cluster;
	struct arch_seen arch = { NULL, NULL };
	size_t i;

	CHECK_NAMES(diags, "spot_fleets", ec2->spot_fleets);
	CHECK_NAMES(diags, "auto_scaling_groups", ec2->auto_scaling_groups);
	CHECK_NAMES(diags, "efs_mounts", ec2->efs_mounts);
	CHECK_NAMES(diags, "ebs_mounts", ec2->ebs_mounts);
	for (i = 0; i < ec2->spot_fleets.n; i++)
		check_fleet(diags, &ec2->spot_fleets.items[i], &arch);
	for (i = 0; i < ec2->auto_scaling_groups.n; i++)
		check_asg(diags, &ec2->auto_scaling_groups.items[i], &arch);
	check_mounts(diags, ir);
	if (loc_is_set(ec2->loc) && !ec2->spot_fleets.n && !ec2->auto_scaling_groups.n) {
		diag_error(diags, ec2->loc, "no spot fleet and no auto scaling group: the cluster would have no nodes");
		diag_hint(diags, "add 'spot_fleets' or 'auto_scaling_groups' under 'ec2_instances'");
	}
	if (cl->subnets.present && cl->availability_zones.present && cl->subnets.n != cl->availability_zones.n) {
		diag_warning(diags, cl->availability_zones.loc, "%zu availability zones but %zu subnets",
			     cl->availability_zones.n, cl->subnets.n);
		diag_hint(diags, "the nodes use the subnets; availability_zones is only checked against them");
	}
	if (cl->vpc.present != cl->subnets.present) {
		diag_error(diags, cl->vpc.present ? cl->vpc.loc : cl->subnets.loc,
			   "'vpc' and 'subnets' go together: give both or neither");
		diag_hint(diags, "without both, the Makefile uses the default VPC and its subnets at deploy time");
	}
}
