/*
 * tpl_render.c - writing a checked template's output, reading values
 * straight from the IR through the offsets the checker resolved.
 *
 * Cost is linear in the output: each node is visited once per loop
 * iteration, a value is read in O(1), and a filter chain writes each stage
 * once into a scratch buffer that is reused for the whole render.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "escape.h"
#include "ir.h"
#include "schema.h"
#include "strbuf.h"
#include "tpl.h"
#include "tpl_int.h"
#include "xalloc.h"

enum elem {
	ELEM_IR_STRING, /* struct ir_string */
	ELEM_CSTR,      /* const char * */
	ELEM_OBJECT,    /* an IR struct */
};

struct value {
	enum tpl_vtype kind;
	const char *str;
	size_t len;
	long long num;
	bool present;
	struct loc loc;         /* where infra.yml said it, when it did */
	const char *items;      /* lists */
	size_t n, stride;
	enum elem elem;
	const char *object;     /* TV_OBJECT */
};

struct frame {
	const char *item;
	enum elem elem;
	size_t index, n;
};

struct render {
	const struct tpl *tpl;
	const char *root;
	const struct tpl_var **params;
	struct frame *frames;
	struct strbuf *scratch;
	size_t nscratch;
	struct diag_list *diags;
	int errors;
};

static void read_ir_string(const char *p, struct value *v)
{
	const struct ir_string *s = (const struct ir_string *)(const void *)p;
	v->kind = TV_STRING;
	v->str = s->value ? s->value : "";
	v->len = strlen(v->str);
	v->present = s->value != NULL;
	v->loc = s->loc;
}

static void read_item_string(const struct frame *f, struct value *v)
{
	if (f->elem == ELEM_IR_STRING) {
		read_ir_string(f->item, v);
	} else {
		const char *s;
		memcpy(&s, f->item, sizeof s);
		v->kind = TV_STRING;
		v->str = s ? s : "";
		v->len = strlen(v->str);
		v->present = s != NULL;
	}
}

static void read_var(const struct tpl_var *var, struct value *v)
{
	v->kind = var->type;
	v->present = true;
	switch (var->type) {
	case TV_STRING:
		v->str = var->str ? var->str : "";
		v->len = strlen(v->str);
		v->present = var->str != NULL;
		break;
	case TV_INT:
	case TV_BOOL:
		v->num = var->num;
		break;
	case TV_STRING_LIST:
		v->items = (const char *)var->strs;
		v->n = var->n;
		v->stride = sizeof(const char *);
		v->elem = ELEM_CSTR;
		break;
	case TV_OBJECT:
	case TV_OBJECT_LIST:
		v->object = var->object;
		break;
	}
}

static void read_path(struct render *r, const struct tpl_expr *e, struct value *v)
{
	const struct frame *f = e->base == BASE_LOOP ? &r->frames[e->slot] : NULL;
	const char *base = r->root, *p;

	if (e->base == BASE_LOOP)
		base = f->item;
	else if (e->base == BASE_PARAM)
		base = r->params[e->slot]->object;
	/* A variable has no base object: NULL + 0 is undefined (clang's UBSan). */
	p = base ? base + e->offset : NULL;
	memset(v, 0, sizeof *v);
	v->present = true;
	switch (e->access) {
	case ACC_IR_STRING:
		read_ir_string(p, v);
		break;
	case ACC_IR_INT: {
		const struct ir_int *i = (const void *)p;
		v->kind = TV_INT;
		v->num = i->value;
		v->present = i->present;
		v->loc = i->loc;
		break;
	}
	case ACC_IR_BOOL: {
		const struct ir_bool *b = (const void *)p;
		v->kind = TV_BOOL;
		v->num = b->value;
		v->present = b->present;
		v->loc = b->loc;
		break;
	}
	case ACC_IR_PRICE: {
		const struct ir_price *pr = (const void *)p;
		v->kind = TV_STRING;
		v->str = pr->text ? pr->text : "";
		v->len = strlen(v->str);
		v->present = pr->present;
		v->loc = pr->loc;
		break;
	}
	case ACC_IR_DURATION: {
		const struct ir_duration *d = (const void *)p;
		v->kind = TV_INT;
		v->num = d->seconds;
		v->present = d->present;
		v->loc = d->loc;
		break;
	}
	case ACC_IR_STRINGS: {
		const struct ir_strings *l = (const void *)p;
		v->kind = TV_STRING_LIST;
		v->items = (const char *)l->items;
		v->n = l->n;
		v->stride = sizeof(struct ir_string);
		v->elem = ELEM_IR_STRING;
		v->loc = l->loc;
		break;
	}
	case ACC_IR_LIST: {
		/* IR_LIST(T) starts with T *items, size_t n. */
		const void *items;
		memcpy(&items, p, sizeof items);
		memcpy(&v->n, p + sizeof items, sizeof v->n);
		v->kind = TV_OBJECT_LIST;
		v->items = items;
		v->stride = e->type.object->size;
		v->elem = ELEM_OBJECT;
		break;
	}
	case ACC_OBJECT:
		v->kind = TV_OBJECT;
		v->object = p;
		break;
	case ACC_ITEM_STRING:
		read_item_string(f, v);
		break;
	case ACC_VAR:
		read_var(r->params[e->slot], v);
		break;
	case ACC_META_INDEX:
		v->kind = TV_INT;
		v->num = (long long)f->index;
		break;
	case ACC_META_FIRST:
		v->kind = TV_BOOL;
		v->num = f->index == 0;
		break;
	case ACC_META_LAST:
		v->kind = TV_BOOL;
		v->num = f->index + 1 == f->n;
		break;
	}
}

