/*
 * driver.c - runs the stages once each, in order (see driver.h):
 *
 *	load -> syntax tree -> schema check -> lower to IR -> emit -> write
 *
 * No other logic lives here: each stage is one call into its own file.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "compare.h"
#include "diag.h"
#include "driver.h"
#include "emitter.h"
#include "ir.h"
#include "ir_dump.h"
#include "lower.h"
#include "outtree.h"
#include "preview.h"
#include "source.h"
#include "strbuf.h"
#include "syntax.h"
#include "yaml_load.h"
#include "tpl.h"
#include "usage.h"
#include "writer.h"

/* infra.yml is a small file; refuse anything absurdly large up front. */
enum { INFRA_MAX_BYTES = 1 << 20 };

enum mode {
	MODE_WRITE,
	MODE_VALIDATE,
	MODE_CHECK,
	MODE_DUMP_IR,
	MODE_PREVIEW,
};

struct options {
	const char *file;
	const char *output;
	const char *template_dir;
	const char *preview_base;
	enum preview_format preview_format;
	enum mode mode;
	bool quiet;
	bool all_errors;                   /* -Werror */
	unsigned char policy[DIAG__COUNT]; /* -Wno-NAME, -Werror=NAME */
};

static int usage_error(const char *fmt, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;
	fprintf(stderr, "ecsgen: error: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage_short(&sb);
	fputs(sb.buf, stderr);
	strbuf_release(&sb);
	return EXIT_USAGE_OR_IO;
}

/* -WNAME, -Wno-NAME, -Werror, -Werror=NAME, -Wno-error=NAME; 0, or -1 when unknown. */
static int warning_option(const char *arg, struct options *opt)
{
	enum diag_policy policy = DIAG_POLICY_DEFAULT;
	int code;

	if (!strcmp(arg, "error")) {
		opt->all_errors = true;
		return 0;
	}
	if (!strncmp(arg, "no-error=", 9))
		arg += 9;
	else if (!strncmp(arg, "error=", 6))
		arg += 6, policy = DIAG_POLICY_ERROR;
	else if (!strncmp(arg, "no-", 3))
		arg += 3, policy = DIAG_POLICY_OFF;
	code = diag_code_find(arg);
	if (code < 0 || diag_codes[code].severity != DIAG_WARNING)
		return -1;
	opt->policy[code] = (unsigned char)policy;
	return 0;
}

static int warning_error(const char *arg)
{
	const char *name = strchr(arg, '=') ? strchr(arg, '=') + 1 : arg;
	int code;

	if (!strncmp(name, "no-", 3))
		name += 3;
	code = diag_code_find(name);
	if (code >= 0)
		return usage_error("'%s' is an error, not a warning: it cannot be turned off or changed", name);
	return usage_error("unknown warning '%s' (ecsgen --list-warnings lists them)", name);
}

/* Returns -1 to go on, or the exit status (help, version, usage error). */
static int parse_options(int argc, char **argv, struct options *opt)
{
	enum { OPT_VALIDATE = 256, OPT_CHECK, OPT_DUMP_IR, OPT_TEMPLATE_DIR, OPT_LIST_WARNINGS,
	       OPT_PREVIEW, OPT_PREVIEW_FORMAT };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "validate", no_argument, NULL, OPT_VALIDATE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "dump-ir", no_argument, NULL, OPT_DUMP_IR },
		{ "preview", required_argument, NULL, OPT_PREVIEW },
		{ "preview-format", required_argument, NULL, OPT_PREVIEW_FORMAT },
		{ "template-dir", required_argument, NULL, OPT_TEMPLATE_DIR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "list-warnings", no_argument, NULL, OPT_LIST_WARNINGS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, modes = 0;

	memset(opt, 0, sizeof *opt);
	opt->output = "out";
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:qhVW:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': opt->output = optarg; break;
		case 'q': opt->quiet = true; break;
		case OPT_VALIDATE: opt->mode = MODE_VALIDATE; modes++; break;
		case OPT_CHECK: opt->mode = MODE_CHECK; modes++; break;
		case OPT_DUMP_IR: opt->mode = MODE_DUMP_IR; modes++; break;
		case OPT_PREVIEW: opt->mode = MODE_PREVIEW; opt->preview_base = optarg; modes++; break;
		case OPT_PREVIEW_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "markdown"))
				return usage_error("--preview-format is text or markdown, not '%s'", optarg);
			opt->preview_format = strcmp(optarg, "text") ? PREVIEW_MARKDOWN : PREVIEW_TEXT;
			break;
		case OPT_TEMPLATE_DIR: opt->template_dir = optarg; break;
		case 'W':
			if (warning_option(optarg, opt) < 0)
				return warning_error(optarg);
			break;
		case OPT_LIST_WARNINGS: {
			struct strbuf sb = STRBUF_INIT;
			diag_list_codes(&sb);
			fputs(sb.buf, stdout);
			strbuf_release(&sb);
			return fflush(stdout) ? EXIT_USAGE_OR_IO : EXIT_OK;
		}
		case 'h': {
			struct strbuf sb = STRBUF_INIT;
			usage_full(&sb);
			fputs(sb.buf, stdout);
			strbuf_release(&sb);
			return EXIT_OK;
		}
		case 'V':
			printf("ecsgen %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (modes > 1)
		return usage_error("%s", "--validate, --check, --dump-ir and --preview exclude each other");
	if (!*opt->output)
		return usage_error("%s", "the output folder must not be empty");
	if (argc - optind > 1)
		return usage_error("more than one FILE given ('%s' ...)", argv[optind + 1]);
	opt->file = optind < argc ? argv[optind] : getenv("VALUES_FILE");
	if (!opt->file || !*opt->file)
		opt->file = "infra.yml";
	return -1;
}

