/*
 * subst.h - CloudFormation Fn::Sub syntax inside infra.yml values.
 *
 * A value such as "arn:aws:iam::${AWS::AccountId}:instance-profile/x" is
 * checked when infra.yml is checked (grammar/sub_lex.re scans it): the only
 * names infra.yml may use are the pseudo parameters AWS::AccountId,
 * AWS::Region, AWS::Partition, AWS::URLSuffix and AWS::StackName;
 * "${!Literal}" is CloudFormation's escape for a literal "${Literal}".  An
 * unknown or empty name, or an unterminated "${", is an error located at
 * its "$" inside the string, with a did-you-mean hint.
 *
 * The CloudFormation emitter writes {"Fn::Sub": "..."} only for a value
 * whose has_sub is set; a plain string stays plain.
 */
#ifndef ECSGEN_SUBST_H
#define ECSGEN_SUBST_H

#include <stdbool.h>
#include <stddef.h>

struct diag_list;
struct ir_string;

/*
 * Check s->value (NULL: nothing to check).  *has_sub becomes true when the
 * value holds at least one substitution (an escape "${!...}" alone needs
 * Fn::Sub too, to come out as "${...}").  Returns 0, or -1 after appending
 * diagnostics to d.
 */
int subst_check(const struct ir_string *s, struct diag_list *d, bool *has_sub);

/* The pseudo parameters, for docs and hints. */
extern const char *const subst_pseudo_names[];
extern const size_t subst_pseudo_count;

/* The scanner under subst_check() (grammar/sub_lex.re). */
enum sub_token {
	SUB_END,          /* no more input */
	SUB_TEXT,         /* text without substitutions */
	SUB_ESCAPE,       /* "${!": a literal "${" */
	SUB_NAME,         /* "${Name}": the name is [begin+2, end-1) */
	SUB_EMPTY,        /* "${}" */
	SUB_BAD_NAME,     /* "${...}" holding characters no name has */
	SUB_UNTERMINATED, /* "${" and no "}" */
};

/* The token at s[*pos..len): its kind, [*begin, *pos) its bytes. */
enum sub_token sub_scan(const char *s, size_t len, size_t *pos, size_t *begin);

#endif