static bool truthy(const struct value *v)
{
	switch (v->kind) {
	case TV_STRING: return v->len > 0;
	case TV_INT:
	case TV_BOOL: return v->num != 0;
	case TV_STRING_LIST:
	case TV_OBJECT_LIST: return v->n > 0;
	case TV_OBJECT: return true;
	}
	return false;
}

typedef int escape_fn(struct strbuf *, const char *, size_t, struct escape_error *);

static escape_fn *const escapers[FILTER_COUNT] = {
	[FILTER_json] = escape_json, [FILTER_yaml] = escape_yaml, [FILTER_hcl] = escape_hcl,
	[FILTER_sh] = escape_sh, [FILTER_make] = escape_make, [FILTER_recipe] = escape_recipe,
	[FILTER_cfnsub] = escape_cfnsub, [FILTER_markdown] = escape_markdown,
};

static int escape_error(struct render *r, const struct tpl_expr *e, const struct value *in,
			const struct escape_error *err)
{
	struct position pos = source_locate(r->tpl->src, e->span.begin);

	r->errors++;
	if (loc_is_set(in->loc))
		return diag_error(r->diags, DIAG_TEMPLATE, in->loc, "cannot write this value through filter '%s' (%s:%u:%u): %s",
				  tpl_filter_names[e->filter], r->tpl->src->name, pos.line, pos.column,
				  err->reason);
	return diag_error(r->diags, DIAG_TEMPLATE, tpl_loc(r->tpl, e->span), "filter '%s': %s",
			  tpl_filter_names[e->filter], err->reason);
}

/* One scalar through an escaper (integers and booleans as their text). */
static int escape_one(struct render *r, const struct tpl_expr *e, escape_fn *fn,
		      const struct value *v, struct strbuf *out)
{
	struct escape_error err;

	if (v->kind == TV_INT) {
		strbuf_addf(out, "%lld", v->num);
		return 0;
	}
	if (v->kind == TV_BOOL) {
		strbuf_addstr(out, v->num ? "true" : "false");
		return 0;
	}
	if (fn(out, v->str, v->len, &err))
		return escape_error(r, e, v, &err);
	return 0;
}

static int eval(struct render *r, const struct tpl_expr *e, struct value *v, size_t level);

