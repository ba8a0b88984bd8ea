/*
 * cfn_alarms.c - the cluster stack's alarms and where they go (issue 13):
 * each lifecycle function's errors, a node draining for an hour, a
 * retirement that waits, demand that fits no bid, and (when a spot fleet
 * has on_demand_fallback, issue 17) a switch to on-demand or back and
 * on-demand capacity that does not launch; sent to an SNS topic this
 * stack creates (<cluster>-alarms, encrypted with its own KMS key, e-mailed to
 * cluster.alarm_email when given) or to cluster.alarm_topic_arn.
 *
 * The scaler publishes the three lifecycle metrics into the cluster's
 * namespace (templates/functions/scaler.py, templates/CONTRACT.md);
 * tests/cfn/static_checks.py checks that every alarm's metric is one a
 * function's source publishes.  Alarm names are <cluster>-<slug>
 * (IR_NAME ALARM_PREFIX), so the e-mail's subject names the cluster.
 */
#include "config.h"

#include <stdbool.h>

#include "arena.h"
#include "cfn.h"
#include "emitter.h"
#include "ir.h"

/* An alarm on one of the scaler's metrics (dimension ClusterName=<cluster>). */
static const struct lifecycle_alarm {
	const char *id;        /* logical id */
	const char *slug;      /* AlarmName <cluster>-<slug> */
	const char *metric;    /* in IR_NAME(ir, METRIC_NAMESPACE) */
	const char *statistic; /* over each period */
	int period;            /* seconds */
	int periods;           /* every one of them breaching */
	int threshold;         /* value >= threshold breaches */
	bool fallback;         /* only when a spot fleet has on_demand_fallback */
	const char *description;
} lifecycle_alarms[] = {
	/* The age of the oldest drain: the drain mark's epoch (CONTRACT.md) against now. */
	{ "DrainOverdueAlarm", "drain-overdue", "OldestDrainSeconds", "Maximum", 300, 1, 3600, false,
	  "a node has been draining for an hour: a task there does not stop, or finds no room elsewhere" },
	/* I2: retirement waits for room; a deploy's normal wait is a few minutes. */
	{ "RetirementBlockedAlarm", "retirement-blocked", "RetirementBlocked", "Minimum", 300, 6, 1, false,
	  "an inactive version has waited 30 minutes to retire: the active versions cannot hold its tasks (max_weight?)" },
	/* I7: demand that fits no bid is reported, never grown for. */
	{ "UnfitDemandAlarm", "unfit-demand", "UnfitTasks", "Minimum", 300, 3, 1, false,
	  "tasks have fit no bid of the active fleets for 15 minutes: bid a larger instance type, or make the task smaller" },
	/*
	 * The on-demand fallback: every switch (to on-demand when spot stays
	 * short, back once it is whole) is news, and costs on-demand prices;
	 * the scaler's cooldown keeps them at most one per fleet per 5 minutes.
	 */
	{ "OnDemandSwitchesAlarm", "on-demand-switches", "OnDemandSwitches", "Sum", 300, 1, 1, true,
	  "a spot fleet switched to on-demand capacity (spot stayed short while tasks waited) or back to spot: make status shows which and since when" },
	/*
	 * On-demand units asked for and not launched for 15 minutes: the cap
	 * (on_demand_fallback_max_per_hour, MaxTotalPrice) or on-demand
	 * capacity holds them back, and the waiting tasks still wait.
	 */
	{ "OnDemandUnfulfilledAlarm", "on-demand-unfulfilled", "OnDemandUnfulfilled", "Minimum", 300, 3, 1, true,
	  "on-demand units of the fallback have not launched for 15 minutes: on_demand_fallback_max_per_hour is below the price, or on-demand capacity is short too" },
};

struct cfn_value *cfn_alarm_topic(const struct ir *ir)
{
	const struct ir_string *arn = &ir->cluster.alarm_topic_arn;
	return arn->present ? cfn_str(arn->value) : cfn_ref("AlarmTopic");
}

