/*
 * engine.c - unit tests of the template engine: scanner, parser, checker
 * and renderer (src/tpl_*.c, grammar/tpl_*), against the real schema and IR.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"
#include "schema.h"
#include "source.h"
#include "strbuf.h"
#include "tpl.h"

static struct arena *arena;
static struct diag_list diags;
static struct ir *ir;

static void setup(void)
{
	static struct ir_string subnets[2];
	static struct ir_spot_fleet fleets[2];
	static struct ir_bid bids[3];

	arena = arena_new();
	diag_list_init(&diags, arena);
	ir = arena_alloc(arena, sizeof *ir);
	ir->cluster.name.value = "prod";
	ir->cluster.container_insights.value = true;
	subnets[0].value = "subnet-1";
	subnets[1].value = "subnet 2's";
	ir->cluster.subnets.items = subnets;
	ir->cluster.subnets.n = 2;
	bids[0].instance_type.value = "m5.large";
	bids[0].price.text = "0.05";
	bids[0].weight.value = 2;
	bids[1].instance_type.value = "c5.xlarge";
	bids[1].price.text = "0.1";
	bids[1].weight.value = 4;
	bids[2].instance_type.value = "t3.small";
	bids[2].price.text = "0.01";
	bids[2].weight.value = 1;
	fleets[0].name.value = "spot-a";
	fleets[0].logical_id.value = "SpotA";
	fleets[0].timeout.seconds = 120;
	fleets[0].bids.items = bids;
	fleets[0].bids.n = 2;
	fleets[1].name.value = "spot-b";
	fleets[1].logical_id.value = "SpotB";
	fleets[1].bids.items = bids + 2;
	fleets[1].bids.n = 1;
	ir->ec2_instances.spot_fleets.items = fleets;
	ir->ec2_instances.spot_fleets.n = 2;
	fleets[0].variant.value = "arm64";
	fleets[1].variant.value = "x86_64";
}

static void teardown(void)
{
	diag_list_release(&diags);
	arena_free(arena);
}

TestSuite(tpl, .init = setup, .fini = teardown);

static const char *diag_text(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	const char *s;

	diag_sort(&diags);
	for (i = 0; i < diags.n; i++)
		diag_format(&sb, &diags.items[i]);
	s = arena_strdup(arena, sb.buf);
	strbuf_release(&sb);
	return s;
}

static struct tpl *compile(const char *name, const char *text)
{
	return tpl_compile(arena, &diags, source_from_memory(arena, name, text, strlen(text)), &schema_root);
}

/* Render text (a template named name) or fail the test with its diagnostics. */
static const char *render_vars(const char *name, const char *text, const struct tpl_vars *vars)
{
	struct tpl *tpl = compile(name, text);
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	cr_assert(tpl, "compile failed:\n%s", diag_text());
	cr_assert_eq(tpl_render_one(tpl, ir, vars, &sb, &diags), 0, "render failed:\n%s", diag_text());
	s = arena_strndup(arena, sb.buf, sb.len);
	strbuf_release(&sb);
	return s;
}

static const char *render(const char *text)
{
	return render_vars("templates/t.tpl", text, NULL);
}

/* The diagnostics of a template that must not compile. */
static const char *errors(const char *name, const char *text)
{
	diags.n = 0;
	diags.nerrors = diags.nwarnings = 0;
	cr_assert_null(compile(name, text), "compiled: %s", text);
	return diag_text();
}

Test(tpl, text_is_copied_byte_for_byte)
{
	cr_expect_str_eq(render("a } }} { $ ${x} %{y} \\\r\n\ttab"), "a } }} { $ ${x} %{y} \\\r\n\ttab");
	cr_expect_str_eq(render(""), "");
}

Test(tpl, interpolation_and_filters)
{
	cr_expect_str_eq(render("{{ cluster.name }}|{{cluster.name|upper}}|{{ cluster.vpc | default(\"vpc-0\") }}"),
			 "prod|PROD|vpc-0");
	cr_expect_str_eq(render("[{{ cluster.keypair }}]"), "[]", "absent is empty");
	cr_expect_str_eq(render("{{ cluster.name | json }} {{ cluster.subnets | json }}"),
			 "\"prod\" [\"subnet-1\",\"subnet 2's\"]");
	cr_expect_str_eq(render("{{ cluster.subnets | sh }}|{{ cluster.subnets | hcl }}|{{ cluster.subnets | yaml }}"),
			 "subnet-1 'subnet 2'\\''s'|[\"subnet-1\", \"subnet 2's\"]|[\"subnet-1\", \"subnet 2's\"]");
	cr_expect_str_eq(render("{{ \"a ${b} '\" | cfnsub | sh | make }}"), "'a $${!b} '\\'''");
	cr_expect_str_eq(render("{{ cluster.container_insights }} {{ cluster.container_insights | json }}"), "true true");
	cr_expect_str_eq(render("{{ 42 }} {{ \"{{\" }}timestamp}}"), "42 {{timestamp}}");
}

