/*
 * suggest.h - "did you mean ...?" by edit distance.
 */
#ifndef ECSGEN_SUGGEST_H
#define ECSGEN_SUGGEST_H

#include <stddef.h>

/*
 * The candidate closest to word (Damerau-Levenshtein, case-insensitive), or
 * NULL when none is close enough to be a likely typo.
 */
const char *suggest_closest(const char *word, const char *const *candidates, size_t n);

size_t suggest_distance(const char *a, const char *b);

#endif
