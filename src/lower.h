/*
 * lower.h - completes a checked draft IR: defaults that name other keys,
 * logical ids, each fleet's and group's image variant, merged duplicate bids.
 *
 * Call only when checking produced no error.  Writes into the arena only.
 */
#ifndef ECSGEN_LOWER_H
#define ECSGEN_LOWER_H

struct arena;
struct ir;

void lower_ir(struct arena *arena, struct ir *ir);

/* "main-a" -> "MainA": letters and digits only, each part capitalised. */
const char *lower_logical_id(struct arena *arena, const char *name);

#endif
