/*
 * cfn_create_only.h - which properties of each resource type ecsgen emits
 * CloudFormation cannot change in place: changing one replaces the
 * resource (a new physical id).  The rows are the createOnlyProperties of
 * the CloudFormation resource schemas, as JSON pointers below Properties
 * ("SpotFleetRequestConfigData/LaunchTemplateConfigs");
 * tests/cfn/create-only.test checks them against the schemas cfn-lint
 * bundles, so the table cannot drift from AWS's.
 *
 *	if (cfn_create_only_covers("AWS::EC2::SecurityGroup", "VpcId")) -> replaced
 *
 * Static data: nobody frees anything.
 */
#ifndef ECSGEN_CFN_CREATE_ONLY_H
#define ECSGEN_CFN_CREATE_ONLY_H

#include <stdbool.h>
#include <stddef.h>

struct cfn_create_only {
	const char *type;
	const char *const *properties; /* NULL-terminated */
};

extern const struct cfn_create_only cfn_create_only[];
extern const size_t cfn_create_only_count;

/* The row of a type, or NULL when ecsgen emits no such type. */
const struct cfn_create_only *cfn_create_only_find(const char *type);
/*
 * Whether a change at path (a JSON pointer below Properties, "A/B/0/C")
 * changes a create-only property of type: path is one, or lies inside one.
 * A type the table does not know (a base out/ from another ecsgen may hold
 * one) answers true for every path: a replacement is the safe guess.
 */
bool cfn_create_only_covers(const char *type, const char *path);

#endif
