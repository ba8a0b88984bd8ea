/*
 * commit-helper.c - commits the sample tree into a folder in a process of
 * its own, so the writer tests can break it with the fault injection seams
 * (a failed write, a signal, a failed allocation that exits) and look at
 * what it leaves behind.
 *
 * Usage: commit-helper DIR FLAVOUR; exit 0 committed, 1 writer error
 * (message on stderr), 2 out of memory (from xalloc).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "outtree.h"
#include "sample.h"
#include "strbuf.h"
#include "writer.h"

int main(int argc, char **argv)
{
	struct out_tree tree;
	struct strbuf err = STRBUF_INIT;
	int ret;

	if (argc != 3 && !(argc == 4 && !strcmp(argv[3], "durable"))) {
		fprintf(stderr, "usage: commit-helper DIR FLAVOUR [durable]\n");
		return 2;
	}
	sample_tree(&tree, argv[2]);
	ret = writer_commit(&tree, argv[1], argc == 4 ? WRITER_DURABLE : 0, &err);
	if (ret < 0)
		fprintf(stderr, "commit-helper: error: %s\n", err.buf);
	out_tree_release(&tree);
	strbuf_release(&err);
	return ret < 0;
}