/* Name, actions on ALARM and on OK, and what happens while no data comes. */
static struct cfn_value *alarm(struct cfn_template *t, struct arena *arena, const struct ir *ir,
				 const char *id, const char *slug, const char *description)
{
	struct cfn_value *props = cfn_props(cfn_resource(t, id, "AWS::CloudWatch::Alarm"));

	cfn_set_str(props, "AlarmName", arena_printf(arena, "%s%s", IR_NAME(ir, ALARM_PREFIX), slug));
	cfn_set_str(props, "AlarmDescription", description);
	cfn_set(props, "AlarmActions", cfn_array(cfn_alarm_topic(ir), NULL));
	cfn_set(props, "OKActions", cfn_array(cfn_alarm_topic(ir), NULL));
	/* A function that does not run publishes nothing: its Errors alarm says so. */
	cfn_set_str(props, "TreatMissingData", "notBreaching");
	cfn_set(props, "Tags", cfn_cluster_tags(ir));
	return props;
}

static struct cfn_value *dimension(const char *name, struct cfn_value *value)
{
	struct cfn_value *d = cfn_obj();
	cfn_set_str(d, "Name", name);
	cfn_set(d, "Value", value);
	return d;
}

/*
 * Lambda counts an invocation that ends in a function error (an exception,
 * a timeout) in AWS/Lambda Errors, dimension FunctionName; read it with Sum.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
 */
void cfn_function_alarm(struct cfn_template *t, struct arena *arena, const struct ir *ir,
			const char *function_id, const char *slug)
{
	struct cfn_value *props = alarm(t, arena, ir, cfn_id(arena, "", function_id, "ErrorsAlarm"),
					  arena_printf(arena, "%s-errors", slug),
					  arena_printf(arena, "the %s function failed: its log group %s%s says why",
						       slug, IR_NAME(ir, LOG_GROUP_PREFIX), slug));

	cfn_set_str(props, "Namespace", "AWS/Lambda");
	cfn_set_str(props, "MetricName", "Errors");
	cfn_set(props, "Dimensions", cfn_array(dimension("FunctionName",
		cfn_ref(cfn_id(arena, "", function_id, "Function"))), NULL));
	cfn_set_str(props, "Statistic", "Sum");
	cfn_set_int(props, "Period", 300);
	cfn_set_int(props, "EvaluationPeriods", 1);
	cfn_set_int(props, "Threshold", 1);
	cfn_set_str(props, "ComparisonOperator", "GreaterThanOrEqualToThreshold");
}

static void add_lifecycle_alarm(struct cfn_template *t, struct arena *arena, const struct ir *ir,
				const struct lifecycle_alarm *a)
{
	struct cfn_value *props = alarm(t, arena, ir, a->id, a->slug, a->description);

	cfn_set_str(props, "Namespace", IR_NAME(ir, METRIC_NAMESPACE));
	cfn_set_str(props, "MetricName", a->metric);
	cfn_set(props, "Dimensions", cfn_array(dimension("ClusterName", cfn_str(ir->cluster.name.value)), NULL));
	cfn_set_str(props, "Statistic", a->statistic);
	cfn_set_int(props, "Period", a->period);
	cfn_set_int(props, "EvaluationPeriods", a->periods);
	cfn_set_int(props, "DatapointsToAlarm", a->periods);
	cfn_set_int(props, "Threshold", a->threshold);
	cfn_set_str(props, "ComparisonOperator", "GreaterThanOrEqualToThreshold");
}

static struct cfn_value *service(const char *name)
{
	struct cfn_value *principal = cfn_obj();
	cfn_set_str(principal, "Service", name);
	return principal;
}

