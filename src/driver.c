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
#include <unistd.h>
#include <sys/stat.h>

#include "arena.h"
#include "check.h"
#include "compare.h"
#include "diag.h"
#include "driver.h"
#include "emitter.h"
#include "environment.h"
#include "ir.h"
#include "init.h"
#include "ir_dump.h"
#include "json_schema.h"
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
#include "xalloc.h"

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
	unsigned max_errors;
	const char **include_dirs; /* -I DIR, NULL-terminated; argv's strings */
	size_t ninclude;
	bool fsync;
	enum diag_format diagnostics; /* --diagnostics-format */
	int color;                    /* --color: -1 auto, 0 never, 1 always */
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

/* After --help or --version: a full or closed standard output is an I/O error. */
static int flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "ecsgen: error: cannot write standard output: %s\n", strerror(errno));
		return EXIT_USAGE_OR_IO;
	}
	return EXIT_OK;
}

/* Returns -1 to go on, or the exit status (help, version, usage error). */
static int parse_options(int argc, char **argv, struct options *opt)
{
	enum { OPT_VALIDATE = 256, OPT_CHECK, OPT_DUMP_IR, OPT_TEMPLATE_DIR, OPT_LIST_WARNINGS,
	       OPT_MAX_ERRORS, OPT_FSYNC, OPT_DIAGNOSTICS_FORMAT, OPT_COLOR, OPT_PREVIEW,
	       OPT_PREVIEW_FORMAT, OPT_SCHEMA };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "validate", no_argument, NULL, OPT_VALIDATE },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "dump-ir", no_argument, NULL, OPT_DUMP_IR },
		{ "preview", required_argument, NULL, OPT_PREVIEW },
		{ "preview-format", required_argument, NULL, OPT_PREVIEW_FORMAT },
		{ "template-dir", required_argument, NULL, OPT_TEMPLATE_DIR },
		{ "max-errors", required_argument, NULL, OPT_MAX_ERRORS },
		{ "include-dir", required_argument, NULL, 'I' },
		{ "fsync", no_argument, NULL, OPT_FSYNC },
		{ "diagnostics-format", required_argument, NULL, OPT_DIAGNOSTICS_FORMAT },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "quiet", no_argument, NULL, 'q' },
		{ "list-warnings", no_argument, NULL, OPT_LIST_WARNINGS },
		{ "schema", no_argument, NULL, OPT_SCHEMA },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, modes = 0;

	memset(opt, 0, sizeof *opt);
	opt->output = "out";
	opt->max_errors = DIAG_MAX_ERRORS_DEFAULT;
	opt->color = -1;
	opt->include_dirs = xcalloc((size_t)argc + 1, sizeof *opt->include_dirs);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:I:qhVW:", longopts, NULL)) != -1) {
		switch (c) {
		case 'I': {
			struct stat st;
			const char *why = stat(optarg, &st) < 0 ? strerror(errno)
					  : !S_ISDIR(st.st_mode) ? "not a folder" : NULL;
			if (why) {
				fprintf(stderr, "ecsgen: error: cannot use include folder '%s': %s\n", optarg, why);
				return EXIT_USAGE_OR_IO;
			}
			opt->include_dirs[opt->ninclude++] = optarg;
			break;
		}
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
			return flush_stdout();
		}
		case OPT_SCHEMA: {
			struct strbuf sb = STRBUF_INIT;
			json_schema_write(&sb);
			fputs(sb.buf, stdout);
			strbuf_release(&sb);
			return flush_stdout();
		}
		case OPT_MAX_ERRORS: {
			char *end;
			unsigned long n;
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (!*optarg || *end || errno || n > 1000000 || *optarg == '-' || *optarg == '+')
				return usage_error("--max-errors takes a count from 0 to 1000000, not '%s'", optarg);
			opt->max_errors = (unsigned)n;
			break;
		}
		case OPT_FSYNC: opt->fsync = true; break;
		case OPT_DIAGNOSTICS_FORMAT: {
			int f = diag_format_find(optarg);
			if (f < 0)
				return usage_error("--diagnostics-format is text, json, sarif or junit, not '%s'", optarg);
			opt->diagnostics = (enum diag_format)f;
			break;
		}
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "always"))
				opt->color = 1;
			else if (!strcmp(optarg, "never"))
				opt->color = 0;
			else if (!strcmp(optarg, "auto"))
				opt->color = -1;
			else
				return usage_error("--color is auto, always or never, not '%s'", optarg);
			break;
		case 'h': {
			struct strbuf sb = STRBUF_INIT;
			usage_full(&sb);
			fputs(sb.buf, stdout);
			strbuf_release(&sb);
			return flush_stdout();
		}
		case 'V':
			printf("ecsgen %s\n", PACKAGE_VERSION);
			return flush_stdout();
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
	if (optind < argc && !*argv[optind])
		return usage_error("%s", "the FILE argument is empty");
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

