/* sample.c - the small output tree the writer and compare tests use (see sample.h). */
#include "config.h"

#include "outtree.h"
#include "sample.h"
#include "strbuf.h"

void sample_tree(struct out_tree *tree, const char *flavour)
{
	struct strbuf sb = STRBUF_INIT;
	out_tree_init(tree);
	strbuf_addf(&sb, "hello from %s\n", flavour);
	out_tree_add(tree, "a.txt", &sb, 0644);
	strbuf_addf(&sb, "#!/bin/sh\necho %s\n", flavour);
	out_tree_add(tree, "scripts/run.sh", &sb, 0755);
	strbuf_addf(&sb, "{\"flavour\": \"%s\"}\n", flavour);
	out_tree_add(tree, "deep/er/x.json", &sb, 0644);
	out_tree_add_copy(tree, "deep/y.txt", "y\n", 2, 0644);
	out_tree_add_copy(tree, "empty.txt", "", 0, 0644);
}