/* Stage 1: read the file. */
static struct source *load(struct arena *arena, const char *file)
{
	const char *name = strcmp(file, "-") ? file : "<stdin>";
	struct source *src = source_read_file(arena, file, name, INFRA_MAX_BYTES);

	if (!src)
		fprintf(stderr, "ecsgen: error: cannot read '%s': %s\n", name,
			errno == EFBIG ? "file is larger than 1 MiB" : strerror(errno));
	return src;
}

static const char *folder_of(struct arena *arena, const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!strcmp(file, "-") || !slash)
		return ".";
	if (slash == file)
		return "/";
	return arena_strndup(arena, file, (size_t)(slash - file));
}

/* Stages 2-4: syntax tree, schema check, lowering.  NULL when input is bad. */
static struct ir *compile(struct arena *arena, struct source *src, const char *file,
			  struct diag_list *diags)
{
	struct node *root = yaml_load(arena, src, diags);
	struct ir *ir;

	if (!root)
		return NULL;
	ir = check_tree(arena, root, folder_of(arena, file), diags);
	check_rules(ir, diags);
	if (diags->nerrors)
		return NULL;
	lower_ir(arena, ir);
	return ir;
}

/*
 * Stage 5: compile the templates once (built-in, or overridden from
 * template_dir), then every row of the output table into one tree.
 */
static int emit(struct arena *arena, const struct ir *ir, const char *template_dir,
		struct diag_list *diags, struct out_tree *out)
{
	struct emit_context ctx = { ir, arena, diags, NULL, out };

	ctx.templates = tpl_set_load(arena, diags, template_dir);
	if (!ctx.templates)
		return -1;
	emitters_run(&ctx);
	out_tree_sort(out);
	return diags->nerrors ? -1 : 0;
}

/* Stage 6: the tree goes to disk, atomically. */
static int commit(const struct out_tree *out, const char *dir)
{
	struct strbuf err = STRBUF_INIT;
	int status = EXIT_OK;

	if (writer_commit(out, dir, &err) < 0) {
		fprintf(stderr, "ecsgen: error: %s\n", err.buf);
		status = EXIT_USAGE_OR_IO;
	}
	strbuf_release(&err);
	return status;
}

