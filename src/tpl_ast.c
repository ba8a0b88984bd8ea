/* tpl_ast.c - the constructors the template grammar's actions call. */
#include "config.h"

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "tpl_int.h"

struct loc tpl_loc(const struct tpl *tpl, struct tpl_span span)
{
	return loc_make(tpl->src, span.begin, span.end - span.begin);
}

void tpl_syntax_error(struct tpl_parser *p, struct tpl_span span, const char *msg)
{
	/* Bison says "syntax error, unexpected X": keep its words, drop the prefix. */
	if (!strncmp(msg, "syntax error, ", 14))
		msg += 14;
	diag_error(p->diags, DIAG_TEMPLATE, tpl_loc(p->tpl, span), "%s", msg);
	p->errors++;
}

struct tpl_nodes tpl_nodes_empty(void)
{
	struct tpl_nodes list = { NULL, NULL };
	return list;
}

struct tpl_nodes tpl_nodes_append(struct tpl_nodes list, struct tpl_node *node)
{
	if (!node)
		return list;
	if (list.tail)
		list.tail->next = node;
	else
		list.head = node;
	list.tail = node;
	return list;
}

static struct tpl_node *node_new(struct tpl_parser *p, enum tpl_node_kind kind, struct tpl_span span)
{
	struct tpl_node *n = arena_alloc(p->arena, sizeof *n);
	n->kind = kind;
	n->span = span;
	return n;
}

struct tpl_node *tpl_node_text(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v)
{
	struct tpl_node *n;

	if (!v.len)
		return NULL;
	n = node_new(p, NODE_TEXT, span);
	n->text = v.text;
	n->len = v.len;
	return n;
}

struct tpl_node *tpl_node_interp(struct tpl_parser *p, struct tpl_span span, struct tpl_expr *e)
{
	struct tpl_node *n = node_new(p, NODE_INTERP, span);
	n->expr = e;
	return n;
}

struct tpl_node *tpl_node_if(struct tpl_parser *p, struct tpl_span span, struct tpl_expr *cond,
			     struct tpl_nodes then, struct tpl_nodes orelse)
{
	struct tpl_node *n = node_new(p, NODE_IF, span);
	n->expr = cond;
	n->body = then.head;
	n->orelse = orelse.head;
	return n;
}

struct tpl_node *tpl_node_each(struct tpl_parser *p, struct tpl_span span, struct tpl_name *list,
			       struct tpl_span list_span, struct tpl_tokval var, struct tpl_span var_span,
			       struct tpl_nodes body)
{
	struct tpl_node *n = node_new(p, NODE_EACH, span);
	n->expr = tpl_expr_path(p, list_span, list);
	n->var = tpl_name_new(p, var_span, var);
	n->body = body.head;
	return n;
}

static const char *const context_names[] = {
	[CTX_TEXT] = "text", [CTX_SH] = "sh", [CTX_MAKE] = "make",
	[CTX_JSON] = "json", [CTX_YAML] = "yaml", [CTX_HCL] = "hcl",
	[CTX_MARKDOWN] = "markdown",
};

struct tpl_node *tpl_pragma_context(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval name)
{
	size_t i;

	if (p->tpl->context_set) {
		diag_error(p->diags, DIAG_TEMPLATE, tpl_loc(p->tpl, span), "second '%% context' in the template");
		p->errors++;
		return NULL;
	}
	for (i = 0; i < sizeof context_names / sizeof *context_names; i++) {
		if (strlen(context_names[i]) == name.len && !memcmp(context_names[i], name.text, name.len)) {
			p->tpl->context = (enum tpl_context)i;
			p->tpl->context_set = true;
			p->tpl->context_span = span;
			return NULL;
		}
	}
	diag_error(p->diags, DIAG_TEMPLATE, tpl_loc(p->tpl, span), "unknown context '%.*s'", (int)name.len, name.text);
	diag_hint(p->diags, "the contexts are text, sh, make, json, yaml, hcl and markdown");
	p->errors++;
	return NULL;
}

/* "a.b.c" from a path, in the arena. */
static const char *join(struct arena *arena, const struct tpl_name *path)
{
	const struct tpl_name *n;
	size_t len = 0;
	char *s, *q;

	for (n = path; n; n = n->next)
		len += n->len + 1;
	q = s = arena_alloc(arena, len + 1);
	for (n = path; n; n = n->next) {
		if (q != s)
			*q++ = '.';
		memcpy(q, n->text, n->len);
		q += n->len;
	}
	return s;
}

struct tpl_node *tpl_pragma_param(struct tpl_parser *p, struct tpl_span span, struct tpl_name *name,
				  struct tpl_name *type, bool list)
{
	struct tpl *tpl = p->tpl;
	struct tpl_param *param;
	const char *tname = join(p->arena, type);
	size_t i;

