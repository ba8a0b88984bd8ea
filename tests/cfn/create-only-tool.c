/*
 * create-only-tool.c - emitters/cfn_create_only.c's table from the command
 * line, for tests/cfn/create-only.test (not installed).
 *
 *	create-only-tool                  every row: "TYPE PROPERTY" lines ("TYPE" alone: none)
 *	create-only-tool covers TYPE PATH exit 0 when a change at PATH replaces
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cfn_create_only.h"

int main(int argc, char **argv)
{
	size_t i;
	const char *const *p;

	if (argc == 4 && !strcmp(argv[1], "covers"))
		return cfn_create_only_find(argv[2]) && cfn_create_only_covers(argv[2], argv[3]) ? 0 : 1;
	if (argc != 1) {
		fputs("usage: create-only-tool [covers TYPE PATH]\n", stderr);
		return 2;
	}
	for (i = 0; i < cfn_create_only_count; i++) {
		if (!cfn_create_only[i].properties[0])
			printf("%s\n", cfn_create_only[i].type);
		for (p = cfn_create_only[i].properties; *p; p++)
			printf("%s %s\n", cfn_create_only[i].type, *p);
	}
	return fflush(stdout) ? 2 : 0;
}
