/*
 * check_rules.c - rules across fields of a checked draft IR: bounds that
 * relate two keys, unique names, one image variant per fleet, and warnings
 * for input that is accepted but suspicious.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bug.h"
#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "dupes.h"
#include "ir.h"
#include "lower.h"
#include "schema.h"
#include "variant.h"
#include "xalloc.h"

/* EC2's floor for a spot maximum price per unit of capacity, in micro-dollars. */
enum { SPOT_PRICE_FLOOR_MICROS = 1000 };

/*
 * A value the rules can use: valid, or left out and so at its default.  A
 * value written but invalid already has its error; comparing its zero would
 * only add a second, wrong one.
 */
static bool usable(const struct ir_int *v)
{
	return v->present || !loc_is_set(v->loc);
}

/* The schema table's default for a key, as written there ("3"): hints never repeat it. */
static const char *default_of(const char *object, const char *key)
{
	const struct schema_key *k = schema_find_key(schema_find_object(&schema_root, object), key);

	if (!k || !k->default_value)
		BUG("no default for '%s.%s'", object, key);
	return k->default_value;
}

#define FLEET "ec2_instances.spot_fleets[]"
#define GROUP "ec2_instances.auto_scaling_groups[]"

/* One end of min <= desired <= max: its key, its value, whether it was written. */
struct bound {
	const char *name;
	const struct ir_int *field;
	long long value;
	const char *default_text; /* how a left-out value is described */
};

static struct loc bound_loc(const struct bound *b, const struct bound *other, struct loc fallback)
{
	if (b->field->present)
		return b->field->loc;
	return other->field->present ? other->field->loc : fallback;
}

static void order_error(struct diag_list *diags, const char *what, const struct bound *big,
			const struct bound *small, struct loc fallback)
{
	diag_error(diags, DIAG_CONFLICT, bound_loc(big, small, fallback), "%s: '%s' (%lld) is greater than '%s' (%lld)",
		   what, big->name, big->value, small->name, small->value);
	if (!big->field->present)
		diag_hint(diags, "'%s' is %s when left out", big->name, big->default_text);
	else if (!small->field->present)
		diag_hint(diags, "'%s' is %s when left out", small->name, small->default_text);
}

/* min <= desired <= max, reported at the field that breaks it, naming a default that takes part. */
static void check_order(struct diag_list *diags, const char *what, struct loc where,
			const struct bound *min, const struct bound *desired, const struct bound *max)
{
	if (!usable(min->field) || !usable(desired->field) || !usable(max->field))
		return;
	if (min->value > max->value && min->field->present && max->field->present)
		order_error(diags, what, min, max, where);
	else if (min->value > desired->value)
		order_error(diags, what, min, desired, where);
	else if (desired->value > max->value)
		order_error(diags, what, desired, max, where);
}

struct names_ctx {
	struct diag_list *diags;
	const char *list;
	const struct ir_string *const *names; /* by index */
};

static void report_name(void *ctx, size_t later, size_t first)
{
	struct names_ctx *c = ctx;
	const struct ir_string *a = c->names[later], *b = c->names[first];
	unsigned at_line = source_line_number(b->loc.src, b->loc.offset);
	const char *id = lower_logical_id(c->diags->arena, a->value);

	if (!strcmp(a->value, b->value)) {
		diag_error(c->diags, DIAG_DUPLICATE_NAME, a->loc, "duplicate name '%s' in '%s'", a->value, c->list);
		diag_hint(c->diags, "'%s' is already used at line %u", b->value, at_line);
	} else {
		diag_error(c->diags, DIAG_DUPLICATE_NAME, a->loc, "name '%s' collides with '%s' in '%s'", a->value, b->value, c->list);
		diag_hint(c->diags, "both become the logical id '%s' ('%s' is at line %u); rename one",
			  id, b->value, at_line);
	}
}

