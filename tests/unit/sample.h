/* sample.h - the small output tree the writer and compare tests use. */
#ifndef ECSGEN_TEST_SAMPLE_H
#define ECSGEN_TEST_SAMPLE_H

struct out_tree;

enum { SAMPLE_FILES = 5 };

/*
 * Initialize tree with SAMPLE_FILES files whose bytes mention flavour:
 * a.txt, scripts/run.sh (0755), deep/er/x.json, deep/y.txt, empty.txt.
 */
void sample_tree(struct out_tree *tree, const char *flavour);

#endif