/*
 * With 'environments' (issue 19): each environment is one cluster, its own
 * IR and its own tree (out/<name>/); infra.yml's IR names the pipeline.
 */
struct environments {
	struct emit_environment *stages; /* in infra.yml's order */
	struct out_tree *trees;          /* each stage's, paths relative to out/<name>/ */
	size_t n;
};

/* Stages 2-4 for one tree: schema check and cross-field rules. */
static struct ir *check(struct arena *arena, const struct node *root, const char *dir,
			const char *const *include_dirs, struct diag_list *diags)
{
	struct ir *ir = check_tree(arena, root, dir, include_dirs, diags);
	check_rules(ir, diags);
	return ir;
}

/*
 * An environment's overlay, <name>.yml beside infra.yml: its tree, or NULL
 * when there is none (the environment is infra.yml as it is) or it is bad
 * (diagnosed).  -1 in *io on an I/O error (reported).
 */
static struct node *load_overlay(struct arena *arena, const char *dir, const char *name,
				 struct diag_list *diags, int *io)
{
	const char *path = strcmp(dir, ".") ? arena_printf(arena, "%s/%s.yml", dir, name)
					   : arena_printf(arena, "%s.yml", name);
	struct source *src = source_read_file(arena, path, path, INFRA_MAX_BYTES);
	struct node *root;

	if (!src) {
		if (errno == ENOENT)
			return NULL;
		fprintf(stderr, "ecsgen: error: cannot read '%s': %s\n", path,
			errno == EFBIG ? "file is larger than 1 MiB" : strerror(errno));
		*io = -1;
		return NULL;
	}
	root = yaml_load(arena, src, diags);
	if (root)
		check_overlay(root, name, diags);
	return root;
}

/* Every environment's tree, checked; envs->n stays 0 when infra.yml lists none. */
static int check_environments(struct arena *arena, struct node *root, const struct ir *base, const char *dir,
			      const char *const *include_dirs, struct diag_list *diags, struct environments *envs)
{
	const struct ir_strings *list = &base->environments;
	const struct ir **irs;
	const char **names;
	int io = 0;
	size_t i;

	if (!list->present || !list->n)
		return 0;
	/* The environments repeat what infra.yml holds: each of its mistakes is told once. */
	diags->unique = true;
	envs->n = list->n;
	envs->stages = arena_array(arena, list->n, sizeof *envs->stages);
	irs = arena_array(arena, list->n, sizeof *irs);
	names = arena_array(arena, list->n, sizeof *names);
	for (i = 0; i < list->n; i++) {
		const struct ir_string *e = &list->items[i];
		struct node *over, *tree;
		size_t j;

		names[i] = e->value;
		for (j = 0; e->present && j < i; j++)
			if (list->items[j].present && !strcmp(list->items[j].value, e->value))
				break;
		if (!e->present || j < i)
			continue; /* a bad name or a second one: diagnosed */
		over = load_overlay(arena, dir, e->value, diags, &io);
		tree = environment_tree(arena, root, over, e->value, e->loc);
		envs->stages[i].name = e->value;
		envs->stages[i].ir = irs[i] = check(arena, tree, dir, include_dirs, diags);
	}
	check_environments_apart(irs, names, list->n, diags);
	return io;
}

/*
 * Stages 2-4: syntax tree, schema check, lowering, of infra.yml and of each
 * of its environments.  NULL when input is bad (or *io on an I/O error).
 */
static struct ir *compile(struct arena *arena, struct source *src, const char *file,
			  const char *const *include_dirs, struct diag_list *diags,
			  struct environments *envs, int *io)
{
	struct node *root = yaml_load(arena, src, diags);
	const char *dir = folder_of(arena, file);
	struct ir *ir;
	size_t i;

