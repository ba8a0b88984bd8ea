/*
 * check_int.h - what check.c shares with its sibling check_format.c.
 */
#ifndef ECSGEN_CHECK_INT_H
#define ECSGEN_CHECK_INT_H

#include <stdbool.h>

#include "ir.h"
#include "schema.h"

struct arena;
struct diag_list;

/*
 * Check a string value against its format; on failure append a located
 * error (with a hint showing a valid value) and return false.
 */
bool check_format(const struct schema_key *key, struct ir_string *value, struct diag_list *diags);

/*
 * Check one pair of a SCHEMA_STRING_MAP against the map's format (FMT_TAG:
 * AWS's tag rules); on failure append a located error and return false.
 */
bool check_map_pair(const struct schema_key *map, const struct ir_string *key,
		    const struct ir_string *value, struct diag_list *diags);

/* Read the user_data file named by value (relative to infra_dir). */
bool check_user_data_file(struct arena *arena, const char *infra_dir,
			  const char *const *include_dirs, const struct ir_string *path,
			  struct ir_string *text, struct diag_list *diags);

/* The names of 'environments': duplicates, and names out/ already uses (check_env.c). */
void check_environment_list(const struct ir *ir, struct diag_list *diags);

#endif