Test(tpl, conditions)
{
	cr_expect_str_eq(render("{{#if cluster.container_insights}}on{{else}}off{{/if}}"), "on");
	cr_expect_str_eq(render("{{#if cluster.keypair}}key{{else}}no key{{/if}}"), "no key");
	cr_expect_str_eq(render("{{#each ec2_instances.spot_fleets as f}}"
				"{{#if f.variant == \"arm64\" and not cluster.keypair}}graviton{{/if}}{{/each}}"), "graviton");
	cr_expect_str_eq(render("{{#each ec2_instances.spot_fleets as f}}"
				"{{#if f.variant != \"arm64\" or !cluster.subnets}}x{{else}}y{{/if}}{{/each}}"), "yx");
	cr_expect_str_eq(render("{{#if ec2_instances.auto_scaling_groups}}asg{{else}}no asg{{/if}}"), "no asg");
}

Test(tpl, each_with_index_first_last_and_nesting)
{
	cr_expect_str_eq(render("{{#each ec2_instances.spot_fleets as f}}{{@index}}:{{f.name}}"
				"({{#each f.bids as b}}{{b.instance_type}}={{b.price}}x{{b.weight}}"
				"{{#if not @last}},{{/if}}{{/each}}){{#if @first}};{{/if}}{{/each}}"),
			 "0:spot-a(m5.large=0.05x2,c5.xlarge=0.1x4);1:spot-b(t3.small=0.01x1)");
	cr_expect_str_eq(render("{{#each cluster.subnets as s}}<{{s | upper}}>{{/each}}"), "<SUBNET-1><SUBNET 2'S>");
	cr_expect_str_eq(render("{{#each ec2_instances.spot_fleets as f}}{{f.timeout}} {{/each}}"), "120 0 ");
}

Test(tpl, standalone_lines_and_tilde_trim_whitespace)
{
	cr_expect_str_eq(render("a\n{{! comment }}\n  {{#if cluster.name}}\nb\n  {{else}}\nc\n{{/if}}  \nd\n"),
			 "a\nb\nd\n");
	cr_expect_str_eq(render("x\n{{#each cluster.subnets as s}}\n- {{s}}\n{{/each}}\ny"),
			 "x\n- subnet-1\n- subnet 2's\ny");
	cr_expect_str_eq(render("a  \n\n  {{~ cluster.name ~}}  \n  b"), "aprodb");
	cr_expect_str_eq(render("a {{#if cluster.name}}b{{/if}} c\n"), "a b c\n", "inline tags keep their line");
	cr_expect_str_eq(render("l1\r\n{{! x }}\r\nl2"), "l1\r\nl2");
}

Test(tpl, raw_blocks_are_verbatim)
{
	cr_expect_str_eq(render("ami = \"ecs-{{#raw}}{{timestamp}}{{/raw}}\"\n"
				"{{#raw}}\ntags = { src = \"{{ .SourceAMI }}\" }\n{{/raw}}\n"),
			 "ami = \"ecs-{{timestamp}}\"\ntags = { src = \"{{ .SourceAMI }}\" }\n");
}

Test(tpl, params)
{
	struct tpl_vars *vars = tpl_vars_new(arena);
	const char *zones[] = { "a", "b c" };

	tpl_vars_string(vars, "stack.name", "prod-cluster");
	tpl_vars_int(vars, "count", 3);
	tpl_vars_bool(vars, "flag", true);
	tpl_vars_strings(vars, "zones", zones, 2);
	tpl_vars_object(vars, "fleet", "ec2_instances.spot_fleets[]", &ir->ec2_instances.spot_fleets.items[1]);
	cr_expect_str_eq(render_vars("templates/p.sh.tpl",
				     "{{% param stack.name: string }}\n{{% param count: int }}\n"
				     "{{% param flag: bool }}\n{{% param zones: strings }}\n"
				     "{{% param fleet: ec2_instances.spot_fleets[] }}\n"
				     "{{stack.name|sh}} {{count}} {{flag}} {{zones|sh}} {{fleet.name|sh}}"
				     "{{#each fleet.bids as b}} {{b.weight}}{{/each}}"
				     "{{#each zones as z}} <{{z|sh}}>{{/each}}\n", vars),
			 "prod-cluster 3 true a 'b c' spot-b 1 <a> <'b c'>\n");
}

