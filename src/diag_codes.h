/*
 * diag_codes.h - the one table of diagnostics: every error and warning
 * ecsgen can report has a row here, and nothing else names them.
 *
 *	X(ID, SEVERITY, NAME, DESCRIPTION)
 *
 * ID becomes DIAG_ID (enum diag_code, diag.h); NAME is the code printed
 * after the message ("[unknown-key]", "[-Wsmall-root-volume]"), the -W
 * option's name and the SARIF rule id; DESCRIPTION is one line for
 * --list-warnings and the man page.  SEVERITY is the default: a WARNING row
 * can be turned off (-Wno-NAME) or made an error (-Werror=NAME, -Werror);
 * an ERROR row is always an error.
 *
 * Rows are in the order the man page lists them; append new ones within
 * their group.  A name, once released, keeps its meaning.
 */
#ifndef ECSGEN_DIAG_CODES_H
#define ECSGEN_DIAG_CODES_H

#define DIAG_CODES(X) \
	X(ENCODING, ERROR, "encoding", \
	  "the file is not UTF-8 text, or holds a NUL byte") \
	X(YAML, ERROR, "yaml", \
	  "the file is not YAML that ecsgen reads: syntax, tabs, tags, several documents") \
	X(ALIAS, ERROR, "alias", \
	  "an alias with no anchor before it or inside its own anchor, a '<<' that merges no mapping, or aliases repeating more than the budget") \
	X(DUPLICATE_KEY, ERROR, "duplicate-key", \
	  "a mapping sets one key twice") \
	X(UNKNOWN_KEY, ERROR, "unknown-key", \
	  "a key infra.yml does not have (a hint names the closest one)") \
	X(MISSING_KEY, ERROR, "missing-key", \
	  "a required key is missing") \
	X(TYPE, ERROR, "type", \
	  "a value of the wrong kind (string, number, boolean, list, mapping), or no value") \
	X(RANGE, ERROR, "range", \
	  "a number, price or duration outside what its key allows") \
	X(FORMAT, ERROR, "format", \
	  "a name, id, path, zone, instance type or device written in a form AWS refuses") \
	X(DUPLICATE_NAME, ERROR, "duplicate-name", \
	  "two fleets, groups or mounts share a name, a logical id, a device or a path") \
	X(CONFLICT, ERROR, "conflict", \
	  "keys that contradict each other: min above max, thresholds crossed, vpc without subnets, alarm_email with alarm_topic_arn, amis without an image a fleet needs") \
	X(ARCHITECTURE, ERROR, "architecture", \
	  "a fleet whose bids need different image variants (x86_64, arm64, NVIDIA GPU), or one cluster.ami for several") \
	X(INSTANCE_FAMILY, ERROR, "instance-family", \
	  "an instance family whose accelerator no image variant drives: AMD or arm64 GPUs, Inferentia, Trainium") \
	X(USER_DATA, ERROR, "user-data", \
	  "the user_data file cannot be read, is too large, is not UTF-8, or holds the here-document's end line") \
	X(SPOT_PRICE, ERROR, "spot-price", \
	  "a bid's price per unit of weight is at or below EC2's floor of $0.001") \
	X(SUBSTITUTION, ERROR, "substitution", \
	  "a ${...} that CloudFormation's Fn::Sub would refuse") \
	X(SECURITY_GROUPS, ERROR, "security-groups", \
	  "more security_groups than fit a network interface beside the node group and the DB badge") \
	X(TAG, ERROR, "tag", \
	  "a tag AWS refuses (length, characters, the aws: prefix) or one whose key ecsgen sets itself") \
	X(AMI_UPDATES, ERROR, "ami-updates", \
	  "cluster.ami_updates turned on while cluster.ami or cluster.amis pins the images, which then never change") \
	X(CFN_LIMIT, ERROR, "cfn-limit", \
	  "a generated template over one of CloudFormation's limits") \
	X(TEMPLATE, ERROR, "template", \
	  "a template (built in or from --template-dir) that does not compile or render") \
	X(IGNORED_KEY, WARNING, "ignored-key", \
	  "a key of the original tool that ecsgen accepts and ignores") \
	X(DUPLICATE_BID, WARNING, "duplicate-bid", \
	  "one instance type bid twice in a fleet: the bids are merged at the higher price") \
	X(SMALL_ROOT_VOLUME, WARNING, "small-root-volume", \
	  "a root volume smaller than the ECS-optimized image's snapshot") \
	X(ZONE_SUBNET_COUNT, WARNING, "az-subnet-count", \
	  "availability_zones and subnets list different numbers of items") \
	X(IMDS_FOR_TASKS, WARNING, "imds-for-tasks", \
	  "imds_for_tasks lets every task container act as the node through the metadata service") \
	X(UNUSED_AMI, WARNING, "unused-ami", \
	  "cluster.amis pins the image of a variant no fleet or group runs") \
	X(SPOT_TIMEOUT, WARNING, "spot-timeout", \
	  "a spot fleet's timeout is longer than the 2-minute notice EC2 gives before it interrupts a spot node") \
	X(FLEET_DIVERSITY, WARNING, "fleet-diversity", \
	  "a spot fleet that bids on one instance type: one Spot capacity pool per zone, so one shortage stops it") \
	X(ZONE_DIVERSITY, WARNING, "zone-diversity", \
	  "spot fleets in a cluster that lists a single subnet or availability zone: all their pools in one zone")

#endif
