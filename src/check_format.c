/*
 * check_format.c - the formats of AWS itself: ids, zones, instance types,
 * names, device names, paths; and the user_data file.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "check_int.h"
#include "diag.h"
#include "names.h"
#include "source.h"
#include "strbuf.h"
#include "subst.h"
#include "syntax.h"
#include "utf8.h"

/* Longest VERSION a compute stack name must leave room for (a git sha). */
enum { USER_DATA_MAX = 8192 };

static bool all_of(const char *s, size_t n, int (*pred)(int))
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!pred((unsigned char)s[i]))
			return false;
	return true;
}

static int is_lower_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* prefix + 8 or 17 lower-case hex digits, as AWS writes ids. */
static bool is_aws_id(const char *s, const char *prefix)
{
	size_t p = strlen(prefix), n = strlen(s);
	if (strncmp(s, prefix, p))
		return false;
	n -= p;
	return (n == 8 || n == 17) && all_of(s + p, n, is_lower_hex);
}

static int is_lower_alpha(int c) { return c >= 'a' && c <= 'z'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_lower_alnum(int c) { return is_lower_alpha(c) || is_digit(c); }

/* us-west-2a, eu-central-1b, us-gov-west-1a, us-west-2-lax-1a */
static bool is_az(const char *s)
{
	const char *p = s;
	int dashes = 0;
	size_t n = strlen(s);

	if (n < 6 || !is_lower_alpha((unsigned char)s[0]) || !is_lower_alpha((unsigned char)s[1]) || s[2] != '-')
		return false;
	if (!is_lower_alpha((unsigned char)s[n - 1]) || !is_digit((unsigned char)s[n - 2]))
		return false;
	for (; *p; p++) {
		if (*p == '-') {
			if (p[1] == '-' || !p[1])
				return false;
			dashes++;
		} else if (!is_lower_alnum((unsigned char)*p)) {
			return false;
		}
	}
	return dashes >= 2;
}

/* family.size: t3.micro, m6g.large, c6gn.16xlarge, m7i-flex.large, u-6tb1.metal */
static bool is_instance_type(const char *s)
{
	const char *dot = strchr(s, '.');
	size_t fam;
	bool digit = false;
	size_t i;

	if (!dot || strchr(dot + 1, '.') || !dot[1])
		return false;
	fam = (size_t)(dot - s);
	if (!fam || !is_lower_alpha((unsigned char)s[0]))
		return false;
	for (i = 0; i < fam; i++) {
		if (is_digit((unsigned char)s[i]))
			digit = true;
		else if (!is_lower_alpha((unsigned char)s[i]) && s[i] != '-')
			return false;
	}
	for (i = 1; dot[i]; i++)
		if (!is_lower_alnum((unsigned char)dot[i]) && dot[i] != '-')
			return false;
	return digit;
}

static bool is_cluster_name_char(int c)
{
	return isalnum(c) || c == '-';
}

static bool check_cluster_name(struct ir_string *v, struct diag_list *diags)
{
	const char *s = v->value;
	size_t n = strlen(s), i;
	size_t infix = strlen(NAME_COMPUTE_INFIX);
	size_t longest = n + infix + NAME_VERSION_MAX;

	if (!isalpha((unsigned char)s[0])) {
		diag_error(diags, DIAG_FORMAT, v->loc, "cluster name '%s' must start with a letter", s);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!is_cluster_name_char((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80) {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1),
				   "cluster name '%s' may hold only letters, digits and hyphens", s);
			diag_hint(diags, "it prefixes every stack name, and CloudFormation allows only these");
			return false;
		}
	}
	/* The infix, and the infix without its last hyphen at the end. */
	if (strstr(s, NAME_COMPUTE_INFIX) ||
	    (n >= infix - 1 && !strncmp(s + n - (infix - 1), NAME_COMPUTE_INFIX, infix - 1))) {
		diag_error(diags, DIAG_FORMAT, v->loc, "cluster name '%s' must not contain '%s' or end in '%.*s'", s,
			   NAME_COMPUTE_INFIX, (int)infix - 1, NAME_COMPUTE_INFIX);
		diag_hint(diags, "compute stacks are matched exactly as '<cluster>%s<version>'; such a name would make that ambiguous",
			  NAME_COMPUTE_INFIX);
		return false;
	}
	if (longest > NAME_STACK_NAME_MAX) {
		diag_error(diags, DIAG_FORMAT, v->loc, "cluster name '%s' is too long (%zu characters)", s, n);
		diag_hint(diags, "the compute stack name '%s%s<%d-character version>' would be %zu characters; CloudFormation allows %d, so use at most %d",
			  s, NAME_COMPUTE_INFIX, NAME_VERSION_MAX, longest, NAME_STACK_NAME_MAX,
			  NAME_STACK_NAME_MAX - (int)infix - NAME_VERSION_MAX);
		return false;
	}
	return true;
}