/* Names unique in their list, also after logical-id sanitising (main-a, main_a). */
static void check_names(struct diag_list *diags, const char *list, const struct ir_string *first_name,
			size_t count, size_t stride)
{
	const struct ir_string **names = arena_array(diags->arena, count ? count : 1, sizeof *names);
	struct dupe_key *keys = arena_array(diags->arena, count ? count : 1, sizeof *keys);
	struct names_ctx ctx = { diags, list, names };
	size_t i, n = 0;

	for (i = 0; i < count; i++) {
		const struct ir_string *name = (const struct ir_string *)((const char *)first_name + i * stride);
		names[i] = name;
		if (!name->present)
			continue;
		keys[n].key = lower_logical_id(diags->arena, name->value);
		keys[n].index = i;
		n++;
	}
	dupes_find(keys, n, report_name, &ctx);
}

#define CHECK_NAMES(diags, listname, list) \
	check_names(diags, listname, (list).n ? &(list).items[0].name : NULL, (list).n, sizeof (list).items[0])

/* The variant of an instance type, or -1 after reporting a family no variant runs. */
static int type_variant(struct diag_list *diags, const struct ir_string *type)
{
	const char *why = NULL, *hint = NULL;
	int v;

	if (!type->present)
		return -1;
	v = variant_of_type(type->value, &why, &hint);
	if (v < 0) {
		diag_error(diags, DIAG_INSTANCE_FAMILY, type->loc, "instance type '%s' %s", type->value, why);
		diag_hint(diags, "%s", hint);
	}
	return v;
}

/* A fleet has one launch template, so one image: every bid of one variant. */
static void check_fleet_variant(struct diag_list *diags, const struct ir_spot_fleet *f)
{
	const struct ir_string *first = NULL;
	int first_v = -1;
	size_t i;

	for (i = 0; i < f->bids.n; i++) {
		const struct ir_string *type = &f->bids.items[i].instance_type;
		int v = type_variant(diags, type);

		if (v < 0)
			continue;
		if (!first) {
			first = type;
			first_v = v;
		} else if (v != first_v) {
			diag_error(diags, DIAG_ARCHITECTURE, type->loc,
				   "instance type '%s' (%s) cannot share a fleet with '%s' (%s)", type->value,
				   variant_table[v].describe, first->value, variant_table[first_v].describe);
			diag_hint(diags, "a fleet launches one image; put the %s types in a fleet of their own ('%s' is at line %u)",
				  variant_table[v].describe, first->value,
				  source_line_number(first->loc.src, first->loc.offset));
		}
	}
}

struct bids_ctx {
	struct diag_list *diags;
	const struct ir_spot_fleet *fleet;
};

static void report_bid(void *ctx, size_t later, size_t first)
{
	struct bids_ctx *c = ctx;
	const struct ir_bid *a = &c->fleet->bids.items[first], *b = &c->fleet->bids.items[later];
	unsigned at_line = source_line_number(a->instance_type.loc.src, a->instance_type.loc.offset);

	diag_warning(c->diags, DIAG_DUPLICATE_BID, b->instance_type.loc,
		     "'%s' is bid twice in this fleet; the bids are merged at the higher price",
		     b->instance_type.value);
	diag_hint(c->diags, "the first bid is at line %u", at_line);
}

/* The README's own example bids one type twice: accepted, merged by lower.c. */
static void check_bid_types(struct diag_list *diags, const struct ir_spot_fleet *f)
{
	struct dupe_key *keys = arena_array(diags->arena, f->bids.n ? f->bids.n : 1, sizeof *keys);
	struct bids_ctx ctx = { diags, f };
	size_t i, n = 0;

	for (i = 0; i < f->bids.n; i++) {
		if (!f->bids.items[i].instance_type.present)
			continue;
		keys[n].key = f->bids.items[i].instance_type.value;
		keys[n++].index = i;
	}
	dupes_find(keys, n, report_bid, &ctx);
}

/*
 * A fleet's price is per unit of capacity and infra.yml's per instance-hour:
 * the emitter writes price / weight, rounded down to the micro-dollar.  EC2
 * refuses a maximum price of $0.001 per unit or less, so that value must be
 * above it ("Maximum price overrides",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-fleet-price-overrides.html;
 * the floor itself is what CreateFleet answers).
 */