Test(tpl, missing_or_mistyped_param_is_a_render_error)
{
	struct tpl *tpl = compile("templates/p.tpl", "{{% param version: string }}{{ version }}");
	struct tpl_vars *vars = tpl_vars_new(arena);
	struct strbuf sb = STRBUF_INIT;

	cr_assert(tpl);
	cr_expect_eq(tpl_render_one(tpl, ir, vars, &sb, &diags), -1);
	tpl_vars_int(vars, "version", 1);
	cr_expect_eq(tpl_render_one(tpl, ir, vars, &sb, &diags), -1);
	cr_expect_str_eq(diag_text(),
		"templates/p.tpl:1:11: error: the caller did not set param 'version' [template]\n"
		"    1 | {{% param version: string }}{{ version }}\n"
		"      |           ^~~~~~~\n"
		"templates/p.tpl:1:11: error: param 'version' is declared string but the caller set int [template]\n"
		"    1 | {{% param version: string }}{{ version }}\n"
		"      |           ^~~~~~~\n");
	strbuf_release(&sb);
}

Test(tpl, contexts_require_their_filter)
{
	cr_expect_str_eq(errors("templates/x.sh.tpl", "echo {{ cluster.name }}\n"),
		"templates/x.sh.tpl:1:9: error: unescaped value in a sh template [template]\n"
		"    1 | echo {{ cluster.name }}\n"
		"      |         ^~~~~~~~~~~~\n"
		"hint: end it with '| sh'\n");
	/* Integers, booleans, prices and literals need no filter. */
	cr_expect_str_eq(render_vars("templates/x.sh.tpl",
				     "echo {{ cluster.name | sh }} {{ cluster.container_insights }} {{ \"lit\" }}"
				     "{{#each ec2_instances.spot_fleets as f}} {{ f.timeout }}{{/each}}", NULL),
			 "echo prod true lit 120 0");
	cr_expect_str_eq(render_vars("templates/y.tpl", "{{% context yaml }}\nk: {{ cluster.name | json }}\n", NULL),
			 "k: \"prod\"\n");
	ir->cluster.name.value = "${x}";
	cr_expect_str_eq(render_vars("templates/s.sh.tpl", "echo {{ cluster.name | sh | cfnsub }}", NULL),
			 "echo '${!x}'", "cfnsub after sh keeps the value safe for sh");
	cr_expect(strstr(errors("templates/s.sh.tpl", "echo {{ cluster.name | sh | upper }}"),
			 "1:29: error: unescaped value in a sh template"));
}

Test(tpl, make_context_tells_recipes_from_assignments)
{
	cr_expect_str_eq(render_vars("templates/Makefile.tpl",
				     "CLUSTER := {{ cluster.name | sh | make }}\n"
				     "all:\n\techo {{ cluster.name | sh | recipe }} \\\n"
				     "\t  {{ cluster.name | sh | recipe }}\n", NULL),
			 "CLUSTER := prod\nall:\n\techo prod \\\n\t  prod\n");
	cr_expect_str_eq(errors("templates/Makefile.tpl", "all:\n\techo {{ cluster.name | sh | make }}\n"),
		"templates/Makefile.tpl:2:30: error: filter 'make' does not make a value safe in a make recipe line of a template [template]\n"
		"    2 | \techo {{ cluster.name | sh | make }}\n"
		"      | \t                            ^~~~\n"
		"hint: a recipe line is shell inside Make: end it with '| sh | recipe'\n");
	cr_expect_str_eq(errors("templates/a.mk.tpl", "X = {{ cluster.name | sh }}\n"),
		"templates/a.mk.tpl:1:23: error: filter 'sh' does not make a value safe in a make template [template]\n"
		"    1 | X = {{ cluster.name | sh }}\n"
		"      |                       ^~\n"
		"hint: end it with '| make' ('| sh | make' when a recipe passes it to the shell)\n");
}

Test(tpl, unknown_names_and_filters_with_hints)
{
	cr_expect_str_eq(errors("templates/t.tpl", "{{ clustr.name }}{{ cluster.nmae }}{{ cluster.name | jsno }}"),
		"templates/t.tpl:1:4: error: unknown name 'clustr' [template]\n"
		"    1 | {{ clustr.name }}{{ cluster.nmae }}{{ cluster.name | jsno }}\n"
		"      |    ^~~~~~\n"
		"hint: did you mean 'cluster'?\n"
		"templates/t.tpl:1:29: error: unknown key 'nmae' in 'cluster' [template]\n"
		"    1 | {{ clustr.name }}{{ cluster.nmae }}{{ cluster.name | jsno }}\n"
		"      |                             ^~~~\n"
		"hint: did you mean 'name'?\n"
		"templates/t.tpl:1:54: error: unknown filter 'jsno' [template]\n"
		"    1 | {{ clustr.name }}{{ cluster.nmae }}{{ cluster.name | jsno }}\n"
		"      |                                                      ^~~~\n"
		"hint: did you mean 'json'?\n");
}

