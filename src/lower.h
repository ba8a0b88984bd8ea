/*
 * lower.h - completes a checked draft IR: defaults that name other keys,
 * logical ids, the architecture, merged duplicate bids.
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

/* "arm64" for Graviton families (m6g, c6gn, x2gd, im4gn, a1), else "x86_64". */
const char *lower_arch_of(const char *instance_type);

#endif