static void check_bid_price(struct diag_list *diags, const struct ir_bid *bid)
{
	long long weight = bid->weight.present ? bid->weight.value : 1;
	long long unit;

	if (!bid->price.present || !usable(&bid->weight) || weight < 1)
		return;
	unit = bid->price.micros / weight;
	if (unit > SPOT_PRICE_FLOOR_MICROS)
		return;
	diag_error(diags, DIAG_SPOT_PRICE, bid->price.loc,
		   "price %s per instance is $%lld.%06lld per unit of weight %lld, not more than EC2's floor of $0.001",
		   bid->price.text, unit / 1000000, unit % 1000000, weight);
	diag_hint(diags, "bid at least %lld.%06lld for this instance type, or give it a lower weight",
		  (SPOT_PRICE_FLOOR_MICROS + 1) * weight / 1000000,
		  (SPOT_PRICE_FLOOR_MICROS + 1) * weight % 1000000);
}

/*
 * Spot diversity.  A Spot capacity pool is one instance type in one
 * Availability Zone, and AWS's first Spot best practice is to be flexible
 * about both: "A good rule of thumb is to be flexible across at least 10
 * instance types for each workload" and to use all Availability Zones.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-best-practices.html
 * https://docs.aws.amazon.com/whitepapers/latest/cost-optimization-leveraging-ec2-spot-instances/spot-best-practices.html
 * The warning fires where a fleet has no flexibility at all, one instance
 * type, so one pool per zone: one shortage of that type stops the fleet.
 * A fleet of two types already has two pools per zone; ten is AWS's rule of
 * thumb for a workload, not a floor for every fleet (a GPU or a reserved
 * size may have few candidates), so it is the hint, not the threshold.
 */
static void check_fleet_diversity(struct diag_list *diags, const struct ir_spot_fleet *f)
{
	const struct ir_string *first = NULL;
	size_t i;

	for (i = 0; i < f->bids.n; i++) {
		const struct ir_string *t = &f->bids.items[i].instance_type;
		if (!t->present)
			continue;
		if (first && strcmp(first->value, t->value))
			return;
		first = first ? first : t;
	}
	if (!first)
		return;
	diag_warning(diags, DIAG_FLEET_DIVERSITY, first->loc,
		     "spot fleet '%s' bids on one instance type, '%s': one Spot capacity pool per zone, so one shortage stops it",
		     f->name.present ? f->name.value : "", first->value);
	diag_hint(diags, "bid on several types the tasks fit, of other families and generations (AWS's rule of "
		  "thumb is at least 10 per workload); weights let types of other sizes count as capacity");
}

static void check_fleet(struct diag_list *diags, const struct ir_spot_fleet *f)
{
	size_t i;

	const char *what = arena_printf(diags->arena, "spot fleet '%s'", f->name.present ? f->name.value : "");
	const struct ir_int *out = &f->task_threshold_out, *in = &f->task_threshold_in;

	if (f->min_weight.present && f->max_weight.present) {
		struct bound min = { "min_weight", &f->min_weight, f->min_weight.value, NULL };
		struct bound desired = { "desired_weight", &f->desired_weight, f->desired_weight.value,
					  default_of(FLEET, "desired_weight") };
		struct bound max = { "max_weight", &f->max_weight, f->max_weight.value, NULL };
		check_order(diags, what, f->loc, &min, &desired, &max);
	}
	if (usable(out) && usable(in) && out->value >= in->value) {
		diag_error(diags, DIAG_CONFLICT, out->present ? out->loc : in->present ? in->loc : f->loc,
			   "%s: 'task_threshold_out' (%lld) must be less than 'task_threshold_in' (%lld)",
			   what, out->value, in->value);
		diag_hint(diags, "it scales out below task_threshold_out free task slots and in above task_threshold_in%s%s%s",
			  !out->present ? "; task_threshold_out is " : !in->present ? "; task_threshold_in is " : "",
			  !out->present ? default_of(FLEET, "task_threshold_out") :
			  !in->present ? default_of(FLEET, "task_threshold_in") : "",
			  !out->present || !in->present ? " when left out" : "");
	}
	for (i = 0; i < f->bids.n; i++)
		check_bid_price(diags, &f->bids.items[i]);
	if (f->bids.present && !f->bids.n) {
		diag_error(diags, DIAG_MISSING_KEY, f->bids.loc, "spot fleet '%s' has no bids", f->name.present ? f->name.value : "");
		diag_hint(diags, "add at least one bid with instance_type and price");
	}
	check_bid_types(diags, f);
	check_fleet_variant(diags, f);
	/* Written only: the default, 2m, is the notice itself. */
	if (f->timeout.present && f->timeout.seconds > IR_SPOT_NOTICE_SECONDS) {
		diag_warning(diags, DIAG_SPOT_TIMEOUT, f->timeout.loc,
			     "%s: timeout '%s' is longer than the %d-minute notice EC2 gives before it interrupts a spot node",
			     what, f->timeout.text, IR_SPOT_NOTICE_SECONDS / 60);
		diag_hint(diags, "on an interruption, containers still stopping after %d minutes are killed with the node; "
			  "write 'timeout: 2m' or less, or run tasks that need longer to stop in an auto scaling group",
			  IR_SPOT_NOTICE_SECONDS / 60);
	}
	if (f->on_demand_fallback_max_per_hour.present && !f->on_demand_fallback.present) {
		diag_error(diags, DIAG_CONFLICT, f->on_demand_fallback_max_per_hour.loc,
			   "%s: 'on_demand_fallback_max_per_hour' needs 'on_demand_fallback'", what);
		diag_hint(diags, "on_demand_fallback says how long spot may stay short before on-demand nodes are added, e.g. '10m'");
	}
}

