/*
 * tpl-tool.c - the template engine and escapers from the command line, for
 * the shell tests and the benchmark (not installed).
 *
 *	tpl-tool hostile-count             the size of the hostile corpus
 *	tpl-tool hostile N                 its Nth string, raw, on stdout
 *	tpl-tool escape F[,F...]           stdin through escapers F (json yaml
 *	                                   hcl sh make recipe cfnsub markdown),
 *	                                   in order;
 *	                                   exit 1 with the reason when one
 *	                                   cannot represent it
 *	tpl-tool json-item N               element N of the JSON array on stdin,
 *	                                   raw, on stdout (reads packer's output)
 *	tpl-tool check FILE NAME           compile FILE as templates/NAME against
 *	                                   the real schema; diagnostics on stdout
 *	tpl-tool load [DIR]                load every embedded template (DIR:
 *	                                   --template-dir); print the names of
 *	                                   templates and assets, or diagnostics
 *	tpl-tool bench FLEETS REPS         render a synthetic IR REPS times:
 *	                                   prints "bytes median_ns"
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "arena.h"
#include "diag.h"
#include "escape.h"
#include "hostile.h"
#include "ir.h"
#include "schema.h"
#include "source.h"
#include "strbuf.h"
#include "tpl.h"

static int usage(void)
{
	fputs("usage: tpl-tool hostile-count | hostile N | escape F[,F...] | check FILE NAME | bench FLEETS REPS\n", stderr);
	return 2;
}

static void read_all(FILE *f, struct strbuf *sb)
{
	char buf[8192];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_add(sb, buf, n);
}

static int escape_cmd(const char *filters)
{
	static const struct { const char *name; int (*fn)(struct strbuf *, const char *, size_t, struct escape_error *); } table[] = {
		{ "json", escape_json }, { "yaml", escape_yaml }, { "hcl", escape_hcl },
		{ "sh", escape_sh }, { "make", escape_make }, { "recipe", escape_recipe },
		{ "cfnsub", escape_cfnsub }, { "markdown", escape_markdown },
	};
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	char *list = strdup(filters), *name, *save = NULL;
	int ret = 0;

	read_all(stdin, &in);
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		struct escape_error err;
		size_t i;
		for (i = 0; i < sizeof table / sizeof *table; i++)
			if (!strcmp(table[i].name, name))
				break;
		if (i == sizeof table / sizeof *table) {
			fprintf(stderr, "tpl-tool: unknown escaper '%s'\n", name);
			ret = 2;
			break;
		}
		strbuf_reset(&out);
		if (table[i].fn(&out, in.buf, in.len, &err)) {
			fprintf(stderr, "%s: offset %zu: %s\n", name, err.offset, err.reason);
			ret = 1;
			break;
		}
		strbuf_reset(&in);
		strbuf_add(&in, out.buf, out.len);
	}
	if (!ret)
		fwrite(in.buf, 1, in.len, stdout);
	free(list);
	strbuf_release(&in);
	strbuf_release(&out);
	return ret;
}

static int json_item_cmd(size_t n)
{
	struct strbuf in = STRBUF_INIT;
	struct json_object *arr, *item;
	int ret = 1;

	read_all(stdin, &in);
	arr = json_tokener_parse(in.buf);
	if (arr && json_object_is_type(arr, json_type_array) && n < json_object_array_length(arr)) {
		item = json_object_array_get_idx(arr, n);
		if (json_object_is_type(item, json_type_string)) {
			fwrite(json_object_get_string(item), 1, (size_t)json_object_get_string_len(item), stdout);
			ret = 0;
		}
	}
	if (ret)
		fprintf(stderr, "tpl-tool: no string %zu in the JSON array on stdin\n", n);
	json_object_put(arr);
	strbuf_release(&in);
	return ret;
}

static int check_cmd(const char *path, const char *name)
{
	struct arena *arena = arena_new();
	struct diag_list diags;
	struct source *src;
	int ret;

	diag_list_init(&diags, arena);
	src = source_read_file(arena, path, arena_printf(arena, "templates/%s", name), 1 << 22);
	if (!src) {
		perror(path);
		return 2;
	}
	ret = tpl_compile(arena, &diags, src, &schema_root) ? 0 : 1;
	diag_print(&diags, stdout, false);
	diag_list_release(&diags);
	arena_free(arena);
	return ret;
}

static int load_cmd(const char *dir)
{
	struct arena *arena = arena_new();
	struct diag_list diags;
	struct tpl_set *set;
	const char *const *names;
	size_t i, n;

	diag_list_init(&diags, arena);
	set = tpl_set_load(arena, &diags, dir, NULL);
	diag_print(&diags, stdout, false);
	if (set) {
		n = tpl_set_names(set, &names);
		for (i = 0; i < n; i++) {
			size_t len = 0;
			tpl_asset(set, names[i], &len);
			printf("%s %zu\n", names[i], len);
		}
	}
	diag_list_release(&diags);
	arena_free(arena);
	return set ? 0 : 1;
}

static const char bench_template[] =
	"{{% context sh }}\n"
	"# cluster {{ cluster.name | sh }}\n"
	"{{#each ec2_instances.spot_fleets as fleet}}\n"
	"fleet_{{ @index }}={{ fleet.name | sh }} # {{ fleet.logical_id | upper | sh }}\n"
	"{{#each fleet.bids as bid}}\n"
	"  bid {{ bid.instance_type | sh }} {{ bid.price }} {{ bid.weight }}{{#if not @last}},{{/if}}\n"
	"{{/each}}\n"
	"{{/each}}\n";

static int compare_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int bench_cmd(long fleets, long reps)
{
	struct arena *arena = arena_new();
	struct diag_list diags;
	struct ir *ir = arena_alloc(arena, sizeof *ir);
	struct ir_spot_fleet *f;
	struct strbuf out = STRBUF_INIT;
	long long *ns;
	const struct tpl *tpl;
	long i, j;

	diag_list_init(&diags, arena);
	ir->cluster.name.value = "bench-cluster";
	ir->ec2_instances.spot_fleets.n = (size_t)fleets;
	ir->ec2_instances.spot_fleets.items = f = arena_array(arena, (size_t)fleets, sizeof *f);
	for (i = 0; i < fleets; i++) {
		f[i].name.value = arena_printf(arena, "fleet-%ld it's", i);
		f[i].logical_id.value = arena_printf(arena, "Fleet%ld", i);
		f[i].bids.n = 4;
		f[i].bids.items = arena_array(arena, 4, sizeof *f[i].bids.items);
		for (j = 0; j < 4; j++) {
			f[i].bids.items[j].instance_type.value = j % 2 ? "m5.large" : "c5.xlarge";
			f[i].bids.items[j].price.text = "0.0123";
			f[i].bids.items[j].weight.value = j + 1;
		}
	}
	tpl = tpl_compile(arena, &diags, source_from_memory(arena, "templates/bench.sh.tpl",
				bench_template, sizeof bench_template - 1), &schema_root);
	if (!tpl) {
		diag_print(&diags, stderr, false);
		return 1;
	}
	ns = calloc((size_t)reps, sizeof *ns);
	for (i = 0; i < reps; i++) {
		struct timespec t0, t1;
		strbuf_reset(&out);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (tpl_render_one(tpl, ir, NULL, &out, &diags))
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ns[i] = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
	}
	qsort(ns, (size_t)reps, sizeof *ns, compare_ll);
	printf("%zu %lld\n", out.len, ns[reps / 2]);
	free(ns);
	strbuf_release(&out);
	diag_list_release(&diags);
	arena_free(arena);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "hostile-count")) {
		printf("%zu\n", hostile_count());
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "hostile")) {
		size_t len, i = strtoul(argv[2], NULL, 10);
		const char *s;
		if (i >= hostile_count())
			return usage();
		s = hostile_get(i, &len);
		fwrite(s, 1, len, stdout);
		return hostile_is_utf8(i) ? 0 : 3;
	}
	if (argc == 3 && !strcmp(argv[1], "escape"))
		return escape_cmd(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "json-item"))
		return json_item_cmd(strtoul(argv[2], NULL, 10));
	if (argc == 4 && !strcmp(argv[1], "check"))
		return check_cmd(argv[2], argv[3]);
	if ((argc == 2 || argc == 3) && !strcmp(argv[1], "load"))
		return load_cmd(argc == 3 ? argv[2] : NULL);
	if (argc == 4 && !strcmp(argv[1], "bench"))
		return bench_cmd(atol(argv[2]), atol(argv[3]));
	return usage();
}