	if (!root)
		return NULL;
	ir = check(arena, root, dir, include_dirs, diags);
	*io = check_environments(arena, root, ir, dir, include_dirs, diags, envs);
	if (diags->nerrors || *io)
		return NULL;
	lower_ir(arena, ir);
	for (i = 0; i < envs->n; i++)
		lower_ir(arena, (struct ir *)envs->stages[i].ir);
	return ir;
}

/* out/<name>/PATH for each of tree's files. */
static void add_prefixed(struct out_tree *out, const char *name, const struct out_tree *tree)
{
	struct strbuf path = STRBUF_INIT;
	size_t i;

	for (i = 0; i < tree->n; i++) {
		strbuf_setlen(&path, 0);
		strbuf_addf(&path, "%s/%s", name, tree->files[i].path);
		out_tree_add_copy(out, path.buf, tree->files[i].data, tree->files[i].len, tree->files[i].mode);
	}
	strbuf_release(&path);
}

/*
 * Stage 5: compile the templates once (built-in, or overridden from
 * template_dir), then every row of the output table into one tree: for
 * each environment into its own tree, then out/<name>/ of the whole, and
 * the pipeline's rows at the top.
 */
static int emit(struct arena *arena, const struct ir *ir, const char *template_dir,
		struct diag_list *diags, struct environments *envs, struct out_tree *out)
{
	struct emit_environment single = { NULL, ir };
	struct emit_context ctx = { ir, arena, diags, NULL, out, EMIT_PASS_ALL, NULL, &single, 1 };
	bool io_error = false;
	size_t i;

	ctx.templates = tpl_set_load(arena, diags, template_dir, &io_error);
	if (!ctx.templates)
		return io_error ? EXIT_USAGE_OR_IO : -1;
	if (envs->n) {
		ctx.stages = envs->stages;
		ctx.nstages = envs->n;
		envs->trees = xcalloc(envs->n, sizeof *envs->trees);
		for (i = 0; i < envs->n; i++) {
			out_tree_init_in(&envs->trees[i], arena);
			ctx.ir = envs->stages[i].ir;
			ctx.out = &envs->trees[i];
			ctx.pass = EMIT_PASS_CLUSTER;
			ctx.environment = envs->stages[i].name;
			emitters_run(&ctx);
			out_tree_sort(&envs->trees[i]);
			add_prefixed(out, envs->stages[i].name, &envs->trees[i]);
		}
		ctx.ir = ir;
		ctx.out = out;
		ctx.pass = EMIT_PASS_PIPELINE;
		ctx.environment = NULL;
	}
	emitters_run(&ctx);
	out_tree_sort(out);
	return diags->nerrors ? -1 : 0;
}

static void environments_release(struct environments *envs)
{
	size_t i;

	if (envs->trees)
		for (i = 0; i < envs->n; i++)
			out_tree_release(&envs->trees[i]);
	free(envs->trees);
}

/* Stage 6: the tree goes to disk, atomically. */
static int commit(const struct out_tree *out, const char *dir, bool durable)
{
	struct strbuf err = STRBUF_INIT;
	int status = EXIT_OK;

	if (writer_commit(out, dir, durable ? WRITER_DURABLE : 0, &err) < 0) {
		fprintf(stderr, "ecsgen: error: %s\n", err.buf);
		status = EXIT_USAGE_OR_IO;
	}
	strbuf_release(&err);
	return status;
}

/* The impact of each stale tree: the one cluster's, or each environment's in out/<name>/. */
static int summaries(struct arena *arena, const struct ir *ir, const struct environments *envs,
		     const struct out_tree *out, const char *dir, struct strbuf *report, struct strbuf *err)
{
	size_t i;

	if (!envs->n)
		return preview_summary(arena, ir, out, dir, report, err);
	for (i = 0; i < envs->n; i++) {
		const char *sub = arena_printf(arena, "%s/%s", dir, envs->stages[i].name);
		strbuf_addf(report, "environment %s: ", envs->stages[i].name);
		if (preview_summary(arena, envs->stages[i].ir, &envs->trees[i], sub, report, err) < 0)
			return -1;
	}
	return 0;
}