/*
 * An environment's name is a folder (out/<e>/), a file (<e>.yml), the tail
 * of its cluster's name and of a CodeBuild project's: a letter, then
 * letters, digits and hyphens, not ending in one, at most
 * ENVIRONMENT_NAME_MAX (json_schema.c says the same).
 */
enum { ENVIRONMENT_NAME_MAX = 64 };

static bool check_environment_name(struct ir_string *v, struct diag_list *diags)
{
	const char *s = v->value;
	size_t n = strlen(s), i;

	if (!isalpha((unsigned char)s[0]) || (unsigned char)s[0] >= 0x80) {
		diag_error(diags, DIAG_FORMAT, v->loc, "environment name '%s' must start with a letter", s);
		diag_hint(diags, "it names a folder of out/, its file '<name>.yml' and the tail of its cluster's name");
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!is_cluster_name_char((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80) {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1),
				   "environment name '%s' may hold only letters, digits and hyphens", s);
			diag_hint(diags, "it names a folder of out/, its file '<name>.yml' and the tail of its cluster's name");
			return false;
		}
	}
	if (s[n - 1] == '-') {
		diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, n - 1, 1),
			   "environment name '%s' must not end in a hyphen", s);
		return false;
	}
	if (n > ENVIRONMENT_NAME_MAX) {
		diag_error(diags, DIAG_FORMAT, v->loc, "environment name '%s' is too long (%zu characters)", s, n);
		diag_hint(diags, "use at most %d", ENVIRONMENT_NAME_MAX);
		return false;
	}
	return true;
}

/* A list item's name becomes part of logical ids: letters, digits, - and _. */
static bool check_item_name(struct ir_string *v, struct diag_list *diags)
{
	const char *s = v->value;
	size_t i, alnum = 0;

	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) && c < 0x80)
			alnum++;
		else if (c != '-' && c != '_') {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1),
				   "name '%s' may hold only letters, digits, '-' and '_'", s);
			diag_hint(diags, "the name becomes part of CloudFormation logical ids");
			return false;
		}
	}
	if (!alnum || i > 64) {
		diag_error(diags, DIAG_FORMAT, v->loc, "name '%s' must have 1 to 64 characters with at least one letter or digit", s);
		return false;
	}
	return true;
}

/* /dev/xvda, /dev/xvdb, /dev/sdf, /dev/sda1 */
static bool is_device_name(const char *s)
{
	const char *p;
	if (!strncmp(s, "/dev/xvd", 8))
		p = s + 8;
	else if (!strncmp(s, "/dev/sd", 7))
		p = s + 7;
	else
		return false;
	if (!is_lower_alpha((unsigned char)*p))
		return false;
	p++;
	if (is_lower_alpha((unsigned char)*p))
		p++;
	if (is_digit((unsigned char)*p))
		p++;
	if (is_digit((unsigned char)*p))
		p++;
	return !*p;
}

