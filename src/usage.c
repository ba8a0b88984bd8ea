/* usage.c - --help, generated from the option list and the schema table. */
#include "config.h"

#include "schema.h"
#include "strbuf.h"
#include "usage.h"

void usage_short(struct strbuf *out)
{
	strbuf_addstr(out, "usage: ecsgen [OPTIONS] [FILE]\n"
			   "       ecsgen init [OPTIONS] [DIR]\n"
			   "Try 'ecsgen --help' for more information.\n");
}

void usage_init_short(struct strbuf *out)
{
	strbuf_addstr(out, "usage: ecsgen init [--name NAME] [--region REGION] [--[no-]autoscaling] [--force] [DIR]\n"
			   "Try 'ecsgen init --help' for more information.\n");
}

void usage_init(struct strbuf *out)
{
	strbuf_addstr(out,
		"usage: ecsgen init [OPTIONS] [DIR]\n"
		"Start a cluster repository in DIR (default: the current folder; created when\n"
		"missing): a commented starter infra.yml that compiles clean, a .gitignore\n"
		"with .ecsgen/, and a .pre-commit-config.yaml running ecsgen --validate and\n"
		"ecsgen --check as repo: local hooks.\n"
		"\n"
		"Options:\n"
		"      --name NAME         the cluster's name (default: my-cluster)\n"
		"      --region REGION     the region the starter's deploy command names\n"
		"                          (default: us-west-2; out/Makefile takes REGION)\n"
		"      --autoscaling       let the scaler grow and shrink the fleet (default)\n"
		"      --no-autoscaling    keep the fleet at its desired weight\n"
		"  -f, --force             replace those files when DIR has them\n"
		"  -h, --help              show this help\n"
		"\n"
		"Each file is written whole or not at all; an existing one is never replaced\n"
		"without --force.  Exit status: 0 written, 1 DIR already has one of the files\n"
		"(nothing written), 2 usage or I/O error.\n");
}

static void add_key(void *ctx, const struct schema_key *key, const char *path, const char *type)
{
	struct strbuf *out = ctx;

	strbuf_addf(out, "  %-44s %s%s", path, type, (key->flags & SCHEMA_REQUIRED) ? ", required" : "");
	if (key->default_value)
		strbuf_addf(out, ", default %s", key->default_value);
	if ((key->type == SCHEMA_STRING_LIST || key->type == SCHEMA_OBJECT_LIST ||
	     key->type == SCHEMA_STRING_MAP) && key->min <= key->max)
		strbuf_addf(out, ", at most %lld", key->max);
	strbuf_addf(out, "\n  %-44s %s\n", "", key->description);
}

void usage_full(struct strbuf *out)
{
	strbuf_addstr(out,
		"usage: ecsgen [OPTIONS] [FILE]\n"
		"       ecsgen init [OPTIONS] [DIR]   (ecsgen init --help)\n"
		"Compile infra.yml into CloudFormation, Packer, buildspec.yml and a Makefile.\n"
		"\n"
		"FILE defaults to $VALUES_FILE, then infra.yml; '-' reads standard input\n"
		"(a file named init: ./init).\n"
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
		"make install adds bash and zsh completion for these options and ecsgen init's.\n"
		"\n"
		"YAML anchors (&a), aliases (*a) and merge keys (<<: *a, <<: [*a, *b]; keys written\n"
		"beside << win) are expanded, up to 10 times the file's nodes and 100,000 in all.\n"
		"\n"
		"Exit status: 0 success (warnings allowed), 1 invalid input, 2 usage or I/O error,\n"
		"3 --preview: something may be blocked.\n"
		"\n"
		"Keys of infra.yml:\n");
	schema_each_key(&schema_root, add_key, out);
}
