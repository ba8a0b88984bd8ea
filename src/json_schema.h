/*
 * json_schema.h - the JSON Schema (draft-07) of infra.yml, for editors.
 *
 * Generated from the schema table (schema.h) that the checker walks, so an
 * editor completes and flags the same keys the checker takes:
 *
 *	struct strbuf sb = STRBUF_INIT;
 *	json_schema_write(&sb);          appends the document and a newline
 *
 * What a schema can say it says (types, required keys, unknown keys,
 * bounds, list lengths, defaults, the formats as patterns); rules between
 * keys (check_rules.c) stay the checker's alone.  Types are those a YAML
 * parser gives the values, so `size: "30"`, which the checker takes as the
 * number 30, is a string to the schema; see json_schema.c.
 */
#ifndef ECSGEN_JSON_SCHEMA_H
#define ECSGEN_JSON_SCHEMA_H

struct strbuf;

void json_schema_write(struct strbuf *out);

#endif