/* --check: the same tree, compared with DIR instead of written; a stale DIR ends with the impact. */
static int compare(struct arena *arena, const struct ir *ir, const struct out_tree *out, const char *dir)
{
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	int r = compare_tree(out, dir, &report, &err), status;

	if (r > 0 && preview_summary(arena, ir, out, dir, &report, &err) < 0)
		r = -1;
	if (r < 0) {
		fprintf(stderr, "ecsgen: error: %s\n", err.buf);
		status = EXIT_USAGE_OR_IO;
	} else if (r > 0) {
		fputs(report.buf, stdout);
		fprintf(stderr, "ecsgen: '%s' is out of date: run ecsgen without --check to regenerate it\n", dir);
		status = EXIT_INVALID_INPUT;
	} else {
		status = EXIT_OK;
	}
	strbuf_release(&report);
	strbuf_release(&err);
	return status;
}

/* --preview: the same tree, against the stacks a base out/ deployed. */
static int preview(struct arena *arena, const struct ir *ir, const struct out_tree *out,
		   const struct options *opt)
{
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	int r = preview_tree(arena, ir, out, opt->preview_base, opt->preview_format, &report, &err);

	if (r < 0)
		fprintf(stderr, "ecsgen: error: %s\n", err.buf);
	else
		fputs(report.buf, stdout);
	strbuf_release(&report);
	strbuf_release(&err);
	if (r < 0 || fflush(stdout))
		return EXIT_USAGE_OR_IO;
	return r ? EXIT_MAY_BE_BLOCKED : EXIT_OK;
}

static int dump(const struct ir *ir)
{
	struct strbuf sb = STRBUF_INIT;
	ir_dump(ir, &sb);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	return fflush(stdout) ? EXIT_USAGE_OR_IO : EXIT_OK;
}

static void apply_policy(const struct options *opt, struct diag_list *diags)
{
	int i;

	diags->all_errors = opt->all_errors;
	for (i = 0; i < DIAG__COUNT; i++)
		if (opt->policy[i] != DIAG_POLICY_DEFAULT)
			diag_set_policy(diags, (enum diag_code)i, (enum diag_policy)opt->policy[i]);
}

int driver_main(int argc, char **argv)
{
	struct options opt;
	struct arena *arena;
	struct diag_list diags;
	struct out_tree out;
	struct source *src;
	struct ir *ir = NULL;
	int status = parse_options(argc, argv, &opt);

	if (status >= 0)
		return status;
	arena = arena_new();
	diag_list_init(&diags, arena);
	apply_policy(&opt, &diags);
	out_tree_init(&out);

	src = load(arena, opt.file);
	if (!src)
		status = EXIT_USAGE_OR_IO;
	else
		ir = compile(arena, src, opt.file, &diags);
	/* --validate runs the emitters too: it must refuse what a compile refuses. */
	if (ir && opt.mode != MODE_DUMP_IR)
		emit(arena, ir, opt.template_dir, &diags, &out);
	diag_print(&diags, stderr, opt.quiet);

	if (status < 0 && diags.nerrors)
		status = EXIT_INVALID_INPUT;
	else if (status < 0 && opt.mode == MODE_DUMP_IR)
		status = dump(ir);
	else if (status < 0 && opt.mode == MODE_VALIDATE)
		status = EXIT_OK;
	else if (status < 0 && opt.mode == MODE_CHECK)
		status = compare(arena, ir, &out, opt.output);
	else if (status < 0 && opt.mode == MODE_PREVIEW)
		status = preview(arena, ir, &out, &opt);
	else if (status < 0)
		status = commit(&out, opt.output);

	out_tree_release(&out);
	diag_list_release(&diags);
	arena_free(arena);
	return status;
}