static void check_asg(struct diag_list *diags, const struct ir_asg *g)
{
	const char *what = arena_printf(diags->arena, "auto scaling group '%s'", g->name.present ? g->name.value : "");
	long long desired = g->desired_instances.value;
	struct bound min = { "min_size", &g->min_size, g->min_size.present ? g->min_size.value : desired,
			     "desired_instances" };
	struct bound want = { "desired_instances", &g->desired_instances, desired,
			      default_of(GROUP, "desired_instances") };
	struct bound max = { "max_size", &g->max_size, g->max_size.present ? g->max_size.value : desired,
			     "desired_instances" };

	check_order(diags, what, g->loc, &min, &want, &max);
	(void)type_variant(diags, &g->instance_type);
}

/* The variants the fleets and groups run (refused families count for none). */
static void variants_present(const struct ir *ir, bool has[VARIANT_COUNT], const struct ir_string *where[VARIANT_COUNT])
{
	const struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	const char *why, *hint;
	size_t i, b;

	for (i = 0; i < ec2->spot_fleets.n; i++)
		for (b = 0; b < ec2->spot_fleets.items[i].bids.n; b++) {
			const struct ir_string *t = &ec2->spot_fleets.items[i].bids.items[b].instance_type;
			int v = t->present ? variant_of_type(t->value, &why, &hint) : -1;
			if (v >= 0 && !has[v]) {
				has[v] = true;
				where[v] = t;
			}
		}
	for (i = 0; i < ec2->auto_scaling_groups.n; i++) {
		const struct ir_string *t = &ec2->auto_scaling_groups.items[i].instance_type;
		int v = t->present ? variant_of_type(t->value, &why, &hint) : -1;
		if (v >= 0 && !has[v]) {
			has[v] = true;
			where[v] = t;
		}
	}
}

