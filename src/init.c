/*
 * init.c - `ecsgen init`: renders the starter files, proves the starter
 * compiles clean, and puts them into DIR (see init.h).
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "driver.h"
#include "emitter.h"
#include "init.h"
#include "ir.h"
#include "lower.h"
#include "outtree.h"
#include "place.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"
#include "tpl.h"
#include "usage.h"
#include "yaml_load.h"

/* The files, in the order they are written and listed. */
static const struct {
	const char *name;
	const char *template;
} starter_files[] = {
	{ "infra.yml", "init/infra.yml.tpl" },
	{ ".gitignore", "init/gitignore.tpl" },
	{ ".pre-commit-config.yaml", "init/pre-commit-config.yaml.tpl" },
};
enum { NFILES = sizeof starter_files / sizeof starter_files[0] };

struct init_options {
	const char *dir;
	const char *name;
	const char *region;
	bool autoscaling;
	bool force;
};

static int usage_error(const char *fmt, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;
	fprintf(stderr, "ecsgen: error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage_init_short(&sb);
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
	return EXIT_USAGE_OR_IO;
}

/*
 * A region name as AWS writes them: us-west-2, eu-central-1, us-gov-east-1,
 * ap-southeast-4.  The starter only prints it (the Makefile takes REGION),
 * but a typo caught here is one not carried into a deploy command.
 */
static bool is_region(const char *s)
{
	size_t i = 0, parts = 0;

	while (s[i] >= 'a' && s[i] <= 'z')
		i++;
	if (i != 2)
		return false;
	while (s[i] == '-') {
		size_t start = ++i;
		while (s[i] >= 'a' && s[i] <= 'z')
			i++;
		if (i == start)
			break;
		parts++;
	}
	if (!parts || s[i - 1] != '-' || s[i] < '1' || s[i] > '9')
		return false;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return !s[i] && i < 32;
}

/* -1 to go on, or the exit status (help, usage error). */
static int parse_init_options(int argc, char **argv, struct init_options *opt)
{
	enum { OPT_NAME = 256, OPT_REGION, OPT_AUTOSCALING, OPT_NO_AUTOSCALING, OPT_FORCE };
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, OPT_NAME },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "autoscaling", no_argument, NULL, OPT_AUTOSCALING },
		{ "no-autoscaling", no_argument, NULL, OPT_NO_AUTOSCALING },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opt->dir = ".";
	opt->name = "my-cluster";
	opt->region = "us-west-2";
	opt->autoscaling = true;
	opt->force = false;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":fh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_NAME: opt->name = optarg; break;
		case OPT_REGION:
			if (!is_region(optarg))
				return usage_error("--region '%s' is not an AWS region name such as us-west-2", optarg);
			opt->region = optarg;
			break;
		case OPT_AUTOSCALING: opt->autoscaling = true; break;
		case OPT_NO_AUTOSCALING: opt->autoscaling = false; break;
		case 'f':
		case OPT_FORCE: opt->force = true; break;
		case 'h': {
			struct strbuf sb = STRBUF_INIT;
			usage_init(&sb);
			fputs(sb.buf, stdout);
			strbuf_release(&sb);
			return fflush(stdout) || ferror(stdout) ? EXIT_USAGE_OR_IO : EXIT_OK;
		}
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return usage_error("more than one DIR given ('%s' ...)", argv[optind + 1]);
	if (optind < argc) {
		if (!*argv[optind])
			return usage_error("%s", "the DIR argument is empty");
		opt->dir = argv[optind];
	}
	return -1;
}

/* Render every starter file; -1 when a template fails (diagnosed). */
static int render(struct arena *arena, struct tpl_set *set, const struct init_options *opt,
		  struct diag_list *diags, struct strbuf text[NFILES])
{
	struct tpl_vars *vars = tpl_vars_new(arena);
	/* The templates read params only; a zeroed IR is their root all the same. */
	const struct ir *ir = arena_alloc(arena, sizeof *ir);
	size_t i;

	tpl_vars_string(vars, "init.name", opt->name);
	tpl_vars_string(vars, "init.region", opt->region);
	tpl_vars_bool(vars, "init.autoscaling", opt->autoscaling);
	for (i = 0; i < NFILES; i++)
		if (tpl_render(set, starter_files[i].template, ir, vars, &text[i], diags) < 0)
			return -1;
	return 0;
}

/*
 * The starter must compile clean, emitters included: no error and no
 * warning.  A --name the checker refuses is caught here, with the
 * checker's own message located in the starter.
 */
static int compile_starter(struct arena *arena, struct tpl_set *set, const char *dir,
			   const struct strbuf *text, struct diag_list *diags)
{
	struct source *src = source_from_memory(arena, "infra.yml", text->buf, text->len);
	struct node *root = yaml_load(arena, src, diags);
	struct out_tree out;
	struct emit_context ctx = { .arena = arena, .diags = diags, .templates = set };
	struct ir *ir;

	if (!root)
		return -1;
	ir = check_tree(arena, root, dir, NULL, diags);
	check_rules(ir, diags);
	if (diags->nerrors || diags->nwarnings)
		return -1;
	lower_ir(arena, ir);
	out_tree_init(&out);
	ctx.ir = ir;
	ctx.out = &out;
	emitters_run(&ctx);
	out_tree_release(&out);
	return diags->nerrors || diags->nwarnings ? -1 : 0;
}

int init_main(int argc, char **argv)
{
	struct init_options opt;
	struct strbuf text[NFILES], err = STRBUF_INIT;
	struct place_file files[NFILES];
	struct diag_list diags;
	struct arena *arena;
	struct tpl_set *set;
	bool io_error = false;
	int status = parse_init_options(argc, argv, &opt);
	size_t i;

	if (status >= 0)
		return status;
	arena = arena_new();
	diag_list_init(&diags, arena);
	for (i = 0; i < NFILES; i++)
		strbuf_init(&text[i]);

	set = tpl_set_load(arena, &diags, NULL, &io_error);
	if (!set || render(arena, set, &opt, &diags, text) < 0) {
		diag_report(&diags, stderr, DIAG_FORMAT_TEXT, false);
		status = EXIT_USAGE_OR_IO;
	} else if (compile_starter(arena, set, opt.dir, &text[0], &diags) < 0) {
		diag_report(&diags, stderr, DIAG_FORMAT_TEXT, false);
		fprintf(stderr, "ecsgen: error: the starter infra.yml for --name '%s' would not compile clean; "
			"nothing written\n", opt.name);
		status = EXIT_USAGE_OR_IO;
	} else {
		for (i = 0; i < NFILES; i++) {
			files[i].name = starter_files[i].name;
			files[i].data = text[i].buf;
			files[i].len = text[i].len;
			files[i].mode = 0644;
		}
		status = place_files(opt.dir, files, NFILES, opt.force, &err);
		if (status) {
			fprintf(stderr, "ecsgen: error: %s\n", err.buf);
			status = status > 0 ? EXIT_INVALID_INPUT : EXIT_USAGE_OR_IO;
		} else {
			for (i = 0; i < NFILES; i++)
				printf("wrote %s/%s\n", opt.dir, starter_files[i].name);
			printf("next: run ecsgen in '%s' to generate out/, then commit infra.yml and out/\n", opt.dir);
			status = fflush(stdout) ? EXIT_USAGE_OR_IO : EXIT_OK;
		}
	}

	for (i = 0; i < NFILES; i++)
		strbuf_release(&text[i]);
	strbuf_release(&err);
	diag_list_release(&diags);
	arena_free(arena);
	return status;
}