static int apply_filter(struct render *r, const struct tpl_expr *e, struct value *v, size_t level)
{
	struct value in;
	struct strbuf *out;
	size_t i;

	if (eval(r, e->a, &in, level + 1))
		return -1;
	if (level >= r->nscratch) {
		size_t old = r->nscratch;
		xgrow((void **)&r->scratch, &r->nscratch, level + 1, sizeof *r->scratch);
		for (i = old; i < r->nscratch; i++)
			strbuf_init(&r->scratch[i]);
	}
	out = &r->scratch[level];
	strbuf_reset(out);
	*v = in;
	switch (e->filter) {
	case FILTER_default:
		if ((in.kind == TV_STRING && !in.len) || (in.kind == TV_INT && !in.present)) {
			v->str = e->b->text;
			v->len = e->b->len;
			v->num = e->b->num;
			v->present = true;
		}
		return 0;
	case FILTER_verbatim:
		return 0;
	case FILTER_upper:
	case FILTER_lower:
		for (i = 0; i < in.len; i++) {
			char c = in.str[i];
			if (e->filter == FILTER_upper && c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			else if (e->filter == FILTER_lower && c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			strbuf_addch(out, c);
		}
		break;
	default:
		if (in.kind != TV_STRING_LIST) {
			if (escape_one(r, e, escapers[e->filter], &in, out))
				return -1;
			break;
		}
		/* A list: [a, b] in json/yaml/hcl, a, b in markdown, words in sh/make/recipe. */
		if (e->filter == FILTER_json || e->filter == FILTER_yaml || e->filter == FILTER_hcl)
			strbuf_addch(out, '[');
		for (i = 0; i < in.n; i++) {
			struct frame f = { in.items + i * in.stride, in.elem, i, in.n };
			struct value item;
			if (i)
				strbuf_addstr(out, e->filter == FILTER_json ? "," :
						   e->filter == FILTER_yaml || e->filter == FILTER_hcl ||
						   e->filter == FILTER_markdown ? ", " : " ");
			read_item_string(&f, &item);
			if (escape_one(r, e, escapers[e->filter], &item, out))
				return -1;
		}
		if (e->filter == FILTER_json || e->filter == FILTER_yaml || e->filter == FILTER_hcl)
			strbuf_addch(out, ']');
		break;
	}
	v->kind = TV_STRING;
	v->str = out->buf;
	v->len = out->len;
	return 0;
}

static int eval(struct render *r, const struct tpl_expr *e, struct value *v, size_t level)
{
	struct value a, b;

	switch (e->kind) {
	case EXPR_PATH:
	case EXPR_META:
		read_path(r, e, v);
		return 0;
	case EXPR_STRING:
		memset(v, 0, sizeof *v);
		v->kind = TV_STRING;
		v->str = e->text;
		v->len = e->len;
		v->present = true;
		return 0;
	case EXPR_INT:
		memset(v, 0, sizeof *v);
		v->kind = TV_INT;
		v->num = e->num;
		v->present = true;
		return 0;
	case EXPR_FILTER:
		return apply_filter(r, e, v, level);
	default:
		break;
	}
	/* Conditions. */
	memset(v, 0, sizeof *v);
	v->kind = TV_BOOL;
	v->present = true;
	if (eval(r, e->a, &a, level))
		return -1;
	switch (e->kind) {
	case EXPR_NOT:
		v->num = !truthy(&a);
		return 0;
	case EXPR_AND:
		if (!truthy(&a))
			return 0;
		break;
	case EXPR_OR:
		if (truthy(&a)) {
			v->num = 1;
			return 0;
		}
		break;
	default:
		break;
	}
	/* No filters in conditions (see the grammar): no scratch buffer is shared. */
	if (e->kind == EXPR_EQ || e->kind == EXPR_NE) {
		if (eval(r, e->b, &b, level))
			return -1;
		if (a.kind == TV_STRING)
			v->num = a.len == b.len && !memcmp(a.str, b.str, a.len);
		else
			v->num = a.num == b.num;
		if (e->kind == EXPR_NE)
			v->num = !v->num;
		return 0;
	}
	if (eval(r, e->b, &b, level))
		return -1;
	v->num = truthy(&b);
	return 0;
}

static int render_nodes(struct render *r, const struct tpl_node *n, struct strbuf *out)
{
	struct value v;
	size_t i;

	for (; n; n = n->next) {
		switch (n->kind) {
		case NODE_TEXT:
			strbuf_add(out, n->text, n->len);
			break;
		case NODE_INTERP:
			if (eval(r, n->expr, &v, 0))
				break;
			if (v.kind == TV_INT)
				strbuf_addf(out, "%lld", v.num);
			else if (v.kind == TV_BOOL)
				strbuf_addstr(out, v.num ? "true" : "false");
			else
				strbuf_add(out, v.str, v.len);
			break;
		case NODE_IF:
			if (eval(r, n->expr, &v, 0))
				break;
			if (render_nodes(r, truthy(&v) ? n->body : n->orelse, out))
				return -1;
			break;
		case NODE_EACH:
			if (eval(r, n->expr, &v, 0))
				break;
			for (i = 0; i < v.n; i++) {
				struct frame *f = &r->frames[n->depth];
				f->item = v.items + i * v.stride;
				f->elem = v.elem;
				f->index = i;
				f->n = v.n;
				if (render_nodes(r, n->body, out))
					return -1;
			}
			break;
		}
	}
	return 0;
}

static const char *var_type_name(enum tpl_vtype t)
{
	static const char *const names[] = {
		[TV_STRING] = "string", [TV_INT] = "int", [TV_BOOL] = "bool",
		[TV_STRING_LIST] = "strings", [TV_OBJECT] = "object", [TV_OBJECT_LIST] = "objects",
	};
	return names[t];
}

/* Match the template's declared params with the variables the caller set. */
static int bind_params(struct render *r, const struct tpl_vars *extra)
{
	const struct tpl *tpl = r->tpl;
	size_t i, j;

	for (i = 0; i < tpl->nparams; i++) {
		const struct tpl_param *p = &tpl->params[i];
		const struct tpl_var *var = NULL;
		for (j = 0; extra && j < extra->n; j++)
			if (!strcmp(extra->items[j].name, p->name))
				var = &extra->items[j];
		if (!var)
			return diag_error(r->diags, DIAG_TEMPLATE, tpl_loc(tpl, p->span),
					  "the caller did not set param '%s'", p->name);
		if (var->type != p->type.kind)
			return diag_error(r->diags, DIAG_TEMPLATE, tpl_loc(tpl, p->span),
					  "param '%s' is declared %s but the caller set %s",
					  p->name, var_type_name(p->type.kind), var_type_name(var->type));
		if (var->type == TV_OBJECT && strcmp(var->object_path, p->object_path))
			return diag_error(r->diags, DIAG_TEMPLATE, tpl_loc(tpl, p->span),
					  "param '%s' is declared %s but the caller set %s",
					  p->name, p->object_path, var->object_path);
		r->params[i] = var;
	}
	return 0;
}

int tpl_render_one(const struct tpl *tpl, const void *root, const struct tpl_vars *extra,
		   struct strbuf *out, struct diag_list *diags)
{
	struct render r = { 0 };
	size_t start = out->len, i;
	int ret;

	r.tpl = tpl;
	r.root = root;
	r.diags = diags;
	r.params = xcalloc(tpl->nparams + 1, sizeof *r.params);
	r.frames = xcalloc(tpl->max_depth + 1, sizeof *r.frames);
	ret = bind_params(&r, extra);
	if (!ret)
		ret = render_nodes(&r, tpl->body, out);
	if (r.errors)
		ret = -1;
	if (ret)
		strbuf_setlen(out, start);
	for (i = 0; i < r.nscratch; i++)
		strbuf_release(&r.scratch[i]);
	free(r.scratch);
	free(r.frames);
	free(r.params);
	return ret;
}

/* ---- the variables an emitter passes ---- */

struct tpl_vars *tpl_vars_new(struct arena *arena)
{
	struct tpl_vars *vars = arena_alloc(arena, sizeof *vars);
	vars->arena = arena;
	return vars;
}

static struct tpl_var *var_add(struct tpl_vars *vars, const char *name, enum tpl_vtype type)
{
	struct tpl_var *v;

	if (vars->n == vars->alloc) {
		struct tpl_var *grown;
		vars->alloc = vars->alloc ? 2 * vars->alloc : 8;
		grown = arena_array(vars->arena, vars->alloc, sizeof *grown);
		if (vars->n)
			memcpy(grown, vars->items, vars->n * sizeof *grown);
		vars->items = grown;
	}
	v = &vars->items[vars->n++];
	memset(v, 0, sizeof *v);
	v->name = arena_strdup(vars->arena, name);
	v->type = type;
	return v;
}

void tpl_vars_string(struct tpl_vars *vars, const char *name, const char *value)
{
	var_add(vars, name, TV_STRING)->str = value ? arena_strdup(vars->arena, value) : NULL;
}

void tpl_vars_int(struct tpl_vars *vars, const char *name, long long value)
{
	var_add(vars, name, TV_INT)->num = value;
}

void tpl_vars_bool(struct tpl_vars *vars, const char *name, bool value)
{
	var_add(vars, name, TV_BOOL)->num = value;
}

void tpl_vars_strings(struct tpl_vars *vars, const char *name, const char *const *items, size_t n)
{
	struct tpl_var *v = var_add(vars, name, TV_STRING_LIST);
	const char **copy = arena_array(vars->arena, n + 1, sizeof *copy);
	size_t i;

	for (i = 0; i < n; i++)
		copy[i] = arena_strdup(vars->arena, items[i]);
	v->strs = copy;
	v->n = n;
}

void tpl_vars_object(struct tpl_vars *vars, const char *name, const char *schema_path, const void *object)
{
	struct tpl_var *v = var_add(vars, name, TV_OBJECT);
	v->object_path = arena_strdup(vars->arena, schema_path);
	v->object = object;
}
