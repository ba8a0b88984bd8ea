/* subst.c - checking the Fn::Sub "${...}" substitutions of an infra.yml value (see subst.h). */
#include "config.h"

#include <string.h>

#include "diag.h"
#include "ir.h"
#include "subst.h"
#include "suggest.h"
#include "syntax.h"

const char *const subst_pseudo_names[] = {
	"AWS::AccountId", "AWS::Region", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName",
};
const size_t subst_pseudo_count = sizeof subst_pseudo_names / sizeof *subst_pseudo_names;

static bool is_pseudo(const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < subst_pseudo_count; i++)
		if (strlen(subst_pseudo_names[i]) == len && !memcmp(subst_pseudo_names[i], name, len))
			return true;
	return false;
}

static void hint_names(struct diag_list *d, const char *name, size_t len)
{
	char buf[128];
	const char *best = NULL;

	if (len < sizeof buf) {
		memcpy(buf, name, len);
		buf[len] = '\0';
		best = suggest_closest(buf, subst_pseudo_names, subst_pseudo_count);
	}
	if (best)
		diag_hint(d, "did you mean '${%s}'?", best);
	else
		diag_hint(d, "infra.yml can use ${AWS::AccountId}, ${AWS::Region}, ${AWS::Partition}, ${AWS::URLSuffix} and ${AWS::StackName}");
}

int subst_check(const struct ir_string *s, struct diag_list *d, bool *has_sub)
{
	size_t len, pos = 0, begin;
	enum sub_token tok;
	int ret = 0;

	*has_sub = false;
	if (!s->value)
		return 0;
	len = strlen(s->value);
	while ((tok = sub_scan(s->value, len, &pos, &begin)) != SUB_END) {
		const char *name = s->value + begin + 2;
		size_t name_len = pos - begin - 3;
		struct loc loc = scalar_char_loc(s->loc, begin, pos - begin);

		switch (tok) {
		case SUB_END:
		case SUB_TEXT:
			break;
		case SUB_ESCAPE:
			*has_sub = true;
			break;
		case SUB_NAME:
			*has_sub = true;
			if (is_pseudo(name, name_len))
				break;
			ret = diag_error(d, DIAG_SUBSTITUTION, loc, "unknown name '%.*s' in a substitution", (int)name_len, name);
			hint_names(d, name, name_len);
			break;
		case SUB_BAD_NAME:
			ret = diag_error(d, DIAG_SUBSTITUTION, loc, "invalid name '%.*s' in a substitution", (int)name_len, name);
			hint_names(d, name, name_len);
			break;
		case SUB_EMPTY:
			ret = diag_error(d, DIAG_SUBSTITUTION, loc, "empty substitution '${}'");
			diag_hint(d, "write '${!}' for a literal '${}'");
			break;
		case SUB_UNTERMINATED:
			ret = diag_error(d, DIAG_SUBSTITUTION, scalar_char_loc(s->loc, begin, 2), "unterminated '${': no '}' follows");
			diag_hint(d, "write '${!' for a literal '${'");
			break;
		}
	}
	return ret;
}
