/*
 * check.h - the schema check: syntax tree -> draft IR, with diagnostics.
 *
 *	ir = check_tree(arena, root, diags);   walks the tree with schema.c's table
 *	check_rules(ir, diags);                cross-field rules (check_rules.c)
 *	if (!diags->nerrors) lower_ir(...)     (lower.h)
 *
 * check_tree never stops at the first error: it reports every one it can
 * find and still returns a draft IR (defaults filled, bad fields absent), so
 * the cross-field rules can run too.  Only a draft that produced no error may
 * be lowered and emitted.  infra_dir is the folder relative paths in
 * infra.yml (user_data) are resolved against.  A file infra.yml names must
 * lie in infra_dir or in one of include_dirs (NULL-terminated; -I DIR), after
 * symbolic links are resolved: a contributor's infra.yml compiled in CI must
 * not copy a host file such as /etc/passwd into out/.
 */
#ifndef ECSGEN_CHECK_H
#define ECSGEN_CHECK_H

struct arena;
struct diag_list;
struct ir;
struct node;

struct ir *check_tree(struct arena *arena, const struct node *root, const char *infra_dir,
		      const char *const *include_dirs, struct diag_list *diags);
void check_rules(const struct ir *ir, struct diag_list *diags);

/*
 * 'environments' (check_env.c).  check_overlay: an environment's file
 * (for environment name) may not list environments itself.
 * check_environments_apart: no two of the n environments' checked drafts
 * (NULL: not checked) deploy the same cluster.name.
 */
void check_overlay(const struct node *root, const char *name, struct diag_list *diags);
void check_environments_apart(const struct ir *const *envs, const char *const *names, size_t n,
			      struct diag_list *diags);

#endif