/* Absolute, plain: it reaches shell, fstab and Make, so no metacharacters. */
static bool check_abs_path(struct ir_string *v, struct diag_list *diags)
{
	const char *s = v->value;
	size_t i;

	if (s[0] != '/') {
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' must be an absolute path", s);
		diag_hint(diags, "start it with '/', e.g. /efs");
		return false;
	}
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) && c < 0x80) && c != '/' && c != '-' && c != '_' && c != '.') {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1),
				   "path '%s' may hold only letters, digits and '/', '-', '_', '.'", s);
			diag_hint(diags, "the path reaches shell scripts, /etc/fstab and a Makefile");
			return false;
		}
		if (c == '/' && (s[i + 1] == '/' || (s[i + 1] == '.' && (s[i + 2] == '/' || !s[i + 2] ||
			(s[i + 2] == '.' && (s[i + 3] == '/' || !s[i + 3])))))) {
			diag_error(diags, DIAG_FORMAT, v->loc, "path '%s' must be plain: no '//', '.' or '..' parts", s);
			return false;
		}
	}
	if (i > 1 && s[i - 1] == '/') {
		diag_error(diags, DIAG_FORMAT, v->loc, "path '%s' must not end in '/'", s);
		return false;
	}
	if (i == 1) {
		diag_error(diags, DIAG_FORMAT, v->loc, "path '/' cannot be a mount point");
		diag_hint(diags, "use a folder of its own, e.g. /efs");
		return false;
	}
	if (i > 255) {
		diag_error(diags, DIAG_FORMAT, v->loc, "path '%s' is longer than 255 characters", s);
		return false;
	}
	return true;
}

static bool check_keypair(struct ir_string *v, struct diag_list *diags)
{
	size_t i, n = strlen(v->value);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v->value[i];
		if (c < 0x20 || c >= 0x7f) {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1), "key pair name must be printable ASCII");
			return false;
		}
	}
	if (!n || n > 255) {
		diag_error(diags, DIAG_FORMAT, v->loc, "key pair name must have 1 to 255 characters");
		return false;
	}
	return true;
}

/*
 * An address SNS subscribes with the email protocol: local@domain, printable
 * ASCII without spaces or quotes, a dotted domain of letters, digits and
 * hyphens (RFC 5321's lengths: 64 for the local part, 254 in all).
 */
static bool check_email(struct ir_string *v, struct diag_list *diags)
{
	static const char local_ok[] = "!#$%&'*+/=?^_`{|}~.-";
	const char *s = v->value, *at = strchr(s, '@');
	size_t n = strlen(s), i, label = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = at && s + i > at ? (isalnum(c) && c < 0x80) || c == '-' || c == '.'
			  : (isalnum(c) && c < 0x80) || (c && strchr(local_ok, c)) || s + i == at;
		if (!ok) {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1),
				   "'%s' is not an e-mail address: '%c' is not allowed %s", s, c >= 0x20 && c < 0x7f ? c : '?',
				   at && s + i > at ? "in its domain" : "before its '@'");
			diag_hint(diags, "write a plain address, e.g. 'ops@example.com'");
			return false;
		}
	}
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.') || at - s > 64 || n > 254) {
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not an e-mail address", s);
		diag_hint(diags, "write one address, local@domain with a dotted domain, e.g. 'ops@example.com'");
		return false;
	}
	for (i = (size_t)(at - s) + 1; i <= n; i++) {
		if (s[i] == '.' || !s[i]) {
			if (!label || s[i - 1] == '-' || s[i - label] == '-') {
				diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not an e-mail address: its domain has an empty label or one that starts or ends with '-'", s);
				diag_hint(diags, "write a plain address, e.g. 'ops@example.com'");
				return false;
			}
			label = 0;
		} else {
			label++;
		}
	}
	return true;
}

