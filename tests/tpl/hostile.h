/*
 * hostile.h - strings built to break escapers: every kind of quote,
 * newlines, $(), backticks, ${, %, #, backslashes, leading dashes,
 * controls, Unicode line breaks, invalid UTF-8 and a very long string.
 */
#ifndef ECSGEN_TESTS_HOSTILE_H
#define ECSGEN_TESTS_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>

size_t hostile_count(void);
/* The ith string (bytes, NUL-terminated, no NUL inside). */
const char *hostile_get(size_t i, size_t *len);
/* Whether the ith string is valid UTF-8 (json, yaml and hcl need it). */
bool hostile_is_utf8(size_t i);

#endif
