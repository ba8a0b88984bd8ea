/*
 * cfn_int.h - the private part of the CloudFormation values (cfn.h):
 * their layout, shared by the builders (cfn_value.c) and the printer
 * (cfn_template.c) and by nobody else.
 *
 * A value is a node in the compilation's arena.  A scalar holds its
 * bytes: a string's unescaped, a number's or literal's JSON text.  A
 * container holds its members in insertion order as a list (an array's
 * have no key); an object of many members also has a hash index of its
 * keys, so that setting a key, which replaces the value of a key already
 * there in place, as json-c did, is not a walk of the list.
 */
#ifndef ECSGEN_CFN_INT_H
#define ECSGEN_CFN_INT_H

#include <stddef.h>

#include "cfn.h"

struct cfn_value {
	enum cfn_kind kind;
	size_t len;                 /* a scalar's bytes; a container's members */
	const char *text;           /* a scalar's bytes (not NUL-terminated for strings with NUL) */
	struct cfn_member *first, *last;
	struct cfn_member **index;  /* an object's key index, NULL while small */
	size_t index_size;          /* slots of index: a power of two, at least twice len */
	size_t width;               /* the one-line form's bytes: set by the printer */
};

/* Bytes of s[0..len) as a JSON string, quotes and escapes included (cfn_template.c). */
size_t cfn_string_width(const char *s, size_t len);
/* Append s[0..len) as a JSON string to sb (cfn_template.c). */
void cfn_put_string(struct strbuf *sb, const char *s, size_t len);

/* n in decimal at buf, no NUL; returns its length, at most CFN_DECIMAL_MAX (cfn_value.c). */
#define CFN_DECIMAL_MAX 20
size_t cfn_decimal(char *buf, long long n);

/* Keep a finished template's root for cfn_template_of() (cfn_value.c). */
void cfn_values_keep(const char *path, const struct cfn_value *root);

#endif