/* us-west-2, eu-central-1, us-gov-west-1, cn-north-1: what an ARN's region field holds. */
static bool is_region(const char *s, size_t n)
{
	size_t i, dashes = 0;

	if (n < 4 || !is_lower_alpha((unsigned char)s[0]) || !is_digit((unsigned char)s[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (i + 1 == n || s[i + 1] == '-')
				return false;
			dashes++;
		} else if (!is_lower_alnum((unsigned char)s[i])) {
			return false;
		}
	}
	return dashes >= 2;
}

/*
 * arn:<partition>:sns:<region>:<12-digit account>:<topic>, a standard topic
 * (letters, digits, '-' and '_', at most 256): the form CloudWatch takes as
 * an alarm action.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
static bool check_sns_topic_arn(struct ir_string *v, struct diag_list *diags)
{
	static const char *const partitions[] = { "aws", "aws-cn", "aws-us-gov", NULL };
	const char *s = v->value, *field[6];
	size_t len[6], i, k = 0;
	const char *p = s;

	for (k = 0; k < 6; k++) {
		const char *colon = k < 5 ? strchr(p, ':') : NULL;
		field[k] = p;
		len[k] = colon ? (size_t)(colon - p) : strlen(p);
		if (k < 5 && !colon)
			break;
		p = colon ? colon + 1 : p + len[k];
	}
	if (k < 6 || strncmp(s, "arn:", 4) || len[2] != 3 || strncmp(field[2], "sns", 3)) {
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not an SNS topic ARN", s);
		goto hint;
	}
	for (i = 0; partitions[i]; i++)
		if (strlen(partitions[i]) == len[1] && !strncmp(field[1], partitions[i], len[1]))
			break;
	if (!partitions[i]) {
		diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, (size_t)(field[1] - s), len[1]),
			   "'%.*s' is not an AWS partition", (int)len[1], field[1]);
		diag_hint(diags, "the partition is 'aws', 'aws-cn' or 'aws-us-gov'");
		return false;
	}
	if (!is_region(field[3], len[3])) {
		diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, (size_t)(field[3] - s), len[3] ? len[3] : 1),
			   "'%.*s' is not a region name", (int)len[3], field[3]);
		diag_hint(diags, "the topic's region, e.g. 'us-west-2': the one the cluster is deployed to");
		return false;
	}
	if (len[4] != 12 || !all_of(field[4], 12, is_digit)) {
		diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, (size_t)(field[4] - s), len[4] ? len[4] : 1),
			   "'%.*s' is not an AWS account id", (int)len[4], field[4]);
		diag_hint(diags, "an account id has 12 digits, e.g. '123456789012'");
		return false;
	}
	for (i = 0; i < len[5]; i++) {
		unsigned char c = (unsigned char)field[5][i];
		if (!(isalnum(c) && c < 0x80) && c != '-' && c != '_') {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, (size_t)(field[5] - s) + i, 1),
				   "the topic name '%s' may hold only letters, digits, '-' and '_'", field[5]);
			diag_hint(diags, "a standard topic's name (FIFO topics, '.fifo', deliver only to SQS queues)");
			return false;
		}
	}
	if (!len[5] || len[5] > 256) {
		diag_error(diags, DIAG_FORMAT, v->loc, "the topic name in '%s' must have 1 to 256 characters", s);
		return false;
	}
	return true;
hint:
	diag_hint(diags, "write the topic's ARN, e.g. 'arn:aws:sns:us-west-2:123456789012:ops-alarms'");
	return false;
}

/*
 * Say what is wrong with an id first (prefix, case, digit count), then show
 * a valid one: the README's own 'sg-dab3aca' has 7 hex digits.
 */
static bool id_error(struct ir_string *v, struct diag_list *diags, const char *what,
		     const char *prefix, const char *example)
{
	const char *s = v->value, *hex = s + strlen(prefix);
	size_t n, i;

	if (strncmp(s, prefix, strlen(prefix))) {
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not a valid %s id: it must start with '%s'", s, what, prefix);
		goto hint;
	}
	n = strlen(hex);
	for (i = 0; i < n; i++) {
		if (!is_lower_hex((unsigned char)hex[i])) {
			diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, (size_t)(hex - s) + i, 1),
				   "'%s' is not a valid %s id: '%c' is not a lower-case hex digit", s, what, hex[i]);
			goto hint;
		}
	}
	diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not a valid %s id: it has %zu hex digits, not 8 or 17", s, what, n);
hint:
	diag_hint(diags, "%s ids are '%s' and 8 or 17 lower-case hex digits, e.g. '%s'", what, prefix, example);
	return false;
}