/* cluster.ami pins the one variant's image; cluster.amis one image per variant present. */
static void check_amis(struct diag_list *diags, const struct ir *ir)
{
	const struct ir_cluster *cl = &ir->cluster;
	const struct ir_string *pins[VARIANT_COUNT] = { &cl->amis.x86_64, &cl->amis.arm64, &cl->amis.gpu };
	bool has[VARIANT_COUNT] = { false };
	const struct ir_string *where[VARIANT_COUNT] = { NULL };
	int v, count = 0, other = -1;

	variants_present(ir, has, where);
	for (v = 0; v < VARIANT_COUNT; v++)
		count += has[v];
	if (loc_is_set(cl->ami.loc) && loc_is_set(cl->amis.loc)) {
		diag_error(diags, DIAG_CONFLICT, cl->ami.loc.offset > cl->amis.loc.offset ? cl->ami.loc : cl->amis.loc,
			   "'ami' and 'amis' cannot both be given");
		diag_hint(diags, "keep 'amis', with one image per variant the cluster runs");
		return;
	}
	/* A pinned image never changes: nothing would be rolled (ami_updates: off says so, and is the default). */
	if (cl->ami_updates.present && strcmp(cl->ami_updates.value, "off") &&
	    (loc_is_set(cl->ami.loc) || loc_is_set(cl->amis.loc))) {
		const struct ir_string *pin = loc_is_set(cl->ami.loc) ? &cl->ami : NULL;
		struct loc at = pin ? pin->loc : cl->amis.loc;

		diag_error(diags, DIAG_AMI_UPDATES, cl->ami_updates.loc,
			   "'ami_updates: %s' cannot roll new images while '%s' pins them (line %u)", cl->ami_updates.value,
			   pin ? "ami" : "amis", source_line_number((struct source *)at.src, at.offset));
		diag_hint(diags, "remove '%s' to run the current ECS-optimized image and roll each new one, or set "
			  "'ami_updates: off' and change the pinned image by hand", pin ? "ami" : "amis");
	}
	if (cl->ami.present && count > 1) {
		for (v = VARIANT_COUNT - 1; v >= 0; v--)
			if (has[v]) {
				other = v;
				break;
			}
		diag_error(diags, DIAG_ARCHITECTURE, cl->ami.loc,
			   "one 'ami' cannot serve %d image variants ('%s' is %s)", count, where[other]->value,
			   variant_table[other].describe);
		diag_hint(diags, "pin one image per variant instead: 'amis:' with %s%s%s%s%s",
			  has[VARIANT_X86_64] ? "x86_64" : "", has[VARIANT_X86_64] ? ", " : "",
			  has[VARIANT_ARM64] ? "arm64" : "", has[VARIANT_ARM64] && has[VARIANT_GPU] ? ", " : "",
			  has[VARIANT_GPU] ? "gpu" : "");
	}
	if (!loc_is_set(cl->amis.loc))
		return;
	for (v = 0; v < VARIANT_COUNT; v++) {
		if (has[v] && !loc_is_set(pins[v]->loc)) {
			/* A conflict, not a missing key: which keys amis needs depends on the instance types. */
			diag_error(diags, DIAG_CONFLICT, cl->amis.loc, "'amis' pins no %s image, and '%s' needs one",
				   variant_table[v].name, where[v]->value);
			diag_hint(diags, "add '%s: ami-...' under 'amis' (nothing is baked when the images are pinned)",
				  variant_table[v].name);
		} else if (!has[v] && pins[v]->present) {
			diag_warning(diags, DIAG_UNUSED_AMI, pins[v]->loc,
				     "no fleet or group runs the %s variant: this image is not used", variant_table[v].name);
			diag_hint(diags, "remove it, or add a fleet of %s instance types", variant_table[v].describe);
		}
	}
}

struct places_ctx {
	struct diag_list *diags;
	const struct ir_string **fields; /* by index */
	const char *what;
};

static void report_place(void *ctx, size_t later, size_t first)
{
	struct places_ctx *c = ctx;
	const struct ir_string *a = c->fields[later], *b = c->fields[first];
	unsigned at_line;

	/* EBS paths come before EFS ones in fields[]: report at the later one in the file. */
	if (a->loc.offset < b->loc.offset) {
		const struct ir_string *t = a;
		a = b;
		b = t;
	}
	at_line = source_line_number(b->loc.src, b->loc.offset);

	diag_error(c->diags, DIAG_DUPLICATE_NAME, a->loc, "%s '%s' is used twice", c->what, a->value);
	diag_hint(c->diags, "it is already used at line %u", at_line);
}

/* Report every repeated value among fields (absent ones are skipped). */
static void check_unique(struct diag_list *diags, const char *what, const struct ir_string **fields, size_t count)
{
	struct dupe_key *keys = arena_array(diags->arena, count ? count : 1, sizeof *keys);
	struct places_ctx ctx = { diags, fields, what };
	size_t i, n = 0;

	for (i = 0; i < count; i++) {
		if (!fields[i]->present)
			continue;
		keys[n].key = fields[i]->value;
		keys[n++].index = i;
	}
	dupes_find(keys, n, report_place, &ctx);
}

