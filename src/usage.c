/* usage.c - --help, generated from the option list and the schema table. */
#include "config.h"

#include "schema.h"
#include "strbuf.h"
#include "usage.h"

void usage_short(struct strbuf *out)
{
	strbuf_addstr(out, "usage: ecsgen [OPTIONS] [FILE]\n"
			   "Try 'ecsgen --help' for more information.\n");
}

static void add_key(void *ctx, const struct schema_key *key, const char *path, const char *type)
{
	struct strbuf *out = ctx;

	strbuf_addf(out, "  %-44s %s%s", path, type, (key->flags & SCHEMA_REQUIRED) ? ", required" : "");
	if (key->default_value)
		strbuf_addf(out, ", default %s", key->default_value);
	if ((key->type == SCHEMA_STRING_LIST || key->type == SCHEMA_OBJECT_LIST) && key->min <= key->max)
		strbuf_addf(out, ", at most %lld", key->max);
	strbuf_addf(out, "\n  %-44s %s\n", "", key->description);
}

void usage_full(struct strbuf *out)
{
	strbuf_addstr(out,
		"usage: ecsgen [OPTIONS] [FILE]\n"
		"Compile infra.yml into CloudFormation, Packer, buildspec.yml and a Makefile.\n"
		"\n"
		"FILE defaults to $VALUES_FILE, then infra.yml; '-' reads standard input.\n"
		"\n"
		"Options:\n"
		"  -o, --output DIR        write the generated files into DIR (default: out)\n"
		"      --validate          check FILE as a compile would, emitters included; write nothing\n"
		"      --check             compare what would be generated with DIR; write nothing\n"
		"                          (exit 1 when a file differs, is missing or is extra)\n"
		"      --dump-ir           print the checked IR as JSON on standard output\n"
		"      --preview=BASE      compare with the stacks the out/ folder BASE deployed:\n"
		"                          what is added, removed, changed in place, replaced,\n"
		"                          what it interrupts or may block, the spend ceiling;\n"
		"                          write nothing (exit 3 when something may be blocked)\n"
		"      --preview-format=F  text (default) or markdown (a pull request comment)\n"
		"      --template-dir DIR  use templates from DIR in place of the built-in ones\n"
		"  -I, --include-dir DIR   let infra.yml name files (user_data) under DIR too;\n"
		"                          otherwise only under the folder of infra.yml\n"
		"      --fsync             sync the written files to disk before returning, so that\n"
		"                          DIR survives a power loss (default: atomic, not synced)\n"
		"  -q, --quiet             print errors only, no warnings\n"
		"  -Wno-NAME               do not report warning NAME\n"
		"  -Werror=NAME, -Werror   report warning NAME (or every warning) as an error\n"
		"      --list-warnings     list every diagnostic's NAME, severity and meaning\n"
		"      --schema            print the JSON Schema of infra.yml (draft-07), for editors\n"
		"      --max-errors N      print at most N errors and N warnings, then how many\n"
		"                          more there are (default 50; 0: no limit)\n"
		"      --diagnostics-format FMT  text (default), json, sarif (SARIF 2.1.0) or junit\n"
		"                          (JUnit XML), on standard error\n"
		"      --color[=WHEN]      colour text diagnostics: auto (a terminal; NO_COLOR,\n"
		"                          CLICOLOR_FORCE), always or never\n"
		"  -h, --help              show this help\n"
		"  -V, --version           show the version\n"
		"\n"
		"Exit status: 0 success (warnings allowed), 1 invalid input, 2 usage or I/O error,\n"
		"3 --preview: something may be blocked.\n"
		"\n"
		"Keys of infra.yml:\n");
	schema_each_key(&schema_root, add_key, out);
}