bool check_format(const struct schema_key *key, struct ir_string *v, struct diag_list *diags)
{
	const char *s = v->value;

	switch (key->format) {
	case FMT_NONE:
	case FMT_FILE:
		return true;
	case FMT_KIND:
		if (!strcmp(s, "aws-ecs-cluster-deployer"))
			return true;
		diag_error(diags, DIAG_FORMAT, v->loc, "'kind' must be 'aws-ecs-cluster-deployer', not '%s'", s);
		diag_hint(diags, "remove 'kind' or set it to aws-ecs-cluster-deployer");
		return false;
	case FMT_CLUSTER_NAME:
		return check_cluster_name(v, diags);
	case FMT_NAME:
		return check_item_name(v, diags);
	case FMT_ENVIRONMENT:
		return check_environment_name(v, diags);
	case FMT_VPC_ID:
		return is_aws_id(s, "vpc-") || id_error(v, diags, "VPC", "vpc-", "vpc-0a1b2c3d");
	case FMT_SUBNET_ID:
		return is_aws_id(s, "subnet-") || id_error(v, diags, "subnet", "subnet-", "subnet-9b2938c2");
	case FMT_SG_ID:
		return is_aws_id(s, "sg-") || id_error(v, diags, "security group", "sg-", "sg-093c234a");
	case FMT_EFS_ID:
		return is_aws_id(s, "fs-") || id_error(v, diags, "EFS", "fs-", "fs-df827476");
	case FMT_AMI_ID:
		return is_aws_id(s, "ami-") || id_error(v, diags, "AMI", "ami-", "ami-0123456789abcdef0");
	case FMT_AZ:
		if (is_az(s))
			return true;
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not an availability zone name", s);
		diag_hint(diags, "an availability zone is a region and a letter, e.g. 'us-west-2a'");
		return false;
	case FMT_INSTANCE_TYPE:
		if (is_instance_type(s))
			return true;
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not an EC2 instance type", s);
		diag_hint(diags, "an instance type is family.size, e.g. 't3.medium' or 'm6g.large'");
		return false;
	case FMT_KEYPAIR:
		return check_keypair(v, diags);
	case FMT_DEVICE_NAME:
		if (is_device_name(s))
			return true;
		diag_error(diags, DIAG_FORMAT, v->loc, "'%s' is not an EBS device name", s);
		diag_hint(diags, "use /dev/xvda for the root volume, /dev/xvdb../dev/xvdz for others");
		return false;
	case FMT_ABS_PATH:
		return check_abs_path(v, diags);
	case FMT_EMAIL:
		return check_email(v, diags);
	case FMT_SNS_TOPIC_ARN:
		return check_sns_topic_arn(v, diags);
	case FMT_TAG:
		return true; /* a map's format: check_map_pair() */
	case FMT_AMI_UPDATES:
		if (!strcmp(s, "auto") || !strcmp(s, "weekly") || !strcmp(s, "off"))
			return true;
		diag_error(diags, DIAG_FORMAT, v->loc, "'ami_updates' must be auto, weekly or off, not '%s'", s);
		diag_hint(diags, "auto: AWS's ECS-optimized AMI update topic starts the pipeline; weekly: a schedule does; off: neither");
		return false;
	case FMT_SUB: {
		/* An ARN is one line: a newline would reach the template as is. */
		size_t i;
		for (i = 0; s[i]; i++) {
			if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
				diag_error(diags, DIAG_FORMAT, scalar_char_loc(v->loc, i, 1),
					   "'%s' holds a control character", key->name);
				diag_hint(diags, "write it on one line, without control characters");
				return false;
			}
		}
		return subst_check(v, diags, &v->has_sub) == 0;
	}
	}
	return true;
}

/*
 * AWS's tag rules, as every service that ecsgen tags takes them: the
 * characters are the set every service accepts (ASCII letters, digits,
 * space and + - = . _ : / @; some take more, IAM and S3 among them do not),
 * a key has 1 to 127 characters (EC2's limit; most services take 128), a
 * value at most 256, and neither starts with aws: in any case.
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Tag.html
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
 */