static void check_mounts(struct diag_list *diags, const struct ir *ir)
{
	const struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	size_t nebs = ec2->ebs_mounts.n, nefs = ec2->efs_mounts.n, i;
	const struct ir_string **paths = arena_array(diags->arena, nebs + nefs + 1, sizeof *paths);
	const struct ir_string **devices = arena_array(diags->arena, nebs + 1, sizeof *devices);

	for (i = 0; i < nebs; i++) {
		const struct ir_ebs_mount *m = &ec2->ebs_mounts.items[i];
		bool root = m->device_name.present && !strcmp(m->device_name.value, IR_ROOT_DEVICE);
		if (root && m->mount_path.present) {
			diag_error(diags, DIAG_CONFLICT, m->mount_path.loc, "the root volume /dev/xvda cannot have a 'mount_path'");
			diag_hint(diags, "mount_path formats and mounts an extra volume; give it another device, e.g. /dev/xvdb");
		}
		/* Known images only (the ECS-optimized one and its bake); make deploy reads any other. */
		if (root && m->size.present && m->size.value < IR_ECS_IMAGE_ROOT_GIB && !ir->cluster.ami.present &&
		    !loc_is_set(ir->cluster.amis.loc)) {
			diag_warning(diags, DIAG_SMALL_ROOT_VOLUME, m->size.loc,
				     "root volume of %lld GiB is smaller than the ECS-optimized image's %d GiB snapshot",
				     m->size.value, IR_ECS_IMAGE_ROOT_GIB);
			diag_hint(diags, "EC2 refuses a smaller root: make deploy raises it to %d GiB; write 'size: %d' to say so",
				  IR_ECS_IMAGE_ROOT_GIB, IR_ECS_IMAGE_ROOT_GIB);
		}
		devices[i] = &m->device_name;
		paths[i] = &m->mount_path;
	}
	for (i = 0; i < nefs; i++)
		paths[nebs + i] = &ec2->efs_mounts.items[i].local_path;
	check_unique(diags, "device", devices, nebs);
	check_unique(diags, "mount path", paths, nebs + nefs);
}

/*
 * The diversity warnings are advice about a file that is otherwise valid:
 * on one with errors they would only add noise to what must be fixed
 * first, so they run last, and only when nothing before them failed.
 */
static void check_diversity(struct diag_list *diags, const struct ir *ir)
{
	const struct ir_cluster *cl = &ir->cluster;
	const struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	size_t i;

	if (diags->nerrors)
		return;
	for (i = 0; i < ec2->spot_fleets.n; i++)
		check_fleet_diversity(diags, &ec2->spot_fleets.items[i]);
	/* Across zones (check_fleet_diversity's sources): the nodes use the subnets. */
	if (ec2->spot_fleets.n && ((cl->subnets.present && cl->subnets.n == 1) ||
				   (!cl->subnets.present && cl->availability_zones.present && cl->availability_zones.n == 1))) {
		bool subnet = cl->subnets.present;
		diag_warning(diags, DIAG_ZONE_DIVERSITY, subnet ? cl->subnets.loc : cl->availability_zones.loc,
			     "one %s listed: every spot fleet's capacity pools are in one Availability Zone",
			     subnet ? "subnet" : "availability zone");
		diag_hint(diags, "list a subnet in each Availability Zone the VPC has (AWS's Spot best practice is to use "
			  "them all), so a shortage in one zone leaves the others");
	}
}