/*
 * The topic's key.  CloudWatch can publish to an encrypted topic only when
 * the key policy lets it use the key, and the AWS-managed alias/aws/sns
 * key's policy cannot be changed: so a customer-managed key, rotated, that
 * this account administers and CloudWatch alarms of this account may use.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
static void add_key(struct cfn_template *t)
{
	static const char *const admin[] = { "kms:*", NULL };
	static const char *const use[] = { "kms:Decrypt", "kms:GenerateDataKey*", NULL };
	struct cfn_value *props = cfn_props(cfn_resource(t, "AlarmKey", "AWS::KMS::Key"));
	struct cfn_value *owner, *cloudwatch, *root = cfn_obj();

	cfn_set_str(props, "Description", "encrypts the cluster's alarm topic");
	cfn_set(props, "EnableKeyRotation", cfn_bool(true));
	/* The account's IAM policies decide who else may use it: the key policy's default statement. */
	cfn_set(root, "AWS", cfn_sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root"));
	owner = cfn_allow(admin, cfn_str("*"));
	cfn_set(owner, "Principal", root);
	cloudwatch = cfn_condition_on(cfn_allow(use, cfn_str("*")), "StringEquals", "aws:SourceAccount",
				      cfn_sub("${AWS::AccountId}"));
	cfn_set(cloudwatch, "Principal", service("cloudwatch.amazonaws.com"));
	cfn_set(props, "KeyPolicy", cfn_policy_document(cfn_array(owner, cloudwatch, NULL)));
	/*
	 * No Tags of its own: the stack's ecsgen:cluster tag reaches it (and the
	 * deploy role's CreateKey condition sees it), and moto 5.2.1 fails on
	 * this type's Key/Value tags (it expects the KMS API's TagKey/TagValue).
	 */
}

/*
 * Only CloudWatch alarms of this account may publish (aws:SourceAccount
 * guards against the confused deputy), and only over TLS.
 * https://repost.aws/knowledge-center/cloudwatch-receive-sns-for-alarm-trigger
 * https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html
 */
static void add_topic(struct cfn_template *t, const struct ir *ir)
{
	static const char *const publish[] = { "sns:Publish", NULL };
	struct cfn_value *props, *alarms, *tls, *anyone = cfn_obj();

	props = cfn_props(cfn_resource(t, "AlarmTopic", "AWS::SNS::Topic"));
	/* Named, so the deploy role can be scoped to it (alarm names start with the cluster too). */
	cfn_set_str(props, "TopicName", IR_NAME(ir, ALARM_TOPIC));
	cfn_set(props, "KmsMasterKeyId", cfn_ref("AlarmKey"));
	cfn_set(props, "Tags", cfn_cluster_tags(ir));

	props = cfn_props(cfn_resource(t, "AlarmTopicPolicy", "AWS::SNS::TopicPolicy"));
	cfn_set(props, "Topics", cfn_array(cfn_ref("AlarmTopic"), NULL));
	alarms = cfn_condition_on(cfn_allow(publish, cfn_ref("AlarmTopic")), "StringEquals", "aws:SourceAccount",
				  cfn_sub("${AWS::AccountId}"));
	cfn_set(alarms, "Principal", service("cloudwatch.amazonaws.com"));
	tls = cfn_allow(publish, cfn_ref("AlarmTopic"));
	cfn_set_str(tls, "Effect", "Deny");
	cfn_set_str(anyone, "AWS", "*");
	cfn_set(tls, "Principal", anyone);
	cfn_condition_on(tls, "Bool", "aws:SecureTransport", cfn_str("false"));
	cfn_set(props, "PolicyDocument", cfn_policy_document(cfn_array(alarms, tls, NULL)));

	if (ir->cluster.alarm_email.present) {
		/* AWS mails a confirmation link; nothing is delivered until it is followed. */
		props = cfn_props(cfn_resource(t, "AlarmEmail", "AWS::SNS::Subscription"));
		cfn_set(props, "TopicArn", cfn_ref("AlarmTopic"));
		cfn_set_str(props, "Protocol", "email");
		cfn_set_str(props, "Endpoint", ir->cluster.alarm_email.value);
	}
}

/* Whether a spot fleet has the on-demand fallback, which the fallback's alarms watch. */
static bool has_fallback(const struct ir *ir)
{
	size_t i;

	for (i = 0; i < ir->ec2_instances.spot_fleets.n; i++)
		if (ir->ec2_instances.spot_fleets.items[i].on_demand_fallback.present)
			return true;
	return false;
}

void cfn_add_alarms(struct cfn_template *t, struct arena *arena, const struct ir *ir)
{
	bool fallback = has_fallback(ir);
	size_t i;

	if (!ir->cluster.alarm_topic_arn.present) {
		add_key(t);
		add_topic(t, ir);
	}
	for (i = 0; i < sizeof lifecycle_alarms / sizeof lifecycle_alarms[0]; i++)
		if (fallback || !lifecycle_alarms[i].fallback)
			add_lifecycle_alarm(t, arena, ir, &lifecycle_alarms[i]);
}