static bool is_tag_char(unsigned char c)
{
	return (c < 0x80 && isalnum(c)) || (c && strchr(" +-=._:/@", c));
}

static bool check_tag_text(const struct ir_string *v, const char *what, size_t most, struct diag_list *diags)
{
	const char *s = v->value;
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		if (!is_tag_char((unsigned char)s[i])) {
			diag_error(diags, DIAG_TAG, scalar_char_loc(v->loc, i, 1),
				   "tag %s '%s' holds a character AWS tags do not take", what, s);
			diag_hint(diags, "tags take letters, digits, spaces and + - = . _ : / @ (ASCII)");
			return false;
		}
	}
	if (n > most) {
		diag_error(diags, DIAG_TAG, v->loc, "tag %s '%.20s...' has %zu characters; AWS takes at most %zu",
			   what, s, n, most);
		return false;
	}
	if ((s[0] | 0x20) == 'a' && (s[1] | 0x20) == 'w' && (s[2] | 0x20) == 's' && s[3] == ':') {
		diag_error(diags, DIAG_TAG, scalar_char_loc(v->loc, 0, 4), "tag %s '%s' starts with '%.4s'", what, s, s);
		diag_hint(diags, "AWS keeps the prefix aws: (in any case) for its own tags");
		return false;
	}
	return true;
}

/* The keys ecsgen sets itself (names.h, and the nodes' Name): two values of one key would not deploy. */
static bool check_tag_key_free(const struct ir_string *k, struct diag_list *diags)
{
	static const char *const own[] = { NAME_TAG_CLUSTER, NAME_TAG_VERSION, IR_TAG_NAME };
	size_t i, prefix = strlen(IR_TAG_RESERVED_PREFIX);

	for (i = 0; i < sizeof own / sizeof own[0]; i++) {
		if (!strcmp(k->value, own[i])) {
			diag_error(diags, DIAG_TAG, k->loc, "tag key '%s' is one ecsgen sets itself", k->value);
			if (!strcmp(own[i], IR_TAG_NAME))
				diag_hint(diags, "ecsgen names each node and its volumes <cluster>-<VERSION>; choose another key");
			else
				diag_hint(diags, "ecsgen tags every resource with %s and %s; choose another key",
					  NAME_TAG_CLUSTER, NAME_TAG_VERSION);
			return false;
		}
	}
	if (!strncmp(k->value, IR_TAG_RESERVED_PREFIX, prefix)) {
		diag_error(diags, DIAG_TAG, scalar_char_loc(k->loc, 0, prefix), "tag key '%s' starts with '%s'",
			   k->value, IR_TAG_RESERVED_PREFIX);
		diag_hint(diags, "ecsgen keeps the prefix %s for its own tags (%s, %s)", IR_TAG_RESERVED_PREFIX,
			  NAME_TAG_CLUSTER, NAME_TAG_VERSION);
		return false;
	}
	return true;
}

bool check_map_pair(const struct schema_key *map, const struct ir_string *key,
		    const struct ir_string *value, struct diag_list *diags)
{
	bool ok;

	if (map->format != FMT_TAG)
		return true;
	if (!*key->value) {
		diag_error(diags, DIAG_TAG, key->loc, "a tag key is empty");
		diag_hint(diags, "a tag key has 1 to %d characters; the value may be empty", IR_TAG_KEY_MAX);
		return false;
	}
	ok = check_tag_text(key, "key", IR_TAG_KEY_MAX, diags) && check_tag_key_free(key, diags);
	/* The value is checked even after a bad key: one run reports both. */
	return check_tag_text(value, "value", IR_TAG_VALUE_MAX, diags) && ok;
}

/* The generated user data quotes the file in a here-document ended by a fixed line. */
static bool user_data_has_no_delimiter(const struct source *src, const struct ir_string *path,
				       struct diag_list *diags)
{
	size_t n = strlen(NAME_USER_DATA_DELIMITER);
	const char *line = src->text, *end;

