/*
 * utf8.h - strict UTF-8 decoding, the one decoder every stage shares: the
 * YAML front end (infra.yml must be UTF-8), the user_data check and the
 * escapers (a value that is not UTF-8 cannot go into JSON, YAML or HCL).
 */
#ifndef ECSGEN_UTF8_H
#define ECSGEN_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Decode the character at s (len bytes left) into *cp and return its length
 * in bytes, or 0 when the bytes there are not valid UTF-8: a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate,
 * or a code point past U+10FFFF.
 */
size_t utf8_decode(const char *s, size_t len, unsigned long *cp);

/* True when all n bytes of s are valid UTF-8; else *bad is the first bad offset. */
bool utf8_valid(const char *s, size_t n, size_t *bad);

#endif