Test(tpl, type_errors)
{
	const char *e = errors("templates/t.tpl",
		"{{ cluster }}\n{{ cluster.name.x }}\n{{#each cluster.name as x}}{{/each}}\n"
		"{{ cluster.subnets }}\n{{ cluster.name | default(3) }}\n{{ cluster.name | upper(1) }}\n"
		"{{ @index }}\n{{#if cluster.name == 1}}{{/if}}\n{{ ec2_instances.spot_fleets | json }}\n");
	cr_expect(strstr(e, "1:4: error: cannot write an object;"), "%s", e);
	cr_expect(strstr(e, "2:17: error: 'cluster.name' is a string: it has no key 'x'"), "%s", e);
	cr_expect(strstr(e, "3:9: error: '{{#each}}' needs a list, not a string"), "%s", e);
	cr_expect(strstr(e, "4:4: error: a list of strings needs a filter"), "%s", e);
	cr_expect(strstr(e, "5:27: error: 'default' of a string cannot be an integer"), "%s", e);
	cr_expect(strstr(e, "6:25: error: filter 'upper' takes no argument"), "%s", e);
	cr_expect(strstr(e, "7:4: error: '@index' outside '{{#each}}'"), "%s", e);
	cr_expect(strstr(e, "8:7: error: cannot compare a string with an integer"), "%s", e);
	cr_expect(strstr(e, "9:32: error: filter 'json' cannot write a list of objects"), "%s", e);
}

Test(tpl, syntax_errors_are_located)
{
	cr_expect_str_eq(errors("templates/t.tpl", "a\n{{#if cluster.name}}\n{{#each cluster.subnets as s}}\n{{/if}}\n"),
		"templates/t.tpl:4:1: error: expected '{{/each}}' (to close '{{#each' at line 3), found '{{/if}}' [template]\n"
		"    4 | {{/if}}\n"
		"      | ^~~~~\n");
	cr_expect(strstr(errors("templates/t.tpl", "x {{ cluster.name\n"),
			 "templates/t.tpl:1:3: error: unterminated tag: '{{' without '}}'"));
	cr_expect(strstr(errors("templates/t.tpl", "{{ a | }}"),
			 "templates/t.tpl:1:8: error: unexpected '}}', expecting name"));
	cr_expect(strstr(errors("templates/t.tpl", "{{#iff x}}"), "1:3: error: unknown tag '#iff'"));
	cr_expect(strstr(errors("templates/t.tpl", "{{ a $ b }}"), "1:6: error: unexpected character '$' in a tag"));
	cr_expect(strstr(errors("templates/t.tpl", "{{#if x}}"), "1:1: error: unterminated '{{#if': expected '{{/if}}'"));
	cr_expect(strstr(errors("templates/t.tpl", "{{else}}"), "1:1: error: '{{else}}' outside '{{#if'"));
	cr_expect(strstr(errors("templates/t.tpl", "{{! never closed"), "1:1: error: unterminated comment"));
	cr_expect(strstr(errors("templates/t.tpl", "{{#raw}} x"), "1:1: error: unterminated '{{#raw}}'"));
	cr_expect(strstr(errors("templates/t.tpl", "{{% context cobol }}"), "1:13: error: unknown context 'cobol'"));
}

Test(tpl, filter_failure_points_at_the_infra_value)
{
	struct source *infra = source_from_memory(arena, "infra.yml", "cluster:\n  name: \"a\\nb\"\n", 25);
	struct tpl *tpl = compile("templates/Makefile.tpl", "X := {{ cluster.name | make }}\n");
	struct strbuf sb = STRBUF_INIT;

	cr_assert(tpl);
	ir->cluster.name.value = "a\nb";
	ir->cluster.name.loc = loc_make(infra, 17, 6);
	strbuf_addstr(&sb, "kept");
	cr_expect_eq(tpl_render_one(tpl, ir, NULL, &sb, &diags), -1);
	cr_expect_str_eq(sb.buf, "kept", "nothing of a failed render is left");
	cr_expect_str_eq(diag_text(),
		"infra.yml:2:9: error: cannot write this value through filter 'make' (templates/Makefile.tpl:1:24): "
		"a newline cannot be part of a Make assignment [template]\n"
		"    2 |   name: \"a\\nb\"\n"
		"      |         ^~~~~~\n");
	strbuf_release(&sb);
}

Test(tpl, user_data_is_passed_through_verbatim)
{
	const char *script = "#!/bin/bash\r\necho \"{{ x }}\" $HOME `id` \\\n\t${!a}\n\xff\xfe";
	ir->ec2_instances.user_data_text.value = script;
	cr_expect_str_eq(render_vars("templates/u.sh.tpl", "#!/bin/sh\n{{ ec2_instances.user_data_text | verbatim }}", NULL),
			 arena_printf(arena, "#!/bin/sh\n%s", script));
}