void check_rules(const struct ir *ir, struct diag_list *diags)
{
	const struct ir_ec2_instances *ec2 = &ir->ec2_instances;
	const struct ir_cluster *cl = &ir->cluster;
	size_t i;

	CHECK_NAMES(diags, "spot_fleets", ec2->spot_fleets);
	CHECK_NAMES(diags, "auto_scaling_groups", ec2->auto_scaling_groups);
	CHECK_NAMES(diags, "efs_mounts", ec2->efs_mounts);
	CHECK_NAMES(diags, "ebs_mounts", ec2->ebs_mounts);
	/* An item that was not a mapping has no location: its error is reported already. */
	for (i = 0; i < ec2->spot_fleets.n; i++)
		if (loc_is_set(ec2->spot_fleets.items[i].loc))
			check_fleet(diags, &ec2->spot_fleets.items[i]);
	for (i = 0; i < ec2->auto_scaling_groups.n; i++)
		if (loc_is_set(ec2->auto_scaling_groups.items[i].loc))
			check_asg(diags, &ec2->auto_scaling_groups.items[i]);
	check_mounts(diags, ir);
	check_amis(diags, ir);
	check_environment_list(ir, diags);
	/* A list written wrongly (not a list) has its own error: only an empty or absent one counts. */
	if (loc_is_set(ec2->loc) && !ec2->spot_fleets.n && !ec2->auto_scaling_groups.n &&
	    (ec2->spot_fleets.present || !loc_is_set(ec2->spot_fleets.loc)) &&
	    (ec2->auto_scaling_groups.present || !loc_is_set(ec2->auto_scaling_groups.loc))) {
		diag_error(diags, DIAG_MISSING_KEY, ec2->spot_fleets.present ? ec2->spot_fleets.loc :
			   ec2->auto_scaling_groups.present ? ec2->auto_scaling_groups.loc : ec2->loc,
			   "no spot fleet and no auto scaling group: the cluster would have no nodes");
		diag_hint(diags, "add 'spot_fleets' or 'auto_scaling_groups' under 'ec2_instances'");
	}
	if (cl->subnets.present && cl->availability_zones.present && cl->subnets.n != cl->availability_zones.n) {
		diag_warning(diags, DIAG_ZONE_SUBNET_COUNT, cl->availability_zones.loc, "%zu availability zone%s but %zu subnet%s",
			     cl->availability_zones.n, cl->availability_zones.n == 1 ? "" : "s",
			     cl->subnets.n, cl->subnets.n == 1 ? "" : "s");
		diag_hint(diags, "the nodes use the subnets; availability_zones is only checked against them");
	}
	if (cl->security_groups.n > IR_USER_SECURITY_GROUPS_MAX) {
		/* At the first group past the limit. */
		diag_error(diags, DIAG_SECURITY_GROUPS, cl->security_groups.items[IR_USER_SECURITY_GROUPS_MAX].loc,
			   "'security_groups' lists %zu groups; at most %d fit beside the node group and the DB badge",
			   cl->security_groups.n, IR_USER_SECURITY_GROUPS_MAX);
		diag_hint(diags, "a network interface wears at most 5 security groups by default; merge groups, or list their rules in one");
	}
	if (ec2->imds_for_tasks.value) {
		diag_warning(diags, DIAG_IMDS_FOR_TASKS, ec2->imds_for_tasks.loc,
			     "imds_for_tasks: every task container can reach the metadata service and act as the node");
		diag_hint(diags, "give tasks their own task role instead; keep this only for daemons that need IMDS");
	}
	/* Written counts here too: the two say where the alarms go, and only one may. */
	if (loc_is_set(cl->alarm_email.loc) && loc_is_set(cl->alarm_topic_arn.loc)) {
		bool email_later = cl->alarm_email.loc.offset > cl->alarm_topic_arn.loc.offset;
		const struct ir_string *other = email_later ? &cl->alarm_topic_arn : &cl->alarm_email;
		unsigned at_line = source_line_number((struct source *)other->loc.src, other->loc.offset);

		diag_error(diags, DIAG_CONFLICT, email_later ? cl->alarm_email.loc : cl->alarm_topic_arn.loc,
			   "'alarm_email' and 'alarm_topic_arn' cannot both be given");
		diag_hint(diags, "alarm_email subscribes to the topic ecsgen creates, and with alarm_topic_arn none "
			  "is created ('%s' is at line %u): keep one, and subscribe the address to your own topic",
			  email_later ? "alarm_topic_arn" : "alarm_email", at_line);
	}
	/* Written counts, valid or not: an invalid vpc has its own error already. */
	if (loc_is_set(cl->vpc.loc) != loc_is_set(cl->subnets.loc)) {
		diag_error(diags, DIAG_CONFLICT, loc_is_set(cl->vpc.loc) ? cl->vpc.loc : cl->subnets.loc,
			   "'vpc' and 'subnets' go together: give both or neither");
		diag_hint(diags, "without both, the Makefile uses the default VPC and its subnets at deploy time");
	}
	check_diversity(diags, ir);
}
