/*
 * ir_dump.h - the IR as JSON, for --dump-ir and golden tests.
 *
 * Walks schema.c's table, so the dump has exactly the keys of infra.yml (with
 * defaults filled in) plus the derived ones.  The returned json_object
 * belongs to the caller (json_object_put).
 */
#ifndef ECSGEN_IR_DUMP_H
#define ECSGEN_IR_DUMP_H

struct ir;
struct json_object;
struct strbuf;

struct json_object *ir_dump_json(const struct ir *ir);
/* Pretty-printed, with a final newline. */
void ir_dump(const struct ir *ir, struct strbuf *out);

#endif