	for (; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if ((size_t)(end - line) == n && !memcmp(line, NAME_USER_DATA_DELIMITER, n)) {
			struct position at = source_locate(src, (size_t)(line - src->text));
			diag_error(diags, DIAG_USER_DATA, path->loc,
				   "the user_data file '%s' has a line '%s', which would end the generated here-document",
				   path->value, NAME_USER_DATA_DELIMITER);
			diag_hint(diags, "it is line %u of '%s'; change or indent that line", at.line, path->value);
			return false;
		}
	}
	return true;
}

/* Is the resolved path inside the folder dir (resolved too)? */
static bool is_under(const char *path, const char *dir)
{
	char *real = realpath(dir, NULL);
	size_t n;
	bool inside;

	if (!real)
		return false;
	n = strlen(real);
	while (n > 1 && real[n - 1] == '/')
		n--;
	inside = !strncmp(path, real, n) && (path[n] == '/' || (n == 1 && real[0] == '/'));
	free(real);
	return inside;
}

bool check_user_data_file(struct arena *arena, const char *infra_dir,
			  const char *const *include_dirs, const struct ir_string *path,
			  struct ir_string *text, struct diag_list *diags)
{
	const char *full = path->value[0] == '/' ? path->value
			   : arena_printf(arena, "%s/%s", infra_dir, path->value);
	struct source *src;
	struct stat st;
	size_t bad, i;
	char *real;
	bool allowed;

	if (stat(full, &st) < 0 || !(real = realpath(full, NULL))) {
		diag_error(diags, DIAG_USER_DATA, path->loc, "cannot read user_data file '%s': %s", path->value, strerror(errno));
		diag_hint(diags, "the path is relative to the folder of infra.yml");
		return false;
	}
	/* Symbolic links resolved: a link inside may not point outside. */
	allowed = is_under(real, infra_dir);
	for (i = 0; !allowed && include_dirs && include_dirs[i]; i++)
		allowed = is_under(real, include_dirs[i]);
	full = arena_strdup(arena, real);
	free(real);
	if (!allowed) {
		diag_error(diags, DIAG_USER_DATA, path->loc, "user_data file '%s' is outside the folder of infra.yml%s",
			   path->value, include_dirs && include_dirs[0] ? " and the -I folders" : "");
		diag_hint(diags, "ecsgen reads only files under the folder of infra.yml; to share one "
			  "from elsewhere, name its folder with -I DIR (--include-dir DIR)");
		return false;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(diags, DIAG_USER_DATA, path->loc, "user_data '%s' is %s, not a file", path->value,
			   S_ISDIR(st.st_mode) ? "a folder" : "a special file");
		diag_hint(diags, "name a shell script, relative to the folder of infra.yml");
		return false;
	}
	if (st.st_size > USER_DATA_MAX) {
		diag_error(diags, DIAG_USER_DATA, path->loc, "user_data file '%s' is %lld bytes; at most %d are allowed",
			   path->value, (long long)st.st_size, USER_DATA_MAX);
		diag_hint(diags, "EC2 limits user data to 16 KB, and the generated part needs room too");
		return false;
	}
	src = source_read_file(arena, full, path->value, USER_DATA_MAX);
	if (!src) {
		diag_error(diags, DIAG_USER_DATA, path->loc, "cannot read user_data file '%s': %s", path->value, strerror(errno));
		return false;
	}
	/* Check up to the first NUL: valid UTF-8, but no shell script holds one. */
	bad = strlen(src->text);
	if (!utf8_valid(src->text, bad, &bad) || bad != src->len) {
		struct position at = source_locate(src, bad);
		diag_error(diags, DIAG_USER_DATA, path->loc, "user_data file '%s' is not UTF-8 text", path->value);
		diag_hint(diags, "its first %s is at line %u, column %u",
			  src->text[bad] ? "invalid byte" : "NUL byte", at.line, at.column);
		return false;
	}
	if (!user_data_has_no_delimiter(src, path, diags))
		return false;
	text->value = src->text;
	text->loc = loc_make(src, 0, 0);
	text->present = true;
	return true;
}