	span.end = name->span.end;
	for (i = 0; i < tpl->nparams; i++) {
		if (!strcmp(tpl->params[i].name, join(p->arena, name))) {
			diag_error(p->diags, DIAG_TEMPLATE, tpl_loc(tpl, span), "param '%s' declared twice", tpl->params[i].name);
			p->errors++;
			return NULL;
		}
	}
	if (tpl->nparams == tpl->params_alloc) {
		struct tpl_param *grown;
		tpl->params_alloc = tpl->params_alloc ? 2 * tpl->params_alloc : 8;
		grown = arena_array(p->arena, tpl->params_alloc, sizeof *grown);
		if (tpl->nparams)
			memcpy(grown, tpl->params, tpl->nparams * sizeof *grown);
		tpl->params = grown;
	}
	param = &tpl->params[tpl->nparams];
	memset(param, 0, sizeof *param);
	param->name = join(p->arena, name);
	param->span = span;
	param->type.escaped = -1;
	if (!list && !strcmp(tname, "string")) {
		param->type.kind = TV_STRING;
	} else if (!list && !strcmp(tname, "int")) {
		param->type.kind = TV_INT;
		param->type.safe = true;
	} else if (!list && !strcmp(tname, "bool")) {
		param->type.kind = TV_BOOL;
		param->type.safe = true;
	} else if (!list && !strcmp(tname, "strings")) {
		param->type.kind = TV_STRING_LIST;
	} else if ((param->type.object = schema_find_object(p->tpl->root,
			list ? arena_printf(p->arena, "%s[]", tname) : tname))) {
		param->type.kind = TV_OBJECT;
		param->object_path = param->type.object->path;
	} else {
		struct tpl_span tspan = { type->span.begin, type->span.end };
		const struct tpl_name *last = type;
		while (last->next)
			last = last->next;
		tspan.end = list ? last->span.end + 2 : last->span.end;
		diag_error(p->diags, DIAG_TEMPLATE, tpl_loc(tpl, tspan), "unknown type '%s%s'", tname, list ? "[]" : "");
		diag_hint(p->diags, "a param is a string, int, bool, strings, or a schema object such as ec2_instances.spot_fleets[]");
		p->errors++;
		return NULL;
	}
	tpl->nparams++;
	return NULL;
}

struct tpl_name *tpl_name_new(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v)
{
	struct tpl_name *n = arena_alloc(p->arena, sizeof *n);
	n->text = v.text;
	n->len = v.len;
	n->span = span;
	return n;
}

struct tpl_name *tpl_name_append(struct tpl_name *path, struct tpl_name *next)
{
	struct tpl_name *n = path;
	while (n->next)
		n = n->next;
	n->next = next;
	return path;
}

static struct tpl_expr *expr_new(struct tpl_parser *p, enum tpl_expr_kind kind, struct tpl_span span)
{
	struct tpl_expr *e = arena_alloc(p->arena, sizeof *e);
	e->kind = kind;
	e->span = span;
	e->type.escaped = -1;
	return e;
}

struct tpl_expr *tpl_expr_path(struct tpl_parser *p, struct tpl_span span, struct tpl_name *path)
{
	struct tpl_expr *e = expr_new(p, EXPR_PATH, span);
	e->path = path;
	return e;
}

struct tpl_expr *tpl_expr_meta(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v)
{
	struct tpl_expr *e = expr_new(p, EXPR_META, span);
	e->text = v.text;
	e->len = v.len;
	return e;
}

struct tpl_expr *tpl_expr_string(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v)
{
	struct tpl_expr *e = expr_new(p, EXPR_STRING, span);
	e->text = v.text;
	e->len = v.len;
	return e;
}

struct tpl_expr *tpl_expr_int(struct tpl_parser *p, struct tpl_span span, struct tpl_tokval v)
{
	struct tpl_expr *e = expr_new(p, EXPR_INT, span);
	e->num = v.num;
	return e;
}

struct tpl_expr *tpl_expr_op(struct tpl_parser *p, struct tpl_span span, enum tpl_expr_kind kind,
			     struct tpl_expr *a, struct tpl_expr *b)
{
	struct tpl_expr *e = expr_new(p, kind, span);
	e->a = a;
	e->b = b;
	return e;
}

struct tpl_expr *tpl_expr_filter(struct tpl_parser *p, struct tpl_span span, struct tpl_expr *input,
				 struct tpl_name *name, struct tpl_expr *arg)
{
	struct tpl_expr *e = expr_new(p, EXPR_FILTER, span);
	e->a = input;
	e->b = arg;
	e->path = name;
	return e;
}