/* --check: the same tree, compared with DIR instead of written; a stale DIR ends with the impact. */
static int compare(struct arena *arena, const struct ir *ir, const struct environments *envs,
		   const struct out_tree *out, const char *dir)
{
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	int r = compare_tree(out, dir, &report, &err), status;

	if (r > 0 && summaries(arena, ir, envs, out, dir, &report, &err) < 0)
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

/* --preview: the same tree, against the stacks a base out/ deployed (each environment's, in base/<name>/). */
static int preview(struct arena *arena, const struct ir *ir, const struct environments *envs,
		   const struct out_tree *out, const struct options *opt)
{
	struct strbuf report = STRBUF_INIT, err = STRBUF_INIT;
	int r = 0, one;
	size_t i;

	if (!envs->n)
		r = preview_tree(arena, ir, out, opt->preview_base, opt->preview_format, &report, &err);
	for (i = 0; i < envs->n && r >= 0; i++) {
		const char *base = arena_printf(arena, "%s/%s", opt->preview_base, envs->stages[i].name);
		strbuf_addf(&report, "%senvironment %s:\n", i ? "\n" : "", envs->stages[i].name);
		one = preview_tree(arena, envs->stages[i].ir, &envs->trees[i], base, opt->preview_format, &report, &err);
		r = one < 0 ? -1 : r || one;
	}
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

/*
 * GCC's rule: --color=auto colours a terminal, unless NO_COLOR is set (and
 * not empty) or TERM is dumb; CLICOLOR_FORCE (set, not "0") colours anyway.
 * An explicit --color=always or never wins over both variables.
 */
static bool use_color(int option)
{
	const char *no = getenv("NO_COLOR"), *force = getenv("CLICOLOR_FORCE"), *term = getenv("TERM");

	if (option >= 0)
		return option;
	if (no && *no)
		return false;
	if (force && *force && strcmp(force, "0"))
		return true;
	return isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
}

static void apply_policy(const struct options *opt, struct diag_list *diags)
{
	int i;

	diags->all_errors = opt->all_errors;
	diags->color = opt->diagnostics == DIAG_FORMAT_TEXT && use_color(opt->color);
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
	struct environments envs = { NULL, NULL, 0 };
	struct source *src;
	struct ir *ir = NULL;
	int status, io = 0;

	if (argc > 1 && !strcmp(argv[1], "init"))
		return init_main(argc - 1, argv + 1);
	status = parse_options(argc, argv, &opt);
	if (status >= 0) {
		free(opt.include_dirs);
		return status;
	}
	arena = arena_new();
	diag_list_init(&diags, arena);
	apply_policy(&opt, &diags);
	diags.max_errors = opt.max_errors;
	out_tree_init_in(&out, arena);

	src = load(arena, opt.file);
	if (!src)
		status = EXIT_USAGE_OR_IO;
	else
		ir = compile(arena, src, opt.file, opt.include_dirs, &diags, &envs, &io);
	if (io)
		status = EXIT_USAGE_OR_IO;
	/* --validate runs the emitters too: it must refuse what a compile refuses. */
	if (ir && opt.mode != MODE_DUMP_IR &&
	    emit(arena, ir, opt.template_dir, &diags, &envs, &out) == EXIT_USAGE_OR_IO)
		status = EXIT_USAGE_OR_IO;
	diag_report(&diags, stderr, opt.diagnostics, opt.quiet);

	if (status < 0 && diags.nerrors)
		status = EXIT_INVALID_INPUT;
	else if (status < 0 && opt.mode == MODE_DUMP_IR)
		status = dump(ir);
	else if (status < 0 && opt.mode == MODE_VALIDATE)
		status = EXIT_OK;
	else if (status < 0 && opt.mode == MODE_CHECK)
		status = compare(arena, ir, &envs, &out, opt.output);
	else if (status < 0 && opt.mode == MODE_PREVIEW)
		status = preview(arena, ir, &envs, &out, &opt);
	else if (status < 0)
		status = commit(&out, opt.output, opt.fsync);

	environments_release(&envs);
	out_tree_release(&out);
	diag_list_release(&diags);
	arena_free(arena);
	free(opt.include_dirs);
	return status;
}
